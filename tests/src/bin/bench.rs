//! `make bench`: times the foundation's user actions against a real SQLite file and the real
//! keychain (run under scripts/with-keyring.sh) and prints median and p95 per operation.

use std::time::{Duration, Instant};

use switchboard::account::{KeyCredential, NewKeyAccount};
use switchboard::catalog::ProviderId;
use switchboard_tests::{canary, TestEnv};

fn summarise(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{name:<44} n={:<4} median {:>9.3} ms   p95 {:>9.3} ms",
        samples.len(),
        at(0.5).as_secs_f64() * 1e3,
        at(0.95).as_secs_f64() * 1e3
    );
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed())
}

fn main() {
    let env = TestEnv::new();
    let board = env.board();
    let mut adds = Vec::new();
    let mut ids = Vec::new();
    for i in 0..60 {
        let provider = ProviderId::ALL[i % ProviderId::ALL.len()];
        let (saved, took) = time(|| {
            board
                .add_key_account(NewKeyAccount {
                    provider,
                    label: None,
                    description: None,
                    credential: KeyCredential::ApiKey {
                        key: canary("bench-key-").into(),
                    },
                    endpoint: None,
                    model: None,
                    effort: None,
                })
                .expect("add")
        });
        adds.push(took);
        ids.push(saved.account.id);
    }
    summarise("add key account (SQLite + keychain write)", adds);

    let overviews = (0..200)
        .map(|_| time(|| board.overview().expect("overview")).1)
        .collect();
    summarise("overview with 60 accounts", overviews);

    let toggles = ids
        .iter()
        .map(|id| time(|| board.toggle_active(id).expect("toggle")).1)
        .collect();
    summarise("toggle active account", toggles);

    let renames = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            time(|| {
                board
                    .rename_account(id, &format!("renamed {i}"))
                    .expect("rename")
            })
            .1
        })
        .collect();
    summarise("rename account", renames);

    let cold = (0..20).map(|_| time(|| env.board()).1).collect();
    summarise("open facade (database + migrations check)", cold);
}
