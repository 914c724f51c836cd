//! `make bench`: times the user actions against a real SQLite file, the real keychain (run
//! under scripts/with-keyring.sh) and real CLI files, and prints median and p95 of each; then
//! the window's frames while it scrolls 1,000 accounts (under xvfb-run, over WebDriver).

use std::time::{Duration, Instant};

use std::io::Write;
use std::process::Stdio;

use switchboard_core::account::{KeyCredential, NewKeyAccount};
use switchboard_core::catalog::ProviderId;
use switchboard_tests::webdriver::AppSession;
use switchboard_tests::{add_key, canary, scrolling, switchboard_bin, TestEnv};

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
    // `bench scroll`: the window's scrolling only.
    if std::env::args().nth(1).as_deref() == Some("scroll") {
        scroll_at_scale(|| codex_keys(1000));
        return;
    }
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

    switch_benchmarks();
    let thousand = use_at_scale();
    usage_poll();
    refresher_idle();
    scroll_at_scale(|| thousand);
}

/// The window scrolled down a list of 1,000 accounts of one provider (its rows come 50 at a
/// time as the end of the list nears), beside the same page sitting still: the interval
/// between the page's animation frames, as the page itself sees them. `accounts` makes the
/// environment with those accounts (only when there is a display to open the window on).
fn scroll_at_scale(accounts: impl FnOnce() -> TestEnv) {
    if std::env::var_os("DISPLAY").is_none() {
        println!(
            "scrolling 1,000 accounts: skipped, no DISPLAY (`make bench` runs it under xvfb-run)"
        );
        return;
    }
    let env = accounts();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (still, scrolling) = runtime.block_on(async {
        let app = AppSession::start(&env).await;
        app.element("[data-testid=provider-codex] [data-testid=account]")
            .await;
        // Past the start-up work that follows the first frame (tray, import, timer).
        tokio::time::sleep(Duration::from_secs(3)).await;
        let still = scrolling::frames(&app, 120, 0).await;
        let scrolling = scrolling::frames(&app, 600, 40).await;
        app.quit().await;
        (still, scrolling)
    });
    println!(
        "window frames, still, 1,000 accounts            median {:>6.1} ms   p95 {:>6.1} ms",
        still.quantile(0.5),
        still.quantile(0.95)
    );
    println!(
        "window frames, scrolling 40 px a frame          median {:>6.1} ms   p95 {:>6.1} ms   slowest {:.1} ms",
        scrolling.quantile(0.5),
        scrolling.quantile(0.95),
        scrolling.quantile(1.0)
    );
    println!(
        "  over {:.0} px, {} rows rendered by the end; {} of {} frames later than 50 ms",
        scrolling.scrolled_px,
        scrolling.rows,
        scrolling.longer_than(50.0),
        scrolling.intervals_ms.len()
    );
    // Standing still, WebKit may run two animation frames per display frame (intervals in
    // pairs such as 4 + 13 ms), so the still page's display frame is its p95, not its median.
    let display_frame = still.quantile(0.95);
    println!(
        "  scrolling / the still page's display frame ({display_frame:.1} ms): median {:.2}x, p95 {:.2}x",
        scrolling.quantile(0.5) / display_frame,
        scrolling.quantile(0.95) / display_frame
    );
}

/// `switchboard use` with 2 and with 1,000 key accounts of the provider, alternating
/// between two keys: finding whose key is in the CLI's file reads fingerprints in SQLite,
/// so the cost should not grow with the number of accounts. Hands back the environment with
/// 1,000 accounts, for the window's scrolling (making one takes minutes of keychain writes).
fn use_at_scale() -> TestEnv {
    let bin = switchboard_bin();
    let small = codex_keys(2);
    let large = codex_keys(1000);
    let board = large.board();
    let overviews = (0..50)
        .map(|_| time(|| board.overview().expect("overview")).1)
        .collect();
    summarise("overview with 1,000 accounts (goal < 10 ms)", overviews);
    let overview = board.overview().expect("overview");
    let menus = (0..50)
        .map(|_| time(|| switchboard_core::tray::tray_menu(&overview)).1)
        .collect();
    summarise("tray menu model, 1,000 accounts", menus);
    let (two, thousand) = (
        median(timed_uses(&small, &bin, 30)),
        median(timed_uses(&large, &bin, 30)),
    );
    println!(
        "switchboard use with 2 accounts {:.1} ms, with 1,000 accounts {:.1} ms (medians of 30)",
        two.as_secs_f64() * 1e3,
        thousand.as_secs_f64() * 1e3
    );
    println!(
        "  use with 1,000 / use with 2 = {:.2}x (goal at most 1.2x)",
        thousand.as_secs_f64() / two.as_secs_f64()
    );
    large
}

/// A test environment with `count` Codex API keys: "A" and "B" (the two `use` switches
/// between), then "more 0", "more 1", ….
fn codex_keys(count: usize) -> TestEnv {
    let env = TestEnv::new();
    let board = env.board();
    for i in 0..count {
        let label = match i {
            0 => "A".to_owned(),
            1 => "B".to_owned(),
            more => format!("more {}", more - 2),
        };
        add_key(&board, ProviderId::Codex, &label, &canary("sk-"));
    }
    env
}

/// One usage poll of 20 Claude sign-ins against the fake provider (keychain read, request,
/// SQLite write and sample per account, one after another), beside 20 bare requests to the
/// same fake: the ratio is what Switchboard adds to the network.
fn usage_poll() {
    let emails: Vec<String> = (0..20).map(|i| format!("u{i}@example.com")).collect();
    let logins: Vec<(&str, &str)> = emails.iter().map(|e| ("claude", e.as_str())).collect();
    let (env, fake) = signed_in(&logins);
    for (i, email) in emails.iter().enumerate() {
        fake.set_usage(email, (i * 5) as f64, 10.0);
    }
    // Every account waits a few seconds between readings, even when asked: the board's
    // clock moves past them between rounds instead of the bench sleeping.
    let clock = std::sync::Arc::new(switchboard_core::time::ManualClock::starting_now());
    let board = switchboard_core::Switchboard::open_with_clock(env.config.clone(), clock.clone())
        .expect("board");
    let http = switchboard_core::http::Http::new(ProviderId::Claude).expect("the HTTP client");
    let profile = format!("{}/claude/profile", fake.base);
    let (mut polls, mut bare) = (Vec::new(), Vec::new());
    for round in 0..3 {
        if round > 0 {
            clock.advance(switchboard_core::usage::MIN_GAP_MS + 100);
        }
        let before = fake.usage_requests();
        let (read, took) = time(|| {
            board
                .read_usage_now(Some(ProviderId::Claude), None)
                .expect("poll")
        });
        assert_eq!(
            fake.usage_requests() - before,
            20,
            "one request per account"
        );
        assert!(
            read.iter().all(|u| u.error.is_none()),
            "every reading worked"
        );
        polls.push(took);
        bare.push(
            time(|| {
                for _ in 0..20 {
                    http.get(&profile, &[], "bench").expect("bare request");
                }
            })
            .1,
        );
    }
    let (polls, bare) = (median(polls), median(bare));
    println!(
        "usage poll of 20 sign-ins {:.1} ms ({:.2} ms each), 20 bare requests to the fake {:.1} ms (medians of 3)",
        polls.as_secs_f64() * 1e3,
        polls.as_secs_f64() * 1e3 / 20.0,
        bare.as_secs_f64() * 1e3
    );
    println!(
        "  usage poll / bare requests = {:.1}x",
        polls.as_secs_f64() / bare.as_secs_f64()
    );
}

/// The refresh and usage timer with four sign-ins due in about an hour and usage polling on,
/// and the login watcher: the timer reads the four accounts' usage at start, then over an idle
/// minute neither should wake at all (the timer sleeps on a wall-clock `timerfd` until the
/// next reading, five minutes on; the watcher until the OS reports a change to a login file).
fn refresher_idle() {
    let (env, fake) = signed_in(&[
        ("claude", "a@example.com"),
        ("codex", "b@example.com"),
        ("gemini", "c@example.com"),
        ("grok", "d@example.com"),
    ]);
    let board = std::sync::Arc::new(env.board());
    let _refresher =
        switchboard_core::refresher::Refresher::start(board.clone()).expect("refresher");
    let _watcher = switchboard_core::watch::LoginWatcher::start(board);
    let deadline = Instant::now() + Duration::from_secs(30);
    while fake.usage_requests() < 5 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_secs(2));
    let read_at_start = fake.usage_requests();
    let idle = Duration::from_secs(60);
    let watcher_threads = || thread_switches("login-watcher") + thread_switches(NOTIFY_THREAD);
    let (wakes_before, cpu_before) = (thread_switches("refresher"), process_cpu());
    let watcher_before = watcher_threads();
    std::thread::sleep(idle);
    let (wakes_after, cpu_after) = (thread_switches("refresher"), process_cpu());
    let watcher_after = watcher_threads();
    println!(
        "refresh + usage timer, idle {} s, 4 sign-ins due in ~1 h, usage polling on ({} usage requests at start): {} wake-ups, {} usage requests, {:.1} ms CPU (whole bench process, mostly idle)",
        idle.as_secs(),
        read_at_start,
        wakes_after.saturating_sub(wakes_before),
        fake.usage_requests() - read_at_start,
        (cpu_after - cpu_before).as_secs_f64() * 1e3
    );
    println!(
        "login watcher, same idle {} s: {} wake-ups (it looked every 500 ms before: 120)",
        idle.as_secs(),
        watcher_after.saturating_sub(watcher_before)
    );
    assert!(fake.refreshes("claude").is_empty(), "nothing was due");
}

/// The thread notify's inotify backend reads events on (its name as `comm` shows it: 15
/// bytes at most).
const NOTIFY_THREAD: &str = "notify-rs inoti";

/// Context switches of the thread named `name` in this process (each wake is one).
fn thread_switches(name: &str) -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    for task in tasks.flatten() {
        let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        if comm.trim() != name {
            continue;
        }
        let status = std::fs::read_to_string(task.path().join("status")).unwrap_or_default();
        return status
            .lines()
            .filter(|l| l.contains("ctxt_switches"))
            .filter_map(|l| l.split_whitespace().last()?.parse::<u64>().ok())
            .sum();
    }
    0
}

/// User and system CPU time of this process so far.
fn process_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let fields: Vec<&str> = stat
        .rsplit_once(") ")
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 (1-based), 11 and 12 after the name; 100 Hz.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

/// A switch, end to end: Codex between two key accounts with a custom endpoint (two CLI
/// files rewritten, each fsynced with its folder), through the running app's facade and
/// through the command line (process start to files durable), beside one fsynced write.
fn switch_benchmarks() {
    let env = TestEnv::new();
    let board = env.board();
    let add = |label: &str| add_key(&board, ProviderId::Codex, label, &canary("sk-"));
    let ids = [add("A"), add("B")];

    let in_app = (0..100)
        .map(|i| {
            time(|| {
                board
                    .set_active(ProviderId::Codex, Some(&ids[i % 2]))
                    .expect("switch")
            })
            .1
        })
        .collect();
    summarise("switch in the running app (2 files, fsynced)", in_app);

    let bin = switchboard_bin();
    summarise(
        "switch through the command line (process)",
        timed_uses(&env, &bin, 40),
    );

    let path = env.home().join("fsync-probe");
    let writes = (0..100)
        .map(|i| {
            time(|| {
                let mut file = std::fs::File::create(&path).expect("create");
                file.write_all(format!("{{\"n\": {i}}}").as_bytes())
                    .expect("write");
                file.sync_all().expect("fsync");
            })
            .1
        })
        .collect();
    summarise("one fsynced write on the same disk", writes);

    against_aisw(&env, &bin);
}

/// `n` runs of `switchboard use codex A` and `B` in turn (process start to files durable).
fn timed_uses(env: &TestEnv, bin: &std::path::Path, n: usize) -> Vec<Duration> {
    (0..n)
        .map(|i| {
            let mut command = env.command(bin);
            command
                .args(["use", "codex", ["A", "B"][i % 2]])
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            let (status, took) = time(|| command.status().expect("run"));
            assert!(status.success());
            took
        })
        .collect()
}

/// A test environment signed in, through the fake browser, as each `(provider, email)`.
fn signed_in(logins: &[(&str, &str)]) -> (TestEnv, switchboard_tests::fake_provider::FakeProvider) {
    let fake = switchboard_tests::fake_provider::FakeProvider::start();
    let mut env = TestEnv::new();
    env.sign_in_against(&fake);
    for (provider, email) in logins {
        switchboard_tests::cli::login(&env, &fake, provider, email);
    }
    (env, fake)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// `switchboard use` against `aisw use` (the pinned `aisw` that `make bench` installs into
/// `AISW_BIN`) and against one durable write (temp file, fsync, rename, fsync the folder),
/// measured here in alternation: Codex between two API keys, each tool with its secrets in
/// the same Secret Service and its files in a home of its own.
fn against_aisw(env: &TestEnv, switchboard: &std::path::Path) {
    let Some(aisw) = std::env::var_os("AISW_BIN").map(std::path::PathBuf::from) else {
        println!(
            "switchboard use vs aisw use: skipped (AISW_BIN is not set; `make bench` sets it)"
        );
        return;
    };
    let aisw_home = env.root().join("aisw-home");
    std::fs::create_dir_all(&aisw_home).expect("aisw home");
    let cli_tools =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("cli-tools/node_modules/.bin");
    let path = format!(
        "{}:{}",
        cli_tools.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let aisw_run = |args: &[&str]| {
        let mut command = env.command(&aisw);
        command
            .args(["--non-interactive", "--quiet"])
            .args(args)
            .env("HOME", &aisw_home)
            .env("PATH", &path)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    };
    for (name, key) in [("one", canary("sk-proj-")), ("two", canary("sk-proj-"))] {
        let status = aisw_run(&[
            "add",
            "codex",
            name,
            "--api-key",
            &key,
            "--credential-backend",
            "system-keyring",
        ])
        .status()
        .expect("aisw add");
        assert!(status.success(), "aisw add codex {name}");
    }
    let durable = env.home().join("durable-probe");
    let (mut ours, mut theirs, mut floor) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..60 {
        let mut command = env.command(switchboard);
        command
            .args(["use", "codex", ["A", "B"][i % 2]])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let (status, took) = time(|| command.status().expect("switchboard use"));
        assert!(status.success());
        ours.push(took);
        let mut command = aisw_run(&["use", "codex", ["one", "two"][i % 2]]);
        let (status, took) = time(|| command.status().expect("aisw use"));
        assert!(status.success());
        theirs.push(took);
        floor.push(
            time(|| {
                switchboard_core::files::write_atomic(
                    &durable,
                    format!("{{\"n\": {i}}}").as_bytes(),
                )
                .expect("durable write")
            })
            .1,
        );
    }
    let (ours, theirs, floor) = (median(ours), median(theirs), median(floor));
    println!(
        "switchboard use {:.1} ms, aisw use {:.1} ms, one durable write {:.2} ms (medians of 60, alternating)",
        ours.as_secs_f64() * 1e3,
        theirs.as_secs_f64() * 1e3,
        floor.as_secs_f64() * 1e3
    );
    println!(
        "  switchboard use / aisw use = {:.2}x (goal 1.0x)   switchboard use / durable write = {:.0}x",
        ours.as_secs_f64() / theirs.as_secs_f64(),
        ours.as_secs_f64() / floor.as_secs_f64()
    );
}
