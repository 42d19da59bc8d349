"""End to end through the CLI on the seed article: ingest, query, export, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.store import open_store

from .conftest import SEED

ROOT = Path(__file__).resolve().parent.parent
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
SEED_GOLD = ROOT.parent / "shared" / "eval" / "dev" / "seed.facts.jsonl"

PREFIXES = """PREFIX kg: <https://w3id.org/kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX plover: <https://w3id.org/kg/plover/>
PREFIX cameo: <https://w3id.org/kg/cameo/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("store")
    result = run("ingest", str(SEED), "--store", str(path), "--quiet")
    assert result.exit_code == 0, result.output
    return path


def ask(store_path: Path, query: str) -> bool:
    store = open_store(store_path, create=False, read_only=True)
    return bool(store.query(PREFIXES + query, use_default_graph_as_union=True))


def test_cli_ingest_summary(tmp_path):
    result = run("ingest", str(SEED), "--store", str(tmp_path / "new" / "folder" / "s"), "--quiet")
    assert result.exit_code == 0
    assert result.stderr.startswith("1 articles, ")
    assert " actors, " in result.stderr and " triples in " in result.stderr


def test_cli_lukashenko_met_cole(seed_store):
    assert ask(seed_store, """ASK { ?e kg:eventType plover:CONSULT ;
        kg:source/rdfs:label "Alexander Lukashenko" ; kg:target/skos:altLabel "John Cole" }""")


def test_cli_united_states_lifts_sanctions_on_belavia(seed_store):
    assert ask(seed_store, """ASK { ?e kg:cameo cameo:085 ; kg:eventType plover:CONCEDE ;
        kg:modality kg:intended ;
        kg:source/rdfs:label "United States" ; kg:target/rdfs:label "Belavia" }""")


def test_cli_release_of_52_prisoners(seed_store):
    assert ask(seed_store, """ASK { ?e kg:cameo cameo:0841 ; kg:source/rdfs:label "Belarus" ;
        kg:quantity [ kg:value ?n ; kg:unit "prisoner" ] . FILTER(?n = 52) }""")


def test_cli_direct_predicates_read_like_the_sentence(seed_store):
    assert ask(seed_store, """ASK {
        ?luka rdfs:label "Alexander Lukashenko" ; kg:meets ?cole . ?cole skos:altLabel "John Cole" .
        ?usa rdfs:label "United States" ; kg:liftsSanctionsOn ?belavia . ?belavia rdfs:label "Belavia" .
        ?blr rdfs:label "Belarus" ; kg:releases ?t . ?t rdfs:label "Siarhei Tsikhanouski" }""")


def test_cli_standing_relations(seed_store):
    assert ask(seed_store, """ASK {
        ?luka rdfs:label "Alexander Lukashenko" ; kg:leaderOf ?blr ; kg:allyOf ?putin .
        ?blr rdfs:label "Belarus" . ?putin rdfs:label "Vladimir Putin" .
        ?cole skos:altLabel "John Cole" ; kg:memberOf/rdfs:label "United States" }""")


@pytest.mark.parametrize("name", ["Fornusek", "Zadorozhnyy", "Getty", "Metzel", "AFP", "Sanctions"])
def test_cli_metadata_is_not_an_actor(seed_store, name):
    assert not ask(seed_store, f"""ASK {{ ?a rdfs:label ?l . FILTER(CONTAINS(?l, "{name}")) }}""")


def test_cli_reingest_changes_nothing(tmp_path):
    store = tmp_path / "s"
    run("ingest", str(SEED), "--store", str(store), "--quiet")
    first = run("export", "--store", str(store), "--format", "nq").output
    run("ingest", str(SEED), "--store", str(store), "--quiet")
    second = run("export", "--store", str(store), "--format", "nq").output
    def drop_time(text):
        return sorted(line for line in text.splitlines() if "generatedAtTime" not in line)

    assert drop_time(first) == drop_time(second)
    assert len(first.splitlines()) == len(second.splitlines())


def test_cli_events_jsonl_fields(seed_store):
    result = run("export", "--store", str(seed_store), "--format", "events-jsonl")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    met = [r for r in rows if r["label"] == "meet" and r["source"] == "Alexander Lukashenko"
           and r["target"] == "John Coale"]
    assert met, rows
    row = met[0]
    assert row["doc"] == "belarus-2025-09-11" and row["kind"] == "event" and row["type"] == "CONSULT"
    assert row["source_type"] == "Person" and row["target_type"] == "Person"
    assert row["source_country"] == "BLR" and row["source_code"] == "BLRGOV"
    assert row["date"] == "2025-09-11" and row["negated"] is False
    text = (SEED.read_text().split("\n", 1)[1])
    assert row["evidence"] in text
    assert sorted(row) == sorted(["doc", "kind", "type", "cameo", "label", "source", "target",
                                  "source_iri", "target_iri", "source_type", "target_type",
                                  "source_country", "target_country", "source_code", "target_code",
                                  "date", "place", "quantity", "negated", "modality", "confidence",
                                  "evidence", "start", "end", "iri"])


def test_cli_evidence_offsets_point_into_the_text(seed_store, seed_article):
    rows = [json.loads(line) for line in
            run("export", "--store", str(seed_store), "--format", "events-jsonl").stdout.splitlines()]
    for row in rows:
        assert seed_article.text[row["start"]:row["end"]].strip() == row["evidence"]


def scored_export(store: Path, folder: Path) -> dict:
    """The seed gold's score of the store's event table, by shared/eval/score.py itself."""
    events = folder / "events.jsonl"
    run("export", "--store", str(store), "--format", "events-jsonl", "-o", str(events))
    out = subprocess.run([sys.executable, str(SCORER), str(SEED_GOLD), str(events), "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.mark.skipif(not SCORER.exists(), reason="shared/eval is not beside the checkout")
def test_cli_seed_scores_above_target(seed_store, tmp_path):
    score = scored_export(seed_store, tmp_path)
    assert score["recall"] >= 0.6 and score["precision"] >= 0.6, score


def test_cli_query_named_and_file(seed_store):
    table = run("query", "who-met-whom", "--store", str(seed_store))
    assert table.exit_code == 0 and "Alexander Lukashenko" in table.stdout
    as_json = run("query", str(ROOT / "queries" / "who-met-whom.rq"), "--store", str(seed_store),
                  "--format", "json")
    bindings = json.loads(as_json.stdout)["results"]["bindings"]
    assert {"source": "Alexander Lukashenko", "target": "Vladimir Putin"}.items() <= \
        {k: v["value"] for k, v in bindings[0].items()}.items() or any(
        b["source"]["value"] == "Alexander Lukashenko" and b["target"]["value"] == "Vladimir Putin"
        for b in bindings)
    csv_out = run("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--store", str(seed_store),
                  "--format", "csv")
    assert csv_out.stdout.splitlines()[0] == "n"


@pytest.mark.parametrize("fmt", ["ttl", "trig", "nq"])
def test_cli_rdf_exports_parse_in_rdflib(seed_store, tmp_path, fmt):
    import rdflib

    out = tmp_path / f"graph.{fmt}"
    result = run("export", "--store", str(seed_store), "--format", fmt, "-o", str(out))
    assert result.exit_code == 0
    count = int(result.stderr.split()[0])
    graph = rdflib.Dataset() if fmt != "ttl" else rdflib.Graph()
    graph.parse(data=out.read_bytes(), format={"ttl": "turtle", "trig": "trig", "nq": "nquads"}[fmt])
    assert len(graph) == count if fmt == "ttl" else sum(1 for _ in graph.quads()) == count


def test_cli_stats(seed_store):
    result = run("stats", "--store", str(seed_store))
    lines = dict(line.split() for line in result.stdout.splitlines())
    assert lines["articles"] == "1" and int(lines["events"]) >= 8 and int(lines["actors"]) >= 12


def test_cli_extract_prints_json_without_store(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("extract", str(SEED))
    record = json.loads(result.stdout)
    assert record["article"]["id"] == "belarus-2025-09-11"
    assert any(f["label"] == "thank" for f in record["facts"])
    assert not (tmp_path / "kg-store").exists()


def test_cli_bad_inputs_fail_one_line_each_and_the_rest_goes_in(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\xff\x00data")
    (tmp_path / "nodate.txt").write_text("Title\n\nRussia attacked Ukraine.\n")
    store = tmp_path / "store"
    result = run("ingest", str(tmp_path / "missing.txt"), str(tmp_path / "empty.txt"),
                 str(tmp_path / "binary.txt"), str(tmp_path / "nodate.txt"), str(SEED),
                 "--store", str(store), "--quiet")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[:4] == [
        f"Error: {tmp_path / 'missing.txt'}: no such file or directory",
        f"Error: {tmp_path / 'empty.txt'}: empty file",
        f"Error: {tmp_path / 'binary.txt'}: binary file, not an article",
        f"Error: {tmp_path / 'nodate.txt'}:1: no 'date YYYY-MM-DD' line; add one as the first line",
    ]
    assert lines[4].startswith("1 articles, 4 failed, ")
    assert "Traceback" not in result.output
    assert ask(store, 'ASK { ?a a kg:Article }')


def test_cli_query_errors_are_one_line(seed_store):
    result = run("query", "no-such-query", "--store", str(seed_store))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: unknown query 'no-such-query'; known: ")
    bad = run("query", "SELECT WHERE {", "--store", str(seed_store))
    assert bad.exit_code == 1 and bad.stderr.startswith("Error: SPARQL does not parse:")


def test_cli_missing_store_is_an_error(tmp_path):
    result = run("export", "--store", str(tmp_path / "nowhere"), "--format", "nq")
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {tmp_path / 'nowhere'}: no store here; "
                             "run 'kg ingest' first or pass --store\n")


def test_cli_every_command_has_help_and_a_readme_mention():
    readme = (ROOT / "README.md").read_text()
    for name, command in cli.commands.items():
        assert command.help, name
        assert f"kg {name}" in readme, name


@pytest.mark.skipif(not SCORER.exists(), reason="shared/eval is not beside the checkout")
def test_cli_eval_gives_the_scorers_figures(seed_store, tmp_path):
    theirs = scored_export(seed_store, tmp_path)
    result = run("eval", str(SEED_GOLD), "--json")
    assert result.exit_code == 0
    mine = json.loads(result.stdout)
    for key in ("precision", "recall", "f1", "found", "required_facts", "date_accuracy"):
        assert mine[key] == theirs[key], key
    assert result.stderr.startswith("1 articles, ")


def test_cli_ingest_reads_stdin(tmp_path):
    text = "date 2025-09-11\nHeadline\n\nBelarus freed Siarhei Tsikhanouski on Thursday.\n"
    result = CliRunner().invoke(cli, ["ingest", "-", "--store", str(tmp_path / "s"), "--quiet"], input=text)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("1 articles, ")
    assert ask(tmp_path / "s", """ASK { ?e kg:cameo cameo:0841 ; kg:source/rdfs:label "Belarus" ;
        kg:evidence/kg:article/<http://purl.org/dc/terms/identifier> "stdin" }""")


def test_cli_countries_link_to_wikidata_with_cow_codes(seed_store):
    assert ask(seed_store, """ASK {
        ?belarus rdfs:label "Belarus" ; kg:iso3 "BLR" ; kg:cowCode 370 ; kg:gwCode 370 ;
        <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q184> .
        ?usa rdfs:label "United States" ; kg:cowCode 2 ;
        <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q30> }""")


def test_cli_ingest_again_skips_unchanged_and_keeps_the_triples(tmp_path):
    inputs = Path(__file__).parent / "data" / "inputs"
    store = tmp_path / "s"
    first = run("ingest", str(inputs), "--store", str(store), "--quiet")
    dump = run("export", "--store", str(store), "--format", "nq").output
    second = run("ingest", str(inputs), "--store", str(store))
    assert (first.exit_code, second.exit_code) == (1, 1)  # the undated feed item, both times
    assert first.stderr.splitlines()[-1].startswith("6 articles, 1 failed, ")
    assert second.stderr.splitlines()[-1].startswith("0 articles, 6 unchanged skipped, 1 failed, 0 actors, ")
    assert "ingest: 100%|" in second.stderr and "7/7" in second.stderr
    assert run("export", "--store", str(store), "--format", "nq").output == dump


def test_cli_ingest_glob_picks_files_in_directories(tmp_path):
    inputs = Path(__file__).parent / "data" / "inputs"
    result = run("ingest", str(inputs), "--glob", "*.html", "--store", str(tmp_path / "s"), "--quiet")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("1 articles, ")
    assert ask(tmp_path / "s", """ASK { ?a <http://purl.org/dc/terms/identifier> "vilnius-talks" ;
        <http://purl.org/dc/terms/publisher> "Baltic Wire" }""")
