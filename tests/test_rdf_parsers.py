"""Exports parse in an independent RDF parser (Raptor's rapper) to the same triple count as rdflib.

CI installs raptor2-utils (.ci/run); elsewhere the test is skipped when rapper is missing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
import rdflib
from click.testing import CliRunner

from kg.cli import cli

from .conftest import SEED

pytestmark = pytest.mark.skipif(shutil.which("rapper") is None and not os.environ.get("CI"),
                                reason="rapper (raptor2-utils) is not installed")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("rapper") / "store"
    assert CliRunner().invoke(cli, ["ingest", str(SEED), "--store", str(path), "--quiet"]).exit_code == 0
    return path


@pytest.mark.parametrize(("fmt", "raptor", "rdflib_format"), [
    ("ttl", "turtle", "turtle"), ("nq", "nquads", "nquads"), ("trig", "trig", "trig")])
def test_rapper_counts_the_same_triples(store, tmp_path, fmt, raptor, rdflib_format):
    out = tmp_path / f"graph.{fmt}"
    assert CliRunner().invoke(cli, ["export", "--store", str(store), "--format", fmt,
                                    "-o", str(out)]).exit_code == 0
    done = subprocess.run(["rapper", "-i", raptor, "-c", str(out)], capture_output=True, text=True,
                          check=True, timeout=60)
    counted = int(re.search(r"returned (\d+) (?:triples|statements)", done.stderr).group(1))
    graph = rdflib.Dataset() if fmt != "ttl" else rdflib.Graph()
    graph.parse(data=out.read_bytes(), format=rdflib_format)
    expected = len(graph) if fmt == "ttl" else sum(1 for _ in graph.quads())
    assert counted == expected
    assert counted > 300
