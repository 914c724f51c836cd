//! Log setup: human-readable lines to stderr and to `logs/switchboard.log` in the data dir.
//! Log lines carry ids, providers and labels — never a secret (the `Sensitive` type makes
//! that the default, and the leak test checks it).

use std::fs::OpenOptions;
use std::sync::Mutex;

use tracing_subscriber::{fmt, prelude::*, EnvFilter};

use crate::config::Config;

/// Installs the global subscriber. Level from `SWITCHBOARD_LOG` (default `info`). The HTTP
/// client's own logs stay at `warn` whatever is asked for: at `trace` they would carry the
/// request bodies of sign-in, which hold codes and tokens.
pub fn init(config: &Config, to_stderr: bool) {
    let mut filter =
        EnvFilter::try_from_env("SWITCHBOARD_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    for quiet in [
        "reqwest=warn",
        "hyper=warn",
        "hyper_util=warn",
        "h2=warn",
        "rustls=warn",
    ] {
        if let Ok(directive) = quiet.parse() {
            filter = filter.add_directive(directive);
        }
    }
    let file = config.log_path().parent().and_then(|dir| {
        crate::files::create_private_dir(&config.data_dir).ok()?;
        crate::files::make_private(&config.data_dir).ok()?;
        crate::files::create_private_dir(dir).ok()?;
        crate::files::make_private(dir).ok()?;
        let mut options = OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(config.log_path()).ok()?;
        crate::files::make_private(&config.log_path()).ok()?;
        Some(file)
    });
    let file_layer = file.map(|f| fmt::layer().with_ansi(false).with_writer(Mutex::new(f)));
    let stderr_layer = to_stderr.then(|| fmt::layer().with_writer(std::io::stderr));
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(file_layer)
        .with(stderr_layer)
        .try_init();
}
