"""Query parameters: declared in a .rq header, given as NAME=VALUE, bound as RDF terms.

A canned query declares each parameter on a header comment line::

    #   ?actor  string  (required)  an actor's name, its label or an alias

with a type of ``string``, ``iri``, ``date`` or ``integer``. Values are checked
against that type and handed to Oxigraph as terms through ``Store.query``'s
``substitutions`` (SPARQL-dev SEP-0007), never pasted into the query text, so
a value cannot change what the query does. Oxigraph requires a substituted
variable to be in the SELECT clause; the formatter leaves such columns out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import pyoxigraph as ox

from kg.errors import QueryError

__all__ = ["Parameter", "bind_parameters", "parse_assignments", "query_parameters"]

ParamType = Literal["string", "iri", "date", "integer"]
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

_XSD = "http://www.w3.org/2001/XMLSchema#"
_DECLARATION = re.compile(
    r"^#\s+\?(?P<name>\w+)\s+(?P<type>string|iri|date|integer)\s+(?P<required>\(required\)\s+)?(?P<doc>.+)$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_DATE_TYPES = {4: "gYear", 7: "gYearMonth", 10: "date"}
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


@dataclass(frozen=True)
class Parameter:
    """A parameter a query declares in its header comment."""

    name: str
    type: ParamType
    required: bool
    doc: str


def query_parameters(sparql: str) -> dict[str, Parameter]:
    """The parameters declared in the leading comment lines of *sparql*."""
    params: dict[str, Parameter] = {}
    for line in _header(sparql):
        match = _DECLARATION.match(line)
        if match:
            params[match["name"]] = Parameter(match["name"], match["type"],  # type: ignore[arg-type]
                                              bool(match["required"]), match["doc"].strip())
    return params


def _header(sparql: str) -> Iterable[str]:
    for line in sparql.splitlines():
        if not line.startswith("#"):
            return
        yield line


def parse_assignments(pairs: Iterable[str]) -> dict[str, str]:
    """``["actor=Belarus", ...]`` -> ``{"actor": "Belarus", ...}``."""
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param {pair}: expected NAME=VALUE, e.g. --param actor=Belarus")
        values[name.strip()] = value
    return values


def bind_parameters(sparql: str, values: Mapping[str, str]) -> dict[ox.Variable, Term]:
    """Check *values* against the parameters *sparql* declares; return them as RDF terms."""
    declared = query_parameters(sparql)
    for name in values:
        if name not in declared:
            known = ", ".join(declared) if declared else "none"
            raise QueryError(f"unknown parameter {name!r}; this query's parameters: {known}")
    terms = {ox.Variable(name): _term(declared[name], value) for name, value in values.items()}
    for param in declared.values():
        if param.required and param.name not in values:
            raise QueryError(f"this query needs --param {param.name}=... ({param.doc})")
    return terms


def _term(param: Parameter, value: str) -> Term:
    if param.type == "iri":
        return _iri(param.name, value)
    if param.type == "date":
        return _date(param.name, value)
    if param.type == "integer":
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            raise QueryError(f"--param {param.name}={value}: not an integer")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(f"{_XSD}integer"))
    return ox.Literal(value)


def _iri(name: str, value: str) -> ox.NamedNode:
    problem = f"--param {name}={value}: not an absolute IRI, e.g. https://w3id.org/kg/id/event/..."
    if not _IRI.match(value):
        raise QueryError(problem)
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise QueryError(problem) from exc


def _date(name: str, value: str) -> ox.Literal:
    """xsd:date, xsd:gYearMonth or xsd:gYear, as kg:date is."""
    padded = value + "-01-01"[len(value) - 4:] if _DATE.match(value) else ""
    try:
        dt.date.fromisoformat(padded)
    except ValueError as exc:
        raise QueryError(f"--param {name}={value}: not a date; use YYYY-MM-DD, YYYY-MM or YYYY") from exc
    return ox.Literal(value, datatype=ox.NamedNode(_XSD + _DATE_TYPES[len(value)]))
