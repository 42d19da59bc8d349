"""The store -> files: RDF dumps, the event table and networks for Gephi.

``EXPORTERS`` maps each ``kg export --format`` name to an Exporter. The event
table (one row per event or relation and article, the fields of
shared/eval/FORMAT.md) is read from the graph with queries/events.rq, so it
shows exactly what a SPARQL user would find. Networks (gexf, graphml, csv) are
kg/network.py's views written by kg/gephi.py; csv writes two files, so its
target is a directory. JSON-LD is rdflib's serialiser over the same triples
as the Turtle export, compacted with a context of our prefixes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

import pyoxigraph as ox

from kg.errors import KgError, QueryError
from kg.filters import FactFilter
from kg.gephi import write_csv, write_gexf, write_graphml
from kg.network import View, to_networkx
from kg.query import load_query, run_query, select_rows
from kg.taxonomy import fact_type

__all__ = ["EVENT_FIELDS", "EXPORTERS", "Exporter", "event_rows", "export"]

EVENT_FIELDS = ("doc", "kind", "type", "cameo", "label", "source", "target", "source_iri", "target_iri",
                "source_type", "target_type", "source_country", "target_country", "source_code",
                "target_code", "date", "place", "quantity", "negated", "modality", "confidence",
                "evidence", "start", "end", "iri")

_PREFIXES = {"kg": "https://w3id.org/kg/ontology#", "plover": "https://w3id.org/kg/plover/",
             "cameo": "https://w3id.org/kg/cameo/", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
             "skos": "http://www.w3.org/2004/02/skos/core#", "dct": "http://purl.org/dc/terms/",
             "owl": "http://www.w3.org/2002/07/owl#", "xsd": "http://www.w3.org/2001/XMLSchema#",
             "prov": "http://www.w3.org/ns/prov#"}

Target = TypeVar("Target")
StreamWriter = Callable[[ox.Store, IO[bytes], FactFilter, View], int]
DirectoryWriter = Callable[[ox.Store, Path, FactFilter, View], int]


@dataclass(frozen=True)
class Exporter:
    """One ``--format``: what its count counts, and its writer to a stream or a directory."""

    unit: str
    write: StreamWriter | None = None
    write_directory: DirectoryWriter | None = None


def event_rows(store: ox.Store, *, min_confidence: float = 0.0) -> list[dict[str, object]]:
    """The event table: one dict per fact and article, first evidence only."""
    rows, seen = [], set()
    for raw in select_rows(store, load_query("events")):
        if (raw["iri"], raw["doc"]) in seen:
            continue
        seen.add((raw["iri"], raw["doc"]))
        row = _event_row(raw)
        if float(row["confidence"] or 0) >= min_confidence:  # type: ignore[arg-type]
            rows.append(row)
    return rows


def _event_row(raw: dict[str, str | None]) -> dict[str, object]:
    quantity = float(raw["quantity"]) if raw["quantity"] else None
    return {
        **{name: raw.get(name) for name in EVENT_FIELDS},
        "type": fact_type(raw["type_iri"] or ""),
        "cameo": raw["cameo"] if raw["kind"] == "event" else None,
        "quantity": int(quantity) if quantity is not None and quantity.is_integer() else quantity,
        "negated": raw["negated"] == "true",
        "modality": raw["modality"] if raw["kind"] == "event" else None,
        "confidence": float(raw["confidence"] or 0),
        "start": int(raw["start"] or 0),
        "end": int(raw["end"] or 0),
    }


def write_events_jsonl(store: ox.Store, out: IO[bytes], facts: FactFilter, view: View) -> int:
    """Write the event table as JSON Lines; return the row count."""
    rows = [row for row in event_rows(store) if facts.keep(row)]
    for row in rows:
        out.write((json.dumps(row, ensure_ascii=False) + "\n").encode())
    return len(rows)


def write_events_csv(store: ox.Store, out: IO[bytes], facts: FactFilter, view: View) -> int:
    """Write the event table as CSV with a header; return the row count."""
    rows = [row for row in event_rows(store) if facts.keep(row)]
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=EVENT_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    out.write(text.getvalue().encode())
    return len(rows)


def _all_triples(store: ox.Store) -> list[ox.Triple]:
    result = run_query(store, load_query("all-triples"))
    assert isinstance(result, ox.QueryTriples)
    return list(result)


def _rdf_writer(fmt: ox.RdfFormat) -> StreamWriter:
    def write(store: ox.Store, out: IO[bytes], facts: FactFilter, view: View) -> int:
        if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
            store.dump(out, fmt, prefixes=_PREFIXES if fmt == ox.RdfFormat.TRIG else None)
            return len(store)
        triples = _all_triples(store)
        ox.serialize(triples, out, fmt, prefixes=_PREFIXES)
        return len(triples)
    return write


def write_jsonld(store: ox.Store, out: IO[bytes], facts: FactFilter, view: View) -> int:
    """Write the triples of the Turtle export as compacted JSON-LD; return the triple count."""
    from rdflib import Graph

    graph = Graph()
    graph.parse(data=ox.serialize(_all_triples(store), format=ox.RdfFormat.N_TRIPLES), format="nt")
    graph.serialize(out, format="json-ld", context=_PREFIXES, auto_compact=True)
    return len(graph)


def _network_writer(write: Callable[[Any, Target], int]
                    ) -> Callable[[ox.Store, Target, FactFilter, View], int]:
    def write_network(store: ox.Store, target: Target, facts: FactFilter, view: View) -> int:
        return write(to_networkx(store, view, facts=facts), target)
    return write_network


EXPORTERS: dict[str, Exporter] = {
    "csv": Exporter("edges", write_directory=_network_writer(write_csv)),
    "events-csv": Exporter("rows", write_events_csv),
    "events-jsonl": Exporter("rows", write_events_jsonl),
    "gexf": Exporter("edges", _network_writer(write_gexf)),
    "graphml": Exporter("edges", _network_writer(write_graphml)),
    "jsonld": Exporter("triples", write_jsonld),
    "nq": Exporter("triples", _rdf_writer(ox.RdfFormat.N_QUADS)),
    "trig": Exporter("triples", _rdf_writer(ox.RdfFormat.TRIG)),
    "ttl": Exporter("triples", _rdf_writer(ox.RdfFormat.TURTLE)),
}


def export(store: ox.Store, fmt: str, out: IO[bytes] | Path, *, min_confidence: float = 0.0,
           view: View = "actors", facts: FactFilter | None = None) -> int:
    """Write the store as *fmt* to *out*, a stream or a path; return rows, triples or edges written.

    csv writes nodes.csv and edges.csv, so its *out* is a directory. *facts*
    (else *min_confidence* alone) selects the facts of event tables and networks.
    """
    if fmt not in EXPORTERS:
        raise QueryError(f"unknown export format {fmt!r}; known: {', '.join(sorted(EXPORTERS))}")
    exporter, facts = EXPORTERS[fmt], facts or FactFilter(min_confidence=min_confidence)
    if exporter.write_directory is not None:
        if not isinstance(out, Path):
            raise KgError(f"--format {fmt} writes nodes.csv and edges.csv; name their directory with -o DIR")
        return exporter.write_directory(store, out, facts, view)
    assert exporter.write is not None
    if not isinstance(out, Path):
        return exporter.write(store, out, facts, view)
    with _open_file(out, fmt) as stream:
        return exporter.write(store, stream, facts, view)


@contextmanager
def _open_file(path: Path, fmt: str) -> Iterator[IO[bytes]]:
    if path.is_dir():
        raise KgError(f"{path}: is a directory; --format {fmt} writes one file")
    try:
        stream = path.open("wb")
    except OSError as exc:
        raise KgError(f"{path}: cannot write ({exc.strerror})") from exc
    with stream:
        yield stream
