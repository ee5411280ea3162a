//! `goalpost lsp`: a Language Server Protocol server over stdio, so editors show goalpost's
//! diagnostics while typing, scores on hover, and navigate and complete refs.
//!
//! - [`server`]: the handshake and the message loop (one thread; validation after bursts);
//! - [`store`]: the document store: open buffers over the work tree, per-file parse cache;
//! - [`diagnostics`]: `check`'s diagnostics in LSP form, published per file and cleared;
//! - [`locate`] and [`outline`]: what is at a place, and what each file defines and refers to;
//! - [`hover`], [`navigate`] (definition, references, symbols), [`complete`], [`actions`]
//!   (with [`revise`]: a revision instead of a target edited in place, against git HEAD);
//! - [`transport`]: stdin and stdout, with bounds on headers and message sizes.
//!
//! It reads only what the CLI reads (SPEC 10: the resolver, the roots, no hidden files, and
//! for [`revise`] the goal file as committed at HEAD, through libgit2), never writes, runs
//! nothing and opens no connection: it talks to its client on stdio.

pub(crate) mod actions;
pub(crate) mod complete;
pub(crate) mod diagnostics;
pub(crate) mod hover;
pub(crate) mod locate;
pub(crate) mod navigate;
pub(crate) mod outline;
pub(crate) mod position;
pub(crate) mod revise;
pub(crate) mod server;
pub(crate) mod store;
pub(crate) mod transport;
pub(crate) mod uri;

pub(crate) use server::{Options, serve};

/// Runs the server on stdin and stdout until the client shuts it down (or goes away).
/// A client that breaks the framing's bounds ends it with an error (see [`transport`]).
pub(crate) fn stdio(options: Options) -> Result<(), String> {
    let (conn, threads) = transport::stdio();
    let served = serve(&conn, options);
    drop(conn);
    threads.finish(served)
}
