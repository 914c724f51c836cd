//! While `exec` runs a command: SIGINT, SIGTERM and SIGHUP that would end `switchboard` go
//! to the command instead, so `switchboard` lives on to take its tokens back and clean its
//! dir once the command ends (a closed terminal never leaves tokens behind). A Ctrl-C typed
//! in the terminal already reaches the command (same process group), so a SIGINT the
//! kernel sent is not passed on a second time; one sent with `kill` is.

#[cfg(unix)]
mod imp {
    use std::sync::{Arc, Mutex};
    use std::thread::JoinHandle;

    use nix::sys::signal::{kill, Signal};
    use nix::unistd::Pid;
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    use signal_hook::iterator::exfiltrator::WithOrigin;
    use signal_hook::iterator::{Handle, SignalsInfo};
    use signal_hook::low_level::siginfo::Cause;

    #[derive(Default)]
    struct State {
        child: Option<i32>,
        /// Signals that came before the command started: sent to it once it has.
        early: Vec<i32>,
    }

    /// Passing signals on, until dropped.
    pub struct Forwarding {
        state: Arc<Mutex<State>>,
        handle: Handle,
        thread: Option<JoinHandle<()>>,
    }

    impl Forwarding {
        pub fn start() -> std::io::Result<Self> {
            let mut signals = SignalsInfo::<WithOrigin>::new([SIGINT, SIGTERM, SIGHUP])?;
            let handle = signals.handle();
            let state = Arc::new(Mutex::new(State::default()));
            let shared = state.clone();
            let thread = std::thread::Builder::new()
                .name("exec-signals".into())
                .spawn(move || {
                    for origin in signals.forever() {
                        let typed_in_terminal =
                            origin.signal == SIGINT && matches!(origin.cause, Cause::Kernel);
                        if typed_in_terminal {
                            continue;
                        }
                        let mut state = shared.lock().unwrap_or_else(|p| p.into_inner());
                        match state.child {
                            Some(pid) => send(pid, origin.signal),
                            None => state.early.push(origin.signal),
                        }
                    }
                })?;
            Ok(Self {
                state,
                handle,
                thread: Some(thread),
            })
        }

        /// From now on signals go to the process `pid` (and those that came before, now).
        pub fn forward_to(&self, pid: u32) {
            let Ok(pid) = i32::try_from(pid) else { return };
            let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
            state.child = Some(pid);
            for signal in std::mem::take(&mut state.early) {
                send(pid, signal);
            }
        }
    }

    fn send(pid: i32, signal: i32) {
        if let Ok(signal) = Signal::try_from(signal) {
            let _ = kill(Pid::from_raw(pid), signal);
        }
    }

    impl Drop for Forwarding {
        fn drop(&mut self) {
            self.handle.close();
            if let Some(thread) = self.thread.take() {
                let _ = thread.join();
            }
        }
    }
}

#[cfg(not(unix))]
mod imp {
    /// Elsewhere the console delivers Ctrl-C to the whole group; nothing to pass on.
    pub struct Forwarding;

    impl Forwarding {
        pub fn start() -> std::io::Result<Self> {
            Ok(Self)
        }

        pub fn forward_to(&self, _pid: u32) {}
    }
}

pub use imp::Forwarding;
