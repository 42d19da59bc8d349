"""Issue 9, no network at run time: ingest, query and export with every outward socket refused.

The guard wraps the socket calls a library can reach the network with
(``connect``, ``connect_ex``, ``getaddrinfo``) and lets through only loopback
and Unix sockets. It records each refused attempt, so a library that catches
the error and carries on still fails the test.
"""

from __future__ import annotations

import ipaddress
import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

SAMPLE = Path(__file__).parents[1] / "data" / "samples" / "belarus-2025-09-11.txt"


def _is_local(host: object) -> bool:
    if host in (None, "localhost"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture()
def offline(monkeypatch):
    attempts: list[object] = []
    connect, connect_ex, getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo

    def guard(address: object) -> None:
        host = address[0] if isinstance(address, tuple) else None
        if isinstance(address, tuple) and not _is_local(host):
            attempts.append(address)
            raise OSError(f"network access in a test: {address}")

    def guarded_connect(self, address):
        guard(address)
        return connect(self, address)

    def guarded_connect_ex(self, address):
        guard(address)
        return connect_ex(self, address)

    def guarded_getaddrinfo(host, *args, **kwargs):
        guard((host, 0))
        return getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    return attempts


def test_offline_guard_refuses_the_network(offline):
    with pytest.raises(OSError, match="network access in a test"), socket.socket() as sock:
        sock.connect(("192.0.2.1", 80))  # TEST-NET-1: never routed
    assert offline == [("192.0.2.1", 80)]


@pytest.mark.slow
def test_offline_ingest_query_export(offline, tmp_path):
    # kg.extract.load_nlp keeps no cache: the model is loaded here, under the guard.
    store, runner = str(tmp_path / "store"), CliRunner()
    ingest = runner.invoke(cli, ["ingest", str(SAMPLE), "--store", store, "--quiet"], catch_exceptions=False)
    assert ingest.exit_code == 0, ingest.output
    assert ingest.stderr.startswith("1 articles, ")
    query = runner.invoke(cli, ["query", "who-met-whom", "--param", "actor=Lukashenko", "--format", "json",
                                "--store", store], catch_exceptions=False)
    assert query.exit_code == 0, query.output
    meetings = json.loads(query.stdout)["results"]["bindings"]
    assert {"John Coale", "Alexander Lukashenko"} <= {m["target"]["value"] for m in meetings} | {
        m["source"]["value"] for m in meetings}
    out = tmp_path / "events.jsonl"
    export = runner.invoke(cli, ["export", "--store", store, "--format", "events-jsonl", "-o", str(out)],
                           catch_exceptions=False)
    assert export.exit_code == 0, export.output
    assert len(out.read_text().splitlines()) == int(export.stderr.split()[0])
    assert offline == []
