"""A store or an RDF file -> SHACL report against ontology/shapes.ttl (pyshacl).

The data is checked as the union of its article graphs, with RDFS inference
over ontology/kg.ttl so that a kg:Person counts as a kg:Actor.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.namespace import SH

from kg.config import ONTOLOGY_DIR
from kg.errors import InputError
from kg.query import load_query, run_query

__all__ = ["ValidationReport", "validate_file", "validate_graph", "validate_store"]

_FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld",
            ".rdf": "xml", ".owl": "xml"}


@dataclass(frozen=True)
class ValidationReport:
    """Whether the data conforms, and one line per violation."""

    conforms: bool
    violations: tuple[str, ...]


def validate_graph(data: Graph) -> ValidationReport:
    """Check *data* (a Graph, or a Dataset checked as its union) against the shapes."""
    import pyshacl  # slow import: only when validating

    logging.getLogger("pyshacl").setLevel(logging.ERROR)
    shapes = Graph().parse(ONTOLOGY_DIR / "shapes.ttl")
    ontology = Graph().parse(ONTOLOGY_DIR / "kg.ttl")
    conforms, report, _ = pyshacl.validate(_union(data), shacl_graph=shapes, ont_graph=ontology,
                                           inference="rdfs", allow_warnings=True)
    return ValidationReport(bool(conforms), tuple(sorted(_violations(report))))


def validate_store(store: ox.Store) -> ValidationReport:
    """Check the store's merged graph, what its queries read."""
    result = run_query(store, load_query("all-triples"))
    assert isinstance(result, ox.QueryTriples)
    data = Graph().parse(data=ox.serialize(result, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return validate_graph(data)


def validate_file(path: Path) -> ValidationReport:
    """Check an RDF file (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML)."""
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: unknown RDF format; use one of {', '.join(sorted(_FORMATS))}")
    data: Graph = Dataset() if fmt in ("nquads", "trig") else Graph()
    try:
        data.parse(data=path.read_bytes(), format=fmt)
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"{path}: cannot read as {fmt}: {str(exc).splitlines()[0]}") from exc
    return validate_graph(data)


def _union(data: Graph) -> Graph:
    if not isinstance(data, Dataset):
        return data
    union = Graph()
    for s, p, o, _ in data.quads():
        union.add((s, p, o))
    return union


def _violations(report: Graph) -> list[str]:
    lines = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        lines.append(f"{focus}: {path.n3() if path is not None else ''} {message}".replace("  ", " "))
    return lines
