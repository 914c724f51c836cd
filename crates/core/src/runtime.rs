//! Running async I/O (HTTP) from Switchboard's synchronous domain code, on a current-thread
//! tokio runtime made for the one call. A caller that is itself inside a runtime (an async
//! task, or the app's blocking pool) gets a short-lived thread for it, so a synchronous call
//! never blocks a thread that drives other tasks (tokio forbids that, and would panic).

use std::future::Future;

/// Runs `future` to completion on tokio and returns its output.
pub fn block_on<F>(future: F) -> F::Output
where
    F: Future + Send,
    F::Output: Send,
{
    if tokio::runtime::Handle::try_current().is_err() {
        return on_this_thread(future);
    }
    std::thread::scope(|scope| {
        scope
            .spawn(|| on_this_thread(future))
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

fn on_this_thread<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("starting a tokio runtime failed: {e}"))
        .block_on(future)
}
