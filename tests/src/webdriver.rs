//! Drives the real Switchboard window over WebDriver: starts `tauri-driver` (which starts
//! Debian's `WebKitWebDriver` and the app) on free loopback ports, in its own process group
//! so everything it started is stopped when the session is dropped.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use thirtyfour::prelude::*;
use thirtyfour::Capabilities;

use crate::{app_bin, TestEnv};

pub struct AppSession {
    pub driver: WebDriver,
    _driver_process: DriverProcess,
    pub artifacts: PathBuf,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

fn tauri_driver() -> PathBuf {
    let candidates = std::env::var_os("PATH")
        .map(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join("tauri-driver"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter()
        .chain(std::env::var_os("CARGO_HOME").map(|h| PathBuf::from(h).join("bin/tauri-driver")))
        .chain(std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin/tauri-driver")));
    for candidate in candidates {
        if candidate.is_file() {
            return candidate;
        }
    }
    panic!("tauri-driver is not installed: `make test` installs it (cargo install tauri-driver --version 2.1.0 --locked)");
}

/// Where screenshots of this test run are kept (`artifacts/e2e/` in the workspace).
pub fn artifacts_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../artifacts/e2e");
    std::fs::create_dir_all(&dir).expect("artifacts dir");
    dir
}

impl AppSession {
    /// Starts the app under WebDriver, pointed at `env`'s data dir, keychain service and home.
    pub async fn start(env: &TestEnv) -> Self {
        Self::start_with(env, &[]).await
    }

    /// Like `start`, with extra environment for the app (a GTK theme, say).
    pub async fn start_with(env: &TestEnv, extra_env: &[(&str, &str)]) -> Self {
        Self::launch(env, extra_env, &[]).await
    }

    /// Like `start`, with command-line arguments for the app (a link it is opened with).
    pub async fn start_with_args(env: &TestEnv, args: &[&str]) -> Self {
        Self::launch(env, &[], args).await
    }

    async fn launch(env: &TestEnv, extra_env: &[(&str, &str)], args: &[&str]) -> Self {
        // The WebDriver client is reqwest too, built with the product's TLS (no default
        // crypto): it needs the process's provider chosen first.
        switchboard_core::http::install_crypto();
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "the end-to-end tests need a display: run them with `make test` (xvfb-run)"
        );
        let app = app_bin().canonicalize().expect("absolute app path");
        let port = free_port();
        let native_port = free_port();
        let mut command = env.command(tauri_driver());
        command
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        command.env("XDG_DATA_HOME", env.home().join(".local/share"));
        command.envs(extra_env.iter().copied());
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        // From here on, a panic (no session, say) still stops everything the driver started.
        let driver_process = DriverProcess {
            child: command.spawn().expect("start tauri-driver"),
            native_port,
        };

        // tauri-driver listens before WebKitWebDriver does; a session request in between
        // fails, so wait for both ports and retry the first request briefly.
        let deadline = Instant::now() + Duration::from_secs(30);
        for p in [port, native_port] {
            while TcpStream::connect(("127.0.0.1", p)).is_err() {
                assert!(
                    Instant::now() < deadline,
                    "tauri-driver / WebKitWebDriver did not listen on {p}"
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        let mut caps = Capabilities::new();
        caps.set("browserName", "wry").expect("cap");
        caps.set(
            "tauri:options",
            serde_json::json!({ "application": app, "args": args }),
        )
        .expect("cap");
        let url = format!("http://127.0.0.1:{port}");
        let driver = loop {
            match WebDriver::new(url.as_str(), caps.clone()).await {
                Ok(driver) => break driver,
                Err(err) if Instant::now() < deadline => {
                    eprintln!("WebDriver session not ready yet ({err}); retrying");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(err) => panic!("no WebDriver session within 30 s: {err}"),
            }
        };
        Self {
            driver,
            _driver_process: driver_process,
            artifacts: artifacts_dir(),
        }
    }

    /// Waits up to 15 s for an element matching `css`.
    pub async fn element(&self, css: &str) -> WebElement {
        self.eventually(css, |_| async { true }).await
    }

    /// Waits for the element matching `css` and clicks it.
    pub async fn click(&self, css: &str) {
        self.element(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Waits for the element matching `css` and types `text` into it.
    pub async fn type_into(&self, css: &str, text: &str) {
        self.element(css)
            .await
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    /// Waits up to 15 s for an element matching `css` for which `check` holds.
    pub async fn eventually<F, Fut>(&self, css: &str, check: F) -> WebElement
    where
        F: Fn(WebElement) -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Ok(elements) = self.driver.find_all(By::Css(css)).await {
                for element in elements {
                    if check(element.clone()).await {
                        return element;
                    }
                }
            }
            if Instant::now() > deadline {
                let shot = self.artifacts.join("failure.png");
                let _ = self.driver.screenshot(&shot).await;
                let mut seen = Vec::new();
                for element in self.driver.find_all(By::Css(css)).await.unwrap_or_default() {
                    seen.push(element.text().await.unwrap_or_else(|e| format!("<{e}>")));
                }
                panic!(
                    "no element {css} met the condition within 15 s; matching elements' text: {seen:?} (screenshot: {})",
                    shot.display()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits up to 15 s until no element matches `css` (a banner answered, a dialog closed).
    pub async fn gone(&self, css: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while !self
            .driver
            .find_all(By::Css(css))
            .await
            .map(|found| found.is_empty())
            .unwrap_or(false)
        {
            assert!(
                Instant::now() < deadline,
                "{css} was still there after 15 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The string `script` (a function body) returns in the page; "" for anything else.
    pub async fn script_string(&self, script: &str) -> String {
        let value = self
            .driver
            .execute(script, Vec::new())
            .await
            .expect("the script ran in the page");
        value.json().as_str().unwrap_or_default().to_owned()
    }

    /// Saves a screenshot once the page has painted its current state (two animation
    /// frames; WebKit otherwise may hand back the previous frame).
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        self.driver
            .execute(
                "return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))",
                Vec::new(),
            )
            .await
            .expect("wait for paint");
        let path = self.artifacts.join(name);
        self.driver.screenshot(&path).await.expect("screenshot");
        assert!(is_png(&path), "{} is a PNG", path.display());
        path
    }

    /// Ends the WebDriver session (which closes the app); the driver process stops on drop.
    pub async fn quit(self) {
        // Closing may hide the window to the tray instead; never wait on it for long (the
        // driver's process group is stopped on drop either way).
        let _ = tokio::time::timeout(Duration::from_secs(5), self.driver.clone().quit()).await;
    }
}

fn is_png(path: &Path) -> bool {
    std::fs::read(path).is_ok_and(|bytes| bytes.len() > 1000 && bytes.starts_with(b"\x89PNG"))
}

/// tauri-driver in its own process group, with the WebKitWebDriver it started: stopped
/// when dropped, also while a failing test unwinds.
struct DriverProcess {
    child: Child,
    native_port: u16,
}

impl Drop for DriverProcess {
    fn drop(&mut self) {
        let pgid = self.child.id().to_string();
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{pgid}")])
            .status();
        let _ = self.child.wait();
        // WebKitWebDriver can leave the process group; stop the one on this session's port.
        let native = format!("WebKitWebDriver --port={} ", self.native_port);
        let _ = Command::new("pkill").args(["-f", &native]).status();
    }
}

/// An element's text content with runs of white space made single spaces. (WebKit's
/// visible-text heuristic reports "" for some ellipsised spans the screenshots show plainly.)
pub async fn text_content(element: &WebElement) -> String {
    element
        .prop("textContent")
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether the element's attribute `name` is `value`.
pub async fn attr_is(element: WebElement, name: &str, value: &str) -> bool {
    element.attr(name).await.ok().flatten().as_deref() == Some(value)
}

/// Whether the element's text content starts with `expected`.
pub async fn text_is(element: WebElement, expected: &str) -> bool {
    text_content(&element).await.starts_with(expected)
}
