"""kg serve: the store over the SPARQL 1.1 Protocol, read-only, on loopback, with limits."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.serve import start_endpoint

from .test_query import build_store

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?event a <https://w3id.org/kg/ontology#Event> }"


def get(url: str, query: str, accept: str = "application/sparql-results+json") -> bytes:
    request = urllib.request.Request(f"{url}?{urllib.parse.urlencode({'query': query})}",
                                     headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def status_of(request: urllib.request.Request) -> int:
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    path = build_store(tmp_path_factory.mktemp("serve") / "store")
    with start_endpoint(path, port=0, timeout=5, max_bytes=5_000) as running:
        yield running


def test_serve_answers_a_query_in_sparql_json(endpoint):
    assert endpoint.url.startswith("http://127.0.0.1:")
    answer = json.loads(get(endpoint.query_url, COUNT))
    assert answer["results"]["bindings"] == [
        {"n": {"type": "literal", "value": "5", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]


def test_serve_has_the_ontology_graph_for_goldstein_scores(endpoint):
    query = ("SELECT ?g WHERE { GRAPH <https://w3id.org/kg/id/graph/ontology> "
             "{ <https://w3id.org/kg/cameo/163> <https://w3id.org/kg/ontology#goldstein> ?g } }")
    assert json.loads(get(endpoint.query_url, query))["results"]["bindings"][0]["g"]["value"] == "-8"


def test_serve_refuses_an_update(endpoint):
    update = urllib.request.Request(
        f"{endpoint.url}/update", method="POST", data=b"INSERT DATA { <http://a> <http://b> <http://c> }",
        headers={"Content-Type": "application/sparql-update"})
    assert status_of(update) == 403
    assert json.loads(get(endpoint.query_url, "ASK { <http://a> ?p ?o }"))["boolean"] is False


def test_serve_refuses_a_result_over_the_size_limit(endpoint):
    everything = urllib.request.Request(
        f"{endpoint.query_url}?{urllib.parse.urlencode({'query': 'SELECT * WHERE { ?s ?p ?o }'})}")
    assert status_of(everything) == 413
    small = urllib.request.Request(
        f"{endpoint.query_url}?{urllib.parse.urlencode({'query': 'SELECT * WHERE { ?s ?p ?o } LIMIT 2'})}")
    assert status_of(small) == 200


def test_serve_port_in_use_is_one_line(tmp_path):
    path = build_store(tmp_path / "store")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--store", str(path), "--port", str(port)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: 127.0.0.1:{port} is in use; pass another --port\n"


def test_serve_missing_store_is_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--store", str(tmp_path / "nowhere"), "--port", "0"])
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {tmp_path / 'nowhere'}: no store here; "
                             "run 'kg ingest' first or pass --store\n")
