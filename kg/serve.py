"""The store -> a read-only SPARQL 1.1 Protocol endpoint: Oxigraph's server behind a size gate.

The endpoint is ``oxigraph serve-read-only`` from the ``oxigraph`` PyPI
package (the Rust server): it speaks the SPARQL 1.1 Protocol, serves YASGUI
at ``/`` and refuses updates. Queries see the default graph, as ``kg query``
does. ``start_endpoint`` runs it on a private loopback port and puts a small
forwarding gate on the public one, for what Oxigraph 0.5 does not do itself
(issue 9):

- size: each answer is read up to ``max_bytes`` and passed on whole, or
  replaced by ``413`` and a note to add a LIMIT;
- time: Oxigraph's ``--timeout-s`` does not stop a query that aggregates or
  sorts before its first row, so the gate stops waiting after ``timeout``
  seconds and answers ``504`` (Oxigraph's thread runs on until it finishes
  or the endpoint stops);
- reach: Oxigraph sends a ``SERVICE <url>`` clause to that URL, anywhere, so
  the gate refuses a query naming SERVICE with ``403``, and refuses every
  method and path but reading (``GET``/``HEAD`` anywhere, ``POST /query``).

The gate is written here with the standard library's ``http.server`` because
no well-kept package caps the size and time of a proxied response; it
forwards bytes and reads only the query text.

Before serving, ``start_endpoint`` adds the ontology graph to the store
(kg.query.add_ontology_graph) so that queries that need Goldstein scores
work over the endpoint too.

Oxigraph serves a snapshot of the store (kg.snapshot), never the store
itself, which a ``kg ingest`` may be writing. Before each request the gate
asks which snapshot a reader would read now (a few ``flock`` calls and a
directory listing); when it is a newer one, it starts an Oxigraph server on
it and sends the requests there, and stops the old server once the requests
it was answering are done. So the endpoint answers while an ingest writes,
and sees each batch the ingest commits.
"""

from __future__ import annotations

import errno
import http.client
import logging
import shutil
import socket
import subprocess
import sysconfig
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from kg.errors import EndpointError, KgError, StoreError
from kg.query import add_ontology_graph, names_service
from kg.snapshot import Snapshot, newest_snapshot, open_snapshot

__all__ = ["Endpoint", "oxigraph_binary", "serve", "start_endpoint"]

logger = logging.getLogger(__name__)

# Headers that belong to one connection, not to the answer being passed on.
_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
               "proxy-authorization", "proxy-authenticate", "content-length", "host"}


@dataclass
class _Upstream:
    """An Oxigraph server answering over one snapshot, and how many requests it is answering."""

    snapshot: Snapshot
    popen: subprocess.Popen[bytes]
    port: int
    users: int = 0
    retired: bool = False

    def stop(self) -> None:
        """Stop the server, then unpin its snapshot."""
        self.popen.terminate()
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
        self.snapshot.release()


class _GateServer(ThreadingHTTPServer):
    """The public side: the store, the Oxigraph server over its newest snapshot, and the limits."""

    daemon_threads = True
    store_path = Path()
    timeout_s = 30.0
    max_bytes = 50_000_000

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self.switching = threading.Lock()
        self.current: _Upstream | None = None

    def acquire(self) -> _Upstream:
        """The upstream for a request: the newest snapshot's, started first if the store changed."""
        with self.switching:
            assert self.current is not None
            try:
                if newest_snapshot(self.store_path) != self.current.snapshot.name:
                    self._switch()
            except KgError as exc:  # the old snapshot still answers
                logger.warning("cannot serve the store's newest snapshot: %s", exc)
            self.current.users += 1
            return self.current

    def release(self, upstream: _Upstream) -> None:
        """A request is done with *upstream*; stop it if it is retired and idle."""
        with self.switching:
            upstream.users -= 1
            idle = upstream.retired and upstream.users == 0
        if idle:
            upstream.stop()

    def _switch(self) -> None:
        snapshot = open_snapshot(self.store_path)
        old = self.current
        if old is not None and snapshot.name == old.snapshot.name:
            snapshot.release()
            return
        try:
            self.current = _start_oxigraph(snapshot, self.timeout_s)
        except BaseException:
            snapshot.release()
            raise
        logger.info("serving snapshot %s of %s", snapshot.name, self.store_path)
        if old is not None:
            old.retired = True
            if old.users == 0:
                old.stop()

    def stop_upstreams(self) -> None:
        """Stop the Oxigraph server(s)."""
        with self.switching:
            upstream, self.current = self.current, None
        if upstream is not None:
            upstream.stop()


@dataclass
class Endpoint:
    """A running endpoint: where it answers and what to stop."""

    url: str
    server: _GateServer

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 Protocol query URL."""
        return f"{self.url}/query"

    def wait(self) -> None:
        """Return when the Oxigraph server stops by itself (not when the gate replaces it)."""
        while (upstream := self.server.current) is not None:
            try:
                upstream.popen.wait(timeout=1)
            except subprocess.TimeoutExpired:
                continue
            if not upstream.retired:
                return

    def close(self) -> None:
        """Stop the gate and the Oxigraph server."""
        self.server.shutdown()
        self.server.server_close()
        self.server.stop_upstreams()


def oxigraph_binary() -> str:
    """The ``oxigraph`` program installed beside this Python, or on PATH."""
    beside = Path(sysconfig.get_path("scripts")) / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise EndpointError("the Oxigraph server is not installed; pip install 'oxigraph>=0.5,<0.6'")
    return found


@contextmanager
def start_endpoint(store_path: str | Path, *, host: str = "127.0.0.1", port: int = 7878,
                   timeout: float = 30.0, max_bytes: int = 50_000_000) -> Iterator[Endpoint]:
    """Serve the store at *store_path* read-only on *host*:*port* until the block ends."""
    store_path = Path(store_path)
    if not store_path.exists():
        raise StoreError(f"{store_path}: no store here; run 'kg ingest' first or pass --store")
    try:
        add_ontology_graph(store_path)
    except KgError as exc:  # an ingest is writing a store that has never had it
        logger.warning("%s; queries that need Goldstein scores will find none", exc)
    server = _bind(host, port)
    server.store_path, server.timeout_s, server.max_bytes = store_path, timeout, max_bytes
    try:
        server.current = _start_oxigraph(open_snapshot(store_path), timeout)
    except BaseException:
        server.server_close()
        raise
    threading.Thread(target=server.serve_forever, name="kg-endpoint", daemon=True).start()
    endpoint = Endpoint(f"http://{host}:{server.server_address[1]}", server)
    try:
        yield endpoint
    finally:
        endpoint.close()


def serve(store_path: str | Path, *, host: str = "127.0.0.1", port: int = 7878,
          timeout: float = 30.0, max_bytes: int = 50_000_000,
          on_ready: Callable[[Endpoint], None] | None = None) -> None:
    """Serve the store until interrupted (Ctrl-C) or until the Oxigraph server stops."""
    with start_endpoint(store_path, host=host, port=port, timeout=timeout,
                        max_bytes=max_bytes) as endpoint:
        if on_ready:
            on_ready(endpoint)
        try:
            endpoint.wait()
        except KeyboardInterrupt:
            logger.info("interrupted; stopping the endpoint")


def _bind(host: str, port: int) -> _GateServer:
    try:
        return _GateServer((host, port), _Gate)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise EndpointError(f"{host}:{port} is in use; pass another --port") from exc
        raise EndpointError(f"cannot listen on {host}:{port} ({exc.strerror})") from exc


def _start_oxigraph(snapshot: Snapshot, timeout: float) -> _Upstream:
    """Start ``oxigraph serve-read-only`` over *snapshot* on a free loopback port; wait until it answers."""
    port = _free_port()
    command = [oxigraph_binary(), "serve-read-only", "--location", str(snapshot.directory),
               "--bind", f"127.0.0.1:{port}", "--timeout-s", f"{max(1, round(timeout))}"]
    # Its messages go to a file, not a pipe, which a long-running server could fill.
    with tempfile.TemporaryFile() as log:
        popen = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if popen.poll() is not None:
                log.seek(0)
                lines = log.read().decode("utf-8", "replace").strip().splitlines()
                raise EndpointError("the Oxigraph server did not start: "
                                    + (lines[0] if lines else f"exit status {popen.returncode}"))
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    return _Upstream(snapshot, popen, port)
            time.sleep(0.02)
        popen.kill()
        popen.wait()
    raise EndpointError("the Oxigraph server did not answer within 20 s")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class _Gate(BaseHTTPRequestHandler):
    """Pass a read request to the Oxigraph server and its answer back, if small and quick enough."""

    server: _GateServer
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._forward()

    do_HEAD = do_GET  # noqa: N815

    def do_POST(self) -> None:  # noqa: N802
        if urllib.parse.urlsplit(self.path).path != "/query":
            self._refuse(403, "read-only endpoint: POST is accepted only at /query")
            return
        self._forward()

    def do_PUT(self) -> None:  # noqa: N802
        self._refuse(403, f"read-only endpoint: {self.command} is not accepted")

    do_DELETE = do_PATCH = do_OPTIONS = do_PUT  # noqa: N815

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if urllib.parse.urlsplit(self.path).path == "/update":
            self._refuse(403, "read-only endpoint: updates are not accepted")
            return
        if _names_service(self.path, body):
            self._refuse(403, "SERVICE is not allowed: this endpoint does not query other endpoints")
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        upstream = self.server.acquire()
        try:
            answer, data = self._ask_upstream(upstream.port, body or None, headers)
        except TimeoutError:
            self._refuse(504, f"the query ran longer than {self.server.timeout_s:g} s; "
                              "narrow it or add a LIMIT")
            return
        except OSError as exc:
            self.send_error(502, "the Oxigraph server did not answer", str(exc))
            return
        finally:
            self.server.release(upstream)
        if len(data) > self.server.max_bytes:
            self._refuse(413, f"the result is larger than {self.server.max_bytes} bytes; add a LIMIT")
            return
        self._answer(answer, data)

    def _ask_upstream(self, port: int, body: bytes | None, headers: dict[str, str]
                      ) -> tuple[http.client.HTTPResponse, bytes]:
        """The upstream answer, read up to one byte past the size limit within the time limit."""
        deadline = time.monotonic() + self.server.timeout_s
        upstream = http.client.HTTPConnection("127.0.0.1", port, timeout=self.server.timeout_s)
        try:
            upstream.request(self.command, self.path, body, headers)
            answer = upstream.getresponse()
            chunks: list[bytes] = []
            size = 0
            while size <= self.server.max_bytes:
                chunk = answer.read(min(1 << 16, self.server.max_bytes + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if time.monotonic() > deadline:
                    raise TimeoutError
            return answer, b"".join(chunks)
        finally:
            upstream.close()

    def _answer(self, answer: http.client.HTTPResponse, data: bytes) -> None:
        self.send_response(answer.status, answer.reason)
        for name, value in answer.getheaders():
            if name.lower() not in _HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _refuse(self, status: int, reason: str) -> None:
        """Answer *status* with *reason* as one line of plain text, the body a client shows."""
        data = f"{reason}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


def _names_service(path: str, body: bytes) -> bool:
    """True if the query string or body, raw or form-decoded, holds a SERVICE clause."""
    texts = (path, body.decode("utf-8", "replace"))
    return any(names_service(t) or names_service(urllib.parse.unquote_plus(t)) for t in texts)


    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base's name)
        logger.info("%s %s", self.address_string(), format % args)
