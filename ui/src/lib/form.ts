// The add/edit account forms as plain data, and their translation into the IPC inputs.
// Kept free of Svelte so it can be unit-tested.
import type {
  Account,
  Fallback,
  Revoked,
  AccountSettings,
  AccountKind,
  AccountStatus,
  Effort,
  EndpointInput,
  EndpointPreset,
  KeyCredential,
  NewKeyAccount,
  ProviderId,
  Change,
  PresetOption,
  ProviderInfo,
} from "./bindings";

export type KeyMode = KeyCredential["type"];

export interface KeyForm {
  provider: ProviderId;
  mode: KeyMode;
  label: string;
  description: string;
  key: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  preset: EndpointPreset;
  baseUrl: string;
  apiVersion: string;
  model: string;
  effort: Effort | "";
}

export const kindLabels: Record<AccountKind, string> = {
  oauth: "Sign-in",
  api_key: "API key",
  bedrock: "AWS Bedrock",
};

export const modeLabels: Record<KeyMode, string> = {
  api_key: "API key",
  bedrock_access_keys: "AWS access keys",
  bedrock_api_key: "Bedrock API key",
};

export const statusLabels: Record<AccountStatus, string> = {
  ok: "Ready",
  needs_sign_in: "Needs sign-in",
  refresh_failed: "Offline — retrying",
  secret_missing: "Key missing",
};

export function emptyKeyForm(info: ProviderInfo): KeyForm {
  return {
    provider: info.id,
    mode: modesFor(info)[0] ?? "api_key",
    label: "",
    description: "",
    key: "",
    accessKeyId: "",
    secretAccessKey: "",
    region: info.default_region ?? "",
    preset: "default",
    baseUrl: "",
    apiVersion: "",
    model: "",
    effort: "",
  };
}

/** The key modes a provider offers: its API key, and Bedrock's two for Claude. */
export function modesFor(info: ProviderInfo): KeyMode[] {
  const modes: KeyMode[] = [];
  if (info.account_kinds.includes("api_key")) modes.push("api_key");
  if (info.account_kinds.includes("bedrock")) modes.push("bedrock_access_keys", "bedrock_api_key");
  return modes;
}

/** The endpoint type `preset` as the provider offers it (its label, placeholder, rules). */
export function presetOption(info: ProviderInfo, preset: EndpointPreset): PresetOption | undefined {
  return info.endpoint_presets.find((option) => option.preset === preset);
}

/** What the base URL field shows while empty: the preset's example, or the provider's API. */
export function basePlaceholder(preset: EndpointPreset, info: ProviderInfo): string {
  return presetOption(info, preset)?.placeholder || info.endpoints.api_base;
}

/** Efforts for `model`, falling back to the provider-wide list (as the backend does). */
export function effortsFor(info: ProviderInfo, model: string): Effort[] {
  const option = info.models.find((m) => m.id === model.trim());
  return option && option.efforts.length > 0 ? option.efforts : info.efforts;
}

export function credentialFrom(form: KeyForm): KeyCredential {
  switch (form.mode) {
    case "bedrock_access_keys":
      return {
        type: "bedrock_access_keys",
        access_key_id: form.accessKeyId.trim(),
        secret_access_key: form.secretAccessKey.trim(),
        region: form.region.trim(),
      };
    case "bedrock_api_key":
      return { type: "bedrock_api_key", api_key: form.key.trim(), region: form.region.trim() };
    case "api_key":
      return { type: "api_key", key: form.key.trim() };
  }
}

export function endpointFrom(form: KeyForm, info: ProviderInfo): EndpointInput | null {
  if (form.preset === "default") return null;
  const apiVersion = info.takes_api_version ? form.apiVersion.trim() : "";
  return {
    preset: form.preset,
    base_url: form.baseUrl.trim() || null,
    api_version: apiVersion || null,
  };
}

export function newKeyAccount(form: KeyForm, info: ProviderInfo): NewKeyAccount {
  return {
    provider: form.provider,
    label: form.label.trim() || null,
    description: form.description.trim() || null,
    credential: credentialFrom(form),
    endpoint: endpointFrom(form, info),
    model: form.model.trim() || null,
    effort: form.effort || null,
  };
}

/** Fields still empty that the backend would reject; the submit button waits for them. */
export function missingFields(form: KeyForm, info: ProviderInfo): string[] {
  const missing: string[] = [];
  if (form.mode === "bedrock_access_keys") {
    if (!form.accessKeyId.trim()) missing.push("access key id");
    if (!form.secretAccessKey.trim()) missing.push("secret access key");
  } else if (!form.key.trim()) {
    missing.push("key");
  }
  if (form.mode !== "api_key" && !form.region.trim()) missing.push("region");
  const needsUrl = presetOption(info, form.preset)?.needs_url ?? false;
  if (needsUrl && !form.baseUrl.trim()) missing.push("base URL");
  return missing;
}

/** "Claude Code has no active account" style summary for a provider header. */
export function activeSummary(activeLabel: string | null): string {
  return activeLabel ? `Active: ${activeLabel}` : "Not configured";
}

/** The edit form of an existing account: its settings, with empty secret fields. */
export function formFromAccount(account: Account, info: ProviderInfo): KeyForm {
  return {
    ...emptyKeyForm(info),
    mode: account.kind === "bedrock" ? "bedrock_access_keys" : "api_key",
    label: account.label,
    description: account.description,
    region: account.region ?? info.default_region ?? "",
    preset: account.endpoint.preset,
    baseUrl: account.endpoint.base_url ?? "",
    apiVersion: account.endpoint.api_version ?? "",
    model: account.model ?? "",
    effort: account.effort ?? "",
  };
}

export function settingsFrom(form: KeyForm, info: ProviderInfo): AccountSettings {
  return { endpoint: endpointFrom(form, info), model: form.model.trim() || null, effort: form.effort || null };
}

/** What an empty provider section says. */
export function emptyHint(info: ProviderInfo): string {
  const keys = info.account_kinds
    .filter((k) => k !== "oauth")
    .map((k) => (k === "api_key" ? `${article(info.key_name)} ${info.key_name}` : "AWS Bedrock credentials"));
  const ways = info.sign_in_methods.length > 0 ? ["sign in", `add ${keys.join(" or ")}`] : [`Add ${keys.join(" or ")}`];
  const sentence = ways.join(", or ");
  return `No ${info.display_name} accounts yet. ${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

/** "a" or "an" for a name as it is spoken ("an xAI key", "a Gemini key"). */
export function article(name: string): "a" | "an" {
  return /^[aeiox]/i.test(name) ? "an" : "a";
}

/** The small print under an account's label: email, region, model and effort, endpoint. */
export function accountDetails(account: Account): string[] {
  const details: string[] = [];
  if (account.email && account.email !== account.label) details.push(account.email);
  if (account.plan) details.push(`${account.plan} plan`);
  if (account.region) details.push(account.region);
  const model = [account.model, account.effort && `${account.effort} effort`].filter(Boolean).join(" · ");
  if (model) details.push(model);
  if (account.endpoint.base_url) details.push(account.endpoint.base_url.replace(/^https?:\/\//, ""));
  return details;
}

/** What the window says when the login watcher found something in a CLI's files. */
export function watchNotice(change: Change, provider: string): { text: string; warnings: string[] } | null {
  switch (change.kind) {
    case "new_login_found":
      return {
        text: `A login Switchboard does not know appeared in ${provider}'s files (the CLI's own login?). Use "Import logins" to add it.`,
        warnings: [],
      };
    case "tokens_taken_back":
      return { text: `${provider} refreshed its sign-in; Switchboard keeps the new tokens.`, warnings: [] };
    default:
      return null;
  }
}

/** What removing an account did at the provider, in the notice after it. */
export function removedNotice(label: string, providerName: string, revoked: Revoked): string {
  const removed = `Removed ${label} and its keychain entry.`;
  switch (revoked.revocation) {
    case "revoked":
      return `${removed} Its sign-in was revoked at ${providerName}.`;
    case "no_endpoint":
      return `${removed} ${providerName} has no way to revoke a sign-in: its tokens stay valid until they expire.`;
    case "failed":
      return `${removed} Revoking its sign-in at ${providerName} failed (${revoked.reason}); its tokens stay valid until they expire.`;
    case "not_needed":
      return removed;
  }
}

/** What the removal confirmation warns about, for sign-ins whose provider revokes. */
export function removeWarning(account: Account): string | null {
  if (account.kind !== "oauth") return null;
  switch (account.provider) {
    case "gemini":
      return "Removing revokes this Google sign-in: every copy of it stops working, Gemini CLI on other computers included.";
    case "codex":
    case "grok":
      return "Removing revokes this sign-in at the provider: every copy of its tokens stops working.";
    default:
      return null;
  }
}

/** The fallback choices of a provider's accounts, as the select shows them. */
export function fallbackChoices(accounts: Account[]): { value: string; label: string }[] {
  return [
    { value: "none", label: "Nothing switches" },
    { value: "pool", label: "Next in pool" },
    ...accounts.map((a) => ({ value: `account:${a.id}`, label: `Use ${a.label}` })),
  ];
}

/** The select's value for a fallback policy. */
export function fallbackChoice(fallback: Fallback): string {
  return fallback.policy === "account" ? `account:${fallback.account_id}` : fallback.policy;
}

/** The fallback policy a select value stands for. */
export function fallbackFromChoice(value: string): Fallback {
  if (value.startsWith("account:")) return { policy: "account", account_id: value.slice("account:".length) };
  return value === "pool" ? { policy: "pool" } : { policy: "none" };
}

/** The thresholds the auto-switch select offers, with the current one when it is another. */
export function autoSwitchChoices(current: number | null): number[] {
  const choices = [80, 90, 95, 99];
  if (current !== null && !choices.includes(current)) choices.push(current);
  return choices.sort((a, b) => a - b);
}
