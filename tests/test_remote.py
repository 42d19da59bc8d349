"""kg push and kg ingest --endpoint, against an Oxigraph server on loopback as the remote store."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.query import load_query, select_rows
from kg.serve import oxigraph_binary
from kg.store import open_store

from .conftest import SEED
from .test_query import build_store

QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def remote():
    """A read-write Oxigraph server, in memory, on a free loopback port."""
    port = free_port()
    server = subprocess.Popen([oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not answers(port):
        assert time.monotonic() < deadline and server.poll() is None, "the Oxigraph server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


def remote_rows(base: str, query: str) -> list[dict[str, str]]:
    request = urllib.request.Request(f"{base}/query?{urllib.parse.urlencode({'query': query})}",
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        bindings = json.loads(response.read())["results"]["bindings"]
    return [{name: cell["value"] for name, cell in row.items()} for row in bindings]


def local_count(path: Path, query: str) -> str:
    return select_rows(open_store(path, create=False, read_only=True), query)[0]["n"] or ""


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("remote") / "store")


def remote_update(base: str, update: str) -> None:
    request = urllib.request.Request(f"{base}/update", data=update.encode(), method="POST",
                                     headers={"Content-Type": "application/sparql-update"})
    urllib.request.urlopen(request, timeout=10).close()


@pytest.mark.parametrize("how", ["--graph-store", "--endpoint"])
def test_remote_push_twice_leaves_one_copy(remote, store_path, how):
    # what an older push left: replaced, not added to
    remote_update(remote, "INSERT DATA { GRAPH <https://w3id.org/kg/id/article/a1> { <urn:old> <urn:p> 1 } "
                          "<urn:old> <urn:p> 2 }")
    target = f"{remote}/store" if how == "--graph-store" else f"{remote}/update"
    first = run("push", "--store", str(store_path), how, target)
    assert first.exit_code == 0, first.output
    assert first.stderr.startswith("3 graphs, ")  # two articles and the default graph
    run("push", "--store", str(store_path), how, target)
    assert remote_rows(remote, QUADS)[0]["n"] == local_count(store_path, QUADS)
    assert remote_rows(remote, TRIPLES)[0]["n"] == local_count(store_path, TRIPLES)
    assert remote_rows(remote, "SELECT ?g WHERE { GRAPH ?g { <urn:old> ?p ?o } }") == []


def test_remote_push_then_a_canned_query_gives_the_same_rows(remote, store_path):
    run("push", "--store", str(store_path), "--graph-store", f"{remote}/store")
    query = load_query("sanctions")
    local = select_rows(open_store(store_path, create=False, read_only=True), query)
    there = remote_rows(remote, query)
    assert [(r["date"], r["action"], r["target"]) for r in there] == [
        (r["date"], r["action"], r["target"]) for r in local] == [
        ("2024-03-01", "imposed", "Belarus"), ("2024-05-10", "lifted", "Belavia")]


@pytest.mark.slow
def test_remote_ingest_writes_to_the_endpoint(remote, tmp_path):
    result = run("ingest", str(SEED), "--endpoint", f"{remote}/update", "--quiet")
    assert result.exit_code == 0, result.output
    graphs = remote_rows(remote, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert graphs == [{"g": "https://w3id.org/kg/id/article/belarus-2025-09-11"}]
    met = remote_rows(remote, load_query("who-met-whom").replace("?actor ?since ?until", ""))
    assert ("Alexander Lukashenko", "John Coale") in {(r["source"], r["target"]) for r in met}
    assert not (tmp_path / "kg-store").exists()


@pytest.mark.slow
def test_remote_ingest_again_skips_what_the_remote_store_has_unchanged(remote, tmp_path):
    corpus = tmp_path / "wire.jsonl"
    lines = [json.dumps({"id": f"a{n}", "date": "2025-10-01", "text": text}) for n, text in
             enumerate(["Poland closed its border with Belarus.", "Latvia summoned the Russian ambassador."])]
    corpus.write_text("\n".join(lines) + "\n")
    first = run("ingest", str(corpus), "--endpoint", f"{remote}/update", "--quiet")
    assert first.exit_code == 0 and first.stderr.startswith("2 articles, 4 actors"), first.stderr
    again = run("ingest", str(corpus), "--endpoint", f"{remote}/update", "--quiet")
    assert again.exit_code == 0 and again.stderr.startswith("0 articles, 2 unchanged skipped, "), again.stderr
    corpus.write_text(lines[0] + "\n" + lines[1].replace("Russian", "Belarusian") + "\n")
    changed = run("ingest", str(corpus), "--endpoint", f"{remote}/update", "--quiet")
    assert changed.stderr.startswith("1 articles (1 changed), 1 unchanged skipped, "), changed.stderr
    summoned = remote_rows(remote, "SELECT ?o WHERE { GRAPH ?g { ?s <http://purl.org/dc/terms/identifier> "
                                   "?o } }")
    assert sorted(row["o"] for row in summoned) == ["a0", "a1"]


def test_remote_unreachable_endpoint_is_one_line(store_path):
    port = free_port()
    for args in (["push", "--store", str(store_path)], ["ingest", str(SEED), "--quiet"]):
        result = run(*args, "--endpoint", f"http://127.0.0.1:{port}/update")
        assert result.exit_code == 1
        assert result.stderr == (f"Error: http://127.0.0.1:{port}/update: cannot connect "
                                 "(Connection refused); is the store running?\n")


def test_remote_refused_request_and_bad_url_are_one_line(remote, store_path):
    refused = run("push", "--store", str(store_path), "--endpoint", f"{remote}/query")
    assert refused.exit_code == 1
    assert refused.stderr.startswith(f"Error: {remote}/query: HTTP 415 Unsupported Media Type")
    assert len(refused.stderr.splitlines()) == 1
    bad = run("push", "--store", str(store_path), "--endpoint", "localhost:7878")
    assert bad.stderr == "Error: localhost:7878: not an http(s) URL, e.g. http://127.0.0.1:7878/update\n"
    neither = run("push", "--store", str(store_path))
    assert neither.exit_code == 2
