//! Canary secrets go in through every action that takes or touches a secret; afterwards
//! they are searched for in the database files, every log line (at TRACE), every response
//! and error the UI would receive, and every change event. They must be found only in the
//! keychain.

use std::io::Write;
use std::sync::{Arc, Mutex};

use switchboard_core::account::{EndpointInput, EndpointPreset, KeyCredential, NewKeyAccount};
use switchboard_core::catalog::ProviderId;
use switchboard_tests::{canary, contains, new_key_account, secret_tool_lookup, TestEnv};

/// Collects everything written by the tracing subscriber.
#[derive(Clone, Default)]
struct LogSink(Arc<Mutex<Vec<u8>>>);

impl Write for LogSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log sink").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every log line at TRACE, for as long as the guard lives (this thread only).
fn capture_logs() -> (LogSink, tracing::subscriber::DefaultGuard) {
    let logs = LogSink::default();
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || sink.clone())
        .finish();
    (logs, tracing::subscriber::set_default(subscriber))
}

/// Every change event `board` publishes, as the JSON the window receives.
fn capture_events(board: &switchboard_core::Switchboard) -> Arc<Mutex<Vec<String>>> {
    let events = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = events.clone();
    board.subscribe(move |change| {
        seen.lock()
            .expect("events")
            .push(serde_json::to_string(change).expect("event json"));
    });
    events
}

fn key(provider: ProviderId, label: &str, credential: KeyCredential) -> NewKeyAccount {
    NewKeyAccount {
        description: Some("rotate quarterly".into()),
        ..new_key_account(provider, Some(label), credential)
    }
}

#[test]
fn canary_secrets_are_found_only_in_the_keychain() {
    let env = TestEnv::new();
    let (logs, _guard) = capture_logs();
    let board = env.board();
    let events = capture_events(&board);

    let anthropic = canary("sk-ant-api03-");
    let rotated = canary("sk-ant-api03-");
    let aws_secret = canary("wJalr");
    let bedrock_key = canary("ABSK");
    let openai = canary("sk-proj-");
    let broken = format!("{} tail", canary("xai-"));
    let canaries = [
        &anthropic,
        &rotated,
        &aws_secret,
        &bedrock_key,
        &openai,
        &broken,
    ];

    // Every response and error, serialised exactly as IPC would send it.
    let mut responses: Vec<String> = Vec::new();
    let mut record = |value: serde_json::Value| responses.push(value.to_string());

    let claude = board
        .add_key_account(key(
            ProviderId::Claude,
            "Work",
            KeyCredential::ApiKey {
                key: anthropic.clone().into(),
            },
        ))
        .expect("claude key");
    record(serde_json::to_value(&claude).expect("json"));
    let bedrock = board
        .add_key_account(key(
            ProviderId::Claude,
            "Bedrock",
            KeyCredential::BedrockAccessKeys {
                access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
                secret_access_key: aws_secret.clone().into(),
                region: "us-east-1".into(),
            },
        ))
        .expect("bedrock keys");
    record(serde_json::to_value(&bedrock).expect("json"));
    let bedrock_api = board
        .add_key_account(key(
            ProviderId::Claude,
            "Bedrock key",
            KeyCredential::BedrockApiKey {
                api_key: bedrock_key.clone().into(),
                region: "us-west-2".into(),
            },
        ))
        .expect("bedrock api key");
    record(serde_json::to_value(&bedrock_api).expect("json"));
    let codex = board
        .add_key_account(NewKeyAccount {
            endpoint: Some(EndpointInput {
                preset: EndpointPreset::ResponsesHosted,
                base_url: Some("https://litellm.example.com/v1".into()),
                api_version: None,
            }),
            ..key(
                ProviderId::Codex,
                "Proxy",
                KeyCredential::ApiKey {
                    key: openai.clone().into(),
                },
            )
        })
        .expect("codex key");
    record(serde_json::to_value(&codex).expect("json"));
    let rotated_result = board
        .replace_secret(
            &claude.account.id,
            KeyCredential::ApiKey {
                key: rotated.clone().into(),
            },
        )
        .expect("rotate");
    record(serde_json::to_value(&rotated_result).expect("json"));

    // Refused input that contains a secret: the error must not repeat it.
    let refused = board
        .add_key_account(key(
            ProviderId::Grok,
            "Broken",
            KeyCredential::ApiKey {
                key: broken.clone().into(),
            },
        ))
        .expect_err("a key with a space is refused");
    record(serde_json::to_value(&refused).expect("json"));
    let refused = board
        .replace_secret(
            &codex.account.id,
            KeyCredential::BedrockApiKey {
                api_key: broken.clone().into(),
                region: "x".into(),
            },
        )
        .expect_err("wrong kind");
    record(serde_json::to_value(&refused).expect("json"));

    record(
        serde_json::to_value(board.toggle_active(&claude.account.id).expect("activate"))
            .expect("json"),
    );
    record(
        serde_json::to_value(
            board
                .rename_account(&codex.account.id, "Proxy 2")
                .expect("rename"),
        )
        .expect("json"),
    );
    record(
        serde_json::to_value(
            board
                .set_in_pool(&codex.account.id, true)
                .expect_err("pool"),
        )
        .expect("json"),
    );
    record(serde_json::to_value(board.overview().expect("overview")).expect("json"));
    record(serde_json::to_value(board.catalog()).expect("json"));
    record(serde_json::to_value(board.recent_events(100).expect("events")).expect("json"));
    record(
        serde_json::to_value(board.active_account(ProviderId::Claude).expect("active"))
            .expect("json"),
    );
    drop(board);

    let logs = logs.0.lock().expect("logs").clone();
    let events = events.lock().expect("events").clone();
    let files = env.data_dir_bytes();
    assert!(
        !logs.is_empty(),
        "the subscriber captured the facade's log lines"
    );
    assert!(
        events.len() >= 7,
        "every action published an event: {events:?}"
    );
    assert!(
        files
            .iter()
            .any(|(p, _)| p.ends_with("switchboard.sqlite3")),
        "the database file was searched"
    );
    assert_eq!(responses.len(), 14);

    // The search itself works: a canary put into a haystack is found.
    assert!(contains(format!("x{anthropic}y").as_bytes(), &anthropic));

    for secret in canaries {
        for (path, bytes) in &files {
            assert!(
                !contains(bytes, secret),
                "a secret leaked into {}",
                path.display()
            );
        }
        assert!(!contains(&logs, secret), "a secret leaked into the logs");
        for response in &responses {
            assert!(
                !contains(response.as_bytes(), secret),
                "a secret leaked into a response: {response}"
            );
        }
        for event in &events {
            assert!(
                !contains(event.as_bytes(), secret),
                "a secret leaked into an event: {event}"
            );
        }
    }

    // ...and the accepted ones are in the keychain.
    let service = &env.config.keyring_service;
    let in_keychain = |id: &str, secret: &str| {
        secret_tool_lookup(service, id).is_some_and(|s| s.contains(secret))
    };
    assert!(in_keychain(&claude.account.id, &rotated));
    assert!(in_keychain(&bedrock.account.id, &aws_secret));
    assert!(in_keychain(&bedrock_api.account.id, &bedrock_key));
    assert!(in_keychain(&codex.account.id, &openai));
}

#[test]
fn signed_in_tokens_stay_out_of_logs_events_responses_and_the_data_dir() {
    use switchboard_core::signin::SignInMethod;
    use switchboard_tests::fake_provider::{FakeProvider, Identity};

    let fake = FakeProvider::start();
    let mut env = TestEnv::new();
    env.sign_in_against(&fake);
    let (logs, _guard) = capture_logs();
    let board = env.board();
    let seen = capture_events(&board);
    let mut responses = Vec::new();
    let mut ids = Vec::new();
    for (provider, email) in [
        (ProviderId::Claude, "leak-claude@example.com"),
        (ProviderId::Codex, "leak-codex@example.com"),
        (ProviderId::Gemini, "leak-gemini@example.com"),
        (ProviderId::Grok, "leak-grok@example.com"),
    ] {
        fake.sign_in_as(Identity::new(email, "pro"));
        let started = board
            .start_sign_in(provider, SignInMethod::Browser, None)
            .expect("start");
        responses.push(serde_json::to_string(&started).expect("json"));
        let done = board.finish_sign_in(&started.id).expect("signed in");
        responses.push(serde_json::to_string(&done).expect("json"));
        responses.push(serde_json::to_string(&board.overview().expect("overview")).expect("json"));
        ids.push((done.account.id, email));
    }
    let logs = String::from_utf8(logs.0.lock().expect("logs").clone()).expect("utf8");
    let events = seen.lock().expect("events").join("\n");
    assert!(logs.contains("signed in"), "the sign-ins were logged");
    let data = env.data_dir_bytes();
    for (id, email) in &ids {
        let tokens = fake.issued_to(email);
        assert_eq!(tokens.len(), 2, "{email}");
        let stored = secret_tool_lookup(&env.config.keyring_service, id).expect("keychain");
        for token in &tokens {
            assert!(stored.contains(token.as_str()), "{email}: in the keychain");
            assert!(
                !logs.contains(token.as_str()),
                "{email}: a token is in the log"
            );
            assert!(
                !events.contains(token.as_str()),
                "{email}: a token is in an event"
            );
            for response in &responses {
                assert!(
                    !response.contains(token.as_str()),
                    "{email}: a token is in a response"
                );
            }
            for (path, bytes) in &data {
                assert!(
                    !contains(bytes, token),
                    "{email}: a token is in {}",
                    path.display()
                );
            }
        }
    }
}
