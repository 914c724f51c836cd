//! Text from outside (a provider's error description, a user code, a label) made safe to
//! show: no control characters (a terminal escape sequence could rewrite the screen), no
//! bidirectional overrides (they can make text read differently than it is), and bounded.

/// Whether `c` changes the direction text is shown in (overrides, embeddings, isolates and
/// the invisible direction marks).
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// Whether `c` is an invisible format character (Unicode category Cf: zero-width spaces
/// and joiners, soft hyphens, word joiners, tags, the byte-order mark, the direction
/// controls): text that shows the same with and without it can look like other text.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

/// `text` with control characters (escape sequences included), bidirectional controls and
/// invisible format characters removed; line breaks and tabs become spaces when `one_line`, and stay otherwise.
pub fn printable(text: &str, one_line: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // An ANSI sequence: ESC [ params final, or ESC and one more character.
            if chars.peek() == Some(&'[') {
                chars.next();
                for next in chars.by_ref() {
                    if ('@'..='~').contains(&next) {
                        break;
                    }
                }
            } else {
                chars.next();
            }
            continue;
        }
        match c {
            '\n' | '\t' | '\r' if one_line => out.push(' '),
            '\n' | '\t' => out.push(c),
            c if c.is_control() || is_bidi_control(c) || is_invisible(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// `text` cut to at most `max` characters, with an ellipsis when it was longer.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('\u{2026}');
    cut
}

/// Provider text for a message: printable, one line, no links (a provider's text saying
/// "sign in again here" must never hand the user an address), at most 200 characters.
pub fn from_provider(text: &str) -> String {
    shorten(without_links(&printable(text, true)).trim(), 200)
}

/// `text` with every `http://`, `https://` or `www.` address replaced by "(link removed)".
pub fn without_links(text: &str) -> String {
    const STARTS: [&str; 3] = ["https://", "http://", "www."];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let next = STARTS
            .iter()
            .filter_map(|start| find_ignoring_case(rest, start))
            .min();
        let Some(at) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..at]);
        out.push_str("(link removed)");
        let link = &rest[at..];
        let end = link
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ')'))
            .unwrap_or(link.len());
        rest = &link[end..];
    }
}

fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack.char_indices().map(|(i, _)| i).find(|&i| {
        haystack
            .get(i..i + needle.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(needle))
    })
}

/// `text` for the body of a desktop notification: notification servers may read the body as
/// markup (bold, links, images: the freedesktop specification allows a subset of HTML), so
/// `&`, `<` and `>` are escaped and nothing in it is ever rendered as a tag.
pub fn notification_body(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in printable(text, false).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_controls_and_overrides_are_removed() {
        assert_eq!(
            printable(
                "ok\u{1b}[2J\u{1b}]0;title\u{7}done\u{202E}txt.exe\u{0}",
                true
            ),
            "ok0;titledonetxt.exe"
        );
        assert_eq!(printable("a\nb\tc", true), "a b c");
        assert_eq!(printable("a\nb", false), "a\nb");
        assert_eq!(printable("Wo\u{200b}rk\u{feff}", true), "Work");
        assert_eq!(
            printable("usage\u{1b}]0;x\nFAKE LINE: paste your key here", true),
            "usage0;x FAKE LINE: paste your key here",
            "one line"
        );
    }

    #[test]
    fn provider_text_loses_its_links_and_notifications_their_markup() {
        let hostile = "Session ended. <a href=\"https://evil.example/reauth\">Sign in again here</a> <img src=\"HTTP://evil.example/t.png\"/> or www.evil.example";
        let cleaned = from_provider(hostile);
        assert!(
            !cleaned.to_lowercase().contains("evil.example"),
            "{cleaned}"
        );
        assert_eq!(cleaned.matches("(link removed)").count(), 3, "{cleaned}");
        let body = notification_body(&cleaned);
        assert!(
            body.contains("&lt;a href=") && !body.contains('<'),
            "{body}"
        );
        assert_eq!(notification_body("a & b"), "a &amp; b");
        assert_eq!(without_links("no links here"), "no links here");
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(shorten("abcdef", 4), "abc\u{2026}");
        assert_eq!(shorten("abc", 4), "abc");
        assert_eq!(from_provider(&"x".repeat(500)).chars().count(), 200);
    }
}
