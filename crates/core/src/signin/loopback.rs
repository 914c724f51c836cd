//! The loopback listener a browser sign-in redirects to: bound to loopback only (127.0.0.1,
//! and also `[::1]` when the redirect says `localhost`, which a browser may resolve to either;
//! a port another program holds on either is busy), one redirect path, single use (it stops
//! at the first answer that carries this sign-in's `state`; any other request, a page
//! forging an answer, gets a 400 and the listener goes on), and closed on timeout, on
//! cancel, or when its handle is dropped.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::client::{LoopbackHost, OAuthClient};
use crate::error::{Error, Result};

/// What the browser brought back to the redirect URI.
#[derive(Default)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// Bound, not yet listening, loopback sockets and the exact redirect URI they serve.
pub struct Loopback {
    sockets: Vec<TcpListener>,
    path: String,
    pub redirect_uri: String,
}

#[cfg(test)]
impl Loopback {
    /// The port it listens on.
    fn port(&self) -> u16 {
        self.sockets[0].local_addr().map(|a| a.port()).unwrap_or(0)
    }
}

/// Binds the first free port the client is registered for (any port when it lists none).
pub fn bind(client: &OAuthClient, fallback: &'static str) -> Result<Loopback> {
    let ports = if client.loopback_ports.is_empty() {
        vec![0]
    } else {
        client.loopback_ports.clone()
    };
    for port in &ports {
        match TcpListener::bind(("127.0.0.1", *port)) {
            Ok(socket) => {
                let port = socket
                    .local_addr()
                    .map_err(|e| Error::io("reading the loopback port", e))?
                    .port();
                let mut sockets = vec![socket];
                // `localhost` may resolve to ::1 first: answer there too, on the same port.
                // Without IPv6, 127.0.0.1 alone serves. With the port taken there by another
                // program, a browser would bring the answer to that program: the port is busy.
                if client.loopback_host == LoopbackHost::Localhost {
                    match TcpListener::bind(("::1", port)) {
                        Ok(v6) => sockets.push(v6),
                        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                            tracing::info!(
                                port,
                                "the sign-in port is taken on [::1]; trying the next"
                            );
                            continue;
                        }
                        Err(_) => {}
                    }
                }
                return Ok(Loopback {
                    redirect_uri: format!(
                        "http://{}:{port}{}",
                        client.loopback_host.as_str(),
                        client.loopback_path
                    ),
                    path: client.loopback_path.clone(),
                    sockets,
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(e) => return Err(Error::io("opening the sign-in listener on 127.0.0.1", e)),
        }
    }
    Err(Error::PortBusy {
        provider: client.provider,
        port: ports
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(" or "),
        fallback,
    })
}

/// A listener running on its own thread. Dropping it closes the socket.
pub struct Listening {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Listening {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            if thread.thread().id() != std::thread::current().id() {
                let _ = thread.join();
            }
        }
    }
}

impl Loopback {
    /// Waits, on a thread, for the one request to the redirect path that carries `state`,
    /// and hands it to `deliver`; other paths (a favicon) get 404, and answers without this
    /// sign-in's state (forged by a page) get 400 while the listener goes on. Stops at
    /// `deadline` without delivering.
    pub fn listen(
        self,
        deadline: Instant,
        state: String,
        deliver: impl FnOnce(Callback) + Send + 'static,
    ) -> Result<Listening> {
        for socket in &self.sockets {
            socket
                .set_nonblocking(true)
                .map_err(|e| Error::io("opening the sign-in listener", e))?;
        }
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::Builder::new()
            .name("signin-loopback".into())
            .spawn(move || {
                let mut deliver = Some(deliver);
                while !stopped.load(Ordering::SeqCst) && Instant::now() < deadline {
                    let mut idle = true;
                    for socket in &self.sockets {
                        if let Ok((stream, _)) = socket.accept() {
                            idle = false;
                            if let Some(callback) = answer(stream, &self.path, &state) {
                                if let Some(deliver) = deliver.take() {
                                    deliver(callback);
                                }
                                return;
                            }
                        }
                    }
                    if idle {
                        std::thread::sleep(Duration::from_millis(25));
                    }
                }
            })
            .map_err(|e| Error::io("starting the sign-in listener", e))?;
        Ok(Listening {
            stop,
            thread: Some(thread),
        })
    }
}

/// Reads one request; answers it, and returns the callback when it was this sign-in's
/// redirect (its `state` is `state`).
fn answer(mut stream: TcpStream, path: &str, state: &str) -> Option<Callback> {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut request = Vec::new();
    let mut buffer = [0u8; 2048];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 16 * 1024 {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => request.extend_from_slice(&buffer[..n]),
        }
    }
    let text = String::from_utf8_lossy(&request);
    let target = text
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("GET "))
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or("");
    let url = url::Url::parse(&format!("http://127.0.0.1{target}")).ok();
    let Some(url) = url.filter(|u| u.path() == path) else {
        respond(
            &mut stream,
            "404 Not Found",
            "Not found",
            "This is not a sign-in address.",
        );
        return None;
    };
    let mut callback = Callback::default();
    for (name, value) in url.query_pairs() {
        let value = Some(value.into_owned());
        match name.as_ref() {
            "code" => callback.code = value,
            "state" => callback.state = value,
            "error" => callback.error = value,
            "error_description" => callback.error_description = value,
            _ => {}
        }
    }
    if callback.code.is_none() && callback.error.is_none() {
        respond(
            &mut stream,
            "400 Bad Request",
            "No sign-in here",
            "This address expects the provider's sign-in answer.",
        );
        return None;
    }
    let ours = callback
        .state
        .as_deref()
        .is_some_and(|s| super::pkce::same_secret(s, state));
    if !ours {
        tracing::warn!(
            "a sign-in answer without this sign-in's state reached the listener; ignored"
        );
        respond(
            &mut stream,
            "400 Bad Request",
            "Not this sign-in",
            "This answer does not belong to the sign-in Switchboard is waiting for. Nothing was done.",
        );
        return None;
    }
    if callback.error.is_some() {
        respond(
            &mut stream,
            "200 OK",
            "Sign-in declined",
            "The provider did not sign you in. Return to Switchboard to try again.",
        );
    } else {
        respond(
            &mut stream,
            "200 OK",
            "Signed in",
            "Switchboard received the sign-in. You can close this tab and return to Switchboard.",
        );
    }
    Some(callback)
}

fn respond(stream: &mut TcpStream, status: &str, title: &str, text: &str) {
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title} \u{2014} Switchboard</title></head>\
         <body style=\"font-family:system-ui,sans-serif;margin:4rem auto;max-width:32rem\"><h1>{title}</h1><p>{text}</p></body></html>"
    );
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nContent-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.flush();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ProviderId;
    use std::sync::mpsc;

    fn client(ports: Vec<u16>) -> OAuthClient {
        OAuthClient {
            loopback_host: LoopbackHost::Localhost,
            loopback_path: "/auth/callback".into(),
            loopback_ports: ports,
            ..OAuthClient::new(
                ProviderId::Codex,
                "c",
                "https://example.test/a",
                "https://example.test/t",
                "",
            )
        }
    }

    fn get(port: u16, target: &str) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(stream, "GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        reply
    }

    #[test]
    fn delivers_the_first_redirect_and_then_closes() {
        let loopback = bind(&client(vec![]), "paste-back").unwrap();
        let port = loopback.port();
        assert_eq!(
            loopback.redirect_uri,
            format!("http://localhost:{port}/auth/callback")
        );
        let (tx, rx) = mpsc::channel();
        let listening = loopback
            .listen(
                Instant::now() + Duration::from_secs(10),
                "xyz".into(),
                move |cb| {
                    tx.send((cb.code, cb.state)).unwrap();
                },
            )
            .unwrap();
        assert!(get(port, "/favicon.ico").starts_with("HTTP/1.1 404"));
        assert!(get(port, "/auth/callback?code=abc&state=xyz").contains("Signed in"));
        let (code, state) = rx.recv_timeout(Duration::from_secs(5)).unwrap();
        assert_eq!(
            (code.as_deref(), state.as_deref()),
            (Some("abc"), Some("xyz"))
        );
        drop(listening);
        assert!(
            TcpStream::connect(("127.0.0.1", port)).is_err(),
            "listener must be closed"
        );
    }

    #[test]
    fn a_localhost_redirect_is_answered_on_ipv6_loopback_too() {
        if TcpListener::bind(("::1", 0)).is_err() {
            println!("skipped: this machine has no IPv6 loopback");
            return;
        }
        let loopback = bind(&client(vec![]), "paste-back").unwrap();
        let port = loopback.port();
        let (tx, rx) = mpsc::channel();
        let _listening = loopback
            .listen(
                Instant::now() + Duration::from_secs(10),
                "s".into(),
                move |cb| {
                    tx.send(cb.code).unwrap();
                },
            )
            .unwrap();
        let mut stream = TcpStream::connect(("::1", port)).unwrap();
        write!(
            stream,
            "GET /auth/callback?code=v6code&state=s HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        .unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        assert!(reply.contains("Signed in"), "{reply}");
        assert_eq!(
            rx.recv_timeout(Duration::from_secs(5)).unwrap().as_deref(),
            Some("v6code")
        );
    }

    #[test]
    fn a_taken_port_falls_back_then_reports_busy() {
        let holder = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let taken = holder.local_addr().unwrap().port();
        let spare = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let free = spare.local_addr().unwrap().port();
        drop(spare);
        let loopback = bind(&client(vec![taken, free]), "paste-back").unwrap();
        assert_eq!(loopback.port(), free);
        let err = bind(&client(vec![taken, free]), "the device code")
            .err()
            .expect("both ports taken");
        assert!(
            err.to_string().contains(&format!("Port {taken} or {free}")),
            "{err}"
        );
        assert!(err.to_string().contains("the device code"), "{err}");
    }

    /// The security review of 2026-12-07, L4: any page can send the browser to the fixed
    /// port; what it sends must neither end the sign-in nor be told "Signed in".
    #[test]
    fn forged_answers_get_a_400_and_the_real_one_still_arrives() {
        let loopback = bind(&client(vec![]), "paste-back").unwrap();
        let port = loopback.port();
        let (tx, rx) = mpsc::channel();
        let _listening = loopback
            .listen(
                Instant::now() + Duration::from_secs(10),
                "ours".into(),
                move |cb| {
                    tx.send((cb.code, cb.error)).unwrap();
                },
            )
            .unwrap();
        for forged in [
            "/auth/callback?code=forgedcode123&state=wrong",
            "/auth/callback?error=access_denied",
            "/auth/callback?code=nostate",
        ] {
            let reply = get(port, forged);
            assert!(reply.starts_with("HTTP/1.1 400"), "{forged}: {reply}");
            assert!(!reply.contains("Signed in"), "{forged}: {reply}");
        }
        assert!(rx.try_recv().is_err(), "nothing forged was delivered");
        assert!(get(port, "/auth/callback?code=real&state=ours").contains("Signed in"));
        let (code, error) = rx.recv_timeout(Duration::from_secs(5)).unwrap();
        assert_eq!((code.as_deref(), error), (Some("real"), None));
    }

    /// L5: another program holding the port on [::1] would get the browser's answer.
    #[test]
    fn a_port_taken_on_ipv6_loopback_is_busy() {
        let Ok(squatter) = TcpListener::bind(("::1", 0)) else {
            println!("skipped: this machine has no IPv6 loopback");
            return;
        };
        let port = squatter.local_addr().unwrap().port();
        if TcpListener::bind(("127.0.0.1", port)).is_err() {
            println!("skipped: the port is taken on 127.0.0.1 too");
            return;
        }
        let err = bind(&client(vec![port]), "paste-back")
            .err()
            .expect("the port is busy");
        assert!(matches!(err, Error::PortBusy { .. }), "{err}");
    }

    #[test]
    fn stops_at_the_deadline_without_delivering() {
        let loopback = bind(&client(vec![]), "paste-back").unwrap();
        let port = loopback.port();
        let (tx, rx) = mpsc::channel::<()>();
        let listening = loopback
            .listen(
                Instant::now() + Duration::from_millis(100),
                "s".into(),
                move |_| tx.send(()).unwrap(),
            )
            .unwrap();
        assert!(rx.recv_timeout(Duration::from_secs(2)).is_err());
        drop(listening);
        assert!(TcpStream::connect(("127.0.0.1", port)).is_err());
    }
}
