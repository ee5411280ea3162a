//! The server loop: the LSP handshake, then one message at a time on one thread. Edits are
//! applied as they come; validation runs once the queue of incoming messages is empty (or
//! before answering a request), so a burst of keystrokes is validated once. Each message is
//! handled under `catch_unwind`: a bug answers one request with an error, it does not end
//! the session. Nothing here opens a connection or runs a command.

use super::diagnostics::Published;
use super::navigate::{Index, Target};
use super::position::LineIndex;
use super::store::Workspace;
use super::uri;
use crate::date::Date;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    HoverProviderCapability, InitializeParams, OneOf, PositionEncodingKind, SaveOptions,
    ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri, notification as n, request as r,
};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// How the server was started.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// Today (`GOALPOST_TODAY` or the clock, as the CLI reads it).
    pub today: Date,
    /// Where to look for the project when the client names no workspace folder.
    pub cwd: PathBuf,
}

/// What the server advertises.
pub(crate) fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["/".into(), ":".into(), " ".into()]),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::REFACTOR_REWRITE,
            ]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

/// The project root for the client's workspace folder (or `cwd`): the nearest ancestor with
/// goalpost.toml, else the git work tree, else the folder itself, like the CLI.
fn root_of(params: &InitializeParams, cwd: &Path) -> PathBuf {
    #[allow(deprecated)] // `root_uri` and `root_path` are what older clients send.
    let folder = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .and_then(|f| uri::to_path(f.uri.as_str()))
        .or_else(|| {
            params
                .root_uri
                .as_ref()
                .and_then(|u| uri::to_path(u.as_str()))
        })
        .or_else(|| params.root_path.as_ref().map(PathBuf::from))
        .unwrap_or_else(|| cwd.to_owned());
    let folder = if folder.is_dir() {
        folder
    } else {
        folder.parent().map_or(cwd.to_owned(), Path::to_owned)
    };
    crate::load::find_root(&folder)
}

/// Runs the server on a connection until the client shuts it down or goes away.
pub(crate) fn serve(conn: &Connection, options: Options) -> Result<(), String> {
    let (id, params) = conn.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let root = root_of(&params, &options.cwd);
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": ServerInfo {
            name: "goalpost".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        },
    });
    conn.initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    let ws = Workspace::new(&root, options.today)
        .map_err(|e| format!("cannot open {}: {e}", root.display()))?;
    let mut server = Server {
        conn,
        ws,
        published: Published::default(),
        index: Index::default(),
    };
    server.log(&format!("goalpost: project root {}", root.display()));
    server.ws.reload();
    server.refresh(false);
    loop {
        // After a quick answer, the whole validation runs once the editor is quiet.
        let msg = if server.ws.is_dirty() {
            match conn.receiver.recv_timeout(QUIET) {
                Ok(m) => m,
                Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                    server.refresh(false);
                    server.ws.prepare();
                    continue;
                }
                Err(crossbeam_channel::RecvTimeoutError::Disconnected) => return Ok(()),
            }
        } else {
            match conn.receiver.recv() {
                Ok(m) => m,
                Err(_) => return Ok(()),
            }
        };
        if server.handle_safely(msg)? {
            return Ok(());
        }
        // Take whatever else is waiting before validating again.
        while let Ok(msg) = conn.receiver.try_recv() {
            if server.handle_safely(msg)? {
                return Ok(());
            }
        }
        server.refresh(true);
        // Idle until the next message: copy what the next validation will consume.
        server.ws.prepare();
    }
}

struct Server<'c> {
    conn: &'c Connection,
    ws: Workspace,
    published: Published,
    index: Index,
}

impl Server<'_> {
    fn send(&self, msg: Message) {
        // The client has gone away: the receive loop ends next.
        let _ = self.conn.sender.send(msg);
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        self.send(Message::Notification(Notification::new(
            N::METHOD.to_owned(),
            params,
        )));
    }

    fn log(&self, message: &str) {
        self.notify::<n::LogMessage>(lsp_types::LogMessageParams {
            typ: lsp_types::MessageType::LOG,
            message: message.to_owned(),
        });
    }

    /// Validates what changed and publishes the diagnostics that changed. With `quick`, the
    /// edited files are answered first from the teams they depend on when that is exact
    /// ([`Workspace::analyse_quick`]), and the whole validation waits for a quiet moment.
    fn refresh(&mut self, quick: bool) {
        if !self.ws.is_dirty() {
            return;
        }
        let started = std::time::Instant::now();
        let sched = schedstat();
        if quick && let Some(files) = self.ws.analyse_quick() {
            let paths: Vec<String> = files
                .iter()
                .map(|&f| self.ws.sources.path(f).to_owned())
                .collect();
            let updates = self.published.update_paths(&self.ws, &paths);
            let n = updates.len();
            for p in updates {
                self.notify::<n::PublishDiagnostics>(p);
            }
            let cpu = cpu_since(sched);
            self.log(&format!(
                "goalpost: answered the edited files first, from {}, published {n} in {} ms{cpu}; the whole project follows",
                self.ws.timings,
                started.elapsed().as_millis(),
            ));
            return;
        }
        self.ws.analyse();
        let analysed = started.elapsed();
        if let Some(e) = self.ws.load_error.take() {
            self.log(&format!("goalpost: {e}"));
        }
        let updates = self.published.update(&self.ws);
        let n = updates.len();
        for p in updates {
            self.notify::<n::PublishDiagnostics>(p);
        }
        let published = started.elapsed();
        let sched_published = schedstat();
        self.ws.free_replaced();
        // For the editor's LSP log (and the benchmark): where the time of an update goes,
        // and how much of it, up to the publication, this thread ran rather than waited for
        // a busy CPU.
        let cpu = cpu_between(sched, sched_published);
        self.log(&format!(
            "goalpost: validated {} goal files in {} ms ({}), published {n} in {} ms{cpu}; then freed what they replace in {} ms",
            self.ws.goal_paths().count(),
            analysed.as_millis(),
            self.ws.timings,
            (published - analysed).as_millis(),
            (started.elapsed() - published).as_millis(),
        ));
    }

    /// [`Server::handle`], with a panic turned into an error answer. `Ok(true)` ends the
    /// session.
    fn handle_safely(&mut self, msg: Message) -> Result<bool, String> {
        let id = match &msg {
            Message::Request(r) => Some(r.id.clone()),
            _ => None,
        };
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.handle(msg))) {
            Ok(r) => r,
            Err(_) => {
                if let Some(id) = id {
                    self.send(Message::Response(Response::new_err(
                        id,
                        ErrorCode::InternalError as i32,
                        "goalpost failed on this request (a bug: please report it)".to_owned(),
                    )));
                }
                Ok(false)
            }
        }
    }

    fn handle(&mut self, msg: Message) -> Result<bool, String> {
        match msg {
            Message::Request(req) => {
                if self.conn.handle_shutdown(&req).map_err(|e| e.to_string())? {
                    return Ok(true);
                }
                self.refresh(false);
                let id = req.id.clone();
                let response = match self.request(req) {
                    Ok(value) => Response::new_ok(id, value),
                    Err((code, message)) => Response::new_err(id, code as i32, message),
                };
                self.send(Message::Response(response));
            }
            Message::Notification(not) => {
                if not.method == n::Exit::METHOD {
                    return Ok(true);
                }
                self.notification(not);
            }
            Message::Response(_) => {}
        }
        Ok(false)
    }

    /// The project-relative path of a document the server may read.
    fn path(&self, uri: &Uri) -> Option<String> {
        self.ws.relative(&uri::to_path(uri.as_str())?)
    }

    fn notification(&mut self, not: Notification) {
        match not.method.as_str() {
            n::DidOpenTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(not.params)
                else {
                    return;
                };
                let doc = p.text_document;
                if let Some(path) = self.path(&doc.uri) {
                    self.ws
                        .open(&path, doc.uri.as_str().to_owned(), doc.text, doc.version);
                }
            }
            n::DidChangeTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(not.params)
                else {
                    return;
                };
                let Some(path) = self.path(&p.text_document.uri) else {
                    return;
                };
                let Some(buffer) = self.ws.buffer(&path) else {
                    return;
                };
                let mut text = buffer.text.clone();
                for change in p.content_changes {
                    match change.range {
                        Some(range) => {
                            let index = LineIndex::new(&text);
                            let start = index.offset(&text, range.start);
                            let end = index.offset(&text, range.end).max(start);
                            text.replace_range(start..end, &change.text);
                        }
                        None => text = change.text,
                    }
                }
                self.ws.change(&path, text, p.text_document.version);
            }
            n::DidSaveTextDocument::METHOD | n::DidChangeWatchedFiles::METHOD => {
                // Other files may have changed on disk too (a checkout, another program):
                // those whose time or length changed are read again.
                self.ws.refresh();
            }
            n::DidCloseTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(not.params)
                else {
                    return;
                };
                if let Some(path) = self.path(&p.text_document.uri) {
                    self.ws.close(&path);
                    // The client forgets a closed document's diagnostics; publish again.
                    self.published.forget(&path);
                }
            }
            _ => {}
        }
    }

    fn request(&mut self, req: Request) -> Result<Value, (ErrorCode, String)> {
        let json = |v: Result<Value, serde_json::Error>| {
            v.map_err(|e| (ErrorCode::InternalError, e.to_string()))
        };
        match req.method.as_str() {
            r::HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = params(req)?;
                let doc = &p.text_document_position_params;
                let Some((path, offset)) = self.place(&doc.text_document.uri, doc.position) else {
                    return Ok(Value::Null);
                };
                json(serde_json::to_value(super::hover::hover(
                    &self.ws, &path, offset,
                )))
            }
            r::GotoDefinition::METHOD => {
                let p: lsp_types::GotoDefinitionParams = params(req)?;
                let doc = &p.text_document_position_params;
                let Some(target) = self.target(&doc.text_document.uri, doc.position) else {
                    return Ok(Value::Null);
                };
                let outlines = self.index.outlines(&self.ws);
                let found = super::navigate::definitions(&self.ws, &outlines, &target);
                json(serde_json::to_value(found))
            }
            r::References::METHOD => {
                let p: lsp_types::ReferenceParams = params(req)?;
                let doc = &p.text_document_position;
                let Some(target) = self.target(&doc.text_document.uri, doc.position) else {
                    return Ok(Value::Null);
                };
                let outlines = self.index.outlines(&self.ws);
                let mut found = Vec::new();
                if p.context.include_declaration {
                    found = super::navigate::definitions(&self.ws, &outlines, &target);
                }
                found.extend(super::navigate::references(&self.ws, &outlines, &target));
                json(serde_json::to_value(found))
            }
            r::DocumentSymbolRequest::METHOD => {
                let p: lsp_types::DocumentSymbolParams = params(req)?;
                let Some(path) = self.path(&p.text_document.uri) else {
                    return Ok(Value::Null);
                };
                let Some(text) = self
                    .ws
                    .text(&path)
                    .filter(|_| self.ws.is_tracked(&path) && self.ws.parses(&path))
                else {
                    return Ok(Value::Null);
                };
                json(serde_json::to_value(super::navigate::symbols(text)))
            }
            r::Completion::METHOD => {
                let p: lsp_types::CompletionParams = params(req)?;
                let doc = &p.text_document_position;
                let Some((path, offset)) = self.place(&doc.text_document.uri, doc.position) else {
                    return Ok(Value::Null);
                };
                let outlines = self.index.outlines(&self.ws);
                let text = self.ws.text(&path).unwrap_or_default();
                let (team, period) = top_level(text);
                let items = super::complete::complete(
                    text,
                    offset,
                    &outlines,
                    team.as_deref(),
                    period.as_deref(),
                    self.ws.upstream(),
                );
                json(serde_json::to_value(items))
            }
            r::CodeActionRequest::METHOD => {
                let p: lsp_types::CodeActionParams = params(req)?;
                let Some(path) = self.path(&p.text_document.uri) else {
                    return Ok(Value::Null);
                };
                json(serde_json::to_value(super::actions::actions(
                    &self.ws, &path, p.range,
                )))
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("goalpost does not answer `{}`", req.method),
            )),
        }
    }

    /// The path and byte offset of a position in a goal file the server reads.
    fn place(&self, uri: &Uri, pos: lsp_types::Position) -> Option<(String, usize)> {
        let path = self.path(uri)?;
        if !self.ws.is_tracked(&path) || path == "goalpost.toml" {
            return None;
        }
        let text = self.ws.text(&path)?;
        // Past the size goalpost reads, a buffer is not analysed (nor is it on disk).
        if text.len() as u64 > crate::load::Limits::default().file_bytes {
            return None;
        }
        let offset = LineIndex::new(text).offset(text, pos);
        Some((path, offset))
    }

    fn target(&self, uri: &Uri, pos: lsp_types::Position) -> Option<Target> {
        let (path, offset) = self.place(uri, pos)?;
        if !self.ws.parses(&path) {
            return None;
        }
        let loc = super::locate::locate(self.ws.text(&path)?, offset)?;
        Target::at(&loc)
    }
}

/// How long the editor must be quiet after a quick answer before the whole project is
/// validated again.
const QUIET: std::time::Duration = std::time::Duration::from_millis(200);

/// "; on a CPU X ms, waiting for one Y ms" between two readings of [`schedstat`].
fn cpu_between(a: Option<(u64, u64)>, b: Option<(u64, u64)>) -> String {
    match (a, b) {
        (Some((run0, wait0)), Some((run1, wait1))) => format!(
            "; on a CPU {} ms, waiting for one {} ms",
            run1.saturating_sub(run0) / 1_000_000,
            wait1.saturating_sub(wait0) / 1_000_000
        ),
        _ => String::new(),
    }
}

/// [`cpu_between`] a reading and now.
fn cpu_since(a: Option<(u64, u64)>) -> String {
    cpu_between(a, schedstat())
}

/// This thread's time on a CPU and waiting in the run queue so far, in ns (Linux's
/// `/proc/thread-self/schedstat`; `None` elsewhere).
fn schedstat() -> Option<(u64, u64)> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let mut f = s.split_whitespace().map(|x| x.parse::<u64>().ok());
    Some((f.next()??, f.next()??))
}

fn params<P: serde::de::DeserializeOwned>(req: Request) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(req.params).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

/// The `team:` and `period:` written at the top level of a goal file's text (read line by
/// line, so a buffer that does not parse still has them).
fn top_level(text: &str) -> (Option<String>, Option<String>) {
    let value = |key: &str| {
        text.lines().find_map(|l| {
            let v = l.strip_prefix(key)?.strip_prefix(':')?;
            let v = v
                .split(" #")
                .next()
                .unwrap_or(v)
                .trim()
                .trim_matches(['"', '\'']);
            (!v.is_empty()).then(|| v.to_owned())
        })
    };
    (value("team"), value("period"))
}
