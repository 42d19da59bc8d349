"""The ontology: every term the code writes is declared, labelled and commented."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import RDFS

from kg.config import ONTOLOGY_DIR
from kg.ontology import KG, actor_iri, article_iri, evidence_iri, fact_iri, slug


@pytest.fixture(scope="module")
def ontology():
    return rdflib.Graph().parse(ONTOLOGY_DIR / "kg.ttl")


@pytest.mark.parametrize("name", sorted(KG.__annotations__))
def test_ontology_declares_every_term_used_in_code(ontology, name):
    term = KG[name]
    assert (term, rdflib.RDF.type, None) in ontology, name
    assert len(list(ontology.objects(term, RDFS.label))) == 1, name
    assert len(list(ontology.objects(term, RDFS.comment))) == 1, name


def test_ontology_closed_namespace_rejects_typos():
    with pytest.raises(AttributeError):
        KG.leaderof  # noqa: B018


def test_ontology_iris_are_stable_and_readable():
    assert str(actor_iri("country/BLR")) == "https://w3id.org/kg/id/actor/country/BLR"
    assert str(article_iri("belarus-2025-09-11")) == "https://w3id.org/kg/id/article/belarus-2025-09-11"
    assert fact_iri("event", "040", "a", "b", "2025") == fact_iri("event", "040", "a", "b", "2025")
    assert fact_iri("event", "040", "a", "b", "2025") != fact_iri("event", "042", "a", "b", "2025")
    assert str(evidence_iri("x", 3, 9)) == "https://w3id.org/kg/id/evidence/x/3-9"
    assert slug("Gitanas Nausėda") == "gitanas-nauseda"
