"""Ingest on a Dask cluster: read and extract in tasks that write N-Quads shards, then load them.

Extraction is independent per article, so the inputs are cut into units
(a JSON Lines file into byte ranges of about ``chunk_bytes`` at line starts,
other files in groups of ``files_per_task``) and each unit is one task. A task
reads its unit, skips the articles whose content hash the store already has
(the client sends the recorded hashes to every worker once), parses and
extracts the rest with the same spaCy pipeline as ``kg ingest`` (``kg_build``;
the model loads once per worker process), and writes two files into the
shard folder:

- ``shard-NNNNN.nq``: each article's graph as N-Quads, one article after the
  other, loadable as it is by any store's bulk loader;
- ``shard-NNNNN.jsonl``: one line per article: id, graph, content hash, the
  byte range of its quads in the ``.nq`` file, and what it holds;
- ``shard-NNNNN.pickle``: each article and its resolved actors, in the same
  order, for the client to link them (kg.link).

The client then links every article's actors to those stored and built
before it, and hands it, in input order, to the same kg.store.GraphWriter as
the single-process path (new articles bulk-loaded with the default-graph
merge, changed ones replaced; or a remote store's update with
``endpoint``), so the store ends up with the same triples.

On a real cluster the shard folder must be one that the workers and the
client all see (NFS, a mounted bucket), and the workers need kg installed
with the spaCy model: see the README.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import logging
import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.config import Settings
from kg.errors import EndpointError, InputError
from kg.link import Pending
from kg.ontology import article_iri
from kg.pipeline import (
    BuiltArticle,
    FailedArticle,
    IngestSummary,
    Job,
    Problems,
    build_articles,
    content_hash,
    is_new,
    known_hashes,
    load_ingest_nlp,
)
from kg.read import (
    Article,
    ReadFailure,
    input_files,
    jsonl_ranges,
    read_articles,
    read_jsonl_range,
    warnings_of,
)
from kg.remote import connect
from kg.snapshot import write_session
from kg.store import GraphWriter

__all__ = ["Unit", "UnitResult", "dask_client", "extract_unit", "ingest_dask", "plan_units"]

logger = logging.getLogger(__name__)

SPLITTABLE = {".jsonl", ".ndjson"}  # gzipped ones are read whole by one task


@dataclass(frozen=True)
class Unit:
    """One task's input: files, or a byte range of a JSON Lines file."""

    files: tuple[str, ...] = ()
    jsonl: str | None = None
    start: int = 0
    end: int = 0
    first_line: int = 1

    def read(self) -> Iterator[Article | ReadFailure]:
        """The unit's articles, and failures."""
        if self.jsonl is not None:
            return read_jsonl_range(Path(self.jsonl), self.start, self.end, self.first_line)
        return read_articles(self.files)


@dataclass
class UnitResult:
    """What a task did: its shard files, articles skipped, failures and warnings."""

    number: int
    quads: str
    index: str
    resolutions: str
    unchanged: list[str] = field(default_factory=list)
    failures: list[ReadFailure] = field(default_factory=list)
    warnings: list[ReadFailure] = field(default_factory=list)


def plan_units(paths: Iterable[str | Path], *, glob: str | None = None, chunk_bytes: int = 4_000_000,
               files_per_task: int = 200) -> Iterator[Unit]:
    """Cut the inputs into tasks, in input order."""
    batch: list[str] = []
    for path in paths:
        if str(path) == "-":
            raise InputError("stdin cannot be read on a Dask cluster; pass files or directories")
        path = Path(path)
        for file in input_files(path, glob) if path.is_dir() else [path]:
            if file.suffix.lower() in SPLITTABLE and file.is_file():
                if batch:
                    yield Unit(files=tuple(batch))
                    batch = []
                for start, end, first in jsonl_ranges(file, chunk_bytes):
                    yield Unit(jsonl=str(file), start=start, end=end, first_line=first)
                continue
            batch.append(str(file))
            if len(batch) >= files_per_task:
                yield Unit(files=tuple(batch))
                batch = []
    if batch:
        yield Unit(files=tuple(batch))


def extract_unit(unit: Unit, number: int, shards: str, known: dict[str, str],
                 settings: Settings) -> UnitResult:
    """A Dask task: read, extract and build a unit's articles into shard files."""
    stem = Path(shards, f"shard-{number:05d}")
    result = UnitResult(number, f"{stem}.nq", f"{stem}.jsonl", f"{stem}.pickle")
    jobs = list(_unit_jobs(unit, known, result, settings))  # a unit is a few MB of text
    nlp = _worker_nlp(settings) if jobs else None
    resolved = []
    with open(result.quads, "wb") as quads, open(result.index, "w", encoding="utf-8") as index:
        for built in build_articles(jobs, settings, nlp=nlp, workers=1):
            if isinstance(built, FailedArticle):
                result.failures.append(built.failure)
                continue
            resolved.append((built.article, built.resolution))
            data = built.body.replace(" .\n", f" <{built.graph}> .\n").encode()
            record = {"id": built.id, "graph": built.graph, "digest": built.digest, "offset": quads.tell(),
                      "length": len(data), "actors": built.actors, "events": built.events,
                      "relations": built.relations}
            quads.write(data)
            index.write(json.dumps(record) + "\n")
    with open(result.resolutions, "wb") as out:
        pickle.dump(resolved, out, protocol=pickle.HIGHEST_PROTOCOL)
    return result


def _unit_jobs(unit: Unit, known: dict[str, str], result: UnitResult, settings: Settings) -> Iterator[Job]:
    for item in unit.read():
        if isinstance(item, ReadFailure):
            result.failures.append(item)
            continue
        result.warnings.extend(warnings_of(item))
        graph = str(article_iri(item.id, settings.base_iri))
        digest = content_hash(item, settings.spacy_model)
        if known.get(graph) == digest:
            result.unchanged.append(item.id)
        else:
            yield Job(item, graph, digest, new=False)


@functools.cache
def _worker_nlp(settings: Settings) -> Any:
    """The pipeline, loaded once per worker process."""
    return load_ingest_nlp(settings)


def ingest_dask(paths: Iterable[str | Path], *, settings: Settings | None = None, address: str | None = None,
                glob: str | None = None, force: bool = False, endpoint: str | None = None,
                shards: str | Path | None = None, on_article: Callable[[str], None] | None = None,
                chunk_bytes: int = 4_000_000, wait: bool = False,
                on_problem: Callable[[str], None] | None = None) -> IngestSummary:
    """Ingest *paths* with read and extract on a Dask cluster at *address* (None: a LocalCluster).

    The LocalCluster has ``settings.workers`` single-threaded worker processes.
    Shards go to *shards* and stay there, or to a temporary folder removed
    at the end (a real cluster needs a folder every machine sees).
    """
    import time

    settings = settings or Settings()
    started, summary = time.perf_counter(), IngestSummary()
    run = functools.partial(_ingest_into, paths=paths, summary=summary, settings=settings, address=address,
                            glob=glob, force=force, shards=shards, on_article=on_article,
                            chunk_bytes=chunk_bytes, on_problem=on_problem)
    if endpoint:
        run(connect(endpoint))
    else:
        with write_session(settings.store_path, wait=wait) as session:
            run(session.store, on_batch=session.publish)
    summary.seconds = time.perf_counter() - started
    return summary


def _ingest_into(store: Any, *, paths: Iterable[str | Path], summary: IngestSummary, settings: Settings,
                 address: str | None, glob: str | None, force: bool, shards: str | Path | None,
                 on_article: Callable[[str], None] | None, chunk_bytes: int,
                 on_problem: Callable[[str], None] | None,
                 on_batch: Callable[[], None] | None = None) -> None:
    problems = Problems(summary, on_problem)
    known = {} if force else known_hashes(store, problems)
    folder = Path(shards) if shards else Path(tempfile.mkdtemp(prefix="kg-shards-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with dask_client(address, settings.workers) as client:
            [known_data] = client.scatter([known], broadcast=True)
            futures = [client.submit(extract_unit, unit, number, str(folder), known_data, settings,
                                     pure=False)
                       for number, unit in enumerate(plan_units(paths, glob=glob, chunk_bytes=chunk_bytes))]
            writer = GraphWriter(store, batch=settings.write_batch, on_batch=on_batch,
                                 on_failure=problems.refused)
            _load_results((future.result() for future in futures), store, writer, problems, on_article,
                          settings, known)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        if not shards:
            shutil.rmtree(folder, ignore_errors=True)
    store.flush()


@contextlib.contextmanager
def dask_client(address: str | None, workers: int) -> Iterator[Any]:
    """A Client of the scheduler at *address*, or of a new LocalCluster of *workers* processes."""
    from dask.distributed import Client, LocalCluster

    cluster = None
    try:
        if address:
            client = Client(address, timeout=30)
        else:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        raise EndpointError(f"cannot reach the Dask scheduler {address}: {exc}") from exc
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _load_results(results: Iterable[UnitResult], store: Any, writer: GraphWriter, problems: Problems,
                  on_article: Callable[[str], None] | None, settings: Settings, known: dict[str, str]
                  ) -> None:
    """Link and write each shard's articles, in order, as ingest_articles does; *known* is the
    store's hashes (pipeline.known_hashes) when the run started."""
    report, summary = on_article or (lambda _: None), problems.summary
    seen: dict[str, str] = {}
    pending = Pending()
    for result in results:
        summary.unchanged += len(result.unchanged)
        for warning in result.warnings:
            problems.warn(warning)
        for failure in result.failures:
            problems.fail(failure)
            report(failure.source)
        for article_id in result.unchanged:
            report(article_id)
        for built in _shard_articles(result):
            if built.digest in (seen.get(built.graph), known.get(built.graph)):
                summary.unchanged += 1
            else:
                new = is_new(built.graph, known, store if isinstance(store, ox.Store) else None, seen)
                built = dataclasses.replace(built, new=new).linked(store, settings, pending)
                summary.add(built)
                writer.write(built.graph, built.body, built.digest, new=new)
            seen[built.graph] = built.digest
            report(built.id)
    writer.flush()


def _shard_articles(result: UnitResult) -> Iterator[BuiltArticle]:
    with open(result.resolutions, "rb") as pickled:
        resolved = pickle.load(pickled)  # noqa: S301 - written by this ingest's own tasks
    with open(result.index, encoding="utf-8") as index, open(result.quads, "rb") as quads:
        for line, (article, resolution) in zip(index, resolved, strict=True):
            record = json.loads(line)
            quads.seek(record["offset"])
            body = quads.read(record["length"]).decode().replace(f" <{record['graph']}> .\n", " .\n")
            yield BuiltArticle(record["id"], record["graph"], record["digest"], False, body,
                               tuple(record["actors"]), record["events"], record["relations"], article,
                               resolution)
