//! Differential fuzzing of the YAML fast path: for any text, `load::fastyaml` must either give
//! up or build exactly the tree (values and spans) serde-saphyr builds, and never accept what
//! serde-saphyr rejects. A disagreement would mean goalpost reads a file differently (or
//! locates a problem differently) depending on which parser took it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = goalpost::fastyaml_agrees(text) {
        panic!("{e}");
    }
});
