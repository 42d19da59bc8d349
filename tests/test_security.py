"""Issue 9, endpoint safety: loopback by default, read-only, no SERVICE, time and size limits,
and query parameters bound as terms, never pasted into the query."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import kg.cli
from kg.cli import cli
from kg.serve import start_endpoint

from .test_query import build_store

# Five copies of every triple: far too many rows to count within a second.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
INSERT = b"INSERT DATA { <http://a> <http://b> <http://c> }"
PLANTED = "ASK { <http://a> ?p ?o }"


class Listener:
    """A local socket that records and at once closes every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.calls = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            self.calls += 1
            connection.close()

    def was_called(self) -> bool:
        time.sleep(0.2)
        return self.calls > 0


@pytest.fixture()
def listener():
    watched = Listener()
    yield watched
    watched.sock.close()


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    path = build_store(tmp_path_factory.mktemp("security") / "store")
    with start_endpoint(path, port=0, timeout=1, max_bytes=5_000) as running:
        yield running


def send(endpoint, method: str, path: str, data: bytes | None = None,
         content_type: str = "application/sparql-query") -> tuple[int, str]:
    request = urllib.request.Request(f"{endpoint.url}{path}", data=data, method=method,
                                     headers={"Content-Type": content_type,
                                              "Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def get_query(endpoint, query: str) -> tuple[int, str]:
    return send(endpoint, "GET", "/query?" + urllib.parse.urlencode({"query": query}))


def test_security_serve_listens_on_loopback_unless_told(tmp_path, monkeypatch):
    seen = {}
    monkeypatch.setattr(kg.cli, "serve", lambda path, **options: seen.update(options))
    result = CliRunner().invoke(cli, ["serve", "--store", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1"
    CliRunner().invoke(cli, ["serve", "--store", str(tmp_path), "--host", "0.0.0.0"])
    assert seen["host"] == "0.0.0.0"


def test_security_endpoint_binds_loopback(endpoint):
    assert endpoint.server.server_address[0] == "127.0.0.1"


@pytest.mark.parametrize(("method", "path", "data", "content_type"), [
    ("POST", "/update", INSERT, "application/sparql-update"),
    ("POST", "/update", b"update=" + urllib.parse.quote_plus(INSERT).encode(),
     "application/x-www-form-urlencoded"),
    ("GET", "/update?" + urllib.parse.urlencode({"update": INSERT}), None, "text/plain"),
    ("POST", "/store?default", b"<http://a> <http://b> <http://c> .", "application/n-triples"),
    ("PUT", "/store?default", b"<http://a> <http://b> <http://c> .", "application/n-triples"),
    ("DELETE", "/store?default", None, "text/plain"),
    ("PATCH", "/query", INSERT, "application/sparql-update"),
], ids=["post-update", "form-update", "get-update", "post-store", "put-store", "delete-store", "patch"])
def test_security_endpoint_refuses_writes(endpoint, method, path, data, content_type):
    status, reason = send(endpoint, method, path, data, content_type)
    assert status == 403
    assert reason.startswith("read-only endpoint: ")
    assert json.loads(get_query(endpoint, PLANTED)[1])["boolean"] is False


def test_security_endpoint_refuses_load(endpoint, listener):
    status, _ = send(endpoint, "POST", "/update", f"LOAD <{listener.url}>".encode(),
                     "application/sparql-update")
    assert status == 403
    assert not listener.was_called()


@pytest.mark.parametrize("how", ["get", "post", "form", "lowercase"])
def test_security_endpoint_refuses_service(endpoint, listener, how):
    query = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    if how == "get":
        status, reason = get_query(endpoint, query)
    elif how == "post":
        status, reason = send(endpoint, "POST", "/query", query.encode())
    elif how == "form":
        status, reason = send(endpoint, "POST", "/query", urllib.parse.urlencode({"query": query}).encode(),
                              "application/x-www-form-urlencoded")
    else:
        status, reason = get_query(endpoint, query.replace("SERVICE", "service silent"))
    assert (status, reason) == (403, "SERVICE is not allowed: this endpoint does not query other endpoints\n")
    assert not listener.was_called()


def test_security_endpoint_allows_service_as_a_word(endpoint):
    query = 'SELECT ?x WHERE { ?x ?p "Federal Security Service" }'
    status, answer = get_query(endpoint, query)
    assert status == 200
    assert json.loads(answer)["results"]["bindings"] == []


def test_security_endpoint_stops_waiting_at_the_time_limit(endpoint):
    started = time.monotonic()
    status, reason = get_query(endpoint, SLOW)
    assert (status, reason) == (504, "the query ran longer than 1 s; narrow it or add a LIMIT\n")
    assert time.monotonic() - started < 5


def test_security_endpoint_size_limit_says_why(endpoint):
    status, reason = get_query(endpoint, "SELECT * WHERE { ?s ?p ?o }")
    assert (status, reason) == (413, "the result is larger than 5000 bytes; add a LIMIT\n")


def test_security_query_refuses_service(tmp_path, listener):
    path = build_store(tmp_path / "store")
    query = f"SELECT * WHERE {{ ?s ?p ?o . SERVICE <{listener.url}> {{ ?x ?y ?z }} }}"
    result = CliRunner().invoke(cli, ["query", query, "--store", str(path)])
    assert result.exit_code == 1
    assert result.stderr == ("Error: SERVICE is not allowed: kg queries its own store, "
                             "never another endpoint\n")
    assert not listener.was_called()


def quads(path) -> list[str]:
    store = ox.Store.read_only(str(path))
    return sorted(str(q) for q in store)


@pytest.mark.parametrize("value", [
    'Lukashenko" } ; DROP ALL ; SELECT * {',
    'Lukashenko"> } ; DROP ALL ; SELECT * {',
    'x" . } UNION { ?event ?p ?o } #',
    'x" || true || "',
    "Lukashenko' } ; CLEAR DEFAULT ; #",
])
def test_security_param_is_a_literal_not_query_text(tmp_path, value):
    path = build_store(tmp_path / "store")
    before = quads(path)
    runner = CliRunner()
    honest = runner.invoke(cli, ["query", "who-met-whom", "--param", "actor=Lukashenko",
                                 "--format", "csv", "--store", str(path)])
    assert honest.exit_code == 0, honest.output
    assert len(honest.stdout.splitlines()) == 2  # the header and the one meeting
    injected = runner.invoke(cli, ["query", "who-met-whom", "--param", f"actor={value}",
                                   "--format", "csv", "--store", str(path)])
    assert injected.exit_code == 0, injected.output
    assert injected.stdout.splitlines() == [honest.stdout.splitlines()[0]]  # no rows
    assert quads(path) == before


def test_security_iri_param_cannot_close_the_iri(tmp_path):
    path = build_store(tmp_path / "store")
    before = quads(path)
    value = "https://w3id.org/kg/id/e1>}UNION{?s?p?o}"
    result = CliRunner().invoke(cli, ["query", "evidence", "--param", f"fact={value}", "--store", str(path)])
    assert result.exit_code == 1
    assert result.stderr == (f"Error: --param fact={value}: not an absolute IRI, "
                             "e.g. https://w3id.org/kg/id/event/...\n")
    assert quads(path) == before
