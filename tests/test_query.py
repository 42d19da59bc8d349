"""The canned queries, parameter binding and result formats, on a small hand-made store."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.config import QUERIES_DIR
from kg.query import ONTOLOGY_GRAPH, describe_queries, load_ontology_graph, load_query, select_rows
from kg.store import open_store

# Two articles in kg's shape: a1 (March 2024) and b1 (May 2024) both report
# the sanctions event e1; the rest is in one article each.
TRIG = """
@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix cameo: <https://w3id.org/kg/cameo/> .
@prefix plover: <https://w3id.org/kg/plover/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/kg/id/> .

id:article\\/a1 {
  id:article\\/a1 a kg:Article ; dct:identifier "a1" ; dct:title "Sanctions and a release" ;
      dct:date "2024-03-01"^^xsd:date .
  id:usa a kg:Country ; rdfs:label "United States" ; skos:altLabel "US" ; kg:iso3 "USA" ; kg:actorCode "USA" .
  id:blr a kg:Country ; rdfs:label "Belarus" ; kg:iso3 "BLR" ; kg:actorCode "BLR" .
  id:luka a kg:Person ; rdfs:label "Alexander Lukashenko" ; skos:altLabel "Lukashenko" ;
      kg:iso3 "BLR" ; kg:actorCode "BLRGOV" ; kg:leaderOf id:blr .
  id:coale a kg:Person ; rdfs:label "John Coale" ; kg:iso3 "USA" ; kg:actorCode "USAGOV" .
  id:kal a kg:Person ; rdfs:label "Maria Kalesnikava" ; kg:iso3 "BLR" ; kg:actorCode "BLROPP" .
  id:minsk a kg:Place ; rdfs:label "Minsk" ; kg:iso3 "BLR" ; kg:actorCode "BLR" .
  id:e1 a kg:Event ; kg:eventType plover:SANCTION ; kg:cameo cameo:163 ; kg:label "sanction" ;
      kg:source id:usa ; kg:target id:blr ; kg:date "2024-03-01"^^xsd:date ; kg:negated false ;
      kg:modality kg:asserted ; kg:confidence 0.9 ; kg:evidence id:ev\\/a1\\/0-40 .
  id:e2 a kg:Event ; kg:eventType plover:CONCEDE ; kg:cameo cameo:0841 ; kg:label "release" ;
      kg:source id:blr ; kg:target id:kal ; kg:date "2024-03-02"^^xsd:date ; kg:negated false ;
      kg:modality kg:asserted ; kg:confidence 0.8 ; kg:evidence id:ev\\/a1\\/41-90 ;
      kg:quantity id:e2\\/quantity .
  id:e2\\/quantity a kg:Quantity ; kg:value 52.0 ; kg:unit "prisoner" .
  id:e3 a kg:Event ; kg:eventType plover:CONSULT ; kg:cameo cameo:040 ; kg:label "meet" ;
      kg:source id:luka ; kg:target id:coale ; kg:date "2024-03-01"^^xsd:date ; kg:place id:minsk ;
      kg:negated false ; kg:modality kg:asserted ; kg:confidence 0.9 ; kg:evidence id:ev\\/a1\\/41-90 .
  id:r1 a kg:Relation ; kg:relationType kg:leaderOf ; kg:label "president" ; kg:source id:luka ;
      kg:target id:blr ; kg:confidence 0.9 ; kg:evidence id:ev\\/a1\\/0-40 .
  id:ev\\/a1\\/0-40 a kg:Evidence ; kg:article id:article\\/a1 ; kg:start 0 ; kg:end 40 ;
      kg:sentence "The US imposed sanctions on Belarus." .
  id:ev\\/a1\\/41-90 a kg:Evidence ; kg:article id:article\\/a1 ; kg:start 41 ; kg:end 90 ;
      kg:sentence "Belarus freed 52 prisoners after Lukashenko met Coale in Minsk." .
}

id:article\\/b1 {
  id:article\\/b1 a kg:Article ; dct:identifier "b1" ; dct:title "A lift" ; dct:date "2024-05-10"^^xsd:date .
  id:usa a kg:Country ; rdfs:label "United States" ; kg:iso3 "USA" ; kg:actorCode "USA" .
  id:blr a kg:Country ; rdfs:label "Belarus" ; kg:iso3 "BLR" ; kg:actorCode "BLR" .
  id:coale a kg:Person ; rdfs:label "John Coale" ; kg:iso3 "USA" ; kg:actorCode "USAGOV" .
  id:belavia a kg:Organization ; rdfs:label "Belavia" ; kg:iso3 "BLR" ; kg:actorCode "BLRBUS" .
  id:e1 a kg:Event ; kg:eventType plover:SANCTION ; kg:cameo cameo:163 ; kg:label "impose" ;
      kg:source id:usa ; kg:target id:blr ; kg:date "2024-03-01"^^xsd:date ; kg:negated false ;
      kg:modality kg:reported ; kg:confidence 0.7 ; kg:evidence id:ev\\/b1\\/0-30 .
  id:e4 a kg:Event ; kg:eventType plover:CONCEDE ; kg:cameo cameo:085 ; kg:label "lift" ;
      kg:source id:usa ; kg:target id:belavia ; kg:date "2024-05-10"^^xsd:date ; kg:negated false ;
      kg:modality kg:intended ; kg:confidence 0.9 ; kg:evidence id:ev\\/b1\\/31-80 .
  id:e5 a kg:Event ; kg:eventType plover:CONSULT ; kg:cameo cameo:042 ; kg:label "visit" ;
      kg:source id:coale ; kg:target id:blr ; kg:negated false ; kg:modality kg:asserted ;
      kg:confidence 0.75 ; kg:evidence id:ev\\/b1\\/31-80 .
  id:ev\\/b1\\/0-30 a kg:Evidence ; kg:article id:article\\/b1 ; kg:start 0 ; kg:end 30 ;
      kg:sentence "Washington has sanctioned Minsk." .
  id:ev\\/b1\\/31-80 a kg:Evidence ; kg:article id:article\\/b1 ; kg:start 31 ; kg:end 80 ;
      kg:sentence "Coale, visiting Belarus, said the US would lift sanctions on Belavia." .
}
"""
ID = "https://w3id.org/kg/id/"


def build_store(path: Path) -> Path:
    """The articles above as kg writes them: each in its graph, their merge as the default graph."""
    store = ox.Store(str(path))
    store.load(TRIG.encode(), ox.RdfFormat.TRIG)
    store.extend([ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in list(store)])
    store.flush()
    return path


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("query") / "store")


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def rows(store_path: Path, name: str, **params: str) -> list[dict[str, str | None]]:
    return select_rows(open_store(store_path, create=False, read_only=True), load_query(name), params)


def pick(table: list[dict[str, str | None]], *columns: str) -> list[tuple[str | None, ...]]:
    """The columns of each row; lists that GROUP_CONCAT made ("a, b") sorted, as their order is not set."""
    def cell(value: str | None) -> str | None:
        return ", ".join(sorted(value.split(", "))) if value else value
    return [tuple(cell(row[c]) for c in columns) for row in table]


def test_query_library_has_ten_documented_queries_each_with_a_title():
    infos = {info.name: info for info in describe_queries()}
    mine = ["who-met-whom", "sanctions", "prisoner-releases", "events-between", "most-active-actors",
            "actor-timeline", "evidence", "same-event", "conflict-cooperation-by-month",
            "actors-by-country", "article-facts"]
    assert set(mine) <= set(infos)
    for name in mine:
        text = (QUERIES_DIR / f"{name}.rq").read_text()
        assert text.startswith("# ") and infos[name].summary, name
        assert "Parameters" in text, name
        declared = {p.name for p in infos[name].parameters}
        # Oxigraph substitutes only variables of the SELECT clause
        assert all(f"?{p}" in text.split("WHERE", 1)[0] for p in declared), name


def test_query_who_met_whom_by_alias(store_path):
    met = rows(store_path, "who-met-whom", actor="Lukashenko")
    assert pick(met, "date", "source", "target", "place") == [
        ("2024-03-01", "Alexander Lukashenko", "John Coale", "Minsk")]
    assert pick(rows(store_path, "who-met-whom"), "source", "target", "cameo") == [
        ("John Coale", "Belarus", "042"), ("Alexander Lukashenko", "John Coale", "040")]


def test_query_since_and_until_leave_out_undated_events(store_path):
    assert pick(rows(store_path, "who-met-whom", since="2024-03"), "label") == [("meet",)]
    assert pick(rows(store_path, "who-met-whom", until="2024-02"), "label") == []
    timeline = rows(store_path, "actor-timeline", actor="United States", until="2024-03")
    assert pick(timeline, "date", "label") == [("2024-03-01", "impose, sanction")]


def test_query_sanctions_imposed_and_lifted_in_date_order(store_path):
    assert pick(rows(store_path, "sanctions"), "date", "action", "source", "target", "modality",
                "articles") == [
        ("2024-03-01", "imposed", "United States", "Belarus", "asserted, reported", "2"),
        ("2024-05-10", "lifted", "United States", "Belavia", "intended", "1")]
    assert pick(rows(store_path, "sanctions", actor="Belavia"), "action") == [("lifted",)]
    assert rows(store_path, "sanctions", actor="Nobody") == []


def test_query_prisoner_releases_with_count(store_path):
    assert pick(rows(store_path, "prisoner-releases"), "date", "source", "target", "count", "unit") == [
        ("2024-03-02", "Belarus", "Maria Kalesnikava", "52", "prisoner")]


def test_query_events_between_two_countries_both_ways(store_path):
    table = rows(store_path, "events-between", country1="BLR", country2="USA")
    assert pick(table, "direction", "source", "target", "cameo") == [
        ("2>1", "John Coale", "Belarus", "042"),
        ("1>2", "Alexander Lukashenko", "John Coale", "040"),
        ("2>1", "United States", "Belarus", "163"),
        ("2>1", "United States", "Belavia", "085")]


def test_query_most_active_actors(store_path):
    top = rows(store_path, "most-active-actors")
    assert pick(top[:3], "actor", "events", "as_source", "as_target", "articles") == [
        ("Belarus", "3", "1", "2", "2"), ("John Coale", "2", "1", "1", "2"),
        ("United States", "2", "2", "0", "2")]


def test_query_evidence_behind_a_fact(store_path):
    assert pick(rows(store_path, "evidence", fact=f"{ID}e1"), "article_id", "start", "sentence") == [
        ("a1", "0", "The US imposed sanctions on Belarus."), ("b1", "0", "Washington has sanctioned Minsk.")]


def test_query_articles_reporting_the_same_event(store_path):
    assert pick(rows(store_path, "same-event"), "event", "articles", "article_ids") == [
        (f"{ID}e1", "2", "a1 b1")]


def test_query_article_facts_as_the_article_states_them(store_path):
    facts = rows(store_path, "article-facts", article="b1")
    assert pick(facts, "start", "kind", "type", "label", "confidence", "articles") == [
        ("0", "event", "SANCTION", "impose", "0.7", "2"),
        ("31", "event", "CONCEDE", "lift", "0.9", "1"),
        ("31", "event", "CONSULT", "visit", "0.75", "1")]


def test_query_actors_by_country_and_role(store_path):
    assert pick(rows(store_path, "actors-by-country", country="BLR", role="GOV"), "actor", "ties") == [
        ("Alexander Lukashenko", "leaderOf Belarus")]
    assert [r["actor"] for r in rows(store_path, "actors-by-country", country="BLR")] == [
        "Belarus", "Minsk", "Belavia", "Alexander Lukashenko", "Maria Kalesnikava"]


def test_query_conflict_cooperation_loads_the_ontology_once(store_path):
    def default_graph_size() -> int:
        store = open_store(store_path, create=False, read_only=True)
        return len(list(store.quads_for_pattern(None, None, None, ox.DefaultGraph())))

    before = default_graph_size()
    result = run("query", "conflict-cooperation-by-month", "--store", str(store_path), "--format", "csv")
    assert result.stdout.splitlines() == [
        "month,events,cooperation,conflict,goldstein,mean", "2024-03,3,2,1,0,0"]
    assert default_graph_size() == before  # the ontology stays in its own graph
    store = open_store(store_path, create=False)
    try:
        assert store.contains_named_graph(ox.NamedNode(ONTOLOGY_GRAPH))
        assert load_ontology_graph(store) is False
    finally:
        del store  # closed before the next test opens the store read-only


def test_query_a_value_is_bound_not_pasted(store_path):
    assert rows(store_path, "actor-timeline", actor='x" } UNION { ?event ?p ?o } #') == []


@pytest.mark.parametrize(("args", "message"), [
    (["--param", "who=x"], "Error: unknown parameter 'who'; this query's parameters: actor, since, until\n"),
    (["--param", "actor"], "Error: --param actor: expected NAME=VALUE, e.g. --param actor=Belarus\n"),
    (["--param", "since=2024-02-30"], "Error: --param since=2024-02-30: not a date; use YYYY-MM-DD, YYYY-MM "
                                      "or YYYY\n"),
    ([], "Error: this query needs --param actor=... (the actor's name, its label or an alias, e.g. "
         "\"Alexander Lukashenko\")\n"),
])
def test_query_bad_parameters_are_one_line(store_path, args, message):
    result = run("query", "actor-timeline", "--store", str(store_path), *args)
    assert result.exit_code == 1
    assert result.stderr == message


def test_query_bad_iri_is_one_line(store_path):
    result = run("query", "evidence", "--store", str(store_path), "--param", "fact=not an iri")
    assert result.exit_code == 1
    assert result.stderr == ("Error: --param fact=not an iri: not an absolute IRI, "
                             "e.g. https://w3id.org/kg/id/event/...\n")


def test_query_formats_leave_out_parameter_columns(store_path, tmp_path):
    args = ["query", "prisoner-releases", "--store", str(store_path), "-p", "actor=Belarus"]
    as_json = json.loads(run(*args, "--format", "json").stdout)
    assert as_json["head"]["vars"] == ["date", "source", "target", "count", "unit", "modality", "negated",
                                       "label", "articles", "event"]
    assert as_json["results"]["bindings"][0]["count"] == {"type": "literal", "value": "52"}
    assert run(*args, "--format", "csv").stdout.splitlines()[1] == (
        f"2024-03-02,Belarus,Maria Kalesnikava,52,prisoner,asserted,false,release,1,{ID}e2")
    assert run(*args, "--format", "tsv").stdout.splitlines()[0].split("\t")[:2] == ["?date", "?source"]
    table = run(*args).stdout.splitlines()
    assert table[0].split() == ["date", "source", "target", "count", "unit", "modality", "negated", "label",
                                "articles", "event"] and table[-1] == "(1 rows)"
    out = tmp_path / "releases.csv"
    written = run(*args, "--format", "csv", "--output", str(out))
    assert written.stderr == f"results written to {out}\n"
    assert out.read_text().splitlines()[0].split(",") == as_json["head"]["vars"]


def test_query_construct_comes_out_as_turtle(store_path):
    result = run("query", "PREFIX kg: <https://w3id.org/kg/ontology#> CONSTRUCT { ?e kg:label ?l } "
                 "WHERE { ?e kg:label \"lift\" . ?e kg:label ?l }", "--store", str(store_path))
    assert result.stdout.strip() == ("@prefix kg: <https://w3id.org/kg/ontology#> .\n"
                                     f"<{ID}e4> kg:label \"lift\" .")


def test_query_list_names_each_query_and_its_parameters():
    listing = run("query", "--list").stdout
    assert "actor-timeline: An actor's timeline\n  --param actor=<string> (required)  the actor's" in listing
    assert "\nevidence: The evidence behind a fact\n  --param fact=<iri> (required)" in listing


def test_query_dyad_balance_and_types_over_time(store_path):
    balance = run("query", "dyad-balance-by-month", "--store", str(store_path), "--format", "csv",
                  "-p", "country1=BLR", "-p", "country2=USA")
    # 2024-03: USA imposes sanctions on Belarus (163: -8.0), Lukashenko meets Coale (040: +1.0)
    assert balance.stdout.splitlines() == ["month,events,goldstein,mean", "2024-03,2,-7,-3.5"]
    types = run("query", "events-by-type-over-time", "--store", str(store_path), "--format", "csv",
                "-p", "until=2024-03")
    assert types.stdout.splitlines()[0] == "period,type,label,quad_class,events"
    assert "2024-03,SANCTION,sanction,material conflict,1" in types.stdout.splitlines()


def test_query_facts_with_evidence(store_path):
    table = rows(store_path, "facts-with-evidence", actor="Belavia")
    assert pick(table, "kind", "source", "label", "target", "article") == [
        ("event", "United States", "lift", "Belavia", "b1")]


def test_query_long_sparql_text_is_text_not_a_path(store_path):
    sparql = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1 " + "#" * 300
    assert load_query(sparql) == sparql
