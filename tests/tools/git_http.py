#!/usr/bin/env python3
"""Serves the git repositories under ROOT over git's smart HTTP protocol, through git's own
CGI program `git http-backend`, for goalpost's fetch tests (src/git/remote/tests.rs).

    python3 tests/tools/git_http.py ROOT

Binds 127.0.0.1 on a free port and prints the port on its first line of output. Hostile
modes, by the first path segment:
  /redirect-same/REST  302 to /REST on the same origin
  /redirect-away/REST  302 to http://127.0.0.2:PORT/REST (another host)
  /slow/REST           answers after 30 s
  /garbage/REST        200, the advertisement's content type, a malformed pkt-line body
  /html/REST           200, text/html
"""

import os
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def backend():
    exec_path = subprocess.run(
        ["git", "--exec-path"], capture_output=True, text=True, check=True
    ).stdout.strip()
    return os.path.join(exec_path, "git-http-backend")


ROOT = os.path.abspath(sys.argv[1])
BACKEND = backend()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def handle_any(self, method):
        path, _, query = self.path.partition("?")
        first, _, rest = path.lstrip("/").partition("/")
        if first == "redirect-same":
            return self.redirect("/" + rest + ("?" + query if query else ""))
        if first == "redirect-away":
            port = self.server.server_address[1]
            return self.redirect(f"http://127.0.0.2:{port}/{rest}")
        if first == "slow":
            time.sleep(30)
            path = "/" + rest
        if first == "garbage":
            body = b"001e# service=git-upload-pack\n0000zzzz nonsense"
            return self.plain(200, "application/x-git-upload-pack-advertisement", body)
        if first == "html":
            return self.plain(200, "text/html", b"<html><body>sign in</body></html>")
        self.cgi(method, path, query)

    def redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def plain(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def cgi(self, method, path, query):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": ROOT,
            "GIT_HTTP_EXPORT_ALL": "1",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "REQUEST_METHOD": method,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "REMOTE_ADDR": self.client_address[0],
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_PROTOCOL": "HTTP/1.0",
        }
        if self.headers.get("Git-Protocol"):
            env["HTTP_GIT_PROTOCOL"] = self.headers["Git-Protocol"]
        proc = subprocess.Popen(
            [BACKEND],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        proc.stdin.write(body)
        proc.stdin.close()
        status, headers = 200, []
        while True:
            line = proc.stdout.readline()
            if not line or line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode("latin-1").rstrip("\r\n").partition(":")
            if name.lower() == "status":
                status = int(value.strip().split(" ")[0])
            else:
                headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        while True:
            chunk = proc.stdout.read1(65536)
            if not chunk:
                break
            self.wfile.write(chunk)
        proc.wait()


class Server(ThreadingHTTPServer):
    daemon_threads = True


def main():
    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
