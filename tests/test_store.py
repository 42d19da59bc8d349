"""The store: named graphs per article, their merge as the default graph, replacement."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kg.store import open_store, replace_graph, store_counts

USA = URIRef("https://w3id.org/kg/id/actor/country/USA")
BLR = URIRef("https://w3id.org/kg/id/actor/country/BLR")
A1 = URIRef("https://w3id.org/kg/id/article/a1")
A2 = URIRef("https://w3id.org/kg/id/article/a2")


def article(name, *triples):
    graph = Graph(identifier=name)
    for triple in triples:
        graph.add(triple)
    return graph


def count(store, sparql):
    return int(next(iter(store.query(sparql)))[0].value)


def test_store_merge_counts_a_shared_triple_once(tmp_path):
    store = open_store(tmp_path / "s")
    label = (USA, RDFS.label, Literal("United States"))
    replace_graph(store, article(A1, label))
    replace_graph(store, article(A2, label, (BLR, RDFS.label, Literal("Belarus"))))
    assert count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == 2
    assert count(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == 3
    assert store_counts(store)["graphs"] == 2


def test_store_replacing_an_article_keeps_what_others_support(tmp_path):
    store = open_store(tmp_path / "s")
    label = (USA, RDFS.label, Literal("United States"))
    replace_graph(store, article(A1, label, (BLR, RDFS.label, Literal("Belarus"))))
    replace_graph(store, article(A2, label))
    replace_graph(store, article(A1, (BLR, RDFS.label, Literal("Republic of Belarus"))))
    rows = {(r["s"].value, r["o"].value) for r in store.query("SELECT ?s ?o WHERE { ?s ?p ?o }")}
    assert rows == {(str(USA), "United States"), (str(BLR), "Republic of Belarus")}


def test_store_replacing_an_article_with_itself_changes_nothing(tmp_path):
    store = open_store(tmp_path / "s")
    graph = article(A1, (USA, RDFS.label, Literal("United States")))
    replace_graph(store, graph)
    before = sorted(str(q) for q in store)
    replace_graph(store, graph)
    assert sorted(str(q) for q in store) == before
