//! Each provider's usage reader against canned answers in the shapes of
//! USAGE-AND-LIFECYCLE §1: the requests it makes and the windows it reads.

use std::cell::RefCell;

use serde_json::{json, Value};

use super::{get, Fetch, Probe, UsageCredential};
use crate::catalog::{AccountKind, ProviderId};
use crate::limits::{Limits, UsageFailure};

/// A request as asked: its URL and headers.
type Asked = (String, Vec<(String, String)>);

/// Answers each request with the next canned answer, and remembers what was asked.
struct Canned {
    answers: RefCell<Vec<Result<Value, UsageFailure>>>,
    asked: RefCell<Vec<Asked>>,
}

impl Canned {
    fn new(answers: Vec<Result<Value, UsageFailure>>) -> Self {
        Self {
            answers: RefCell::new(answers),
            asked: RefCell::new(Vec::new()),
        }
    }

    fn header(&self, index: usize, name: &str) -> Option<String> {
        self.asked.borrow()[index]
            .1
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }
}

impl Fetch for Canned {
    fn fetch(&self, request: &Probe) -> Result<Value, UsageFailure> {
        let (Probe::Get(url, headers)
        | Probe::PostEmpty(url, headers)
        | Probe::PostJson(url, headers, _)) = request;
        self.asked.borrow_mut().push((
            url.clone(),
            headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), v.clone()))
                .collect(),
        ));
        self.answers.borrow_mut().remove(0)
    }
}

fn read_sign_in(
    provider: ProviderId,
    tokens: Value,
    fetch: &Canned,
) -> Result<Limits, UsageFailure> {
    let client = get(provider).oauth_client().expect("a client");
    let credential = UsageCredential::SignIn {
        tokens: &tokens,
        client: &client,
    };
    get(provider)
        .read_limits(&credential, fetch)
        .expect("the provider reads usage")
}

fn names(limits: &Limits) -> Vec<(&str, f64)> {
    limits
        .windows
        .iter()
        .map(|w| (w.name.as_str(), w.used_percent))
        .collect()
}

/// The security review of 2026-12-07, L10: window names come from the answer's keys.
#[test]
fn claude_window_names_are_cleaned_and_a_reading_keeps_at_most_32_windows() {
    let mut answer = serde_json::Map::new();
    answer.insert("five_hour".into(), json!({"utilization": 1.0}));
    answer.insert(
        "\u{1b}]0;x\nFAKE LINE: paste your key here at https://evil.example".into(),
        json!({"utilization": 2.0}),
    );
    answer.insert("x".repeat(500), json!({"utilization": 3.0}));
    for n in 0..3000 {
        answer.insert(format!("w{n}"), json!({"utilization": 4.0}));
    }
    let fetch = Canned::new(vec![Ok(Value::Object(answer))]);
    let limits = read_sign_in(ProviderId::Claude, json!({"accessToken": "at-1"}), &fetch)
        .unwrap()
        .bounded();
    assert_eq!(limits.windows.len(), crate::limits::MAX_WINDOWS);
    for window in &limits.windows {
        assert!(window.name.chars().count() <= crate::limits::MAX_WINDOW_NAME_CHARS);
        assert!(!window.name.contains(['\n', '\u{1b}']), "{:?}", window.name);
        assert!(!window.name.contains("evil.example"), "{:?}", window.name);
    }
}

#[test]
fn claude_reads_every_window_with_the_headers_it_needs() {
    let fetch = Canned::new(vec![Ok(json!({
        "five_hour": {"utilization": 51.0, "resets_at": "2026-09-07T16:30:00.961652+00:00"},
        "seven_day": {"utilization": 9.0, "resets_at": "2026-09-11T14:00:00.961672+00:00"},
        "seven_day_opus": null,
        "nimbus_quill": {"utilization": 3.0, "resets_at": null, "locked_reason": "paused"},
        "extra_usage": {"is_enabled": true, "monthly_limit": 10000, "used_credits": 1250.0,
                        "utilization": null, "currency": "USD", "decimal_places": 2},
        "limits": [{"kind": "weekly_scoped", "percent": 5, "resets_at": null,
                    "scope": {"model": {"display_name": "Fable"}}}]
    }))]);
    let limits = read_sign_in(ProviderId::Claude, json!({"accessToken": "at-1"}), &fetch).unwrap();
    assert_eq!(
        names(&limits),
        vec![
            ("5-hour", 51.0),
            ("7-day", 9.0),
            ("7-day Fable", 5.0),
            ("Nimbus quill", 3.0)
        ]
    );
    assert_eq!(
        limits.windows[0].resets_at.as_deref(),
        Some("2026-09-07T16:30:00.961Z")
    );
    assert_eq!(limits.windows[3].locked.as_deref(), Some("paused"));
    assert_eq!(
        limits.note.as_deref(),
        Some("Extra usage: 12.50 of 100.00 USD this month.")
    );
    assert_eq!(
        fetch.header(0, "Authorization").as_deref(),
        Some("Bearer at-1")
    );
    assert_eq!(
        fetch.header(0, "anthropic-beta").as_deref(),
        Some("oauth-2025-04-20")
    );
    assert!(fetch
        .header(0, "User-Agent")
        .unwrap()
        .starts_with("claude-code/"));
    assert!(fetch.asked.borrow()[0].0.ends_with("/api/oauth/usage"));
}

#[test]
fn codex_reads_its_windows_plan_and_per_model_limits() {
    let fetch = Canned::new(vec![Ok(json!({
        "plan_type": "pro",
        "rate_limit": {
            "primary_window": {"used_percent": 22, "reset_at": 1766948068, "limit_window_seconds": 18000},
            "secondary_window": {"used_percent": 43, "reset_at": 1767407914, "limit_window_seconds": 604800}},
        "additional_rate_limits": [{"limit_name": "GPT-5.3-Codex-Spark", "rate_limit": {
            "allowed": false, "limit_reached": true,
            "primary_window": {"used_percent": 100, "reset_at": 1766948068, "limit_window_seconds": 18000}}}],
        "credits": {"has_credits": true, "unlimited": false, "balance": "17.5"}
    }))]);
    let tokens = json!({"tokens": {"access_token": "at-2", "account_id": "acct-9"}});
    let limits = read_sign_in(ProviderId::Codex, tokens, &fetch).unwrap();
    assert_eq!(
        names(&limits),
        vec![
            ("5-hour", 22.0),
            ("7-day", 43.0),
            ("GPT-5.3-Codex-Spark 5-hour", 100.0)
        ]
    );
    assert_eq!(limits.plan.as_deref(), Some("pro"));
    assert_eq!(limits.note.as_deref(), Some("Credits: 17.50 left."));
    assert!(limits.windows[2].at_limit());
    assert_eq!(
        limits.windows[0].resets_at.as_deref(),
        Some("2025-12-28T18:54:28Z")
    );
    assert_eq!(
        fetch.header(0, "ChatGPT-Account-Id").as_deref(),
        Some("acct-9")
    );
}

#[test]
fn gemini_reads_the_tier_then_groups_quota_buckets_at_their_lowest() {
    let fetch = Canned::new(vec![
        Ok(
            json!({"currentTier": {"id": "standard-tier", "name": "Gemini Code Assist Standard"},
                  "cloudaicompanionProject": "proj-1"}),
        ),
        Ok(json!({"buckets": [
            {"modelId": "gemini-2.5-pro", "remainingFraction": 0.87, "resetTime": "2026-12-01T00:00:00Z"},
            {"modelId": "gemini-3-pro-preview", "remainingFraction": 0.5, "resetTime": "2026-12-01T00:00:00Z"},
            {"modelId": "gemini-2.5-flash", "remainingFraction": 1.0},
            {"modelId": "gemini-2.5-flash-lite", "remainingFraction": 0.25}]})),
    ]);
    let limits = read_sign_in(ProviderId::Gemini, json!({"access_token": "at-3"}), &fetch).unwrap();
    assert_eq!(
        names(&limits),
        vec![
            ("Pro daily", 50.0),
            ("Flash daily", 0.0),
            ("Flash-Lite daily", 75.0)
        ]
    );
    assert_eq!(limits.plan.as_deref(), Some("Gemini Code Assist Standard"));
    let asked = fetch.asked.borrow();
    assert!(asked[0].0.ends_with("/v1internal:loadCodeAssist"));
    assert!(asked[1].0.ends_with("/v1internal:retrieveUserQuota"));
}

#[test]
fn a_gemini_tier_the_cli_no_longer_serves_says_so_in_words() {
    let refused = Canned::new(vec![Err(UsageFailure::Refused {
        host: "cloudcode-pa.googleapis.com".into(),
        status: 403,
        detail: "PERMISSION_DENIED: UNSUPPORTED_CLIENT".into(),
    })]);
    let limits = read_sign_in(ProviderId::Gemini, json!({"access_token": "a"}), &refused).unwrap();
    assert!(limits.unusable && limits.at_limit());
    assert!(limits
        .note
        .unwrap()
        .contains("no longer lets this account use Gemini CLI"));

    let ineligible = Canned::new(vec![Ok(json!({"ineligibleTiers": [
        {"reasonCode": "INELIGIBLE_ACCOUNT", "reasonMessage": "Personal accounts moved to Antigravity"}]}))]);
    let limits = read_sign_in(
        ProviderId::Gemini,
        json!({"access_token": "a"}),
        &ineligible,
    )
    .unwrap();
    assert!(limits.unusable);
    assert!(limits
        .note
        .unwrap()
        .contains("Personal accounts moved to Antigravity"));
    assert_eq!(
        ineligible.asked.borrow().len(),
        1,
        "no quota request for a refused tier"
    );
}

#[test]
fn grok_reads_the_credits_of_the_period() {
    let fetch = Canned::new(vec![Ok(json!({"config": {
        "creditUsagePercent": 12.5,
        "currentPeriod": {"type": "USAGE_PERIOD_TYPE_WEEKLY", "start": "2026-11-28T00:00:00Z", "end": "2026-12-05T00:00:00Z"},
        "onDemandCap": {}, "onDemandUsed": {}}}))]);
    let limits = read_sign_in(ProviderId::Grok, json!({"key": "at-4"}), &fetch).unwrap();
    assert_eq!(names(&limits), vec![("Weekly credits", 12.5)]);
    assert_eq!(
        limits.windows[0].resets_at.as_deref(),
        Some("2026-12-05T00:00:00Z")
    );
    assert_eq!(
        fetch.header(0, "X-XAI-Token-Auth").as_deref(),
        Some("xai-grok-cli")
    );
}

#[test]
fn an_openrouter_key_reports_its_limit_or_what_it_used() {
    let read = |body: Value| {
        let fetch = Canned::new(vec![Ok(body)]);
        let credential = UsageCredential::Key {
            key: "sk-or-1",
            api_base: "https://openrouter.ai/api/v1",
        };
        get(ProviderId::Opencode)
            .read_limits(&credential, &fetch)
            .expect("reads")
    };
    let limited = read(json!({"data": {"limit": 20.0, "limit_remaining": 5.0, "usage": 15.0, "limit_reset": "monthly"}})).unwrap();
    assert_eq!(names(&limited), vec![("Monthly key limit", 75.0)]);
    let open = read(json!({"data": {"limit": null, "usage": 3.5}})).unwrap();
    assert!(open.windows.is_empty());
    assert_eq!(
        open.note.as_deref(),
        Some("No limit is set on this key; $3.50 used.")
    );
}

#[test]
fn garbage_is_a_garbled_reading_never_empty_figures() {
    for provider in [ProviderId::Claude, ProviderId::Codex, ProviderId::Grok] {
        let fetch = Canned::new(vec![Ok(json!({"unexpected": true}))]);
        let tokens = json!({"accessToken": "a", "key": "a", "tokens": {"access_token": "a"}});
        assert!(
            matches!(
                read_sign_in(provider, tokens, &fetch),
                Err(UsageFailure::Garbled { .. })
            ),
            "{provider:?}"
        );
    }
}

#[test]
fn only_the_accounts_a_provider_reads_say_they_report_usage() {
    for id in ProviderId::ALL {
        let provider = get(id);
        for kind in [
            AccountKind::Oauth,
            AccountKind::ApiKey,
            AccountKind::Bedrock,
        ] {
            let expected = matches!(
                (id, kind),
                (
                    ProviderId::Claude | ProviderId::Codex | ProviderId::Gemini | ProviderId::Grok,
                    AccountKind::Oauth
                ) | (ProviderId::Opencode, AccountKind::ApiKey)
            );
            assert_eq!(provider.reports_usage(kind), expected, "{id:?} {kind:?}");
        }
    }
}
