//! While `exec` prepares and runs a command: SIGINT, SIGTERM, SIGHUP and SIGQUIT that would
//! end `switchboard` go to the command instead, so `switchboard` lives on to take its tokens
//! back and clean its dir once the command ends (a closed terminal never leaves tokens
//! behind). One that comes before the command started keeps it from starting. A Ctrl-C or
//! Ctrl-\ typed in the terminal already reaches a running command (same process group), so
//! a SIGINT or SIGQUIT the kernel sent is not passed on a second time; one sent with `kill`
//! is.

#[cfg(unix)]
mod imp {
    use std::sync::{Arc, Mutex};
    use std::thread::JoinHandle;

    use nix::sys::signal::{kill, Signal};
    use nix::unistd::Pid;
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
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
            let mut signals = SignalsInfo::<WithOrigin>::new([SIGINT, SIGTERM, SIGHUP, SIGQUIT])?;
            let handle = signals.handle();
            let state = Arc::new(Mutex::new(State::default()));
            let shared = state.clone();
            let thread = std::thread::Builder::new()
                .name("exec-signals".into())
                .spawn(move || {
                    for origin in signals.forever() {
                        let typed_in_terminal = [SIGINT, SIGQUIT].contains(&origin.signal)
                            && matches!(origin.cause, Cause::Kernel);
                        let mut state = shared.lock().unwrap_or_else(|p| p.into_inner());
                        match state.child {
                            // The command is in the terminal's process group: it has it.
                            Some(_) if typed_in_terminal => {}
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

        /// The first signal to end that came before the command started, if any.
        pub fn ending_signal(&self) -> Option<i32> {
            let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
            state.early.first().copied()
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

    /// Lets the command inherit `file` (the lock on its account's dir): the lock then lasts
    /// as long as the command and whatever it starts, even if `switchboard` is killed.
    pub fn inherit(file: &std::fs::File) -> std::io::Result<()> {
        use nix::fcntl::{fcntl, FcntlArg, FdFlag};
        fcntl(file, FcntlArg::F_SETFD(FdFlag::empty()))
            .map(|_| ())
            .map_err(std::io::Error::from)
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

        pub fn ending_signal(&self) -> Option<i32> {
            None
        }
    }

    /// Elsewhere handles are not inherited this way; the lock ends with `switchboard`.
    pub fn inherit(_file: &std::fs::File) -> std::io::Result<()> {
        Ok(())
    }
}

pub use imp::{inherit, Forwarding};
