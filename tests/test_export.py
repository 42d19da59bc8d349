"""Network and JSON-LD exports, read back by other tools: networkx, graphology-gexf (node), rdflib.

Most tests run on FIXTURE, a hand-written store in the shape kg/build.py writes
(two articles; one event reported twice; dates of day, month and year
precision; an event without a target; a standing relation), so that their
expected values do not move when the extractor changes. The last ones run the
same checks on the seed article through the whole pipeline.
"""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import networkx as nx
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from kg.cli import cli
from kg.filters import fact_filter
from kg.network import to_networkx
from kg.store import open_store, replace_graph

from .conftest import SEED

JS = Path(__file__).parent / "js"
ID = "https://w3id.org/kg/id/"
LUKASHENKO, COALE = f"{ID}actor/person/alexander-lukashenko", f"{ID}actor/person/john-coale"
BLR, USA, RUS, UKR = (f"{ID}actor/country/{code}" for code in ("BLR", "USA", "RUS", "UKR"))
MINSK = f"{ID}actor/place/minsk"
E1, E2, E3, E4, E5, E6 = (f"{ID}event/e{n}" for n in range(1, 7))
R1 = f"{ID}relation/r1"

_ACTORS = {
    "lukashenko": """<actor/person/alexander-lukashenko> a kg:Person ; rdfs:label "Alexander Lukashenko" ;
        skos:altLabel "Lukashenko" ; kg:iso3 "BLR" ; kg:actorCode "BLRGOV" ;
        kg:country <actor/country/BLR> ; kg:leaderOf <actor/country/BLR> .""",
    "coale": """<actor/person/john-coale> a kg:Person ; rdfs:label "John Coale" ; kg:iso3 "USA" ;
        kg:actorCode "USAGOV" .""",
    "blr": """<actor/country/BLR> a kg:Country ; rdfs:label "Belarus" ; kg:iso3 "BLR" ;
        kg:actorCode "BLR" .""",
    "usa": """<actor/country/USA> a kg:Country ; rdfs:label "United States" ; kg:iso3 "USA" ;
        kg:actorCode "USA" .""",
    "rus": """<actor/country/RUS> a kg:Country ; rdfs:label "Russia" ; kg:iso3 "RUS" ;
        kg:actorCode "RUS" .""",
    "ukr": """<actor/country/UKR> a kg:Country ; rdfs:label "Ukraine" ; kg:iso3 "UKR" ;
        kg:actorCode "UKR" .""",
    "minsk": """<actor/place/minsk> a kg:Place ; rdfs:label "Minsk" ; kg:iso3 "BLR" ;
        kg:actorCode "BLR" .""",
}


def _event(name, plover, cameo, source, target, confidence, label, evidence, date=None, place=None):
    lines = [f"<event/{name}> a kg:Event ; kg:eventType plover:{plover} ; kg:cameo cameo:{cameo} ;",
             f"  kg:source <{source}> ; kg:confidence {confidence} ; kg:label \"{label}\" ;",
             "  kg:modality kg:asserted ; kg:negated false ;"]
    lines += [f"  kg:target <{target}> ;"] if target else []
    lines += [f"  kg:date {date} ;"] if date else []
    lines += [f"  kg:place <{place}> ;"] if place else []
    return "\n".join(lines + [f"  kg:evidence {', '.join(evidence)} ."])


def _evidence(article, start, end, sentence):
    return (f"<evidence/{article}/{start}-{end}> a kg:Evidence ; kg:article <article/{article}> ;"
            f" kg:start {start} ; kg:end {end} ; kg:sentence \"{sentence}\" .")


def _graph(article, body):
    return f"<article/{article}> {{\n<article/{article}> a kg:Article ; dct:identifier \"{article}\" .\n" \
           + "\n".join(body) + "\n}\n"


FIXTURE = f"""@base <{ID}> .
@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix plover: <https://w3id.org/kg/plover/> .
@prefix cameo: <https://w3id.org/kg/cameo/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
""" + _graph("a1", [
    *(_ACTORS[k] for k in ("lukashenko", "coale", "blr", "rus", "ukr", "minsk")),
    _event("e1", "CONSULT", "040", LUKASHENKO, COALE, 0.9, "meet",
           ["<evidence/a1/10-50>", "<evidence/a1/60-90>"], '"2025-09-11"^^xsd:date', MINSK),
    _event("e3", "ASSAULT", "190", RUS, UKR, 0.6, "attack", ["<evidence/a1/100-140>"], '"2022"^^xsd:gYear'),
    _event("e4", "CONCEDE", "0841", BLR, None, 0.8, "free", ["<evidence/a1/150-190>"],
           '"2025-09-11"^^xsd:date'),
    """<relation/r1> a kg:Relation ; kg:relationType kg:leaderOf ; kg:label "president" ;
        kg:source <actor/person/alexander-lukashenko> ; kg:target <actor/country/BLR> ;
        kg:confidence 0.9 ; kg:evidence <evidence/a1/10-50> .""",
    _evidence("a1", 10, 50, "Lukashenko met Coale in Minsk."),
    _evidence("a1", 60, 90, "The meeting lasted three hours."),
    _evidence("a1", 100, 140, "Russia attacked Ukraine in 2022."),
    _evidence("a1", 150, 190, "Belarus freed 52 prisoners."),
]) + _graph("a2", [
    *(_ACTORS[k] for k in ("lukashenko", "coale", "blr", "usa")),
    _event("e1", "CONSULT", "040", LUKASHENKO, COALE, 0.9, "meet", ["<evidence/a2/0-40>"],
           '"2025-09-11"^^xsd:date', MINSK),
    _event("e2", "SANCTION", "163", USA, BLR, 0.75, "sanction", ["<evidence/a2/50-90>"],
           '"2023-08"^^xsd:gYearMonth'),
    _event("e5", "CONSULT", "042", COALE, BLR, 0.5, "visit", ["<evidence/a2/100-130>"]),
    _event("e6", "CONCEDE", "085", USA, BLR, 0.85, "lift", ["<evidence/a2/140-180>"],
           '"2025-09-11"^^xsd:date'),
    """<relation/r1> a kg:Relation ; kg:relationType kg:leaderOf ; kg:label "president" ;
        kg:source <actor/person/alexander-lukashenko> ; kg:target <actor/country/BLR> ;
        kg:confidence 0.9 ; kg:evidence <evidence/a2/0-40> .""",
    _evidence("a2", 0, 40, "President Lukashenko received Coale."),
    _evidence("a2", 50, 90, "Washington sanctioned Belarus in August 2023."),
    _evidence("a2", 100, 130, "Coale visited Belarus."),
    _evidence("a2", 140, 180, "Washington will lift sanctions on Belarus."),
])

ACTOR_NODES = {
    LUKASHENKO: {"label": "Alexander Lukashenko", "type": "Person", "country": "BLR", "code": "BLRGOV"},
    COALE: {"label": "John Coale", "type": "Person", "country": "USA", "code": "USAGOV"},
    BLR: {"label": "Belarus", "type": "Country", "country": "BLR", "code": "BLR"},
    USA: {"label": "United States", "type": "Country", "country": "USA", "code": "USA"},
    RUS: {"label": "Russia", "type": "Country", "country": "RUS", "code": "RUS"},
    UKR: {"label": "Ukraine", "type": "Country", "country": "UKR", "code": "UKR"},
}
E1_EDGE = {"type": "CONSULT", "label": "meet", "cameo": "040", "date": "2025-09-11", "place": "Minsk",
           "goldstein": 1.0, "confidence": 0.9, "evidence_count": 3, "articles": "a1;a2", "negated": False,
           "modality": "asserted"}


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def build_fixture_store(path: Path) -> Path:
    """Write FIXTURE into a store at *path* the way ingest does, article graph by article graph."""
    store, dataset = open_store(path), rdflib.Dataset()
    dataset.parse(data=FIXTURE, format="trig")
    for graph in dataset.graphs():
        if len(graph):
            replace_graph(store, graph)
    store.flush()
    return path


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory) -> Path:
    return build_fixture_store(tmp_path_factory.mktemp("fixture") / "store")


@pytest.fixture(scope="module")
def fixture_graph(fixture_store) -> nx.MultiDiGraph:
    return to_networkx(open_store(fixture_store, read_only=True))


def export_file(store: Path, tmp_path: Path, fmt: str, *extra: str) -> Path:
    out = tmp_path / f"graph.{fmt}"
    result = run("export", "--store", str(store), "--format", fmt, "-o", str(out), *extra)
    assert result.exit_code == 0, result.output
    return out


def test_network_actors_view(fixture_graph):
    assert dict(fixture_graph.nodes(data=True)) == ACTOR_NODES
    assert sorted((u, v, k) for u, v, k in fixture_graph.edges(keys=True)) == sorted([
        (LUKASHENKO, COALE, E1), (USA, BLR, E2), (RUS, UKR, E3), (COALE, BLR, E5), (LUKASHENKO, BLR, R1),
        (USA, BLR, E6)])
    assert fixture_graph.edges[LUKASHENKO, COALE, E1] == E1_EDGE
    assert fixture_graph.edges[LUKASHENKO, BLR, R1] == {
        "type": "leader_of", "label": "president", "confidence": 0.9, "evidence_count": 2,
        "articles": "a1;a2"}
    assert fixture_graph.edges[USA, BLR, E2]["goldstein"] == -8.0


def test_network_full_view_is_bipartite(fixture_store):
    graph = to_networkx(open_store(fixture_store, read_only=True), "full")
    facts = {n for n, part in graph.nodes(data="bipartite") if part == 1}
    assert facts == {E1, E2, E3, E4, E5, E6, R1}
    assert {n for n, part in graph.nodes(data="bipartite") if part == 0} == set(ACTOR_NODES) | {MINSK}
    assert nx.is_bipartite(graph.to_undirected())
    assert sorted(graph.edges(E1, keys=True, data="type")) == [(E1, COALE, f"{E1}#target", "target"),
                                                             (E1, MINSK, f"{E1}#place", "place")]
    assert list(graph.in_edges(E1, keys=True, data="type")) == [(LUKASHENKO, E1, f"{E1}#source", "source")]
    assert graph.nodes[E4]["type"] == "CONCEDE" and graph.nodes[E4]["kind"] == "event"
    assert graph.number_of_edges() == 14


@pytest.mark.parametrize(("filters", "kept"), [
    ({"min_confidence": 0.7}, {E1, E2, E6, R1}),
    ({"since": "2023", "until": "2024"}, {E2}),
    ({"since": "2022-06"}, {E1, E2, E3, E6}),
    ({"until": "2022-12-31"}, {E3}),
    ({"types": ["consult"]}, {E1, E5}),
    ({"types": "leader_of"}, {R1}),
    ({"countries": ["UKR"]}, {E3}),
    ({"countries": ["blr"], "min_confidence": 0.8}, {E1, E6, R1}),
], ids=["confidence", "year-range", "month-start", "day-end", "type", "relation", "country", "combined"])
def test_network_filters(fixture_store, filters, kept):
    graph = to_networkx(open_store(fixture_store, read_only=True), facts=fact_filter(**filters))
    assert {k for _, _, k in graph.edges(keys=True)} == kept


def test_export_gexf_round_trips_through_networkx(fixture_store, fixture_graph, tmp_path):
    back = nx.read_gexf(export_file(fixture_store, tmp_path, "gexf"))
    assert back.graph["mode"] == "dynamic"
    assert dict(back.nodes(data=True)) == ACTOR_NODES
    intervals = {E1: ("2025-09-11", "2025-09-11"), E2: ("2023-08-01", "2023-08-31"),
                 E3: ("2022-01-01", "2022-12-31"), E6: ("2025-09-11", "2025-09-11")}
    for u, v, key, data in fixture_graph.edges(keys=True, data=True):
        expected = {**data, "id": key}
        if "goldstein" in data:
            expected["weight"] = data["goldstein"]
        if key in intervals:
            expected["start"], expected["end"] = intervals[key]
        assert back.edges[u, v, key] == expected
    assert back.number_of_edges() == 6


def test_export_gexf_edges_are_typed_and_coloured(fixture_store, tmp_path):
    root = ElementTree.parse(export_file(fixture_store, tmp_path, "gexf")).getroot()
    ns = {"g": "http://www.gexf.net/1.2draft", "viz": "http://www.gexf.net/1.2draft/viz"}
    edges = {e.get("id"): e for e in root.iterfind("g:graph/g:edges/g:edge", ns)}
    assert {key: e.get("kind") for key, e in edges.items()} == {
        E1: "CONSULT", E2: "SANCTION", E3: "ASSAULT", E5: "CONSULT", E6: "CONCEDE", R1: "leader_of"}
    assert edges[E3].find("viz:color", ns).attrib == {"r": "153", "g": "23", "b": "23", "a": "1.0"}
    assert edges[R1].find("viz:color", ns).attrib == {"r": "150", "g": "150", "b": "150", "a": "1.0"}
    assert (edges[E3].get("weight"), edges[R1].get("weight")) == ("-10.0", None)


def test_export_gexf_parses_in_graphology(fixture_store, tmp_path):
    if not (JS / "node_modules" / "graphology-gexf").is_dir():
        pytest.fail("tests/js/node_modules is missing; run: npm install --prefix tests/js")
    gexf = export_file(fixture_store, tmp_path, "gexf")
    out = subprocess.run(["node", str(JS / "read-gexf.js"), str(gexf)], capture_output=True, text=True,
                         check=True)
    assert json.loads(out.stdout) == {
        "type": "directed", "multi": True, "nodes": 6, "edges": 6, "coloured": 6, "weighted": 5,
        "kinds": {"CONSULT": 2, "SANCTION": 1, "ASSAULT": 1, "CONCEDE": 1, "leader_of": 1}}


def test_export_graphml_round_trips_through_networkx(fixture_store, fixture_graph, tmp_path):
    out = export_file(fixture_store, tmp_path, "graphml")
    back = nx.read_graphml(out, force_multigraph=True, edge_key_type=str)
    assert dict(back.nodes(data=True)) == dict(fixture_graph.nodes(data=True))
    assert sorted(back.edges(keys=True, data=True)) == sorted(fixture_graph.edges(keys=True, data=True))


def test_export_csv_writes_gephi_spreadsheets(fixture_store, tmp_path):
    out = tmp_path / "gephi"
    result = run("export", "--store", str(fixture_store), "--format", "csv", "-o", str(out))
    assert result.stderr == f"6 edges written to {out}\n"
    nodes = {row["Id"]: row for row in csv.DictReader((out / "nodes.csv").read_text().splitlines())}
    assert nodes[LUKASHENKO] == {"Id": LUKASHENKO, "Label": "Alexander Lukashenko", "code": "BLRGOV",
                                 "country": "BLR", "type": "Person"}
    edges = {row["Id"]: row for row in csv.DictReader((out / "edges.csv").read_text().splitlines())}
    assert list(edges[E2]) == ["Source", "Target", "Type", "Kind", "Id", "Label", "Weight", "Interval",
                               "articles", "cameo", "confidence", "date", "evidence_count", "goldstein",
                               "modality", "negated", "place"]
    assert edges[E2] == {
        "Source": USA, "Target": BLR, "Type": "Directed", "Kind": "SANCTION", "Id": E2, "Label": "sanction",
        "Weight": "-8.0", "Interval": "<[2023-08-01, 2023-08-31]>", "articles": "a2", "cameo": "163",
        "confidence": "0.75", "date": "2023-08", "evidence_count": "1", "goldstein": "-8.0",
        "modality": "asserted", "negated": "false", "place": ""}
    assert (edges[R1]["Kind"], edges[R1]["Weight"], edges[R1]["Interval"]) == ("leader_of", "", "")
    assert len(nodes) == 6 and len(edges) == 6


def test_export_full_view_gexf_dates_fact_nodes(fixture_store, tmp_path):
    back = nx.read_gexf(export_file(fixture_store, tmp_path, "gexf", "--view", "full"))
    assert (back.nodes[E2]["start"], back.nodes[E2]["end"]) == ("2023-08-01", "2023-08-31")
    assert back.edges[USA, E2] == {"type": "source", "date": "2023-08", "id": f"{E2}#source",
                                   "start": "2023-08-01", "end": "2023-08-31"}
    assert back.number_of_nodes() == 14 and back.number_of_edges() == 14


def test_export_jsonld_has_the_turtle_triples(fixture_store, tmp_path):
    turtle = rdflib.Graph().parse(export_file(fixture_store, tmp_path, "ttl"), format="turtle")
    out = tmp_path / "graph.jsonld"
    result = run("export", "--store", str(fixture_store), "--format", "jsonld", "-o", str(out))
    assert result.stderr == f"{len(turtle)} triples written to {out}\n"
    document = json.loads(out.read_text())
    assert document["@context"]["kg"] == "https://w3id.org/kg/ontology#"
    assert isomorphic(rdflib.Graph().parse(out, format="json-ld"), turtle)


def test_export_events_filters_by_confidence(fixture_store):
    result = run("export", "--store", str(fixture_store), "--format", "events-jsonl",
                 "--min-confidence", "0.7")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted((r["doc"], r["iri"], r["confidence"]) for r in rows) == [
        ("a1", E1, 0.9), ("a1", E4, 0.8), ("a1", R1, 0.9),
        ("a2", E1, 0.9), ("a2", E2, 0.75), ("a2", E6, 0.85), ("a2", R1, 0.9)]


def test_export_csv_without_output_is_an_error(fixture_store):
    result = run("export", "--store", str(fixture_store), "--format", "csv")
    assert result.exit_code == 1
    assert result.stderr == ("Error: --format csv writes nodes.csv and edges.csv; "
                             "name their directory with -o DIR\n")


def test_export_file_format_into_a_directory_is_an_error(fixture_store, tmp_path):
    result = run("export", "--store", str(fixture_store), "--format", "gexf", "-o", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path}: is a directory; --format gexf writes one file\n"


def test_export_into_a_missing_directory_is_an_error(fixture_store, tmp_path):
    target = tmp_path / "missing" / "graph.gexf"
    result = run("export", "--store", str(fixture_store), "--format", "gexf", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {target}: cannot write (No such file or directory)\n"


def test_export_csv_into_a_file_is_an_error(fixture_store, tmp_path):
    (tmp_path / "taken").write_text("")
    result = run("export", "--store", str(fixture_store), "--format", "csv", "-o", str(tmp_path / "taken"))
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {tmp_path / 'taken'}: not a directory; --format csv writes nodes.csv "
                             "and edges.csv into a directory\n")
    assert "Traceback" not in result.output


def test_export_help_names_formats_and_the_csv_directory():
    text = " ".join(run("export", "--help").output.split())
    assert "[csv|events-csv|events-jsonl|gexf|graphml|jsonld|nq|trig|ttl]" in text
    assert "for csv, the directory that gets nodes.csv and edges.csv" in text
    assert "--view [actors|full]" in text


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "store"
    assert run("ingest", str(SEED), "--store", str(path), "--quiet").exit_code == 0
    return path


@pytest.mark.slow
def test_export_seed_network_agrees_across_tools(seed_store, tmp_path):
    graph = to_networkx(open_store(seed_store, read_only=True))
    gexf = export_file(seed_store, tmp_path, "gexf")
    back = nx.read_gexf(gexf)
    assert sorted(back.edges(keys=True)) == sorted(graph.edges(keys=True))
    assert {n: d["label"] for n, d in back.nodes(data=True)} == dict(graph.nodes(data="label"))
    parsed = json.loads(subprocess.run(["node", str(JS / "read-gexf.js"), str(gexf)], capture_output=True,
                                       text=True, check=True).stdout)
    assert (parsed["nodes"], parsed["edges"]) == (graph.number_of_nodes(), graph.number_of_edges())
    turtle = rdflib.Graph().parse(export_file(seed_store, tmp_path, "ttl"), format="turtle")
    assert isomorphic(rdflib.Graph().parse(export_file(seed_store, tmp_path, "jsonld"), format="json-ld"),
                      turtle)
