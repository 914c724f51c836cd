//! Import: the logins already in the CLI files become accounts (once), and a sign-in
//! account's tokens come back into the files when it is made active again — as the real
//! `claude` and `codex` confirm.

use serde_json::{json, Value};
use switchboard_core::catalog::{AccountKind, ProviderId};
use switchboard_tests::real_cli::{claude_status, codex_status, read_json};
use switchboard_tests::{add_key, canary, contains, TestEnv};

fn write(env: &TestEnv, path: &str, value: &Value) {
    let path = env.home().join(path);
    std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
    std::fs::write(path, serde_json::to_string_pretty(value).expect("json")).expect("write");
}

fn jwt(claims: &Value) -> String {
    use base64::Engine;
    let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    format!(
        "{}.{}.c2ln",
        b64(&json!({"alg": "RS256", "typ": "JWT"})),
        b64(claims)
    )
}

#[test]
fn a_claude_subscription_login_is_imported_once_and_returns_after_switching_away() {
    let env = TestEnv::new();
    let refresh = canary("sk-ant-ort01-");
    write(
        &env,
        ".claude/.credentials.json",
        &json!({
            "claudeAiOauth": {
                "accessToken": canary("sk-ant-oat01-"), "refreshToken": refresh, "expiresAt": 4102444800000u64,
                "scopes": ["user:inference", "user:profile", "user:sessions:claude_code"],
                "subscriptionType": "max", "rateLimitTier": "default_claude_max_20x"
            },
            "mcpOAuth": {"linear": {"accessToken": "mcp"}}
        }),
    );
    write(
        &env,
        ".claude.json",
        &json!({
            "numStartups": 3,
            "oauthAccount": {"accountUuid": "11111111-1111-1111-1111-111111111111", "emailAddress": "ada@example.com",
                             "organizationUuid": "22222222-2222-2222-2222-222222222222", "organizationName": "Ada's Org"},
            "projects": {"/work": {}}
        }),
    );
    let board = env.board();

    let imported = board.import_logins().expect("import");
    assert_eq!(imported.len(), 1);
    assert!(imported[0].created);
    let account = board
        .active_account(ProviderId::Claude)
        .expect("imported login is active");
    assert_eq!(
        (
            account.label.as_str(),
            account.kind,
            account.plan.as_deref()
        ),
        ("ada@example.com", AccountKind::Oauth, Some("max"))
    );
    assert_eq!(
        account.secret_hint, "signed in",
        "no part of a token is shown"
    );
    let again = board.import_logins().expect("import again");
    assert!(
        again.iter().all(|i| !i.created),
        "importing twice adds nothing"
    );
    assert_eq!(env.accounts().len(), 1);

    // Away to a key and back: the subscription login returns, identity and all.
    let key = add_key(&board, ProviderId::Claude, "Key", &canary("sk-ant-api03-"));
    board
        .set_active(ProviderId::Claude, Some(&key))
        .expect("use key");
    let status = claude_status(&env);
    assert_eq!(status["authMethod"], json!("api_key_helper"), "{status}");
    let credentials = read_json(&env.home().join(".claude/.credentials.json"));
    assert!(
        credentials.get("claudeAiOauth").is_none(),
        "the subscription tokens made way for the key"
    );
    assert_eq!(
        credentials["mcpOAuth"]["linear"]["accessToken"],
        json!("mcp"),
        "MCP tokens are the user's"
    );

    board
        .set_active(ProviderId::Claude, Some(&account.id))
        .expect("back to the subscription");
    let status = claude_status(&env);
    assert_eq!(status["loggedIn"], json!(true), "{status}");
    assert_eq!(status["authMethod"], json!("claude.ai"), "{status}");
    assert_eq!(status["email"], json!("ada@example.com"), "{status}");
    assert_eq!(status["subscriptionType"], json!("max"), "{status}");
    let credentials = read_json(&env.home().join(".claude/.credentials.json"));
    assert_eq!(credentials["claudeAiOauth"]["refreshToken"], json!(refresh));
    assert_eq!(
        read_json(&env.home().join(".claude.json"))["numStartups"],
        json!(3)
    );

    // Clearing the sign-in logs Claude Code out and leaves the user's other keys.
    board.set_active(ProviderId::Claude, None).expect("clear");
    assert_eq!(claude_status(&env)["loggedIn"], json!(false));
    let credentials = read_json(&env.home().join(".claude/.credentials.json"));
    assert_eq!(
        credentials,
        json!({"mcpOAuth": {"linear": {"accessToken": "mcp"}}})
    );

    for (path, bytes) in env.data_dir_bytes() {
        assert!(
            !contains(&bytes, &refresh),
            "a refresh token leaked into {}",
            path.display()
        );
    }
}

#[test]
fn a_chatgpt_login_is_imported_with_its_identity_and_codex_agrees() {
    let env = TestEnv::new();
    let refresh = canary("rt-");
    let id_token = jwt(&json!({
        "email": "bob@example.com", "exp": 4102444800u64,
        "https://api.openai.com/auth": {"chatgpt_plan_type": "pro", "chatgpt_account_id": "acct-123"}
    }));
    write(
        &env,
        ".codex/auth.json",
        &json!({
            "auth_mode": "chatgpt", "OPENAI_API_KEY": null,
            "tokens": {"id_token": id_token, "access_token": id_token, "refresh_token": refresh, "account_id": "acct-123"},
            "last_refresh": "2026-11-20T10:00:00Z"
        }),
    );
    let board = env.board();
    board.import_logins().expect("import");
    let account = board.active_account(ProviderId::Codex).expect("active");
    assert_eq!(
        (account.label.as_str(), account.plan.as_deref()),
        ("bob@example.com", Some("pro"))
    );
    let (ok, text) = codex_status(&env);
    assert!(ok && text.contains("Logged in using ChatGPT"), "{text}");

    let key = add_key(&board, ProviderId::Codex, "Key", &canary("sk-proj-"));
    board
        .set_active(ProviderId::Codex, Some(&key))
        .expect("use key");
    let (_, text) = codex_status(&env);
    assert!(text.contains("API key configured"), "{text}");
    board
        .set_active(ProviderId::Codex, Some(&account.id))
        .expect("back");
    let (ok, text) = codex_status(&env);
    assert!(ok && text.contains("Logged in using ChatGPT"), "{text}");
    let auth = read_json(&env.home().join(".codex/auth.json"));
    assert_eq!(auth["tokens"]["refresh_token"], json!(refresh));
    assert_eq!(auth["auth_mode"], json!("chatgpt"));

    board.set_active(ProviderId::Codex, None).expect("clear");
    let (ok, text) = codex_status(&env);
    assert!(!ok && text.contains("Not logged in"), "{text}");
}

#[test]
fn a_google_login_and_key_logins_are_imported_once() {
    let env = TestEnv::new();
    let refresh = canary("1//google-");
    write(
        &env,
        ".gemini/oauth_creds.json",
        &json!({
            "access_token": "ya29.token", "refresh_token": refresh, "scope": "openid",
            "token_type": "Bearer", "expiry_date": 4102444800000u64
        }),
    );
    write(
        &env,
        ".gemini/google_accounts.json",
        &json!({"active": "cy@example.com", "old": []}),
    );
    let openai = canary("sk-proj-");
    write(
        &env,
        ".local/share/opencode/auth.json",
        &json!({"openrouter": {"type": "api", "key": canary("sk-or-v1-")}}),
    );
    let board = env.board();
    write(
        &env,
        ".codex/auth.json",
        &json!({"auth_mode": "apikey", "OPENAI_API_KEY": openai}),
    );

    let imported = board.import_logins().expect("import");
    let providers: Vec<ProviderId> = imported.iter().map(|i| i.provider).collect();
    assert_eq!(
        providers,
        vec![ProviderId::Codex, ProviderId::Gemini, ProviderId::Opencode]
    );
    assert!(board
        .import_logins()
        .expect("again")
        .iter()
        .all(|i| !i.created));
    assert_eq!(env.accounts().len(), 3, "no duplicates");

    let gemini = board.active_account(ProviderId::Gemini).expect("gemini");
    assert_eq!(gemini.label, "cy@example.com");
    let codex = board.active_account(ProviderId::Codex).expect("codex");
    assert_eq!(
        (codex.kind, codex.secret_hint.clone()),
        (
            AccountKind::ApiKey,
            switchboard_core::validate::mask(&openai, &["sk-"])
        )
    );

    // Away to a key and back: oauth_creds.json gets its tokens back, selectedType follows.
    let key = add_key(&board, ProviderId::Gemini, "Key", &canary("AIza"));
    board
        .set_active(ProviderId::Gemini, Some(&key))
        .expect("key");
    let settings = read_json(&env.home().join(".gemini/settings.json"));
    assert_eq!(
        settings["security"]["auth"]["selectedType"],
        json!("gemini-api-key")
    );
    board
        .set_active(ProviderId::Gemini, Some(&gemini.id))
        .expect("back");
    let creds = read_json(&env.home().join(".gemini/oauth_creds.json"));
    assert_eq!(creds["refresh_token"], json!(refresh));
    let settings = read_json(&env.home().join(".gemini/settings.json"));
    assert_eq!(
        settings["security"]["auth"]["selectedType"],
        json!("oauth-personal")
    );
    assert_eq!(
        read_json(&env.home().join(".gemini/google_accounts.json"))["active"],
        json!("cy@example.com")
    );
}

#[test]
fn a_grok_session_is_imported_and_written_back_beside_other_sessions() {
    let env = TestEnv::new();
    let refresh = canary("xai-rt-");
    let session_key = "https://auth.x.ai::b1a00492-073a-47ea-816f-4c329264a828";
    write(
        &env,
        ".grok/auth.json",
        &json!({
            session_key: {"key": "eyJ.access", "auth_mode": "oidc", "refresh_token": refresh, "email": "di@example.com",
                          "user_id": "u-1", "expires_at": "2099-01-01T00:00:00Z"},
            "https://other.example::client": {"key": "theirs"}
        }),
    );
    let board = env.board();
    board.import_logins().expect("import");
    let account = board.active_account(ProviderId::Grok).expect("active");
    assert_eq!(account.label, "di@example.com");

    let key = add_key(&board, ProviderId::Grok, "Key", &canary("xai-"));
    board.set_active(ProviderId::Grok, Some(&key)).expect("key");
    let sessions = read_json(&env.home().join(".grok/auth.json"));
    assert!(
        sessions.get(session_key).is_none(),
        "the session made way for the key"
    );
    assert_eq!(
        sessions["https://other.example::client"]["key"],
        json!("theirs")
    );
    assert!(read_json(&env.home().join(".grok/user-settings.json"))["apiKey"].is_string());

    board
        .set_active(ProviderId::Grok, Some(&account.id))
        .expect("back");
    let sessions = read_json(&env.home().join(".grok/auth.json"));
    assert_eq!(sessions[session_key]["refresh_token"], json!(refresh));
    assert_eq!(
        sessions["https://other.example::client"]["key"],
        json!("theirs")
    );
}
