// Drives the real yaml-language-server (npm) over stdio, as an editor does: opens one YAML
// file (its `# yaml-language-server: $schema=` modeline names the schema), waits for the
// diagnostics, then asks for a hover at each LINE:CHARACTER given (0-based).
// Usage: node yamlls.cjs FILE [LINE:CHARACTER...]
// Prints one JSON object: {"diagnostics": [{line, message}...], "hovers": [text or null...]};
// exit 0, or 2 when the server does not answer within 20 seconds.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { spawn } = require("node:child_process");
const { pathToFileURL } = require("node:url");

const [file, ...places] = process.argv.slice(2);
const server = require.resolve("yaml-language-server/bin/yaml-language-server");
const child = spawn(process.execPath, [server, "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
const uri = pathToFileURL(path.resolve(file)).href;
const text = fs.readFileSync(file, "utf8");

let nextId = 1;
const waiting = new Map();
let onDiagnostics = null;
function send(msg) {
  const body = JSON.stringify({ jsonrpc: "2.0", ...msg });
  child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}
function request(method, params) {
  const id = nextId++;
  send({ id, method, params });
  return new Promise((resolve) => waiting.set(id, resolve));
}
const settings = {
  yaml: { validate: true, hover: true, completion: true, schemaStore: { enable: false } },
};
let buf = Buffer.alloc(0);
child.stdout.on("data", (chunk) => {
  buf = Buffer.concat([buf, chunk]);
  for (;;) {
    const end = buf.indexOf("\r\n\r\n");
    if (end < 0) return;
    const len = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, end).toString())[1]);
    if (buf.length < end + 4 + len) return;
    const msg = JSON.parse(buf.subarray(end + 4, end + 4 + len).toString());
    buf = buf.subarray(end + 4 + len);
    if (msg.method === "workspace/configuration") {
      send({ id: msg.id, result: msg.params.items.map((i) => settings[i.section] ?? null) });
    } else if (msg.method && msg.id !== undefined) {
      send({ id: msg.id, result: null });
    } else if (msg.method === "textDocument/publishDiagnostics" && msg.params.uri === uri) {
      if (onDiagnostics) onDiagnostics(msg.params.diagnostics);
    } else if (msg.id !== undefined && waiting.has(msg.id)) {
      waiting.get(msg.id)(msg.result);
      waiting.delete(msg.id);
    }
  }
});

const timer = setTimeout(() => {
  console.error("yaml-language-server did not answer within 20 seconds");
  child.kill();
  process.exit(2);
}, 20000);

(async () => {
  await request("initialize", {
    processId: process.pid,
    rootUri: pathToFileURL(path.dirname(path.resolve(file))).href,
    capabilities: {
      workspace: { configuration: true },
      textDocument: { hover: { contentFormat: ["markdown", "plaintext"] } },
    },
  });
  send({ method: "initialized", params: {} });
  send({ method: "workspace/didChangeConfiguration", params: { settings } });
  const diagnostics = new Promise((resolve) => (onDiagnostics = resolve));
  send({
    method: "textDocument/didOpen",
    params: { textDocument: { uri, languageId: "yaml", version: 1, text } },
  });
  const diags = await diagnostics;
  const hovers = [];
  for (const p of places) {
    const [line, character] = p.split(":").map(Number);
    const h = await request("textDocument/hover", {
      textDocument: { uri },
      position: { line, character },
    });
    hovers.push(h ? h.contents.value ?? h.contents : null);
  }
  await request("shutdown", null);
  send({ method: "exit" });
  clearTimeout(timer);
  console.log(
    JSON.stringify({
      diagnostics: diags.map((d) => ({ line: d.range.start.line, message: d.message })),
      hovers,
    }),
  );
  process.exit(0);
})();
