import { describe, expect, it } from "vitest";
import type { ProviderInfo } from "./bindings";
import {
  accountDetails,
  activeSummary,
  article,
  emptyHint,
  effortsFor,
  emptyKeyForm,
  missingFields,
  modesFor,
  newKeyAccount,
  presetsFor,
  switchedNotice,
  watchNotice,
} from "./form";

function provider(overrides: Partial<ProviderInfo>): ProviderInfo {
  return {
    id: "claude",
    display_name: "Claude Code",
    cli_command: "claude",
    account_kinds: ["oauth", "api_key", "bedrock"],
    key_name: "Anthropic API key",
    key_prefixes: ["sk-ant-api03-"],
    key_may_be_jwt: false,
    endpoints: { api_base: "https://api.anthropic.com" },
    takes_api_version: false,
    models: [],
    efforts: ["low", "medium", "high", "xhigh", "max"],
    sign_in_methods: ["browser", "paste"],
    paste: "code_and_state",
    ...overrides,
  };
}

const grok = provider({
  id: "grok",
  display_name: "Grok",
  account_kinds: ["oauth", "api_key"],
  efforts: [],
  models: [
    { id: "grok-4.3", efforts: ["low", "medium", "high"], default_effort: "low" },
    { id: "grok-4.20-multi-agent-0309", efforts: ["low", "medium", "high", "xhigh"], default_effort: null },
  ],
});

describe("key modes and presets", () => {
  it("offers Bedrock only where the provider takes it", () => {
    expect(modesFor(provider({}))).toEqual(["api_key", "bedrock_access_keys", "bedrock_api_key"]);
    expect(modesFor(grok)).toEqual(["api_key"]);
  });

  it("gives Codex its endpoint presets and everyone else default or custom", () => {
    expect(presetsFor(provider({ id: "codex" }))).toContain("azure_openai");
    expect(presetsFor(grok)).toEqual(["default", "custom"]);
  });
});

describe("efforts", () => {
  it("depend on the Grok model and fall back to the provider list", () => {
    expect(effortsFor(grok, "grok-4.3")).toEqual(["low", "medium", "high"]);
    expect(effortsFor(grok, " grok-4.20-multi-agent-0309 ")).toContain("xhigh");
    expect(effortsFor(grok, "unknown")).toEqual([]);
    expect(effortsFor(provider({}), "opus")).toContain("max");
  });
});

describe("building the IPC input", () => {
  it("trims the key and leaves unset fields null", () => {
    const info = provider({});
    const form = { ...emptyKeyForm(info), key: "  sk-ant-api03-abc \n", label: " " };
    expect(newKeyAccount(form, info)).toEqual({
      provider: "claude",
      label: null,
      description: null,
      credential: { type: "api_key", key: "sk-ant-api03-abc" },
      endpoint: null,
      model: null,
      effort: null,
    });
  });

  it("sends Bedrock access keys with their region", () => {
    const info = provider({});
    const form = {
      ...emptyKeyForm(info),
      mode: "bedrock_access_keys" as const,
      accessKeyId: "AKIAEXAMPLE",
      secretAccessKey: "secret",
      region: "eu-west-1",
    };
    expect(newKeyAccount(form, info).credential).toEqual({
      type: "bedrock_access_keys",
      access_key_id: "AKIAEXAMPLE",
      secret_access_key: "secret",
      region: "eu-west-1",
    });
  });

  it("drops the API version where the provider takes none", () => {
    const info = provider({});
    const form = { ...emptyKeyForm(info), preset: "custom" as const, baseUrl: "https://gw", apiVersion: "v1" };
    expect(newKeyAccount(form, info).endpoint).toEqual({ preset: "custom", base_url: "https://gw", api_version: null });
    const gemini = provider({ id: "gemini", takes_api_version: true });
    expect(newKeyAccount({ ...form, provider: "gemini" }, gemini).endpoint?.api_version).toBe("v1");
  });
});

describe("required fields", () => {
  it("waits for the key, Bedrock's parts and a URL where the endpoint needs one", () => {
    const info = provider({});
    expect(missingFields(emptyKeyForm(info))).toEqual(["key"]);
    expect(missingFields({ ...emptyKeyForm(info), mode: "bedrock_access_keys", region: "" })).toEqual([
      "access key id",
      "secret access key",
      "region",
    ]);
    expect(missingFields({ ...emptyKeyForm(info), key: "k", preset: "azure_openai" })).toEqual(["base URL"]);
    expect(missingFields({ ...emptyKeyForm(info), key: "k", preset: "local_responses" })).toEqual([]);
  });
});

describe("provider summary", () => {
  it("says Not configured without an active account", () => {
    expect(activeSummary(null)).toBe("Not configured");
    expect(activeSummary("Work")).toBe("Active: Work");
  });
});

describe("empty state", () => {
  it("names the ways to add an account", () => {
    expect(emptyHint(provider({}))).toBe(
      "No Claude Code accounts yet. Sign in, or add an Anthropic API key or AWS Bedrock credentials.",
    );
    expect(
      emptyHint(provider({ id: "opencode", display_name: "Opencode", account_kinds: ["api_key"], key_name: "OpenRouter key", sign_in_methods: [] })),
    ).toBe("No Opencode accounts yet. Add an OpenRouter key.");
    expect(article("xAI API key")).toBe("an");
  });
});

describe("account details", () => {
  it("lists email, region, model with effort, and the endpoint host", () => {
    const account = {
      id: "1",
      provider: "codex" as const,
      kind: "api_key" as const,
      label: "LM Studio",
      email: null,
      plan: null,
      secret_hint: "sk-…abcd",
      endpoint: { preset: "local_responses" as const, base_url: "http://localhost:1234/v1", api_version: null },
      region: null,
      model: "qwen3-coder",
      effort: "high" as const,
      description: "",
      in_pool: false,
      status: "ok" as const,
      created_at: 0,
      updated_at: 0,
    };
    expect(accountDetails(account)).toEqual(["qwen3-coder · high effort", "localhost:1234/v1"]);
    expect(accountDetails({ ...account, kind: "oauth", label: "ada@example.com", email: "ada@example.com", plan: "max", model: null, effort: null, endpoint: { ...account.endpoint, base_url: null } })).toEqual([
      "max plan",
    ]);
    expect(accountDetails({ ...account, model: null, effort: null, endpoint: { ...account.endpoint, base_url: null }, region: "us-east-1" })).toEqual([
      "us-east-1",
    ]);
  });
});

describe("switch notice", () => {
  it("says what is active, how many files changed and what will not follow", () => {
    const switched = { provider: "codex" as const, active_account_id: "a", files_changed: ["/h/.codex/auth.json", "/h/.codex/config.toml"], caveat: "restart codex" };
    expect(switchedNotice("Codex", "Work", switched)).toEqual({ text: "Codex now uses Work (2 CLI files updated).", warnings: ["restart codex"] });
    expect(switchedNotice("Codex", null, { ...switched, active_account_id: null, files_changed: [], caveat: null })).toEqual({
      text: "Codex has no active account.",
      warnings: [],
    });
  });
});

describe("watch notice", () => {
  it("offers to import an unknown login and stays quiet for ordinary changes", () => {
    const change = { kind: "new_login_found" as const, provider: "claude" as const, account_id: null };
    expect(watchNotice(change, "Claude Code")?.text).toContain("Import logins");
    expect(watchNotice({ ...change, kind: "active_changed" }, "Claude Code")).toBeNull();
  });
});
