//! The server's stdio transport: LSP framing (`Content-Length` headers, then a JSON body)
//! read from stdin with bounds, handed to the server as `lsp_server::Message`s, and its
//! answers written to stdout. lsp-server's own stdio transport reads a header line without
//! bound and allocates whatever `Content-Length` claims (an abort at 100 GB, a panic at
//! `u64::MAX`); here a header line holds at most [`MAX_HEADER_LINE`] bytes, a message at
//! most [`MAX_HEADERS`] lines and a body at most [`MAX_BODY`] bytes. Anything else ends the
//! session with an error that says what the client sent.

use crossbeam_channel::{Receiver, Sender, bounded};
use lsp_server::{Connection, Message};
use std::io::{self, BufRead, Read, Write};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// Longest header line read (`Content-Length: …` is about 30 bytes).
pub(crate) const MAX_HEADER_LINE: usize = 8 * 1024;
/// Most header lines in one message (LSP defines two).
pub(crate) const MAX_HEADERS: usize = 32;
/// Largest body read: twice the goal-file size limit, so that a document at the limit still
/// arrives with its JSON escapes (the store refuses it past the limit, as `check` would).
pub(crate) const MAX_BODY: u64 = 2 * crate::load::MAX_FILE_BYTES;

/// Why the client's input cannot be read as LSP messages.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Framing {
    #[error("the client sent a header line longer than {MAX_HEADER_LINE} bytes")]
    LongHeader,
    #[error("the client sent more than {MAX_HEADERS} header lines for one message")]
    ManyHeaders,
    #[error("the client sent a malformed header (each is `Name: value` and ends in CRLF)")]
    Header,
    #[error("the client sent a message without a Content-Length header")]
    NoLength,
    #[error("the client sent a Content-Length that is not a number of bytes")]
    BadLength,
    #[error(
        "the client sent Content-Length {0}; goalpost reads messages of at most {MAX_BODY} bytes"
    )]
    TooLong(u64),
    #[error("the client's input ended inside a message")]
    Truncated,
    #[error("the client sent a message that is not a JSON-RPC message: {0}")]
    Body(String),
    #[error("cannot read from the client: {0}")]
    Io(#[from] io::Error),
}

/// One line of a header, CRLF included; `None` at the end of input before it.
fn header_line(r: &mut impl BufRead) -> Result<Option<Vec<u8>>, Framing> {
    let mut line = Vec::new();
    r.by_ref()
        .take(MAX_HEADER_LINE as u64 + 1)
        .read_until(b'\n', &mut line)?;
    if line.is_empty() {
        return Ok(None);
    }
    if !line.ends_with(b"\n") {
        return Err(if line.len() > MAX_HEADER_LINE {
            Framing::LongHeader
        } else {
            Framing::Truncated
        });
    }
    Ok(Some(line))
}

/// The next message from the client; `None` at the end of input between messages.
pub(crate) fn read(r: &mut impl BufRead) -> Result<Option<Message>, Framing> {
    let mut length = None;
    let mut lines = 0;
    loop {
        let Some(line) = header_line(r)? else {
            return if lines == 0 {
                Ok(None)
            } else {
                Err(Framing::Truncated)
            };
        };
        lines += 1;
        if lines > MAX_HEADERS {
            return Err(Framing::ManyHeaders);
        }
        let line = line.strip_suffix(b"\r\n").ok_or(Framing::Header)?;
        if line.is_empty() {
            break;
        }
        let line = std::str::from_utf8(line).map_err(|_| Framing::Header)?;
        let (name, value) = line.split_once(": ").ok_or(Framing::Header)?;
        if name.eq_ignore_ascii_case("Content-Length") {
            let n: u64 = value.trim().parse().map_err(|_| Framing::BadLength)?;
            if n > MAX_BODY {
                return Err(Framing::TooLong(n));
            }
            length = Some(n);
        }
    }
    let n = length.ok_or(Framing::NoLength)?;
    // Grown as bytes arrive: a claimed length costs nothing until it is sent.
    let mut body = Vec::new();
    r.by_ref().take(n).read_to_end(&mut body)?;
    if body.len() as u64 != n {
        return Err(Framing::Truncated);
    }
    serde_json::from_slice(&body)
        .map(Some)
        .map_err(|e| Framing::Body(e.to_string()))
}

/// The reading and writing threads of a stdio session.
pub(crate) struct Threads {
    reader: JoinHandle<()>,
    writer: JoinHandle<io::Result<()>>,
    /// Why the reader stopped early, set before it lets go of the connection.
    failed: Arc<Mutex<Option<Framing>>>,
}

/// A connection over stdin and stdout, read as [`read`] does.
pub(crate) fn stdio() -> (Connection, Threads) {
    // Rendezvous channels, as lsp-server's own transport: nothing queues up unread.
    let (to_server, from_client): (Sender<Message>, Receiver<Message>) = bounded(0);
    let (to_client, from_server): (Sender<Message>, Receiver<Message>) = bounded(0);
    let failed = Arc::new(Mutex::new(None));
    let reader = {
        let failed = Arc::clone(&failed);
        std::thread::spawn(move || {
            let stdin = io::stdin();
            let mut stdin = stdin.lock();
            loop {
                match read(&mut stdin) {
                    Ok(Some(msg)) => {
                        let exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
                        if to_server.send(msg).is_err() || exit {
                            return;
                        }
                    }
                    Ok(None) => return,
                    Err(e) => {
                        *failed.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
                        return;
                    }
                }
            }
        })
    };
    let writer = std::thread::spawn(move || {
        let stdout = io::stdout();
        let mut stdout = stdout.lock();
        for msg in from_server {
            msg.write(&mut stdout)?;
        }
        stdout.flush()
    });
    let conn = Connection {
        sender: to_client,
        receiver: from_client,
    };
    (
        conn,
        Threads {
            reader,
            writer,
            failed,
        },
    )
}

impl Threads {
    /// Ends the session once the server has returned `served` (and dropped its connection):
    /// what the client sent that could not be read is the error, else the server's, else
    /// the writer's. The reader is not waited for while it may still be reading.
    pub(crate) fn finish(self, served: Result<(), String>) -> Result<(), String> {
        let failed = self.failed.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(e) = failed {
            return Err(e.to_string());
        }
        served?;
        match self.writer.join() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(format!("cannot write to the client: {e}")),
            Err(_) => return Err("the writing thread failed".to_owned()),
        }
        if self.reader.is_finished() {
            let _ = self.reader.join();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(bytes: &[u8]) -> Result<Option<Message>, Framing> {
        read(&mut io::Cursor::new(bytes.to_vec()))
    }

    #[test]
    fn messages_are_read_within_bounds() {
        let body = r#"{"jsonrpc":"2.0","method":"exit"}"#;
        let msg = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        assert!(
            matches!(one(msg.as_bytes()), Ok(Some(Message::Notification(n))) if n.method == "exit")
        );
        let typed = format!(
            "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        assert!(matches!(one(typed.as_bytes()), Ok(Some(_))));
        assert!(matches!(one(b""), Ok(None)));
        for (bytes, want) in [
            (&b"Content-Length: 100000000000\r\n\r\n"[..], "TooLong"),
            (b"Content-Length: 18446744073709551615\r\n\r\n", "TooLong"),
            (b"Content-Length: 99999999999999999999\r\n\r\n", "BadLength"),
            (b"Content-Length: 5\r\n\r\n{}", "Truncated"),
            (b"Content-Length: 2\r\n\r\n{}", "Body"),
            (b"Content-Length: 2\n\n{}", "Header"),
            (b"Content-Length: 2\r\n", "Truncated"),
            (b"\r\n{}", "NoLength"),
        ] {
            let got = format!("{:?}", one(bytes).expect_err("refused"));
            assert!(got.starts_with(want), "{bytes:?}: {got}");
        }
        let long = vec![b'a'; MAX_HEADER_LINE * 4];
        assert!(matches!(one(&long), Err(Framing::LongHeader)));
        let many = "X: y\r\n".repeat(MAX_HEADERS + 1);
        assert!(matches!(one(many.as_bytes()), Err(Framing::ManyHeaders)));
    }
}
