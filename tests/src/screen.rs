//! What the X screen shows: `make test` starts Xvfb with `-fbdir`, which keeps the screen as
//! an XWD file, and names that file in `SWITCHBOARD_TEST_SCREEN`. WebDriver's screenshots are
//! drawn by the page's process and cannot tell whether the window itself was painted; this
//! can.

use std::collections::HashSet;
use std::path::PathBuf;

/// The XWD file of Xvfb's screen, when the tests run under `make test`.
pub fn framebuffer() -> Option<PathBuf> {
    std::env::var_os("SWITCHBOARD_TEST_SCREEN").map(PathBuf::from)
}

/// How many distinct colours the screen shows. An empty Xvfb screen shows one or two, a
/// blank window one more; text and controls bring dozens.
pub fn distinct_colours(xwd: &[u8]) -> Result<usize, String> {
    // The header is 25 big-endian 32-bit fields, then the window's name up to `header_size`.
    let field = |i: usize| -> Result<usize, String> {
        let bytes = xwd
            .get(i * 4..i * 4 + 4)
            .ok_or_else(|| format!("an XWD header needs field {i}"))?;
        Ok(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize)
    };
    let (header_size, version) = (field(0)?, field(1)?);
    if version != 7 {
        return Err(format!("XWD version {version}, expected 7"));
    }
    let (width, height) = (field(4)?, field(5)?);
    let (bits_per_pixel, bytes_per_line, colours) = (field(11)?, field(12)?, field(19)?);
    if bits_per_pixel % 8 != 0 || bits_per_pixel == 0 {
        return Err(format!("{bits_per_pixel} bits per pixel"));
    }
    let pixel = bits_per_pixel / 8;
    // Each colour map entry is 12 bytes; the pixels follow.
    let start = header_size + colours * 12;
    let mut seen = HashSet::new();
    for row in 0..height {
        let line = start + row * bytes_per_line;
        let bytes = xwd
            .get(line..line + width * pixel)
            .ok_or_else(|| format!("the XWD file ends before row {row}"))?;
        seen.extend(bytes.chunks_exact(pixel).map(<[u8]>::to_vec));
    }
    Ok(seen.len())
}

/// A 2x2 XWD file, 32 bits per pixel, with `pixels`: what the parser is tested on.
pub fn tiny_xwd(pixels: [u32; 4]) -> Vec<u8> {
    let name = b"xwd\0";
    let header_size = 25 * 4 + name.len();
    let mut fields = [0u32; 25];
    fields[0] = header_size as u32;
    fields[1] = 7;
    fields[4] = 2;
    fields[5] = 2;
    fields[11] = 32;
    fields[12] = 8;
    fields[19] = 1;
    let mut out: Vec<u8> = fields.iter().flat_map(|f| f.to_be_bytes()).collect();
    out.extend_from_slice(name);
    out.extend_from_slice(&[0; 12]);
    out.extend(pixels.iter().flat_map(|p| p.to_le_bytes()));
    out
}
