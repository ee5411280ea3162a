//! Bytes → goalpost.toml parsing. Config is read from the repository under validation, so
//! it is untrusted input too.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = goalpost::parse_config(text, 0);
    }
});
