"""rdflib graphs -> Oxigraph on disk: open, replace an article's graph, dump.

The embedded store is pyoxigraph's RocksDB-backed ``Store``. It holds each
article's graph as a named graph (provenance) and their RDF merge as the
default graph, which is what queries see. Oxigraph's own union of named graphs
(``use_default_graph_as_union``) repeats a triple once per graph that holds
it (oxigraph/oxigraph#1919, fixed after 0.5), so "United States" mentioned in
a thousand articles would multiply every join by a thousand.

Writing an article is one SPARQL update, which Oxigraph runs as one
transaction: remove from the merge the triples only this article supported,
drop its graph, insert the new graph and add it to the merge. A reader never
sees half an article, and re-ingesting an article replaces it.

``GraphWriter`` is how ``kg ingest`` writes: articles new to the store are
bulk-loaded in batches, which is many times faster than one update each
(Oxigraph's transactional ``load`` was 15 times slower than ``bulk_load``),
and the others go through that update. Bulk loading is not a transaction, so
a batch is journaled: one transaction lists its graphs in the named graph
``kg:journal``; the article graphs are bulk-loaded, then their merge into
the default graph; and one transaction records each article's
``kg:contentHash`` and empties the journal. A run killed in the middle of a
batch leaves the journal listing graphs that may be half-written; opening
the store for writing (``open_store``) removes them, and whatever they put
in the merge, before anything else, so the store holds whole articles only
and the next run ingests those articles again.
After each batch, ``on_batch`` publishes a snapshot for readers (kg.snapshot):
they never see a batch without its hashes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
from rdflib import Graph

from kg.errors import StoreError
from kg.ontology import KG
from kg.snapshot import SNAPSHOTS, open_for_writing, open_snapshot, writer_holding

__all__ = ["GraphWriter", "open_store", "recorded_hashes", "recover", "replace_graph", "replace_ntriples",
           "store_counts", "stored_hash"]

logger = logging.getLogger(__name__)


def open_store(path: str | Path, *, create: bool = True, read_only: bool = False) -> ox.Store:
    """Open (or create) the store at *path*; *read_only*: its newest snapshot (kg.snapshot).

    A read-only store stays pinned until the process ends (``open_snapshot``
    pins one for as long as you want). Writing to the store opened here
    bypasses kg's writer lock, so readers see it only once it is closed;
    ``write_session`` is the writer's way.
    """
    path = Path(path)
    if not create and not path.exists():
        raise StoreError(f"{path}: no store here; run 'kg ingest' first or pass --store")
    if read_only:
        return open_snapshot(path).open()  # the pin's descriptor stays open: it ends with the process
    holder = writer_holding(path)
    if holder is not None:
        raise StoreError(f"{path}: locked by {holder}; wait for it to end")
    (path / SNAPSHOTS / "CURRENT").unlink(missing_ok=True)  # readers publish a snapshot once it is closed
    return open_for_writing(path)


def recover(store: ox.Store) -> int:
    """Remove the article graphs the journal lists (an interrupted bulk load), with what they put
    in the merge; return how many."""
    graphs = [str(quad.subject.value) for quad in store.quads_for_pattern(None, _LOADING, None, _JOURNAL)
              if isinstance(quad.subject, ox.NamedNode)]
    for graph in graphs:
        _update(store, f"{_removal(graph)} ;\nDELETE WHERE {{ GRAPH <{KG.journal}> {{ <{graph}> ?p ?o }} }}",
                graph)
    if store.contains_named_graph(_JOURNAL):
        store.remove_graph(_JOURNAL)  # an empty graph Oxigraph still lists
    return len(graphs)


class Updatable(Protocol):
    """What the replace update needs: the embedded store or a kg.remote.RemoteStore."""

    def update(self, sparql: str) -> None: ...


def replace_graph(store: Updatable, graph: Graph) -> int:
    """Replace the named graph *graph* in *store*; return its triple count."""
    replace_ntriples(store, str(graph.identifier), graph.serialize(format="nt"))
    return len(graph)


def replace_ntriples(store: Updatable, graph: str, body: str) -> None:
    """Replace the named graph *graph* (an IRI) by the N-Triples *body*, merge included, in one update."""
    _update(store, f"{_removal(graph)} ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }} ;\n"
                   f"INSERT DATA {{\n{body}\n}}", graph)


def _removal(graph: str) -> str:
    """The update that removes the named graph *graph*, and from the merge the triples only it holds."""
    name = f"<{graph}>"
    return (f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {name} {{ ?s ?p ?o }}\n"
            f"  FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other != {name}) }} }} ;\n"
            f"DROP SILENT GRAPH {name}")


def _update(store: Updatable, update: str, graph: str) -> None:
    try:
        store.update(update)
    except (OSError, SyntaxError) as exc:
        raise StoreError(f"cannot write graph <{graph}>: {_first_line(exc)}") from exc


def recorded_hashes(store: ox.Store) -> dict[str, str]:
    """Every article graph's recorded content hash."""
    return {quad.subject.value: quad.object.value
            for quad in store.quads_for_pattern(None, _HASH, None, ox.DefaultGraph())
            if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal)}


def stored_hash(store: ox.Store, graph: str) -> str | None:
    """The content hash recorded for the article graph *graph*, or None."""
    node = ox.NamedNode(graph)
    for quad in store.quads_for_pattern(node, _HASH, None, node):
        return str(quad.object.value)  # type: ignore[union-attr]
    return None


_HASH = ox.NamedNode(str(KG.contentHash))
_LOADING = ox.NamedNode(str(KG.loading))
_JOURNAL = ox.NamedNode(str(KG.journal))


class GraphWriter:
    """Article graphs -> the store: new ones bulk-loaded in batches, the others replaced one by one.

    *bulk* False (a remote store) replaces every article with the update.
    *on_batch* is called after each batch is whole in the store (bulk-loaded
    with its hashes, or *batch* articles replaced), to publish a snapshot.
    With *on_failure*, an article whose triples the store refuses (they do
    not parse) goes to it, as (graph, message), and the others are written:
    a batch the bulk load refuses is undone (``recover``) and written again
    one article at a time.
    """

    def __init__(self, store: ox.Store | Updatable, *, batch: int = 500, bulk: bool = True,
                 on_batch: Callable[[], None] | None = None,
                 on_failure: Callable[[str, str], None] | None = None) -> None:
        self.store, self.batch, self.bulk = store, batch, bulk and isinstance(store, ox.Store)
        self.on_batch, self.on_failure = on_batch or (lambda: None), on_failure
        self.pending: list[tuple[str, str, str]] = []
        self.loaded = 0
        self.replaced = 0

    def write(self, graph: str, body: str, digest: str, *, new: bool) -> None:
        """Write the article graph *graph* with N-Triples *body* and content hash *digest*.

        *new*: the store has no graph of that name, so it may be bulk-loaded.
        """
        if new and self.bulk:
            self.pending.append((graph, body, digest))
            if len(self.pending) >= self.batch:
                self.flush()
            return
        self.flush()
        self._replace(graph, body, digest)
        self.replaced += 1
        if self.replaced % self.batch == 0:
            self.on_batch()

    def flush(self) -> None:
        """Bulk-load the pending new articles: journal, graphs, merge, then hashes and an empty journal."""
        if not self.pending:
            return
        store, pending = self.store, self.pending
        assert isinstance(store, ox.Store)
        quads = "".join(_as_quads(body, graph) for graph, body, _ in pending)
        # each line once: the actors an article names are in most articles of a batch
        lines = (line for _, body, _ in pending for line in body.splitlines(keepends=True))
        merge = "".join(dict.fromkeys(lines))
        journal = [ox.Quad(ox.NamedNode(graph), _LOADING, ox.Literal(digest), _JOURNAL)
                   for graph, _, digest in pending]
        try:
            store.extend(journal)
            store.bulk_load(input=quads.encode(), format=ox.RdfFormat.N_QUADS)
            store.bulk_load(input=merge.encode(), format=ox.RdfFormat.N_TRIPLES)
            store.update(f"DROP SILENT GRAPH <{KG.journal}> ;\n"
                         f"INSERT DATA {{\n{_nquads(q for g, _, d in pending for q in _hash_quads(g, d))}}}")
        except SyntaxError as exc:
            if self.on_failure is None:
                raise StoreError(f"cannot bulk-load {len(pending)} articles: {_first_line(exc)}") from exc
            logger.warning("store refused a batch (%s); writing its articles one by one", _first_line(exc))
            recover(store)
            for graph, body, digest in pending:
                self._replace(graph, body, digest)
        except OSError as exc:
            raise StoreError(f"cannot bulk-load {len(pending)} articles: {_first_line(exc)}") from exc
        self.loaded += len(pending)
        self.pending = []
        self.on_batch()

    def _replace(self, graph: str, body: str, digest: str) -> None:
        try:
            replace_ntriples(self.store, graph, body + _hash_line(graph, digest))
        except StoreError as exc:
            if self.on_failure is None or not isinstance(exc.__cause__, SyntaxError):
                raise
            self.on_failure(graph, str(exc))


def _as_quads(body: str, graph: str) -> str:
    """N-Triples lines ('s p o .') -> N-Quads lines in *graph*."""
    return body.replace(" .\n", f" <{graph}> .\n")


def _nquads(quads: Iterable[ox.Quad]) -> str:
    """Quads as SPARQL data lines: 's p o .' in the default graph, 'GRAPH g { s p o }' in another."""
    return "".join(f"{q.subject} {q.predicate} {q.object} .\n" if isinstance(q.graph_name, ox.DefaultGraph)
                   else f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}\n" for q in quads)


def _hash_line(graph: str, digest: str) -> str:
    return f'<{graph}> <{KG.contentHash}> "{digest}" .\n'


def _hash_quads(graph: str, digest: str) -> tuple[ox.Quad, ox.Quad]:
    node, value = ox.NamedNode(graph), ox.Literal(digest)
    return ox.Quad(node, _HASH, value, node), ox.Quad(node, _HASH, value, ox.DefaultGraph())


def store_counts(store: ox.Store) -> dict[str, int]:
    """Quads and named graphs in the store."""
    return {"quads": len(store), "graphs": sum(1 for _ in store.named_graphs())}


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
