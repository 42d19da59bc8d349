"""SPARQL over the store: named queries from queries/*.rq, inline text, formatting.

Queries run over the union of the article graphs, so a pattern without
``GRAPH`` sees every article. Results come back as rows of plain Python values
(``run_query``) or serialised as a table, CSV or SPARQL 1.1 JSON.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Literal

import pyoxigraph as ox

from kg.config import QUERIES_DIR
from kg.errors import QueryError

__all__ = ["FORMATS", "format_results", "load_query", "query_names", "run_query", "select_rows"]

FORMATS = ("table", "csv", "json")
Format = Literal["table", "csv", "json"]
Row = dict[str, str | None]


def query_names() -> list[str]:
    """Names of the canned queries in queries/."""
    return sorted(p.stem for p in QUERIES_DIR.glob("*.rq"))


def load_query(query: str) -> str:
    """SPARQL text from a .rq path, a canned query's name, or the text itself."""
    path = Path(query)
    if query.endswith(".rq") or path.is_file():
        if not path.is_file():
            raise QueryError(f"{query}: no such query file")
        return path.read_text(encoding="utf-8")
    canned = QUERIES_DIR / f"{query}.rq"
    if canned.is_file():
        return canned.read_text(encoding="utf-8")
    if " " not in query.strip():
        raise QueryError(f"unknown query {query!r}; known: {', '.join(query_names())}")
    return query


def run_query(store: ox.Store, sparql: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Run *sparql* over the union of the store's graphs."""
    try:
        return store.query(sparql, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL does not parse: {str(exc).splitlines()[0]}") from exc


def select_rows(store: ox.Store, sparql: str) -> list[Row]:
    """Rows of a SELECT query as dicts of plain values (None when unbound)."""
    results = run_query(store, sparql)
    if not isinstance(results, ox.QuerySolutions):
        raise QueryError("expected a SELECT query")
    names = [v.value for v in results.variables]
    return [{n: _plain(solution[n]) for n in names} for solution in results]


def _plain(term: object) -> str | None:
    return None if term is None else str(getattr(term, "value", term))


def format_results(store: ox.Store, sparql: str, fmt: Format) -> str:
    """Run *sparql* and serialise its results as *fmt*."""
    results = run_query(store, sparql)
    if isinstance(results, ox.QueryTriples):
        return ox.serialize(results, format=ox.RdfFormat.TURTLE).decode()  # type: ignore[union-attr]
    if isinstance(results, ox.QueryBoolean):
        return "true" if bool(results) else "false"
    if fmt == "table":
        names = [v.value for v in results.variables]
        return _table(names, [[_plain(s[n]) or "" for n in names] for s in results])
    out = io.BytesIO()
    results.serialize(out, ox.QueryResultsFormat.CSV if fmt == "csv" else ox.QueryResultsFormat.JSON)
    return out.getvalue().decode()


def _table(names: list[str], rows: list[list[str]]) -> str:
    widths = [min(60, max([len(n), *(len(r[i]) for r in rows)])) for i, n in enumerate(names)]
    def line(cells: list[str]) -> str:
        return "  ".join(c[:w].ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(names), rule, *(line(r) for r in rows), f"({len(rows)} rows)"])
