"""The store -> a NetworkX MultiDiGraph of actors and the facts between them.

Two views of the facts of queries/network-facts.rq, both keyed by IRIs:

``actors``  actors as nodes, one edge per event or relation from its source
            to its target, keyed by the fact's IRI. An event without a target
            has no edge here.
``full``    events and relations as nodes too (``bipartite`` 1, actors 0):
            source -> fact -> target, and fact -> place, one edge per role,
            keyed ``<fact IRI>#<role>``.

Every edge has a ``type``: the PLOVER type or relation name in the actors
view, the role in the full view. Facts carry the event table's ``label``,
``cameo``, ``date``, ``place``, ``confidence``, ``negated`` and ``modality``,
and ``goldstein``, ``evidence_count`` and ``articles`` (ids, ``;``-separated)
over every article that reports them. An attribute that does not apply (a
relation's CAMEO code, an unknown date) is absent rather than None, so the
graph goes to GEXF or GraphML as it is. Actors that take part in no kept fact
are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import pyoxigraph as ox

from kg.errors import QueryError
from kg.filters import FactFilter
from kg.query import Row, load_query, select_rows
from kg.taxonomy import fact_type, goldstein

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["VIEWS", "View", "to_networkx"]

VIEWS = ("actors", "full")
View = Literal["actors", "full"]
Attributes = dict[str, object]


def to_networkx(store: ox.Store, view: str = "actors", *, facts: FactFilter | None = None
                ) -> nx.MultiDiGraph:
    """The actors (or full) view of the facts in *store* that *facts* keeps."""
    import networkx as nx

    if view not in VIEWS:
        raise QueryError(f"unknown view {view!r}; use one of: {', '.join(VIEWS)}")
    keep = (facts or FactFilter()).keep
    actors = _actors(store)
    graph = nx.MultiDiGraph()
    for row in select_rows(store, load_query("network-facts")):
        fact = _fact(row, actors)
        if keep({**fact.attributes, **fact.countries(actors)}):
            (_add_edge if view == "actors" else _add_node)(graph, fact, actors)
    return graph


@dataclass(frozen=True)
class _Fact:
    iri: str
    roles: dict[str, str]  # source, target, place -> actor IRI
    attributes: Attributes

    def countries(self, actors: dict[str, Attributes]) -> Attributes:
        return {f"{role}_country": actors.get(self.roles.get(role, ""), {}).get("country")
                for role in ("source", "target")}


def _actors(store: ox.Store) -> dict[str, Attributes]:
    return {str(row["iri"]): _present({"label": row["label"], "type": row["type"],
                                       "country": row["country"], "code": row["code"]})
            for row in select_rows(store, load_query("network-actors"))}


def _fact(row: Row, actors: dict[str, Attributes]) -> _Fact:
    roles = {role: str(row[role]) for role in ("source", "target", "place") if row[role]}
    negated = row["negated"]
    return _Fact(str(row["iri"]), roles, _present({
        "kind": row["kind"],
        "type": fact_type(str(row["type_iri"])),
        "label": row["label"],
        "cameo": row["cameo"],
        "date": row["date"],
        "place": actors.get(roles.get("place", ""), {}).get("label"),
        "goldstein": goldstein(row["cameo"]),
        "confidence": float(row["confidence"] or 0),
        "evidence_count": int(row["evidence"] or 0),
        "articles": ";".join(sorted((row["articles"] or "").splitlines())),
        "negated": None if negated is None else negated == "true",
        "modality": row["modality"],
    }))


def _add_edge(graph: nx.MultiDiGraph, fact: _Fact, actors: dict[str, Attributes]) -> None:
    if "target" not in fact.roles:
        return
    source, target = fact.roles["source"], fact.roles["target"]
    _add_actors(graph, [source, target], actors, {})
    attributes = {k: v for k, v in fact.attributes.items() if k != "kind"}
    graph.add_edge(source, target, key=fact.iri, **attributes)


def _add_node(graph: nx.MultiDiGraph, fact: _Fact, actors: dict[str, Attributes]) -> None:
    graph.add_node(fact.iri, bipartite=1, **fact.attributes)
    _add_actors(graph, fact.roles.values(), actors, {"kind": "actor", "bipartite": 0})
    dated = {"date": fact.attributes["date"]} if "date" in fact.attributes else {}
    for role, actor in fact.roles.items():
        ends = (actor, fact.iri) if role == "source" else (fact.iri, actor)
        graph.add_edge(*ends, key=f"{fact.iri}#{role}", type=role, **dated)


def _add_actors(graph: nx.MultiDiGraph, iris: Iterable[str], actors: dict[str, Attributes],
                extra: Attributes) -> None:
    for iri in iris:
        if iri not in graph:
            graph.add_node(iri, **extra, **actors.get(iri, {"label": iri}))


def _present(attributes: Attributes) -> Attributes:
    return {k: v for k, v in attributes.items() if v is not None}
