//! Running async I/O (HTTP) from Switchboard's synchronous domain code: on the app's tokio
//! runtime when the caller is one of its blocking threads, otherwise on a current-thread
//! runtime made for the one call (the command line and sign-in threads have none).

use std::future::Future;

/// Runs `future` to completion on tokio. Callers are synchronous code: in the app, commands
/// run on the blocking pool (never on an async worker, where blocking would panic).
pub fn block_on<F: Future>(future: F) -> F::Output {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) => handle.block_on(future),
        Err(_) => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("starting a tokio runtime failed: {e}"))
            .block_on(future),
    }
}
