pub fn typescript() -> String { String::new() }
