"""Linking actors across articles, and the curation file (kg/link.py, kg/curate.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.link import ORGANIZATION_THRESHOLD, Curation, StoredActor, read_curation, score_names
from kg.query import load_query, select_rows
from kg.resolve import Actor
from kg.store import open_store

# Made-up people, so that the gazetteer is not what merges them.
FIRST = """date 2025-09-04
Envoy meets Lukashenko

U.S. envoy Peter Dole met Alexander Lukashenko in Minsk on Thursday.
U.S. envoy Mark Smith criticised Russia on Monday.
"""
SECOND = """date 2025-09-18
Belarus frees prisoners

American envoy Peter Doale met Alexander Lukashenko in Minsk on Thursday.
U.S. envoy Anna Smith criticised Russia on Friday.
"""


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    folder = tmp_path_factory.mktemp("link")
    for name, text in (("first", FIRST), ("second", SECOND)):
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        result = run("ingest", str(folder / f"{name}.txt"), "--store", str(folder / "s"), "-q")
        assert result.exit_code == 0, result.output
    return folder


@pytest.fixture()
def store(ingested, tmp_path):
    """A copy of the two articles' store, for a test to change."""
    for name in ("first.txt", "second.txt"):
        shutil.copy(ingested / name, tmp_path / name)
    shutil.copytree(ingested / "s", tmp_path / "s")
    return tmp_path / "s"


def people(store: Path) -> dict[str, set[str]]:
    rows = select_rows(open_store(store, create=False, read_only=True), load_query("actors"))
    return {r["key"]: {r["label"], *(r["aliases"] or "").split("|")} - {""} for r in rows
            if r["type"] == "Person" and r["key"] != "person/alexander-lukashenko"}


def decisions(store: Path) -> list[tuple[str | None, ...]]:
    rows = select_rows(open_store(store, create=False, read_only=True), load_query("merge-decisions"))
    return [(r["article"], r["key"], r["candidate"], r["score"], r["merged"], r["curated"]) for r in rows]


def test_link_two_spellings_of_one_envoy_are_one_actor_and_namesakes_stay_two(store):
    assert people(store) == {"person/peter-dole": {"Peter Dole", "Peter Doale"},
                             "person/mark-smith": {"Mark Smith"}, "person/anna-smith": {"Anna Smith"}}
    assert decisions(store) == [
        ("second", "person/peter-doale", "person/peter-dole", "0.889", "true", "false")]


def test_link_reingesting_an_article_changes_nothing(store):
    before = set(open_store(store, create=False, read_only=True))
    run("ingest", str(store.parent / "second.txt"), "--store", str(store), "-q")
    after = set(open_store(store, create=False, read_only=True))
    changed = {q for q in before ^ after if "generatedAtTime" not in str(q.predicate)}
    assert changed == set()
    assert decisions(store)[0][3:] == ("0.889", "true", "false")


def test_link_split_undoes_a_merge_and_merge_redoes_it(store):
    result = run("actors", "split", "person/peter-doale", "person/peter-dole", "--store", str(store))
    assert result.exit_code == 0, result.output
    assert result.stderr == "split person/peter-doale person/peter-dole: 2 articles ingested again\n"
    assert people(store)["person/peter-doale"] == {"Peter Doale"}
    assert people(store)["person/peter-dole"] == {"Peter Dole"}
    assert decisions(store)[0][3:] == ("0.889", "false", "true")
    run("ingest", str(store.parent / "second.txt"), "--store", str(store), "-q")  # the next ingest honours it
    assert "person/peter-doale" in people(store)
    result = run("actors", "merge", "person/peter-doale", "person/peter-dole", "--store", str(store))
    assert result.exit_code == 0
    assert people(store)["person/peter-dole"] == {"Peter Dole", "Peter Doale"}
    assert "person/peter-doale" not in people(store)
    assert (store.parent / "s.curation.tsv").read_text().splitlines()[1:] == [
        "split\tperson/peter-doale\tperson/peter-dole", "merge\tperson/peter-doale\tperson/peter-dole"]


def test_link_actors_list_and_bad_keys(store):
    listed = run("actors", "list", "--store", str(store)).stdout
    assert "person/peter-dole" in listed and "Peter Doale" in listed
    result = CliRunner().invoke(cli, ["actors", "merge", "Peter Dole", "person/x", "--store", str(store)])
    assert result.exit_code == 1
    assert result.stderr == ("Error: 'Peter Dole' is not an actor key; 'kg actors list' shows them "
                             "(person/john-coale)\n")


def test_link_curation_file_later_lines_win(tmp_path):
    path = tmp_path / "c.tsv"
    path.write_text("# comment\nmerge a/x b/y\nsplit a/x b/y\nmerge c/z a/x  # chained\n", encoding="utf-8")
    curation = read_curation(path)
    assert curation.target("a/x") is None and curation.apart("b/y", "a/x")
    assert curation.target("c/z") == "a/x"
    assert read_curation(tmp_path / "missing.tsv") == Curation({}, frozenset())


@pytest.mark.parametrize(("mine", "theirs", "score"), [
    ("John Coale", "John Cole", 0.889),       # one letter more
    ("J. Coale", "John Cole", 0.844),         # an initial is compatible, not the same
    ("Mark Smith", "Anna Smith", 0.0),        # namesakes
    ("Anna Lavrova", "Anna Lavrov", 0.0),     # feminine form
    ("Coale", "John Cole", 0.0),              # a bare surname decides nothing
])
def test_link_person_scores(mine, theirs, score):
    actor = Actor(key="person/x", label=mine, type="Person", country="USA", code="USAGOV")
    assert round(score_names(actor, StoredActor("person/y", theirs, (theirs,), "USAGOV")), 3) == score


def test_link_decision_with_a_score_above_one_fails_the_shapes(ingested, tmp_path):
    """The second article's graph conforms but for the score: its merge decision, and Lukashenko's
    kg:country, which points to Belarus although the article never names Belarus."""
    from rdflib import XSD, Dataset, Literal, URIRef

    from kg.ontology import KG
    from kg.validate import validate_graph

    result = run("export", "--store", str(ingested / "s"), "--format", "nq", "-o", str(tmp_path / "s.nq"))
    assert result.exit_code == 0
    dataset = Dataset()
    dataset.parse(tmp_path / "s.nq", format="nquads")
    graph = dataset.graph(URIRef("https://w3id.org/kg/id/article/second"))
    decision = next(graph.subjects(URIRef(str(KG.score)), None))
    graph.set((decision, URIRef(str(KG.score)), Literal("1.5", datatype=XSD.decimal)))
    assert validate_graph(graph).violations == (
        f"{decision}: <{KG.score}> a merge decision has one score between 0 and 1",)


@pytest.mark.parametrize(("mine", "theirs", "merges"), [
    ("Viasna Human Rights Center", "Viasna Human Rights Centre", True),
    ("Ministry of Defense", "Ministry of Defence", True),
    ("Ministry of Economy", "Ministry of Energy", False),
    ("Ministry of Foreign Affairs", "Ministry of Internal Affairs", False),
])
def test_link_organization_scores(mine, theirs, merges):
    actor = Actor(key="organization/x", label=mine, type="Organization", country="BLR")
    score = score_names(actor, StoredActor("organization/y", theirs, (theirs,), None))
    assert (score >= ORGANIZATION_THRESHOLD) is merges


def test_link_two_articles_of_one_run_are_linked_before_they_are_written(tmp_path):
    """The store writes in batches: the second article of a run is linked to the first
    all the same."""
    for name, text in (("first", FIRST), ("second", SECOND)):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    result = run("ingest", str(tmp_path / "first.txt"), str(tmp_path / "second.txt"), "--store",
                 str(tmp_path / "s"), "-q")
    assert result.exit_code == 0, result.output
    assert people(tmp_path / "s")["person/peter-dole"] == {"Peter Dole", "Peter Doale"}
