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
"""

from __future__ import annotations

import logging
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.errors import StoreError

__all__ = ["open_store", "replace_graph", "store_counts"]

logger = logging.getLogger(__name__)


def open_store(path: str | Path, *, create: bool = True, read_only: bool = False) -> ox.Store:
    """Open (or create) the store at *path*."""
    path = Path(path)
    if not create and not path.exists():
        raise StoreError(f"{path}: no store here; run 'kg ingest' first or pass --store")
    try:
        if read_only:
            return ox.Store.read_only(str(path))
        path.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except OSError as exc:
        raise StoreError(f"{path}: cannot open the store ({_first_line(exc)}); "
                         "is another kg process writing to it?") from exc


def replace_graph(store: ox.Store, graph: Graph) -> int:
    """Replace the named graph *graph* in *store*; return its triple count."""
    name = graph.identifier.n3()
    body = graph.serialize(format="nt")
    update = (f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {name} {{ ?s ?p ?o }}\n"
              f"  FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other != {name}) }} }} ;\n"
              f"DROP SILENT GRAPH {name} ;\n"
              f"INSERT DATA {{ GRAPH {name} {{\n{body}\n}} }} ;\n"
              f"INSERT DATA {{\n{body}\n}}")
    try:
        store.update(update)
    except (OSError, SyntaxError) as exc:
        raise StoreError(f"cannot write graph {name}: {_first_line(exc)}") from exc
    return len(graph)


def store_counts(store: ox.Store) -> dict[str, int]:
    """Quads and named graphs in the store."""
    return {"quads": len(store), "graphs": sum(1 for _ in store.named_graphs())}


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
