//! Running async I/O (HTTP) from Switchboard's synchronous domain code: one tokio runtime
//! per process, with one worker thread, started at the first request. A call hands its
//! future to that runtime and waits for the answer, so it can be made from anywhere: the
//! app's blocking pool, the timer thread, the command line's main thread, or a thread that
//! is itself inside another runtime (the future never runs on the caller's runtime, which
//! tokio would refuse). Connections and TLS sessions outlive a call, so they are reused.

use std::future::Future;
use std::sync::OnceLock;

use crate::error::{Error, Result};

/// The process's runtime, or why it could not start.
fn runtime() -> Result<&'static tokio::runtime::Runtime> {
    static RUNTIME: OnceLock<std::result::Result<tokio::runtime::Runtime, String>> =
        OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .max_blocking_threads(1)
                .thread_name("switchboard-http")
                .enable_all()
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|message| Error::Io {
            context: "starting the network runtime".into(),
            message: message.clone(),
        })
}

/// Runs `future` on the process's runtime and returns its output once it is done.
pub fn block_on<F>(future: F) -> Result<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let (answer, answered) = std::sync::mpsc::sync_channel(1);
    runtime()?.spawn(async move {
        // The caller waits below; if it is gone, nobody needs the answer.
        let _ = answer.send(future.await);
    });
    answered.recv().map_err(|_| Error::Io {
        context: "making a network request".into(),
        message: "the request ended without an answer (it panicked)".into(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_runtime_serves_every_call_from_any_thread_even_inside_another_runtime() {
        let name = || {
            super::block_on(async { std::thread::current().name().map(str::to_owned) })
                .expect("answer")
        };
        assert_eq!(name().as_deref(), Some("switchboard-http"));
        let inside = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("another runtime")
            .block_on(async { name() });
        assert_eq!(inside.as_deref(), Some("switchboard-http"));
        let from_threads: Vec<_> = (0..4)
            .map(|_| std::thread::spawn(name))
            .map(|t| t.join().expect("thread"))
            .collect();
        assert!(from_threads
            .iter()
            .all(|n| n.as_deref() == Some("switchboard-http")));
    }

    #[test]
    fn a_panicking_request_is_an_error_and_the_runtime_goes_on() {
        let failed = super::block_on(async {
            if std::hint::black_box(true) {
                panic!("a bug in a request");
            }
        });
        assert!(failed.is_err());
        assert_eq!(super::block_on(async { 7 }).expect("answer"), 7);
    }
}
