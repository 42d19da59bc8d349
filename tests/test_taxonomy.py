"""Sanity checks for the PLOVER and CAMEO SKOS concept schemes in ontology/."""

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS, XSD

ONTOLOGY = Path(__file__).parent.parent / "ontology"

KG = Namespace("https://w3id.org/kg/ontology#")
PLOVER = Namespace("https://w3id.org/kg/plover/")
CAMEO = Namespace("https://w3id.org/kg/cameo/")

PLOVER_TYPES = {
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
}
QUAD_CLASSES = {
    "verbal cooperation",
    "material cooperation",
    "verbal conflict",
    "material conflict",
}


@pytest.fixture(scope="module")
def plover() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY / "plover.ttl", format="turtle")
    return g


@pytest.fixture(scope="module")
def cameo() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY / "cameo.ttl", format="turtle")
    return g


def concepts_in(g: Graph, scheme: URIRef) -> set:
    return {
        c for c in g.subjects(SKOS.inScheme, scheme) if (c, RDF.type, SKOS.Concept) in g
    }


def one(g: Graph, s, p):
    values = list(g.objects(s, p))
    assert len(values) == 1, f"{s} has {len(values)} values for {p}"
    return values[0]


def test_plover_has_exactly_the_16_root_types(plover):
    concepts = concepts_in(plover, PLOVER.scheme)
    assert {PLOVER[t] for t in PLOVER_TYPES} == concepts
    assert set(plover.subjects(RDF.type, SKOS.Concept)) == concepts
    for c in concepts:
        name = str(c).rsplit("/", 1)[1]
        assert one(plover, c, SKOS.notation) == Literal(name)
        assert one(plover, c, SKOS.prefLabel) == Literal(name.lower(), lang="en")
        assert str(one(plover, c, SKOS.definition)).strip()
        assert (c, SKOS.topConceptOf, PLOVER.scheme) in plover
        assert str(one(plover, c, KG.quadClass)) in QUAD_CLASSES


def test_cameo_counts(cameo):
    concepts = concepts_in(cameo, CAMEO.scheme)
    roots = set(cameo.subjects(SKOS.topConceptOf, CAMEO.scheme))
    assert len(roots) == 20
    assert {str(one(cameo, r, SKOS.notation)) for r in roots} == {
        f"{i:02d}" for i in range(1, 21)
    }
    assert roots <= concepts
    assert len(concepts) >= 280


def test_every_cameo_concept_is_complete(cameo):
    plover_iris = {PLOVER[t] for t in PLOVER_TYPES}
    for c in concepts_in(cameo, CAMEO.scheme):
        notation = str(one(cameo, c, SKOS.notation))
        assert c == CAMEO[notation]
        assert notation.isdigit() and len(notation) in (2, 3, 4)
        assert one(cameo, c, SKOS.prefLabel).language == "en"
        gs = one(cameo, c, KG.goldstein)
        assert gs.datatype == XSD.decimal
        assert Decimal(-10) <= gs.toPython() <= Decimal(10)
        assert one(cameo, c, SKOS.broadMatch) in plover_iris


def test_cameo_hierarchy(cameo):
    concepts = concepts_in(cameo, CAMEO.scheme)
    for c in concepts:
        notation = str(one(cameo, c, SKOS.notation))
        broader = list(cameo.objects(c, SKOS.broader))
        if len(notation) == 2:
            assert broader == []
            assert (c, SKOS.topConceptOf, CAMEO.scheme) in cameo
        else:
            assert len(broader) == 1, f"{notation} has {len(broader)} broader concepts"
            parent = broader[0]
            assert parent in concepts
            assert str(one(cameo, parent, SKOS.notation)) == notation[:-1]
            assert (c, SKOS.topConceptOf, CAMEO.scheme) not in cameo


# Required spot checks plus the (CAMEO, PLOVER) pairs observed in the project's gold files.
EXPECTED_MATCH = {
    "REJECT": "016 12 120 121 122 123",
    "REQUEST": "020 023 024 025 027 10 102 103",
    "AGREE": "03 030 031 032 033 057",
    "CONSULT": "04 040 041 042 043 044 045 046",
    "SUPPORT": "051",
    "COOPERATE": "062 064",
    "AID": "07 070 071 073 074",
    "CONCEDE": "081 0841 085",
    "ACCUSE": "09 11 111 112 115",
    "THREATEN": "13 130",
    "PROTEST": "14",
    "MOBILIZE": "15",
    "SANCTION": "16 161 162 163",
    "COERCE": "17 173 175 191",
    "ASSAULT": "18 181 19 190 194",
}


@pytest.mark.parametrize(
    "code, plover_type",
    [(code, t) for t, codes in EXPECTED_MATCH.items() for code in codes.split()],
)
def test_plover_mapping_spot_checks(cameo, code, plover_type):
    assert one(cameo, CAMEO[code], SKOS.broadMatch) == PLOVER[plover_type]


@pytest.mark.parametrize(
    "code, label, goldstein",
    [
        ("010", "Make statement, not specified below", "0.0"),
        ("0211", "Appeal for economic cooperation", "3.4"),
        ("040", "Consult, not specified below", "1.0"),
        ("042", "Make a visit", "1.9"),
        ("043", "Host a visit", "2.8"),
        ("051", "Praise or endorse", "3.4"),
        ("057", "Sign formal agreement", "8.0"),
        ("0841", "Return, release person(s)", "7.0"),
        ("085", "Ease economic sanctions, boycott, embargo", "7.0"),
        ("163", "Impose embargo, boycott, or sanctions", "-8.0"),
        ("173", "Arrest, detain, or charge with legal action", "-5.0"),
        ("190", "Use conventional military force, not specified below", "-10.0"),
    ],
)
def test_cameo_labels_and_goldstein_spot_checks(cameo, code, label, goldstein):
    c = CAMEO[code]
    assert one(cameo, c, SKOS.prefLabel) == Literal(label, lang="en")
    assert one(cameo, c, KG.goldstein).toPython() == Decimal(goldstein)
