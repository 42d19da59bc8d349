"""The ingest pipeline: skip unchanged, replace changed, resume after a stop, workers, bulk batches."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import pipeline
from kg.build import build_ntriples
from kg.config import Settings
from kg.errors import WorkerError
from kg.pipeline import content_hash, ingest, ingest_articles
from kg.read import Article, read_articles
from kg.resolve import Resolution
from kg.store import GraphWriter, open_store, stored_hash

INPUTS = Path(__file__).parent / "data" / "inputs"
PREFIX = "https://w3id.org/kg/id/"
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
INGESTED = ox.NamedNode("http://www.w3.org/ns/prov#generatedAtTime")

pytestmark = pytest.mark.slow
BUILD_BATCH = pipeline._build_batch


def settings(path: Path, **changes) -> Settings:
    return Settings(store_path=path, **changes)


def quads(path: Path, *, timeless: bool = True) -> list[str]:
    """Every quad of the store as text, sorted; each ingest time as "T" if *timeless*."""
    store = open_store(path, create=False, read_only=True)
    return sorted(str(ox.Quad(q.subject, q.predicate, ox.Literal("T"), q.graph_name)
                      if timeless and q.predicate == INGESTED else q) for q in store)


def record(article_id: str, text: str, date: str = "2025-10-01") -> str:
    return json.dumps({"id": article_id, "title": "", "date": date, "text": text}) + "\n"


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The inputs ingested once, in one go: what every other way must end with."""
    path = tmp_path_factory.mktemp("reference")
    summary = ingest([INPUTS], settings=settings(path))
    assert (summary.articles, summary.unchanged, len(summary.failures)) == (6, 0, 1)
    return quads(path)


def test_pipeline_second_run_skips_everything_and_changes_nothing(tmp_path, reference):
    ingest([INPUTS], settings=settings(tmp_path))
    before = quads(tmp_path, timeless=False)
    seen: list[str] = []
    summary = ingest([INPUTS], settings=settings(tmp_path), on_article=seen.append)
    assert (summary.articles, summary.unchanged, summary.triples) == (0, 6, 0)
    assert len(seen) == 7 and seen.count(f"{INPUTS}/2025/10/minsk-wire.rss: entry 3") == 1
    assert quads(tmp_path, timeless=False) == before
    assert quads(tmp_path) == reference


def test_pipeline_changed_article_is_replaced_without_stale_triples(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    shared = "Poland closed its border with Belarus on Monday."
    corpus.write_text(record("a", f"{shared} Lithuania expelled a Russian diplomat on Tuesday.")
                      + record("b", shared))
    ingest([corpus], settings=settings(tmp_path / "s"))
    corpus.write_text(record("a", f"{shared} Latvia summoned the Russian ambassador on Tuesday.")
                      + record("b", shared))
    summary = ingest([corpus], settings=settings(tmp_path / "s"))
    assert (summary.articles, summary.changed, summary.unchanged) == (1, 1, 1)
    fresh = tmp_path / "fresh"
    ingest([corpus], settings=settings(fresh))
    assert quads(tmp_path / "s") == quads(fresh)
    assert not any("Lithuania" in q or "diplomat" in q for q in quads(tmp_path / "s"))
    store = open_store(tmp_path / "s", create=False, read_only=True)
    poland = ox.NamedNode(f"{PREFIX}actor/country/POL")
    assert [str(q.object) for q in store.quads_for_pattern(poland, LABEL, None, ox.DefaultGraph())] == [
        '"Poland"']


def test_pipeline_interrupted_run_completes_on_the_next(tmp_path, reference):
    def stop_after_three(article_id: str) -> None:
        stop_after_three.calls += ": entry" not in article_id  # type: ignore[attr-defined]
        if stop_after_three.calls == 3:  # type: ignore[attr-defined]
            raise KeyboardInterrupt

    stop_after_three.calls = 0  # type: ignore[attr-defined]
    first = ingest([INPUTS], settings=settings(tmp_path, write_batch=2), on_article=stop_after_three)
    assert first.interrupted and first.articles == 3
    second = ingest([INPUTS], settings=settings(tmp_path, write_batch=2))
    assert not second.interrupted
    assert (second.articles, second.unchanged) == (3, 3)  # the three built before the stop were stored
    assert quads(tmp_path) == reference


def test_pipeline_batch_cut_short_during_bulk_load_is_replaced(tmp_path, reference):
    """A kill during a bulk load leaves graphs, or part of them and of the merge, without a hash."""
    items = list(read_articles([INPUTS]))
    ingest_articles(items[:2], settings=settings(tmp_path))
    full = tmp_path / "full"
    ingest([INPUTS], settings=settings(full))
    store = open_store(full, create=False, read_only=True)
    graph = ox.NamedNode(f"{PREFIX}article/vilnius-talks")
    named = [q for q in store.quads_for_pattern(None, None, None, graph) if "contentHash" not in str(q)]
    named = [ox.Quad(graph, INGESTED, ox.Literal("2000-01-01T00:00:00Z"), graph), *named]
    merged = [ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in named]
    del store
    partial = open_store(tmp_path)
    partial.bulk_extend(named[: len(named) // 2] + merged[: len(merged) // 3])
    del partial
    summary = ingest([INPUTS], settings=settings(tmp_path))
    assert (summary.articles, summary.changed, summary.unchanged) == (4, 1, 2)
    assert quads(tmp_path) == reference


def test_pipeline_an_article_read_twice_in_one_run_ends_as_the_last(tmp_path):
    corpus = tmp_path / "twice.jsonl"
    corpus.write_text(record("a", "Poland closed its border with Belarus.")
                      + record("a", "Poland closed its border with Belarus.")
                      + record("a", "Latvia summoned the Russian ambassador."))
    summary = ingest([corpus], settings=settings(tmp_path / "s"))
    assert (summary.articles, summary.changed, summary.unchanged) == (2, 1, 1)
    last = tmp_path / "last.jsonl"
    last.write_text(record("a", "Latvia summoned the Russian ambassador."))
    ingest([last], settings=settings(tmp_path / "fresh"))
    assert quads(tmp_path / "s") == quads(tmp_path / "fresh")


def test_pipeline_two_workers_give_the_same_store(tmp_path, reference):
    summary = ingest([INPUTS], settings=settings(tmp_path, workers=2, batch_size=2))
    assert summary.articles == 6
    assert quads(tmp_path) == reference


def dies_on_the_feed(jobs):
    """A worker's batch job that kills its process on the feed's entries (the pool forks: it runs this)."""
    if any("entry" in job.article.source for job in jobs):
        os.kill(os.getpid(), signal.SIGKILL)
    return BUILD_BATCH(jobs)


def test_pipeline_a_worker_that_dies_is_one_error_and_a_rerun_completes(tmp_path, reference, monkeypatch):
    monkeypatch.setattr(pipeline, "_build_batch", dies_on_the_feed)
    with pytest.raises(WorkerError, match="an ingest worker process died"):
        ingest([INPUTS], settings=settings(tmp_path, workers=2, batch_size=1))
    store = open_store(tmp_path)
    assert [g for g in store.named_graphs() if not stored_hash(store, g.value)] == []  # whole articles only
    del store
    monkeypatch.undo()
    ingest([INPUTS], settings=settings(tmp_path, workers=2, batch_size=1))
    assert quads(tmp_path) == reference


def test_pipeline_force_extracts_again(tmp_path, reference):
    ingest([INPUTS], settings=settings(tmp_path))
    summary = ingest([INPUTS], settings=settings(tmp_path), force=True)
    assert (summary.articles, summary.changed, summary.unchanged) == (6, 6, 0)
    assert quads(tmp_path) == reference


def test_pipeline_content_hash_ignores_where_an_article_was_read():
    article = Article(id="a", date="2025-01-02", title="T", text="T\n\nBody.", source="x.jsonl:1")
    moved = dataclasses.replace(article, source="y.jsonl:7")
    edited = dataclasses.replace(article, text="T\n\nBody, edited.")
    assert content_hash(article, "m") == content_hash(moved, "m")
    assert len({content_hash(article, "m"), content_hash(edited, "m"), content_hash(article, "n")}) == 3


def test_store_writer_records_the_hash_last(tmp_path):
    store = open_store(tmp_path)
    writer = GraphWriter(store, batch=10)
    graph = f"{PREFIX}article/a"
    writer.write(graph, f"<{graph}> <http://www.w3.org/2000/01/rdf-schema#label> \"A\" .\n", "h1", new=True)
    assert stored_hash(store, graph) is None and len(store) == 0
    writer.flush()
    assert stored_hash(store, graph) == "h1" and len(store) == 4



def test_store_writer_takes_an_article_whose_url_is_not_an_iri(tmp_path):
    article = Article(id="a", date="2025-01-02", title="T", text="T", url="https://example.org/a b\"c")
    body = build_ntriples(article, Resolution("a", (), ()))
    store = open_store(tmp_path)
    writer = GraphWriter(store)
    writer.write(f"{PREFIX}article/a", body, "h", new=True)
    writer.flush()
    source = ox.NamedNode("http://purl.org/dc/terms/source")
    assert [q.object.value for q in store.quads_for_pattern(None, source, None, None)] == [
        "https://example.org/a%20b%22c"] * 2
