"""The whole pipeline: read -> extract -> resolve -> build -> store.

``ingest`` streams articles through spaCy in batches and writes each
article's named graph as soon as it is built, so memory does not grow with
the corpus. Unreadable inputs are reported and skipped; the rest goes in.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.build import build_dataset, now
from kg.config import Settings
from kg.extract import Extraction, extract_articles, load_nlp
from kg.link import link_actors
from kg.read import Article, ReadFailure, read_articles
from kg.remote import connect
from kg.resolve import resolve_extraction
from kg.store import open_store, replace_graph

__all__ = ["IngestSummary", "extract_paths", "ingest", "ingest_articles"]

logger = logging.getLogger(__name__)


@dataclass
class IngestSummary:
    """What an ingest did."""

    articles: int = 0
    actors: set[str] = field(default_factory=set)
    events: int = 0
    relations: int = 0
    triples: int = 0
    seconds: float = 0.0
    failures: list[ReadFailure] = field(default_factory=list)

    def line(self) -> str:
        """One line for the end of a run."""
        failed = f", {len(self.failures)} failed" if self.failures else ""
        return (f"{self.articles} articles{failed}, {len(self.actors)} actors, {self.events} events, "
                f"{self.relations} relations, {self.triples} triples in {self.seconds:.1f} s")


def ingest(paths: Iterable[str | Path], *, settings: Settings | None = None,
           on_article: Callable[[str], None] | None = None,
           endpoint: str | None = None) -> IngestSummary:
    """Read, extract and store the articles under *paths*.

    With *endpoint* (a SPARQL 1.1 Update URL) the articles go to that remote
    store, through the same update as the embedded store gets.
    """
    return ingest_articles(read_articles(paths), settings=settings, on_article=on_article,
                           endpoint=endpoint)


def ingest_articles(items: Iterable[Article | ReadFailure], *, settings: Settings | None = None,
                    on_article: Callable[[str], None] | None = None,
                    endpoint: str | None = None) -> IngestSummary:
    """Extract and store articles already read (failures are counted, not stored)."""
    settings = settings or Settings()
    summary, started = IngestSummary(), time.perf_counter()
    store = connect(endpoint) if endpoint else open_store(settings.store_path)
    nlp = load_nlp(settings.spacy_model)
    articles = _articles(items, summary.failures)
    for article, extraction in extract_articles(articles, nlp, batch_size=settings.batch_size):
        _store_article(store, article, extraction, settings, summary)
        if on_article:
            on_article(article.id)
    store.flush()
    summary.seconds = time.perf_counter() - started
    return summary


def _articles(items: Iterable[Article | ReadFailure], failures: list[ReadFailure]) -> Iterator[Article]:
    for item in items:
        if isinstance(item, ReadFailure):
            failures.append(item)
        else:
            yield item


def _store_article(store: object, article: Article, extraction: Extraction, settings: Settings,
                   summary: IngestSummary) -> None:
    resolution = resolve_extraction(extraction)
    resolution = link_actors(store, article, resolution, settings)
    dataset = build_dataset([(article, resolution)], base=settings.base_iri, ingested=now())
    for graph in dataset.graphs():
        if len(graph):
            summary.triples += replace_graph(store, graph)  # type: ignore[arg-type]
    summary.articles += 1
    summary.actors.update(a.key for a in resolution.actors)
    summary.events += sum(1 for f in resolution.facts if f.fact.kind == "event")
    summary.relations += sum(1 for f in resolution.facts if f.fact.kind == "relation")


def extract_paths(paths: Iterable[str | Path], *, settings: Settings | None = None
                  ) -> Iterator[tuple[Article, Extraction] | ReadFailure]:
    """Extraction of each article under *paths*, without touching a store."""
    settings = settings or Settings()
    failures: list[ReadFailure] = []
    nlp = load_nlp(settings.spacy_model)
    yield from extract_articles(_articles(read_articles(paths), failures), nlp,
                                batch_size=settings.batch_size)
    yield from failures
