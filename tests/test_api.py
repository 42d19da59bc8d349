"""KnowledgeGraph, the notebook API: open, ingest, query, the event table, networks, filters, errors."""

from __future__ import annotations

import networkx as nx
import pytest

import kg
from kg import KnowledgeGraph
from kg.export import EVENT_FIELDS

from .conftest import SEED
from .test_export import BLR, COALE, E1, E2, E3, E4, E5, E6, LUKASHENKO, R1, USA, build_fixture_store


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    store = build_fixture_store(tmp_path_factory.mktemp("fixture") / "store")
    return KnowledgeGraph.open(store, create=False)


def test_api_is_exported():
    assert kg.KnowledgeGraph is KnowledgeGraph and "KnowledgeGraph" in kg.__all__


def test_api_query_rows_and_dataframe(graph):
    rows = graph.query("network-actors")
    assert [row["label"] for row in rows] == ["Belarus", "Russia", "Ukraine", "United States",
                                              "Alexander Lukashenko", "John Coale", "Minsk"]
    frame = graph.query_df(kg.load_query("who-met-whom"))
    assert list(zip(frame["source"], frame["target"], strict=True)) == [("John Coale", "Belarus"),
                                                                       ("Alexander Lukashenko", "John Coale")]


def test_api_events_is_the_event_table(graph):
    events = graph.events()
    assert list(events.columns) == list(EVENT_FIELDS)
    assert sorted(zip(events["doc"], events["iri"], strict=True))[:4] == [
        ("a1", E1), ("a1", E3), ("a1", E4), ("a1", R1)]
    assert len(events) == 9


@pytest.mark.parametrize(("filters", "expected"), [
    ({"types": "leader_of"}, [("a1", R1), ("a2", R1)]),
    ({"countries": ["UKR"]}, [("a1", E3)]),
    ({"since": "2025-09", "min_confidence": 0.8}, [("a1", E1), ("a1", E4), ("a2", E1), ("a2", E6)]),
    ({"until": "2023-08-15"}, [("a1", E3), ("a2", E2)]),
])
def test_api_events_filters(graph, filters, expected):
    events = graph.events(**filters)
    assert sorted(zip(events["doc"], events["iri"], strict=True)) == expected


def test_api_to_networkx_views(graph):
    actors = graph.to_networkx(countries=["USA"])
    assert isinstance(actors, nx.MultiDiGraph)
    assert sorted(actors.edges(keys=True)) == sorted([(USA, BLR, E2), (USA, BLR, E6), (LUKASHENKO, COALE, E1),
                                                     (COALE, BLR, E5)])
    full = graph.to_networkx("full", types=["SANCTION"])
    assert sorted(full.nodes) == sorted([E2, USA, BLR])
    assert full.nodes[E2]["goldstein"] == -8.0 and full.nodes[USA]["kind"] == "actor"
    assert graph.to_networkx(since="2026").number_of_nodes() == 0


def test_api_export_writes_a_file(graph, tmp_path):
    assert graph.export("gexf", tmp_path / "g.gexf", min_confidence=0.8) == 3
    assert sorted(nx.read_gexf(tmp_path / "g.gexf").edges(data="type")) == sorted([
        (USA, BLR, "CONCEDE"), (LUKASHENKO, COALE, "CONSULT"), (LUKASHENKO, BLR, "leader_of")])
    assert graph.export("csv", tmp_path / "csv", types=["CONSULT"]) == 2
    assert (tmp_path / "csv" / "edges.csv").read_text().count("\n") == 3


@pytest.mark.parametrize(("call", "message"), [
    (lambda g: g.to_networkx("both"), "unknown view 'both'; use one of: actors, full"),
    (lambda g: g.events(since="last year"), "bad date 'last year'; use YYYY-MM-DD, YYYY-MM or YYYY"),
    (lambda g: g.events(until="2025-13"), "bad date '2025-13'; use YYYY-MM-DD, YYYY-MM or YYYY"),
    (lambda g: g.to_networkx(countries=["BY"]),
     "bad country 'BY'; use an ISO 3166-1 alpha-3 code such as BLR"),
    (lambda g: g.to_networkx(min_confidence=2), "min_confidence must be between 0 and 1, not 2"),
    (lambda g: g.export("png", "x.png"),
     "unknown export format 'png'; known: csv, events-csv, events-jsonl, gexf, graphml, jsonld, nq, trig, "
     "ttl"),
], ids=["view", "date", "month", "country", "confidence", "format"])
def test_api_bad_arguments_are_one_line_errors(graph, call, message):
    with pytest.raises(kg.QueryError) as caught:
        call(graph)
    assert str(caught.value) == message


def test_api_unknown_type_names_the_known_ones(graph):
    with pytest.raises(kg.QueryError) as caught:
        graph.events(types=["MEET"])
    assert str(caught.value) == (
        "unknown type 'MEET'; known: ACCUSE, AGREE, AID, ASSAULT, COERCE, CONCEDE, CONSULT, COOPERATE, "
        "MOBILIZE, PROTEST, REJECT, REQUEST, RETREAT, SANCTION, SUPPORT, THREATEN, ally_of, leader_of, "
        "located_in, member_of, nationality")


def test_api_open_missing_store_without_create(tmp_path):
    with pytest.raises(kg.StoreError) as caught:
        KnowledgeGraph.open(tmp_path / "nowhere", create=False)
    assert str(caught.value) == (f"{tmp_path / 'nowhere'}: no store here; "
                                 "run 'kg ingest' first or pass --store")


@pytest.mark.slow
def test_api_ingest_then_read_sees_the_new_articles(tmp_path):
    graph = KnowledgeGraph.open(tmp_path / "store")
    assert graph.query("stats") == [{"articles": "0", "actors": "0", "events": "0", "relations": "0"}]
    summary = graph.ingest(SEED)
    assert summary.articles == 1 and not summary.failures
    assert graph.query("stats")[0]["articles"] == "1"
    events = graph.events(types=["CONSULT"], countries=["BLR"])
    assert ("Alexander Lukashenko", "John Coale") in set(zip(events["source"], events["target"], strict=True))
