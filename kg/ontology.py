"""The kg vocabulary as closed rdflib namespaces, and IRI minting.

Every ontology term used in code is declared in ontology/kg.ttl; the closed
namespace below fails on a typo at import time, and a test checks that each
of its terms is declared in the Turtle file. IRIs of actors, events, relations,
evidence and articles are minted here and nowhere else, so that re-ingesting
an article yields the same IRIs.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from kg.config import ONTOLOGY_DIR

__all__ = ["CAMEO", "KG", "PLOVER", "WD", "actor_iri", "article_iri", "direct_predicate", "evidence_iri",
           "fact_iri", "slug"]

CAMEO = Namespace("https://w3id.org/kg/cameo/")
PLOVER = Namespace("https://w3id.org/kg/plover/")
WD = Namespace("http://www.wikidata.org/entity/")


class KG(DefinedNamespace):
    """Terms of ontology/kg.ttl."""

    _NS = Namespace("https://w3id.org/kg/ontology#")
    _fail = True

    # classes
    Actor: URIRef
    Person: URIRef
    Organization: URIRef
    Country: URIRef
    Place: URIRef
    Group: URIRef
    Event: URIRef
    Relation: URIRef
    Article: URIRef
    Evidence: URIRef
    Quantity: URIRef
    Modality: URIRef
    MergeDecision: URIRef
    # event and relation properties
    eventType: URIRef
    cameo: URIRef
    relationType: URIRef
    label: URIRef
    source: URIRef
    target: URIRef
    place: URIRef
    date: URIRef
    quantity: URIRef
    value: URIRef
    unit: URIRef
    counts: URIRef
    negated: URIRef
    modality: URIRef
    confidence: URIRef
    attribution: URIRef
    evidence: URIRef
    # evidence properties
    article: URIRef
    sentence: URIRef
    start: URIRef
    end: URIRef
    # actor properties
    country: URIRef
    iso3: URIRef
    actorCode: URIRef
    role: URIRef
    cowCode: URIRef
    gwCode: URIRef
    # merge decisions of the cross-article linker
    decidedIn: URIRef
    mentionKey: URIRef
    mentionLabel: URIRef
    candidate: URIRef
    score: URIRef
    merged: URIRef
    curated: URIRef
    # article properties
    text: URIRef
    toolVersion: URIRef
    contentHash: URIRef
    loading: URIRef
    journal: URIRef
    # modality individuals
    asserted: URIRef
    intended: URIRef
    hypothetical: URIRef
    reported: URIRef
    # standing relations
    leaderOf: URIRef
    memberOf: URIRef
    allyOf: URIRef
    locatedIn: URIRef
    nationality: URIRef
    # the CAMEO Goldstein score
    goldstein: URIRef
    datePrecision: URIRef
    # direct predicates: how they are declared
    eventRelation: URIRef
    forType: URIRef
    forCode: URIRef


BASE = "https://w3id.org/kg/id/"

# The event table's relation names (FORMAT.md) and their predicates.
RELATION_PREDICATES = {
    "leader_of": KG.leaderOf,
    "member_of": KG.memberOf,
    "ally_of": KG.allyOf,
    "located_in": KG.locatedIn,
    "nationality": KG.nationality,
}


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: 'Nausėda' -> 'nauseda'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def actor_iri(key: str, base: str = BASE) -> URIRef:
    """IRI of an actor from its canonical key, e.g. 'country/BLR'."""
    return URIRef(f"{base}actor/{key}")


def article_iri(article_id: str, base: str = BASE) -> URIRef:
    """IRI of an article, which also names its graph."""
    return URIRef(f"{base}article/{slug(article_id)}")


def fact_iri(kind: str, *parts: object, base: str = BASE) -> URIRef:
    """IRI of an event or relation from a hash of what identifies it."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:16]
    return URIRef(f"{base}{kind}/{digest}")


def evidence_iri(article_id: str, start: int, end: int, base: str = BASE) -> URIRef:
    """IRI of the evidence span [start, end) of an article."""
    return URIRef(f"{base}evidence/{slug(article_id)}/{start}-{end}")


@functools.cache
def _direct_predicates() -> tuple[dict[str, URIRef], dict[str, URIRef]]:
    """Direct predicates of ontology/kg.ttl by CAMEO code and by PLOVER type."""
    graph = Graph().parse(ONTOLOGY_DIR / "kg.ttl")
    by_code = {str(code).rsplit("/", 1)[-1]: URIRef(str(p)) for p, code in graph.subject_objects(KG.forCode)}
    by_type = {str(kind).rsplit("/", 1)[-1]: URIRef(str(p)) for p, kind in graph.subject_objects(KG.forType)}
    return by_code, by_type


def direct_predicate(cameo: str | None, plover: str) -> URIRef:
    """The actor-to-actor predicate for an event: its CAMEO code's, the nearest
    broader code's (CAMEO codes nest by prefix: 0841 < 084 < 08), or its type's."""
    by_code, by_type = _direct_predicates()
    code = cameo or ""
    while len(code) >= 2:
        if code in by_code:
            return by_code[code]
        code = code[:-1]
    return by_type[plover]
