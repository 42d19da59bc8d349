"""The store -> files: RDF dumps and the event table.

``EXPORTERS`` maps each ``kg export --format`` name to a writer. The event
table (one row per event or relation and article, the fields of
shared/eval/FORMAT.md) is read from the graph with queries/events.rq, so it
shows exactly what a SPARQL user would find.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import IO

import pyoxigraph as ox

from kg.ontology import RELATION_PREDICATES
from kg.query import load_query, select_rows

__all__ = ["EVENT_FIELDS", "EXPORTERS", "event_rows", "export"]

EVENT_FIELDS = ("doc", "kind", "type", "cameo", "label", "source", "target", "source_iri", "target_iri",
                "source_type", "target_type", "source_country", "target_country", "source_code",
                "target_code", "date", "place", "quantity", "negated", "modality", "confidence",
                "evidence", "start", "end", "iri")

_RELATION_NAMES = {str(iri): name for name, iri in RELATION_PREDICATES.items()}
_PREFIXES = {"kg": "https://w3id.org/kg/ontology#", "plover": "https://w3id.org/kg/plover/",
             "cameo": "https://w3id.org/kg/cameo/", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
             "skos": "http://www.w3.org/2004/02/skos/core#", "dct": "http://purl.org/dc/terms/",
             "owl": "http://www.w3.org/2002/07/owl#", "xsd": "http://www.w3.org/2001/XMLSchema#"}


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
    type_iri = raw["type_iri"] or ""
    quantity = float(raw["quantity"]) if raw["quantity"] else None
    return {
        **{name: raw.get(name) for name in EVENT_FIELDS},
        "type": _RELATION_NAMES.get(type_iri) or type_iri.rsplit("/", 1)[-1],
        "cameo": raw["cameo"] if raw["kind"] == "event" else None,
        "quantity": int(quantity) if quantity is not None and quantity.is_integer() else quantity,
        "negated": raw["negated"] == "true",
        "modality": raw["modality"] if raw["kind"] == "event" else None,
        "confidence": float(raw["confidence"] or 0),
        "start": int(raw["start"] or 0),
        "end": int(raw["end"] or 0),
    }


def write_events_jsonl(store: ox.Store, out: IO[bytes], min_confidence: float = 0.0) -> int:
    """Write the event table as JSON Lines; return the row count."""
    rows = event_rows(store, min_confidence=min_confidence)
    for row in rows:
        out.write((json.dumps(row, ensure_ascii=False) + "\n").encode())
    return len(rows)


def write_events_csv(store: ox.Store, out: IO[bytes], min_confidence: float = 0.0) -> int:
    """Write the event table as CSV with a header; return the row count."""
    rows = event_rows(store, min_confidence=min_confidence)
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=EVENT_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    out.write(text.getvalue().encode())
    return len(rows)


def _rdf_writer(fmt: ox.RdfFormat) -> Callable[[ox.Store, IO[bytes], float], int]:
    def write(store: ox.Store, out: IO[bytes], min_confidence: float = 0.0) -> int:
        if fmt == ox.RdfFormat.TRIG:
            store.dump(out, fmt, prefixes=_PREFIXES)
            return len(store)
        if fmt == ox.RdfFormat.N_QUADS:
            store.dump(out, fmt)
            return len(store)
        result = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
        assert isinstance(result, ox.QueryTriples)
        triples = list(result)
        ox.serialize(triples, out, fmt, prefixes=_PREFIXES)
        return len(triples)
    return write


EXPORTERS: dict[str, Callable[[ox.Store, IO[bytes], float], int]] = {
    "events-csv": write_events_csv,
    "events-jsonl": write_events_jsonl,
    "nq": _rdf_writer(ox.RdfFormat.N_QUADS),
    "trig": _rdf_writer(ox.RdfFormat.TRIG),
    "ttl": _rdf_writer(ox.RdfFormat.TURTLE),
}


def export(store: ox.Store, fmt: str, out: IO[bytes], *, min_confidence: float = 0.0) -> int:
    """Write the store in format *fmt* to *out*; return rows or triples written."""
    return EXPORTERS[fmt](store, out, min_confidence)
