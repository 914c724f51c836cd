//! How WebKitGTK paints. Without a GPU (a VM, a remote desktop, Xvfb) its compositing mode
//! runs GL in software (llvmpipe): seconds of CPU before the first paint. There the window
//! starts with compositing (and the DMA-BUF renderer) off, as other Tauri apps do.
//! `SWITCHBOARD_COMPOSITING=on` or `off` decides instead; WebKit's own variables, when the
//! user set them, are left alone.

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

/// Sets WebKit's variables for this machine. Must run first thing in `main`, before any
/// thread starts (setting the environment is only sound while the process has one thread).
pub fn configure() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let choice = choose(|name| std::env::var(name).ok(), has_render_node());
    if choice == Compositing::Off {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
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
}
