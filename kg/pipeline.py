"""The whole pipeline: read -> extract -> resolve -> build -> store.

``ingest`` streams: articles are read one at a time, checked against the
content hash the store recorded for them (an unchanged article is skipped
before it is parsed), parsed with ``nlp.pipe`` in batches, on a pool of
``workers`` processes if more than one, and written in batches (kg.store's
``GraphWriter``). Nothing holds more than a few batches of articles, so memory
does not grow with the corpus. Unreadable inputs are reported and skipped; the
rest goes in. An article whose extraction raises (a bug in kg) is reported as
a failure of kind ``bug`` and the batch goes on.

Extraction, resolution and building run inside the spaCy pipeline, as its
last component ``kg_build``: with several workers they happen in the worker
processes, next to the parse, and only the built article comes back to the
main process, never a Doc. The component finds its article in the context
spaCy carries with each text (``nlp.pipe(..., as_tuples=True)`` keeps it on
``Doc._context`` and hands back whatever the last component left there).

Linking an article's actors to the actors already stored (kg.link) needs the
store, so it runs in the main process: the built article carries its
resolution back too, and is built again in the rare case a link changed it.
The content hash covers the extractor's data (lexicon, gazetteer) and version,
so a new lexicon makes the next ingest extract every article again.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import json
import logging
import multiprocessing
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from spacy.language import Language
from spacy.tokens import Doc

from kg.build import build_ntriples, now, tool_version
from kg.config import DATA_DIR, Settings
from kg.errors import EndpointError, WorkerError
from kg.extract import Extraction, extract_articles, extract_doc, load_nlp
from kg.link import Pending, link_actors
from kg.ontology import BASE, article_iri
from kg.read import Article, ReadFailure, read_articles, warnings_of
from kg.remote import RemoteStore, connect
from kg.resolve import Resolution, resolve_extraction
from kg.snapshot import write_session
from kg.store import GraphWriter, recorded_hashes

__all__ = ["BuiltArticle", "FailedArticle", "IngestSummary", "Job", "Problems", "build_article",
           "build_articles", "content_hash", "extract_paths", "ingest", "ingest_articles", "is_new",
           "known_hashes", "load_ingest_nlp", "plan_jobs"]

logger = logging.getLogger(__name__)


@dataclass
class IngestSummary:
    """What an ingest did."""

    articles: int = 0
    changed: int = 0
    unchanged: int = 0
    actors: set[str] = field(default_factory=set)
    events: int = 0
    relations: int = 0
    triples: int = 0
    seconds: float = 0.0
    failures: list[ReadFailure] = field(default_factory=list)
    warnings: list[ReadFailure] = field(default_factory=list)   # read, but not as written
    interrupted: bool = False

    def line(self) -> str:
        """One line for the end of a run."""
        changed = f" ({self.changed} changed)" if self.changed else ""
        skipped = f", {self.unchanged} unchanged skipped" if self.unchanged else ""
        failed = f", {len(self.failures)} failed" if self.failures else ""
        failed += f", {len(self.warnings)} read with a warning" if self.warnings else ""
        rate = (self.articles + self.unchanged) / self.seconds if self.seconds else 0.0
        return (f"{self.articles} articles{changed}{skipped}{failed}, "
                f"{len(self.actors)} actors, {self.events} events, {self.relations} relations, "
                f"{self.triples} triples in {self.seconds:.1f} s ({rate:.1f} articles/s)")

    def add(self, built: BuiltArticle) -> None:
        """Count one stored article."""
        self.articles += 1
        self.changed += not built.new
        self.actors.update(built.actors)
        self.events += built.events
        self.relations += built.relations
        self.triples += built.body.count("\n") + 1

    def report(self) -> dict[str, object]:
        """What the run did and every failure and warning, for ``kg ingest --report`` (JSON)."""
        kinds: dict[str, int] = {}
        for failure in self.failures:
            kinds[failure.kind] = kinds.get(failure.kind, 0) + 1
        counts = {"articles": self.articles, "changed": self.changed, "unchanged": self.unchanged,
                  "failed": len(self.failures), "warnings": len(self.warnings), "actors": len(self.actors),
                  "events": self.events, "relations": self.relations, "triples": self.triples}
        return {"ok": not self.failures and not self.interrupted, "interrupted": self.interrupted,
                "seconds": round(self.seconds, 3), "summary": counts, "failed_by_kind": kinds,
                "failures": [dataclasses.asdict(failure) for failure in self.failures],
                "warnings": [dataclasses.asdict(warning) for warning in self.warnings]}


@dataclass(frozen=True)
class Job:
    """An article to extract: its graph's IRI, content hash, and whether the store lacks the graph."""

    article: Article
    graph: str
    digest: str
    new: bool


@dataclass(frozen=True)
class BuiltArticle:
    """An article's graph as N-Triples, ready to store, and what it holds."""

    id: str
    graph: str
    digest: str
    new: bool
    body: str
    actors: tuple[str, ...]
    events: int
    relations: int
    article: Article | None = None          # with its resolution, for linking in the main process
    resolution: Resolution | None = None

    def linked(self, store: object, settings: Settings, pending: Pending) -> BuiltArticle:
        """This article with its actors linked to those of *store* and of *pending* (kg.link)."""
        if self.article is None or self.resolution is None:
            return self
        resolution = link_actors(store, self.article, self.resolution, settings, pending)
        pending.add(resolution)
        if not resolution.links:
            return self
        body = build_ntriples(self.article, resolution, base=settings.base_iri, ingested=now())
        return dataclasses.replace(self, body=body, actors=tuple(a.key for a in resolution.actors))


@dataclass(frozen=True)
class FailedArticle:
    """An article whose extraction raised (a bug in kg): reported, not stored, and the batch goes on."""

    id: str
    graph: str
    failure: ReadFailure


def ingest(paths: Iterable[str | Path], *, settings: Settings | None = None,
           on_article: Callable[[str], None] | None = None, endpoint: str | None = None,
           glob: str | None = None, force: bool = False, wait: bool = False,
           on_problem: Callable[[str], None] | None = None) -> IngestSummary:
    """Read, extract and store the articles under *paths*.

    Articles whose content hash the store already has are skipped unless
    *force*. With *endpoint* (a SPARQL 1.1 Update URL) the articles go to that
    remote store, through the same update as the embedded store gets, and the
    articles it has unchanged are skipped too (kg.remote: one query reads its
    hashes). *glob* picks files in directories.
    *wait*: if another process writes the store, wait for it instead of failing.
    """
    return ingest_articles(read_articles(paths, glob=glob), settings=settings, on_article=on_article,
                           endpoint=endpoint, force=force, wait=wait, on_problem=on_problem)


def ingest_articles(items: Iterable[Article | ReadFailure], *, settings: Settings | None = None,
                    on_article: Callable[[str], None] | None = None, endpoint: str | None = None,
                    force: bool = False, wait: bool = False,
                    on_problem: Callable[[str], None] | None = None) -> IngestSummary:
    """Extract and store articles already read (failures are counted, not stored).

    *on_article* gets the id of each article stored or skipped, and the
    source of each failure, for a progress bar; *on_problem* gets each
    failure and warning as it happens, as a line to show. Ctrl-C stops
    it cleanly: what was stored stays, the summary says ``interrupted``, and
    the same call again does the rest. The embedded store is written under
    its writer's lock (kg.snapshot): a store another process writes is a
    StoreError naming it, or, with *wait*, waited for.
    """
    settings = settings or Settings()
    summary, started = IngestSummary(), time.perf_counter()
    problems = Problems(summary, on_problem)
    if endpoint:
        remote = connect(endpoint)
        _write_articles(items, remote, GraphWriter(remote), problems, settings, on_article, force=force)
    else:
        with write_session(settings.store_path, wait=wait) as session:
            writer = GraphWriter(session.store, batch=settings.write_batch, on_batch=session.publish,
                                 on_failure=problems.refused)
            _write_articles(items, session.store, writer, problems, settings, on_article, force=force)
            del writer
    summary.seconds = time.perf_counter() - started
    return summary


def _write_articles(items: Iterable[Article | ReadFailure], store: ox.Store | RemoteStore,
                    writer: GraphWriter, problems: Problems, settings: Settings,
                    on_article: Callable[[str], None] | None, *, force: bool) -> None:
    report, summary = on_article or (lambda _: None), problems.summary
    in_flight: dict[str, str] = {}
    known = {} if force else known_hashes(store, problems)
    jobs = plan_jobs(problems.checked(items), known, store if isinstance(store, ox.Store) else None, summary,
                     in_flight, settings=settings, on_skip=report)
    try:
        pending = Pending()
        for built in build_articles(jobs, settings):
            if isinstance(built, FailedArticle):
                in_flight.pop(built.graph, None)
                problems.fail(built.failure)
                report(built.id)
                continue
            built = built.linked(store, settings, pending)
            summary.add(built)  # before the write, which may report it refused (Problems.refused)
            writer.write(built.graph, built.body, built.digest, new=built.new)
            in_flight.pop(built.graph, None)
            report(built.id)
        writer.flush()
    except KeyboardInterrupt:
        summary.interrupted = True
        writer.flush()  # the articles built so far are whole; a second Ctrl-C leaves them to the next run
    except WorkerError:
        writer.flush()  # so are those built before a worker died
        raise
    finally:
        store.flush()


class Problems:
    """Failures and warnings of a run: into the summary, and to *show* as they happen."""

    def __init__(self, summary: IngestSummary, show: Callable[[str], None] | None) -> None:
        self.summary, self.show = summary, show or (lambda _: None)

    def checked(self, items: Iterable[Article | ReadFailure]) -> Iterator[Article | ReadFailure]:
        """*items*, each failure and each article's warnings recorded and shown on the way."""
        for item in items:
            if isinstance(item, Article):
                for warning in warnings_of(item):
                    self.warn(warning)
            else:
                self.fail(item)
            yield item

    def warn(self, warning: ReadFailure) -> None:
        """Record and show a warning: an input read, but not as written."""
        self.summary.warnings.append(warning)
        self.show(f"Warning: {warning.message}")

    def refused(self, graph: str, message: str) -> None:
        """An article counted as stored that the store refused (kg.store.GraphWriter's *on_failure*)."""
        self.summary.articles -= 1
        self.fail(ReadFailure(graph, message, "store"))

    def fail(self, failure: ReadFailure) -> None:
        """Record and show a failure."""
        self.summary.failures.append(failure)
        self.show(f"Error: {failure.message}")


def known_hashes(store: ox.Store | RemoteStore, problems: Problems) -> dict[str, str]:
    """The content hash of every article graph *store* has: read from the embedded store, or
    asked of a remote one in one query (none if it will not answer: every article is written)."""
    if isinstance(store, ox.Store):
        return recorded_hashes(store)
    try:
        return store.content_hashes()
    except EndpointError as exc:
        problems.show(f"Warning: {exc}; cannot tell unchanged articles, so every article is written")
        return {}


def plan_jobs(items: Iterable[Article | ReadFailure], known: dict[str, str], store: ox.Store | None,
              summary: IngestSummary, in_flight: dict[str, str], *, settings: Settings,
              on_skip: Callable[[str], None]) -> Iterator[Job]:
    """A Job per article whose hash is not the one *known* (kg.store.recorded_hashes); unchanged
    articles are counted in *summary*; both they and failures (recorded by Problems) go to *on_skip*.

    *in_flight* maps the graphs of jobs handed out but not yet stored to their
    hash, so an article read twice in one run is stored once, or replaced. A
    graph in the store without a hash (a half-loaded one the journal does not
    list, from a kg before it kept one; kg.store explains) is replaced, not
    bulk-loaded again.
    """
    for item in items:
        if isinstance(item, ReadFailure):
            on_skip(item.source)
            continue
        graph = str(article_iri(item.id, settings.base_iri))
        digest = content_hash(item, settings.spacy_model)
        if digest in (known.get(graph), in_flight.get(graph)):
            summary.unchanged += 1
            on_skip(item.id)
            continue
        new = is_new(graph, known, store, in_flight)
        in_flight[graph] = digest
        yield Job(item, graph, digest, new)


def is_new(graph: str, known: dict[str, str], store: ox.Store | None, in_run: dict[str, str]) -> bool:
    """Whether the article graph *graph* is new to the store, so it may be bulk-loaded: not written
    earlier in the run (*in_run*), and not in the embedded *store* (or, for a remote one, not *known*)."""
    return graph not in in_run and (graph not in known if store is None
                                    else not store.contains_named_graph(ox.NamedNode(graph)))


def content_hash(article: Article, model: str) -> str:
    """SHA-256 of the article as read (where it was read from aside), the model's name and
    the extractor's fingerprint: a new lexicon or gazetteer is a change."""
    fields = dataclasses.asdict(article)
    del fields["source"], fields["warnings"]
    text = json.dumps([model, extractor_fingerprint(), fields], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


@functools.cache
def extractor_fingerprint() -> str:
    """SHA-256 of kg's version and of every file of data/lexicon and data/gazetteer."""
    digest = hashlib.sha256(tool_version().encode())
    for path in sorted([*(DATA_DIR / "lexicon").glob("*.tsv"), *(DATA_DIR / "gazetteer").glob("*.tsv")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build_articles(jobs: Iterable[Job], settings: Settings, *, nlp: Language | None = None,
                   workers: int | None = None) -> Iterator[BuiltArticle | FailedArticle]:
    """Parse, extract, resolve and build each job's article, in order.

    Without *nlp* the model loads on the first job (not at all if there is none).
    """
    jobs = iter(jobs)
    first = next(jobs, None)
    if first is None:
        return
    nlp = nlp or load_ingest_nlp(settings)
    workers = settings.workers if workers is None else workers
    if workers > 1:
        yield from _build_in_workers(nlp, _batches(_chain(first, jobs), settings.batch_size), workers)
        return
    pairs = ((job.article.text, job) for job in _chain(first, jobs))
    for _, built in nlp.pipe(pairs, as_tuples=True, batch_size=settings.batch_size):
        yield built  # type: ignore[misc]  # kg_build swapped the Job for its BuiltArticle


def _build_in_workers(nlp: Language, batches: Iterable[list[Job]], workers: int
                      ) -> Iterator[BuiltArticle | FailedArticle]:
    """Build *batches* on *workers* processes, a few batches ahead, in order.

    Our pool, not spaCy's ``n_process``: with a context per text (``as_tuples``)
    spaCy tokenizes every text in the main process and ships the Doc to the
    worker as bytes, and the main process then stops reading the workers'
    results while it bulk-loads a batch. Here a batch of Jobs goes out and its
    BuiltArticles come back, received by a thread of the executor (issue 8); a
    worker that dies (killed, out of memory) fails the ingest with a WorkerError
    instead of hanging it.
    """
    executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(),
                                   initializer=_start_worker, initargs=(nlp,))
    running: deque[Future[list[BuiltArticle | FailedArticle]]] = deque()
    try:
        for batch in batches:
            running.append(executor.submit(_build_batch, batch))
            if len(running) > 2 * workers:
                yield from _result(running.popleft())
        while running:
            yield from _result(running.popleft())
    finally:  # stopped early (Ctrl-C, an error): the batches not started are dropped
        executor.shutdown(wait=not running, cancel_futures=True)


# The pipeline of a worker process of _build_in_workers, set once when it starts.
_worker_nlp: list[Language] = []


def _start_worker(nlp: Language) -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends a worker at once, without a traceback
    _worker_nlp.append(nlp)


def _result(future: Future[list[BuiltArticle | FailedArticle]]) -> list[BuiltArticle | FailedArticle]:
    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise WorkerError("an ingest worker process died (killed, or out of memory); the articles built "
                          "before are stored: run the same command again to go on") from exc


def _build_batch(jobs: list[Job]) -> list[BuiltArticle | FailedArticle]:
    pairs = ((job.article.text, job) for job in jobs)
    built = _worker_nlp[0].pipe(pairs, as_tuples=True, batch_size=len(jobs))
    return [article for _, article in built]  # type: ignore[misc]  # kg_build swapped each Job


def _batches(jobs: Iterator[Job], size: int) -> Iterator[list[Job]]:
    while batch := list(itertools.islice(jobs, size)):
        yield batch


def load_ingest_nlp(settings: Settings) -> Language:
    """The extraction pipeline with ``kg_build`` at its end."""
    nlp = load_nlp(settings.spacy_model)
    nlp.add_pipe("kg_build", config={"base": settings.base_iri})
    return nlp


def _chain(first: Job, rest: Iterator[Job]) -> Iterator[Job]:
    yield first
    yield from rest


@Language.factory("kg_build", default_config={"base": BASE})
def make_builder(nlp: Language, name: str, base: str) -> Callable[[Doc], Doc]:
    """The spaCy component that turns a parsed article (its Job in ``Doc._context``) into a BuiltArticle."""
    def build(doc: Doc) -> Doc:
        job = getattr(doc, "_context", None)
        if not isinstance(job, Job):
            return doc
        built = _build_or_fail(job, doc, base)
        # The parse is freed as soon as the article is built (issue 8).
        empty = Doc(doc.vocab, words=[])
        empty._context = built
        return empty
    return build


def _build_or_fail(job: Job, doc: Doc, base: str) -> BuiltArticle | FailedArticle:
    """build_article, or the failure it raised: one article's bug must not stop the batch."""
    try:
        return build_article(job, doc, base)
    except Exception as exc:  # noqa: BLE001 - any exception here is a bug in kg; it is reported
        logger.exception("%s: extraction failed", job.article.source)
        where = job.article.source or job.article.id
        message = (f"{where}: extraction failed ({type(exc).__name__}: {exc}); this is a bug in kg, "
                   "please report it with the article")
        return FailedArticle(job.article.id, job.graph, ReadFailure(where, message, "bug"))


def build_article(job: Job, doc: Doc, base: str = BASE) -> BuiltArticle:
    """Extract, resolve and build one parsed article."""
    resolution = resolve_extraction(extract_doc(job.article, doc))
    kinds = [resolved.fact.kind for resolved in resolution.facts]
    return BuiltArticle(job.article.id, job.graph, job.digest, job.new,
                        build_ntriples(job.article, resolution, base=base, ingested=now()),
                        tuple(actor.key for actor in resolution.actors), kinds.count("event"),
                        kinds.count("relation"), job.article, resolution)


def extract_paths(paths: Iterable[str | Path], *, settings: Settings | None = None
                  ) -> Iterator[tuple[Article, Extraction] | ReadFailure]:
    """Extraction of each article under *paths*, without touching a store."""
    settings = settings or Settings()
    failures: list[ReadFailure] = []
    nlp = load_nlp(settings.spacy_model)
    yield from extract_articles(_articles(read_articles(paths), failures), nlp,
                                batch_size=settings.batch_size)
    yield from failures


def _articles(items: Iterable[Article | ReadFailure], failures: list[ReadFailure]) -> Iterator[Article]:
    for item in items:
        if isinstance(item, ReadFailure):
            failures.append(item)
        else:
            yield item
