"""Crash safety (issue 9): an ingest killed with SIGKILL leaves a store that opens, holds
whole articles only, and that a second run completes to exactly the triples of a run
that was never interrupted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.ontology import KG
from kg.read import Article, read_articles
from kg.store import GraphWriter, open_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
INGESTED = ox.NamedNode("http://www.w3.org/ns/prov#generatedAtTime")
HASH = ox.NamedNode(str(KG.contentHash))
JOURNAL = ox.NamedNode(str(KG.journal))
BATCH = 6

pytestmark = pytest.mark.slow

# The ingest process: prints each article's id as soon as it is stored or skipped.
CHILD = """
import sys
from pathlib import Path
from kg.config import Settings
from kg.pipeline import ingest
settings = Settings(store_path=Path(sys.argv[2]), write_batch={batch})
ingest([sys.argv[1]], settings=settings, on_article=lambda article: print(article, flush=True))
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """45 articles: the samples, then the first 16 again under new ids and dates."""
    articles = [a for a in read_articles([SAMPLES]) if isinstance(a, Article)]
    path = tmp_path_factory.mktemp("corpus") / "wire.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for number in range(45):
            article = articles[number % len(articles)]
            day = 1 + number // len(articles)
            out.write(json.dumps({"id": f"wire-{number:03d}", "date": f"2025-10-{day:02d}",
                                  "title": article.title, "text": article.text.split("\n\n", 1)[-1]}) + "\n")
    return path


def run_ingest(corpus: Path, store: Path, *, kill_after: int | None = None) -> int:
    """Run the ingest process; with *kill_after*, SIGKILL it once it has stored that many articles."""
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(batch=BATCH), str(corpus), str(store)],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    assert child.stdout is not None
    stored = 0
    for _ in child.stdout:
        stored += 1
        if stored == kill_after:
            os.kill(child.pid, signal.SIGKILL)
            break
    child.wait(timeout=300)
    child.stdout.close()
    return stored


def graphs(store: ox.Store) -> dict[str, set[str]]:
    """Each named graph's triples as text, ingest times as "T"."""
    found: dict[str, set[str]] = defaultdict(set)
    for quad in store:
        obj = ox.Literal("T") if quad.predicate == INGESTED else quad.object
        found[str(quad.graph_name)].add(f"{quad.subject} {quad.predicate} {obj}")
    return dict(found)


@pytest.fixture(scope="module")
def uninterrupted(corpus, tmp_path_factory) -> dict[str, set[str]]:
    store = tmp_path_factory.mktemp("whole")
    assert run_ingest(corpus, store) == 45
    return graphs(open_store(store, create=False, read_only=True))


def assert_whole_articles_only(store: ox.Store, reference: dict[str, set[str]]) -> None:
    """No journal; every article graph has its hash and is the uninterrupted run's graph; the
    default graph is the merge of the article graphs."""
    found = graphs(store)
    merge = found.pop(str(ox.DefaultGraph()), set())
    assert str(JOURNAL) not in found and JOURNAL not in set(store.named_graphs())
    for name, triples in found.items():
        assert any(f"{name} {HASH} " in triple for triple in triples), f"{name} has no content hash"
        assert triples == reference[name], f"{name} differs from the uninterrupted run"
    assert merge == set().union(*found.values())


@pytest.mark.parametrize("kill_after", [BATCH * 2 + 1, BATCH * 5])
def test_sigkill_mid_batch_leaves_whole_articles_and_a_rerun_completes(corpus, uninterrupted, tmp_path,
                                                                       kill_after):
    assert run_ingest(corpus, tmp_path, kill_after=kill_after) == kill_after
    store = open_store(tmp_path)          # opens, after the kill, and removes any half-written graph
    assert_whole_articles_only(store, uninterrupted)
    assert len(list(store.named_graphs())) >= kill_after - BATCH  # at most the batch in flight is lost
    del store
    assert run_ingest(corpus, tmp_path) == 45
    assert graphs(open_store(tmp_path, create=False, read_only=True)) == uninterrupted


def test_a_bulk_load_cut_short_is_removed_when_the_store_next_opens(tmp_path):
    """The worst moment: the journal written, the article graphs loaded, half the merge loaded."""
    lines = {name: f"<{name}/e> <https://example.org/p> \"{name}\" .\n<https://example.org/shared> "
                   f"<https://example.org/p> \"both\" .\n" for name in ("urn:a", "urn:b", "urn:c")}
    store = open_store(tmp_path)
    writer = GraphWriter(store)
    writer.write("urn:a", lines["urn:a"], "hash-a", new=True)
    writer.flush()
    whole = graphs(store)
    journal = [ox.Quad(ox.NamedNode(g), ox.NamedNode(str(KG.loading)), ox.Literal(f"hash-{g[-1]}"), JOURNAL)
               for g in ("urn:b", "urn:c")]
    store.extend(journal)
    store.bulk_load(input="".join(body.replace(" .\n", f" <{g}> .\n") for g, body in lines.items()
                                  if g != "urn:a").encode(), format=ox.RdfFormat.N_QUADS)
    store.bulk_load(input=lines["urn:b"].encode(), format=ox.RdfFormat.N_TRIPLES)
    del writer, store
    reopened = open_store(tmp_path)
    assert graphs(reopened) == whole    # b and c gone, and from the merge only what a did not hold
