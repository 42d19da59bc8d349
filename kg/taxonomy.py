"""ontology/cameo.ttl and plover.ttl -> Goldstein scores, PLOVER labels and their order.

The event table and the store carry CAMEO codes and PLOVER types, not the
numbers analysts weigh them by; those live in the two SKOS schemes, read here
once per process with rdflib.
"""

from __future__ import annotations

from functools import cache
from statistics import mean

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from kg.config import ONTOLOGY_DIR
from kg.ontology import CAMEO, KG, PLOVER, RELATION_PREDICATES

__all__ = ["fact_type", "goldstein", "plover_labels", "plover_order"]

_RELATION_NAMES = {str(iri): name for name, iri in RELATION_PREDICATES.items()}


@cache
def _scheme(name: str) -> Graph:
    graph = Graph()
    graph.parse(ONTOLOGY_DIR / f"{name}.ttl", format="turtle")
    return graph


@cache
def _goldstein_scores() -> dict[str, float]:
    graph = _scheme("cameo")
    return {str(code).removeprefix(str(CAMEO)): float(str(score))
            for code, score in graph.subject_objects(KG.goldstein)}


def fact_type(type_iri: str) -> str:
    """The type of an event or relation as the event table names it: 'CONSULT', 'leader_of'."""
    return _RELATION_NAMES.get(type_iri) or type_iri.rsplit("/", 1)[-1]


def goldstein(cameo: str | None) -> float | None:
    """The Goldstein score of a CAMEO code ('043' -> 2.8), None if unknown."""
    return _goldstein_scores().get(cameo or "")


@cache
def plover_labels() -> dict[str, str]:
    """PLOVER types and their labels: {'CONSULT': 'consult', ...}."""
    graph = _scheme("plover")
    return {str(concept).removeprefix(str(PLOVER)): str(label)
            for concept, label in graph.subject_objects(SKOS.prefLabel)
            if isinstance(concept, URIRef) and str(concept).startswith(str(PLOVER))}


@cache
def plover_order() -> tuple[str, ...]:
    """PLOVER types from the most cooperative to the most conflictual.

    Ranked by the mean Goldstein score of the CAMEO codes mapped to each type,
    which puts AGREE and AID at one end and ASSAULT at the other.
    """
    scores: dict[str, list[float]] = {name: [] for name in plover_labels()}
    cameo = _scheme("cameo")
    for code, root in cameo.subject_objects(SKOS.broadMatch):
        score = cameo.value(code, KG.goldstein)
        name = str(root).removeprefix(str(PLOVER))
        if score is not None and name in scores:
            scores[name].append(float(str(score)))
    return tuple(sorted(scores, key=lambda name: (-mean(scores[name] or [0.0]), name)))
