"""SPARQL over the store: named queries from queries/*.rq, parameters, formatting.

Queries see the store's default graph, the RDF merge of the article graphs
(kg/store.py), where a triple stated by many articles is there once; a
``GRAPH ?article`` pattern reaches one article's own graph. Results come back
as rows of plain Python values (``select_rows``) or serialised as a table,
CSV, TSV or SPARQL 1.1 JSON; CONSTRUCT and DESCRIBE results as Turtle.

Goldstein scores and PLOVER quad classes live in ontology/cameo.ttl and
plover.ttl, not in articles. A query whose header says ``Needs: ontology``
reads them from the named graph ``ONTOLOGY_GRAPH``, which
``add_ontology_graph`` fills from both files once per store, as the store's
writer (kg.snapshot), and again only when the files change (their digest is
kept there as ``owl:versionInfo``). During an ingest into a store that has
never had it, such a query is refused with a one-line error.
The ontology stays out of the default graph, so exports and counts of the
articles' graph are unchanged by it.

Oxigraph sends a ``SERVICE <url>`` clause to that URL, so ``run_query``
refuses one: kg makes no network request at run time (issue 9). The check is
on the text, and errs on the side of refusing (a comment naming SERVICE
before an IRI is refused too).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pyoxigraph as ox

from kg.config import ONTOLOGY_DIR, QUERIES_DIR
from kg.errors import QueryError
from kg.ontology import BASE
from kg.params import Parameter, bind_parameters, query_parameters
from kg.snapshot import write_session, writer_holding
from kg.store import open_store

__all__ = ["FORMATS", "ONTOLOGY_GRAPH", "QueryInfo", "add_ontology_graph", "describe_queries",
           "format_query_list", "format_results", "has_ontology_graph", "load_ontology_graph",
           "load_query", "names_service", "needs_ontology",
           "open_query_store", "query_names", "run_query", "select_rows"]

FORMATS = ("table", "csv", "tsv", "json")
Format = Literal["table", "csv", "tsv", "json"]
Row = dict[str, str | None]
Results = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

ONTOLOGY_GRAPH = f"{BASE}graph/ontology"
ONTOLOGY_FILES = ("cameo.ttl", "plover.ttl")
_VERSION = ox.NamedNode("http://www.w3.org/2002/07/owl#versionInfo")
_SERIALIZERS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                "json": ox.QueryResultsFormat.JSON}
# The keyword (not inside a name or variable) before an IRI, a variable or a
# prefixed name; "Federal Security Service" in a literal is not a clause.
_SERVICE = re.compile(r"(?<![\w:/#?$-])SERVICE\s*(?:SILENT\s*)?(?:<|[?$]|[A-Za-z_][\w.-]*:|:)",
                      re.IGNORECASE)
_PREFIX = re.compile(r"^\s*PREFIX\s+([\w-]*):\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class QueryInfo:
    """A canned query: its name, what it answers, its parameters."""

    name: str
    summary: str
    parameters: tuple[Parameter, ...]


def query_names() -> list[str]:
    """Names of the canned queries in queries/."""
    return sorted(p.stem for p in QUERIES_DIR.glob("*.rq"))


def describe_queries() -> list[QueryInfo]:
    """Each canned query with its title (its header up to the first colon) and parameters."""
    infos = []
    for name in query_names():
        text = load_query(name)
        first = text.splitlines()[0].lstrip("# ").strip() if text.startswith("#") else ""
        summary = first.split(":", 1)[0]
        infos.append(QueryInfo(name, summary, tuple(query_parameters(text).values())))
    return infos


def format_query_list() -> str:
    """The canned queries, one paragraph each: name, summary, parameters."""
    blocks = []
    for info in describe_queries():
        lines = [f"{info.name}: {info.summary}"]
        lines += [f"  --param {p.name}=<{p.type}>{' (required)' if p.required else ''}  {p.doc}"
                  for p in info.parameters]
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


def load_query(query: str) -> str:
    """SPARQL text from a .rq path, a canned query's name, or the text itself."""
    if "{" in query:  # SPARQL text; as a path it may be longer than a file name can be
        return query
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


def needs_ontology(sparql: str) -> bool:
    """True if the query's header says ``Needs: ontology``."""
    return any(re.match(r"#\s*Needs:.*\bontology\b", line) for line in sparql.splitlines()
               if line.startswith("#"))


def open_query_store(path: str | Path, sparql: str) -> ox.Store:
    """Open the store's newest snapshot for *sparql*, first adding the ontology graph if it needs it."""
    store = open_store(path, create=False, read_only=True)
    if needs_ontology(sparql) and not has_ontology_graph(store):
        del store
        add_ontology_graph(path)
        store = open_store(path, create=False, read_only=True)
    return store


def add_ontology_graph(path: str | Path) -> None:
    """Load the ontology graph into the store at *path*, as its writer, unless it is there."""
    holder = writer_holding(path)
    if holder is not None:
        raise QueryError(f"{path}: this query needs the ontology graph, which kg adds to the store at the "
                         f"first query that needs it, but {holder} is writing to the store; "
                         "run the query again once it has ended")
    with write_session(path, create=False) as session:
        load_ontology_graph(session.store)


def has_ontology_graph(store: ox.Store) -> bool:
    """True if the store holds the ontology graph of the current ontology files."""
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    return ox.Quad(graph, _VERSION, ox.Literal(_ontology_digest()), graph) in store


def load_ontology_graph(store: ox.Store) -> bool:
    """Copy cameo.ttl and plover.ttl into ``ONTOLOGY_GRAPH`` unless already there; True if copied."""
    if has_ontology_graph(store):
        return False
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    quads = [ox.Quad(t.subject, t.predicate, t.object, graph)
             for name in ONTOLOGY_FILES
             for t in ox.parse(path=ONTOLOGY_DIR / name, format=ox.RdfFormat.TURTLE)]
    if store.contains_named_graph(graph):
        store.remove_graph(graph)
    store.extend([*quads, ox.Quad(graph, _VERSION, ox.Literal(_ontology_digest()), graph)])
    store.flush()
    return True


def _ontology_digest() -> str:
    sha = hashlib.sha256()
    for name in ONTOLOGY_FILES:
        sha.update((ONTOLOGY_DIR / name).read_bytes())
    return f"sha256:{sha.hexdigest()[:16]}"


def names_service(sparql: str) -> bool:
    """True if *sparql* has a SERVICE clause, a request to another endpoint."""
    return bool(_SERVICE.search(sparql))


def run_query(store: ox.Store, sparql: str, params: Mapping[str, str] | None = None) -> Results:
    """Run *sparql* over the store, with *params* bound as RDF terms."""
    if names_service(sparql):
        raise QueryError("SERVICE is not allowed: kg queries its own store, never another endpoint")
    substitutions = bind_parameters(sparql, params or {})
    try:
        return store.query(sparql, substitutions=substitutions or None)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL does not parse: {str(exc).splitlines()[0]}") from exc
    except RuntimeError as exc:
        raise QueryError(f"SPARQL cannot run: {str(exc).splitlines()[0]}") from exc


def select_rows(store: ox.Store, sparql: str, params: Mapping[str, str] | None = None) -> list[Row]:
    """Rows of a SELECT query as dicts of plain values (None when unbound)."""
    results = run_query(store, sparql, params)
    if not isinstance(results, ox.QuerySolutions):
        raise QueryError("expected a SELECT query")
    names = _columns(results, sparql)
    return [{n: _plain(solution[n]) for n in names} for solution in results]


def _plain(term: object) -> str | None:
    return None if term is None else str(getattr(term, "value", term))


def _columns(results: ox.QuerySolutions, sparql: str) -> list[str]:
    """The result's variables less the declared parameters, which only echo the input."""
    params = query_parameters(sparql)
    return [v.value for v in results.variables if v.value not in params]


def format_results(store: ox.Store, sparql: str, fmt: Format,
                   params: Mapping[str, str] | None = None) -> str:
    """Run *sparql* and serialise its results as *fmt* (Turtle for CONSTRUCT and DESCRIBE)."""
    results = run_query(store, sparql, params)
    if isinstance(results, ox.QueryTriples):
        prefixes = dict(_PREFIX.findall(sparql))
        return ox.serialize(results, format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode()  # type: ignore[union-attr]
    if isinstance(results, ox.QueryBoolean):
        return _boolean(results, fmt)
    names = _columns(results, sparql)
    if fmt == "table":
        return _table(names, [[_plain(s[n]) or "" for n in names] for s in results])
    if len(names) < len(results.variables):
        results = _project(results, names)
    return results.serialize(format=_SERIALIZERS[fmt]).decode()  # type: ignore[union-attr]


def _boolean(result: ox.QueryBoolean, fmt: Format) -> str:
    if fmt == "json":
        return result.serialize(format=ox.QueryResultsFormat.JSON).decode()  # type: ignore[union-attr]
    return "true" if bool(result) else "false"


def _project(results: ox.QuerySolutions, names: list[str]) -> ox.QuerySolutions:
    """Keep only the variables *names*, through Oxigraph's own JSON results reader."""
    data = json.loads(results.serialize(format=ox.QueryResultsFormat.JSON))  # type: ignore[arg-type]
    data["head"]["vars"] = names
    data["results"]["bindings"] = [{k: v for k, v in b.items() if k in names}
                                   for b in data["results"]["bindings"]]
    parsed = ox.parse_query_results(json.dumps(data).encode(), format=ox.QueryResultsFormat.JSON)
    assert isinstance(parsed, ox.QuerySolutions)
    return parsed


def _table(names: list[str], rows: list[list[str]]) -> str:
    widths = [min(60, max([len(n), *(len(r[i]) for r in rows)])) for i, n in enumerate(names)]
    def line(cells: list[str]) -> str:
        return "  ".join(c[:w].ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(names), rule, *(line(r) for r in rows), f"({len(rows)} rows)"])
