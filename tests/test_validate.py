"""SHACL validation: what the builder writes conforms; broken graphs do not."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kg.cli import cli
from kg.ontology import KG
from kg.validate import validate_file, validate_graph

from .conftest import SEED


@pytest.fixture(scope="module")
def seed_turtle(tmp_path_factory):
    folder = tmp_path_factory.mktemp("validate")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(SEED), "--store", str(folder / "s"), "--quiet"]).exit_code == 0
    out = folder / "seed.ttl"
    assert runner.invoke(cli, ["export", "--store", str(folder / "s"), "--format", "ttl",
                               "-o", str(out)]).exit_code == 0
    return out


def test_validate_seed_graph_conforms(seed_turtle):
    report = validate_file(seed_turtle)
    assert report.violations == ()
    assert report.conforms


def _first(graph, kind):
    return next(graph.subjects(predicate=None, object=kind))


def test_validate_event_without_source_fails(seed_turtle):
    graph = Graph().parse(seed_turtle)
    event = sorted(graph.subjects(URIRef(str(KG.eventType)), None))[0]
    graph.remove((event, KG.source, None))
    report = validate_graph(graph)
    assert not report.conforms
    assert report.violations == (f"{event}: <{KG.source}> an event has exactly one source actor",)


def test_validate_offsets_outside_text_fail(seed_turtle):
    graph = Graph().parse(seed_turtle)
    evidence = sorted(graph.subjects(KG.sentence, None))[0]
    graph.set((evidence, KG.end, Literal(99999, datatype=XSD.integer)))
    report = validate_graph(graph)
    assert report.violations == (
        f"{evidence}: evidence offsets lie outside the article text, or do not frame the sentence",)


def test_validate_actor_with_two_labels_fails(seed_turtle):
    graph = Graph().parse(seed_turtle)
    actor = URIRef("https://w3id.org/kg/id/actor/country/BLR")
    graph.add((actor, RDFS.label, Literal("Belorussia")))
    report = validate_graph(graph)
    assert report.violations == (f"{actor}: <{RDFS.label}> an actor has exactly one rdfs:label",)


def test_validate_cli_exit_status(seed_turtle, tmp_path):
    good = CliRunner().invoke(cli, ["validate", str(seed_turtle)])
    assert good.exit_code == 0 and good.stderr == "conforms\n"
    broken = tmp_path / "broken.ttl"
    graph = Graph().parse(seed_turtle)
    event = sorted(graph.subjects(KG.eventType, None))[0]
    graph.remove((event, KG.evidence, None))
    graph.serialize(broken, format="turtle")
    bad = CliRunner().invoke(cli, ["validate", str(broken)])
    assert bad.exit_code == 1
    assert bad.stdout == f"{event}: <{KG.evidence}> an event has at least one evidence\n"
    assert bad.stderr == "1 violations\n"


def test_validate_every_sample_graph_conforms(tmp_path):
    samples = SEED.parent.parent.parent / "data" / "samples"
    runner = CliRunner()
    ingest = runner.invoke(cli, ["ingest", str(samples), "--store", str(tmp_path / "s"), "--quiet"])
    assert ingest.exit_code == 0, ingest.output
    assert ingest.stderr.startswith(f"{len(list(samples.glob('*.txt')))} articles, ")
    result = runner.invoke(cli, ["validate", "--store", str(tmp_path / "s")])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "conforms\n")
