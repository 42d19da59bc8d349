"""Writers and readers of one store at once, in real processes (issue 9, item 4).

The writer is ``kg ingest -`` reading JSON Lines from a pipe, so the test
decides when it goes on: spaCy parses 32 texts at a time, so after 32 lines
the ingest has written 4 batches of ``KG_WRITE_BATCH=8`` and waits for more,
holding the store's lock. The waits below are for a state to appear, with a
deadline only against a hang.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.query import select_rows
from kg.serve import start_endpoint
from kg.snapshot import CURRENT, SNAPSHOTS, open_snapshot, writer_holding

pytestmark = pytest.mark.slow

COUNTS = """SELECT (COUNT(DISTINCT ?g) AS ?graphs) (COUNT(DISTINCT ?hashed) AS ?hashed) WHERE {
  GRAPH ?g { ?g <http://purl.org/dc/terms/identifier> ?id }
  OPTIONAL { ?g <https://w3id.org/kg/ontology#contentHash> ?h BIND (?g AS ?hashed) } }"""
SENTENCES = ["Estonia summoned the Russian ambassador after a fighter jet entered its airspace.",
             "Finland and Sweden held a joint naval exercise in the Baltic Sea.",
             "Poland closed its border with Belarus during the exercise.",
             "Lithuania expelled the Russian ambassador from Vilnius."]
GENERATED_AT = "http://www.w3.org/ns/prov#generatedAtTime"


def corpus(first: int, count: int) -> list[str]:
    """JSON Lines of *count* short articles, ids from *first*."""
    return [json.dumps({"id": f"c{n:03d}", "title": f"Item {n}", "date": "2025-10-01",
                        "text": f"{SENTENCES[n % len(SENTENCES)]} Officials met on day {n}."}) + "\n"
            for n in range(first, first + count)]


def kg_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "kg", *args]


def environment() -> dict[str, str]:
    return {**os.environ, "KG_WRITE_BATCH": "8", "PYTHONWARNINGS": "ignore"}


@pytest.fixture
def start_ingest():
    """Start ``kg ingest -`` into a store, its stdin a pipe the test writes; return once it holds the lock."""
    started: list[subprocess.Popen[str]] = []

    def start(store: Path) -> subprocess.Popen[str]:
        command = kg_command("ingest", "-", "--store", str(store), "-q")
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env=environment())
        started.append(process)
        wait_for(lambda: f"pid {process.pid} (" in str(writer_holding(store)), "the ingest to take the lock")
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()
        for stream in (process.stdin, process.stderr):
            if stream is not None:
                stream.close()


def feed(process: subprocess.Popen[str], lines: list[str], *, close: bool = False) -> None:
    assert process.stdin is not None
    process.stdin.writelines(lines)
    process.stdin.flush()
    if close:
        process.stdin.close()


def run_kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(kg_command(*args), capture_output=True, text=True, env=environment(), timeout=120)


def counts(store: Path) -> tuple[int, int]:
    """Article graphs and article graphs with their content hash, in the snapshot a reader gets now."""
    snapshot = open_snapshot(store)
    try:
        row = select_rows(snapshot.open(), COUNTS)[0]
    finally:
        snapshot.release()
    return int(row["graphs"] or 0), int(row["hashed"] or 0)


def wait_for(condition, what: str, deadline: float = 90.0) -> None:
    """Poll *condition* until true; fail only if it never is (a hang)."""
    end = time.monotonic() + deadline
    while not condition():
        assert time.monotonic() < end, f"gave up waiting for {what}"
        time.sleep(0.05)


def articles_seen(store: Path, expected: int, seen: list[tuple[int, int]]):
    """A condition: a reader sees *expected* articles; every state read goes to *seen*."""
    def check() -> bool:
        seen.append(counts(store))
        return seen[-1][0] == expected
    return check


def quads_without_times(store: Path) -> set[str]:
    snapshot = open_snapshot(store)
    try:
        return {str(q) for q in snapshot.open() if getattr(q.predicate, "value", "") != GENERATED_AT}
    finally:
        snapshot.release()


@pytest.fixture
def corpus_file(tmp_path: Path) -> Path:
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(corpus(0, 34)), encoding="utf-8")
    return path


def test_concurrency_second_ingest_fails_with_the_lock_message(start_ingest, tmp_path, corpus_file):
    store = tmp_path / "store"
    first = start_ingest(store)
    feed(first, corpus(0, 32))
    wait_for(articles_seen(store, 32, []), "the first 4 batches")
    second = run_kg("ingest", str(corpus_file), "--store", str(store), "-q")
    feed(first, corpus(32, 2), close=True)
    assert first.wait(timeout=120) == 0, first.stderr.read() if first.stderr else ""
    assert second.returncode == 1
    pattern = (rf"Error: {re.escape(str(store))}: locked by pid {first.pid} \(kg ingest - --store "
               rf"{re.escape(str(store))} -q, since \d{{4}}-\d\d-\d\dT[\d:]+[+-][\d:]+\); "
               r"wait for it to end, or pass --wait\n")
    assert re.fullmatch(pattern, second.stderr), second.stderr
    reference = tmp_path / "reference"
    assert run_kg("ingest", str(corpus_file), "--store", str(reference), "-q").returncode == 0
    assert quads_without_times(store) == quads_without_times(reference)


def test_concurrency_second_ingest_waits_its_turn_with_wait(start_ingest, tmp_path, corpus_file):
    store = tmp_path / "store"
    first = start_ingest(store)
    with subprocess.Popen(kg_command("-v", "ingest", str(corpus_file), "--store", str(store), "-q", "--wait"),
                          stderr=subprocess.PIPE, text=True, env=environment()) as second:
        assert second.stderr is not None
        for line in second.stderr:
            if "waiting for" in line:
                break
        assert f"waiting for pid {first.pid} (" in line
        feed(first, corpus(0, 34), close=True)
        assert first.wait(timeout=120) == 0
        rest = second.stderr.read()
        assert second.wait(timeout=120) == 0, rest
    assert "0 articles, 34 unchanged skipped" in rest  # it ran after the first had stored them all
    assert counts(store) == (34, 34)


def test_concurrency_queries_answer_while_an_ingest_writes(start_ingest, tmp_path):
    store = tmp_path / "store"
    writer = start_ingest(store)
    feed(writer, corpus(0, 32))
    seen: list[tuple[int, int]] = []
    wait_for(articles_seen(store, 32, seen), "the first 4 batches")
    assert all(graphs == hashed for graphs, hashed in seen), seen  # no article without its hash
    assert {graphs for graphs, _ in seen} <= {0, 8, 16, 24, 32}   # whole batches only
    assert writer_holding(store) is not None and f"pid {writer.pid} (" in str(writer_holding(store))
    during = run_kg("query", COUNTS, "--store", str(store), "--format", "csv")
    assert (during.returncode, during.stdout) == (0, "graphs,hashed\n32,32\n"), during.stderr
    assert f"pid {writer.pid} (" in str(writer_holding(store))  # the query ran while it wrote
    feed(writer, corpus(32, 2), close=True)
    assert writer.wait(timeout=120) == 0
    after = run_kg("query", COUNTS, "--store", str(store), "--format", "csv")
    assert (after.returncode, after.stdout) == (0, "graphs,hashed\n34,34\n"), after.stderr


def test_concurrency_api_reads_the_newest_snapshot(start_ingest, tmp_path):
    import kg

    store = tmp_path / "store"
    writer = start_ingest(store)
    feed(writer, corpus(0, 32))
    wait_for(articles_seen(store, 32, []), "the first 4 batches")
    graph = kg.KnowledgeGraph.open(store, create=False)
    assert graph.query(COUNTS) == [{"graphs": "32", "hashed": "32"}]
    feed(writer, corpus(32, 2), close=True)
    assert writer.wait(timeout=120) == 0
    assert graph.query(COUNTS) == [{"graphs": "34", "hashed": "34"}]


def served_count(url: str) -> int:
    request = urllib.request.Request(f"{url}?{urllib.parse.urlencode({'query': COUNTS})}",
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return int(json.loads(response.read())["results"]["bindings"][0]["graphs"]["value"])


def test_concurrency_serve_answers_during_an_ingest_and_sees_it_after(start_ingest, tmp_path):
    store = tmp_path / "store"
    seed = start_ingest(store)
    feed(seed, corpus(100, 2), close=True)
    assert seed.wait(timeout=120) == 0
    with start_endpoint(store, port=0, timeout=10) as endpoint:
        assert served_count(endpoint.query_url) == 2
        writer = start_ingest(store)
        feed(writer, corpus(0, 32))
        wait_for(lambda: served_count(endpoint.query_url) == 34, "the endpoint to see 4 batches")
        assert f"pid {writer.pid} (" in str(writer_holding(store))
        feed(writer, corpus(32, 2), close=True)
        assert writer.wait(timeout=120) == 0
        assert served_count(endpoint.query_url) == 36


def test_concurrency_a_killed_writer_blocks_nothing(start_ingest, tmp_path, corpus_file):
    store = tmp_path / "store"
    writer = start_ingest(store)
    feed(writer, corpus(0, 32))
    wait_for(articles_seen(store, 32, []), "the first 4 batches")
    writer.kill()
    writer.wait(timeout=30)
    assert writer_holding(store) is None
    assert not (store / SNAPSHOTS / CURRENT).exists()
    assert counts(store) == (32, 32)  # a reader publishes a snapshot of the store as RocksDB recovers it
    again = run_kg("ingest", str(corpus_file), "--store", str(store), "-q")
    assert again.returncode == 0, again.stderr
    assert again.stderr.startswith("2 articles, 32 unchanged skipped")
    assert counts(store) == (34, 34)
    current = (store / SNAPSHOTS / CURRENT).read_text(encoding="utf-8").strip()
    left = sorted(p.name for p in (store / SNAPSHOTS).iterdir())
    assert left == sorted([CURRENT, current, f"{current}.lock"])  # the killed run's snapshots are gone


def test_concurrency_a_store_written_outside_the_lock_is_read_once_closed(tmp_path):
    store = tmp_path / "store"
    live = ox.Store(str(store))
    live.add(ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.NamedNode("http://c")))
    live.flush()
    del live
    snapshot = open_snapshot(store)
    try:
        assert len(snapshot.open()) == 1
    finally:
        snapshot.release()
