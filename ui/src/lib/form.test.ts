import { describe, expect, it } from "vitest";
import type { ProviderId, ProviderInfo } from "./bindings";
import catalog from "./catalog.generated.json";
import {
  autoSwitchChoices,
  accountDetails,
  activeSummary,
  article,
  emptyHint,
  effortsFor,
  emptyKeyForm,
  missingFields,
  modesFor,
  newKeyAccount,
  basePlaceholder,
  presetOption,
  removedNotice,
  fallbackChoice,
  fallbackFromChoice,
  watchNotice,
} from "./form";

/** A provider's catalog entry as the app serves it (generated from the Rust catalog). */
function provider(id: ProviderId): ProviderInfo {
  const info = (catalog as ProviderInfo[]).find((entry) => entry.id === id);
  if (!info) throw new Error(`no ${id} in the catalog`);
  return info;
}

const claude = provider("claude");
const grok = provider("grok");

describe("key modes and presets", () => {
  it("offers Bedrock only where the provider takes it", () => {
    expect(modesFor(claude)).toEqual(["api_key", "bedrock_access_keys", "bedrock_api_key"]);
    expect(modesFor(grok)).toEqual(["api_key"]);
  });

  it("gives Codex its endpoint presets and everyone else default or custom", () => {
    const codex = provider("codex");
    expect(codex.endpoint_presets.map((o) => o.preset)).toContain("azure_openai");
    expect(grok.endpoint_presets.map((o) => o.preset)).toEqual(["default", "custom"]);
    expect(presetOption(codex, "azure_openai")?.default_api_version).toBe("2025-04-01-preview");
    expect(basePlaceholder("local_responses", codex)).toBe("http://localhost:1234/v1");
    expect(basePlaceholder("custom", grok)).toBe(grok.endpoints.api_base);
  });

  it("starts Bedrock accounts in the catalog's default region", () => {
    expect(emptyKeyForm(claude).region).toBe(claude.default_region);
    expect(claude.default_region).toBe("us-east-1");
  });
});

describe("efforts", () => {
  it("depend on the Grok model and fall back to the provider list", () => {
    expect(effortsFor(grok, "grok-4.3")).toEqual(["low", "medium", "high"]);
    expect(effortsFor(grok, " grok-4.20-multi-agent-0309 ")).toContain("xhigh");
    expect(effortsFor(grok, "unknown")).toEqual([]);
    expect(effortsFor(claude, "opus")).toContain("max");
  });
});

describe("building the IPC input", () => {
  it("trims the key and leaves unset fields null", () => {
    const info = claude;
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
    const info = claude;
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
    const info = claude;
    const form = { ...emptyKeyForm(info), preset: "custom" as const, baseUrl: "https://gw", apiVersion: "v1" };
    expect(newKeyAccount(form, info).endpoint).toEqual({ preset: "custom", base_url: "https://gw", api_version: null });
    const gemini = provider("gemini");
    expect(newKeyAccount({ ...form, provider: "gemini" }, gemini).endpoint?.api_version).toBe("v1");
  });
});

describe("required fields", () => {
  it("waits for the key, Bedrock's parts and a URL where the endpoint needs one", () => {
    const info = claude;
    expect(missingFields(emptyKeyForm(info), info)).toEqual(["key"]);
    expect(missingFields({ ...emptyKeyForm(info), mode: "bedrock_access_keys", region: "" }, info)).toEqual([
      "access key id",
      "secret access key",
      "region",
    ]);
    const codex = provider("codex");
    expect(missingFields({ ...emptyKeyForm(codex), key: "k", preset: "azure_openai" }, codex)).toEqual(["base URL"]);
    expect(missingFields({ ...emptyKeyForm(codex), key: "k", preset: "local_responses" }, codex)).toEqual([]);
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
    expect(emptyHint(claude)).toBe(
      "No Claude Code accounts yet. Sign in, or add an Anthropic API key or AWS Bedrock credentials.",
    );
    expect(emptyHint(provider("opencode"))).toBe("No Opencode accounts yet. Add an OpenRouter key.");
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
      status_reason: "",
      expires_at: null,
      refresh_expires_at: null,
      refreshed_at: null,
      warning: null,
      usage: null,
      created_at: 0,
      updated_at: 0,
    };
    expect(accountDetails(account)).toEqual(["qwen3-coder · high effort", "localhost:1234/v1"]);
    expect(
      accountDetails({
        ...account,
        kind: "oauth",
        label: "ada@example.com",
        email: "ada@example.com",
        plan: "max",
        model: null,
        effort: null,
        endpoint: { ...account.endpoint, base_url: null },
      }),
    ).toEqual(["max plan"]);
    expect(
      accountDetails({
        ...account,
        model: null,
        effort: null,
        endpoint: { ...account.endpoint, base_url: null },
        region: "us-east-1",
      }),
    ).toEqual(["us-east-1"]);
  });
});

describe("watch notice", () => {
  it("offers to import an unknown login and stays quiet for ordinary changes", () => {
    const change = { kind: "new_login_found" as const, provider: "claude" as const, account_id: null };
    expect(watchNotice(change, "Claude Code")?.text).toContain("Import logins");
    expect(watchNotice({ ...change, kind: "active_changed" }, "Claude Code")).toBeNull();
  });
});

describe("removing an account", () => {
  it("says what happened at the provider", () => {
    expect(removedNotice("Work", "Codex", { revocation: "revoked" })).toBe(
      "Removed Work and its keychain entry. Its sign-in was revoked at Codex.",
    );
    expect(removedNotice("Home", "Claude Code", { revocation: "no_endpoint" })).toContain("no way to revoke");
    expect(removedNotice("Home", "Gemini", { revocation: "failed", reason: "HTTP 500" })).toContain(
      "failed (HTTP 500)",
    );
    expect(removedNotice("Key", "Codex", { revocation: "not_needed" })).toBe("Removed Key and its keychain entry.");
  });
});

describe("the fallback select", () => {
  it("round-trips every policy through its value", () => {
    for (const fallback of [
      { policy: "none" as const },
      { policy: "pool" as const },
      { policy: "account" as const, account_id: "3f2a-key" },
    ]) {
      expect(fallbackFromChoice(fallbackChoice(fallback))).toEqual(fallback);
    }
  });
});

describe("auto-switch choices", () => {
  it("offers the usual thresholds and keeps one set elsewhere", () => {
    expect(autoSwitchChoices(null)).toEqual([80, 90, 95, 99]);
    expect(autoSwitchChoices(95)).toEqual([80, 90, 95, 99]);
    expect(autoSwitchChoices(72)).toEqual([72, 80, 90, 95, 99]);
  });
});
