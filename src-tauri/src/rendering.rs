//! How WebKitGTK paints. Without a GPU (a VM, a remote desktop, Xvfb) its compositing mode
//! runs GL in software (llvmpipe): seconds of CPU before the first paint. There the window
//! starts with compositing (and the DMA-BUF renderer) off, as other Tauri apps do, and with
//! classic scrollbars instead of overlay ones (`GTK_OVERLAY_SCROLLING=0`, unless set).
//! `SWITCHBOARD_COMPOSITING=on` or `off` decides instead; WebKit's own variables, when the
//! user set them, are left alone.
//!
//! The page's script is small and runs once per change, so JavaScriptCore's JIT is off too:
//! it saved about 10 MiB of the page process's memory and no measurable time (README,
//! "Performance"). `SWITCHBOARD_JIT=on`, or the user's own `JSC_useJIT`, turns it back on.

/// What to do about compositing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compositing {
    /// The user set WebKit's variable: nothing to do.
    UserSet,
    On,
    Off,
}

/// The choice for this machine, from the environment (`var`) and whether a GPU render node
/// exists.
pub fn choose(var: impl Fn(&str) -> Option<String>, has_render_node: bool) -> Compositing {
    if var("WEBKIT_DISABLE_COMPOSITING_MODE").is_some() {
        return Compositing::UserSet;
    }
    match var("SWITCHBOARD_COMPOSITING").as_deref().map(str::trim) {
        Some("on") => return Compositing::On,
        Some("off") => return Compositing::Off,
        _ => {}
    }
    let remote = [
        "SSH_CONNECTION",
        "XRDP_SESSION",
        "CHROME_REMOTE_DESKTOP_SESSION",
    ]
    .iter()
    .any(|name| var(name).is_some_and(|v| !v.is_empty()));
    if remote || !has_render_node {
        Compositing::Off
    } else {
        Compositing::On
    }
}

/// Whether JavaScriptCore's JIT is turned off: unless the user set `JSC_useJIT` or asked for
/// it with `SWITCHBOARD_JIT=on`.
pub fn jit_off(var: impl Fn(&str) -> Option<String>) -> bool {
    var("JSC_useJIT").is_none() && var("SWITCHBOARD_JIT").as_deref().map(str::trim) != Some("on")
}

/// Whether this machine has a GPU render node (`/dev/dri/renderD*`).
fn has_render_node() -> bool {
    std::fs::read_dir("/dev/dri")
        .map(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
        })
        .unwrap_or(false)
}

/// Sets the variables for painting without a GPU: WebKit's compositing and DMA-BUF renderer
/// off, and classic scrollbars (unless set). The empty app `make bench` compares against
/// calls this too, so its floor gets exactly what the window gets. Only sound while the
/// process has one thread, as [`configure`].
pub fn paint_in_software() {
    std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    // Classic scrollbars: the overlay one fades in after the page loads, and in software
    // each frame of that is painted again (0.15 to 0.3 s of CPU at start with 8 accounts).
    if std::env::var("GTK_OVERLAY_SCROLLING").is_err() {
        std::env::set_var("GTK_OVERLAY_SCROLLING", "0");
    }
}

/// Whether WebKit paints this window without compositing (the variable set, by
/// [`paint_in_software`] or by the user, to anything but "0"). The page is told
/// (`crate::window`): there a sticky, translucent header costs a repaint of the whole view on
/// every scrolled frame, so the page lets it scroll away instead.
pub fn compositing_disabled(var: impl Fn(&str) -> Option<String>) -> bool {
    var("WEBKIT_DISABLE_COMPOSITING_MODE").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Sets WebKit's variables for this machine. Must run first thing in `main`, before any
/// thread starts (setting the environment is only sound while the process has one thread).
pub fn configure() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let var = |name: &str| std::env::var(name).ok();
    if choose(var, has_render_node()) == Compositing::Off {
        paint_in_software();
    }
    // The page's process inherits this environment; JavaScriptCore reads its options from it.
    if jit_off(var) {
        std::env::set_var("JSC_useJIT", "0");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn without_a_gpu_or_over_a_remote_session_compositing_is_off() {
        assert_eq!(choose(env(&[]), false), Compositing::Off);
        assert_eq!(choose(env(&[]), true), Compositing::On);
        assert_eq!(
            choose(env(&[("SSH_CONNECTION", "10.0.0.2 5 10.0.0.1 22")]), true),
            Compositing::Off
        );
        assert_eq!(
            choose(env(&[("XRDP_SESSION", "1")]), true),
            Compositing::Off
        );
    }

    #[test]
    fn the_user_decides_over_the_guess() {
        assert_eq!(
            choose(env(&[("SWITCHBOARD_COMPOSITING", "on")]), false),
            Compositing::On
        );
        assert_eq!(
            choose(env(&[("SWITCHBOARD_COMPOSITING", "off")]), true),
            Compositing::Off
        );
        assert_eq!(
            choose(env(&[("WEBKIT_DISABLE_COMPOSITING_MODE", "0")]), false),
            Compositing::UserSet
        );
    }

    #[test]
    fn the_page_is_told_it_paints_in_software_when_compositing_is_off() {
        assert!(compositing_disabled(env(&[(
            "WEBKIT_DISABLE_COMPOSITING_MODE",
            "1"
        )])));
        assert!(!compositing_disabled(env(&[(
            "WEBKIT_DISABLE_COMPOSITING_MODE",
            "0"
        )])));
        assert!(!compositing_disabled(env(&[(
            "WEBKIT_DISABLE_COMPOSITING_MODE",
            ""
        )])));
        assert!(!compositing_disabled(env(&[])));
    }

    #[test]
    fn the_jit_is_off_unless_asked_for() {
        assert!(jit_off(env(&[])));
        assert!(!jit_off(env(&[("SWITCHBOARD_JIT", "on")])));
        assert!(!jit_off(env(&[("JSC_useJIT", "1")])));
        assert!(jit_off(env(&[("SWITCHBOARD_JIT", "off")])));
    }
}
