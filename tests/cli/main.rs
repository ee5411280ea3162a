//! The integration test binary: runs the real `goalpost` binary on example and generated
//! repositories. One module per area.

mod report;
