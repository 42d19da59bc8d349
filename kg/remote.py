"""The store -> a remote SPARQL 1.1 store: push its graphs, or write articles there.

Two W3C protocols, spoken with the standard library's urllib (two request
shapes do not need a client library):

- Graph Store Protocol: one ``PUT ?graph=IRI`` (or ``?default``) replaces a
  whole graph, so pushing twice leaves one copy;
- SPARQL 1.1 Update, POSTed as ``application/sparql-update``: each graph is
  sent as ``DROP SILENT GRAPH`` then ``INSERT DATA``, graphs batched into
  requests of about ``batch`` triples; the same replace-not-add result.

``RemoteStore`` has the one method ``kg.store.replace_graph`` uses
(``update``), so ``kg ingest --endpoint`` writes an article to a remote store
with exactly the update it runs on the embedded one, default-graph merge
included. Before it writes, ingest reads the articles' content hashes with
one SPARQL query (``content_hashes``) and skips the unchanged, as it does
with the embedded store. The query URL is the update URL with a final
``/update`` made ``/query`` (Oxigraph, Fuseki), or else the update URL itself
(one endpoint for both, as Blazegraph and Virtuoso have). A
``user:password@`` in a URL is sent as HTTP Basic authentication.
"""

from __future__ import annotations

import base64
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import EndpointError

__all__ = ["PushSummary", "RemoteStore", "connect", "push"]

logger = logging.getLogger(__name__)

NTRIPLES = "application/n-triples"


@dataclass
class PushSummary:
    """What a push sent."""

    graphs: int = 0
    triples: int = 0
    requests: int = 0


class RemoteStore:
    """A remote SPARQL 1.1 store, reached by its update and Graph Store Protocol URLs."""

    def __init__(self, update_url: str | None = None, *, graph_store_url: str | None = None,
                 timeout: float = 60.0) -> None:
        self.update_url = _check_url(update_url) if update_url else None
        self.graph_store_url = _check_url(graph_store_url) if graph_store_url else None
        self.timeout = timeout
        self.requests = 0

    @property
    def query_url(self) -> str | None:
        """Where SPARQL queries go: the update URL, its final ``/update`` made ``/query``."""
        if not self.update_url:
            return None
        parts = urllib.parse.urlsplit(self.update_url)
        if parts.path.endswith("/update"):
            return urllib.parse.urlunsplit(parts._replace(path=parts.path[:-len("update")] + "query"))
        return self.update_url

    def content_hashes(self) -> dict[str, str]:
        """Each article graph's recorded ``kg:contentHash``, by one SPARQL query."""
        if not self.query_url:
            raise EndpointError("no SPARQL endpoint; pass --endpoint URL")
        query = "SELECT ?g ?h WHERE { ?g <https://w3id.org/kg/ontology#contentHash> ?h }"
        body = self._send("POST", self.query_url, urllib.parse.urlencode({"query": query}).encode(),
                          "application/x-www-form-urlencoded", accept="application/sparql-results+json")
        try:
            rows = json.loads(body)["results"]["bindings"]
            return {row["g"]["value"]: row["h"]["value"] for row in rows}
        except (ValueError, KeyError, TypeError) as exc:
            raise EndpointError(f"{_shown(self.query_url)}: not SPARQL JSON results") from exc

    def update(self, sparql: str) -> None:
        """POST one SPARQL 1.1 Update request."""
        if not self.update_url:
            raise EndpointError("no SPARQL Update endpoint; pass --endpoint URL")
        self._send("POST", self.update_url, sparql.encode(), "application/sparql-update")

    def put_graph(self, graph: ox.NamedNode | None, ntriples: bytes) -> None:
        """Replace one graph (None: the default graph) through the Graph Store Protocol."""
        if not self.graph_store_url:
            raise EndpointError("no Graph Store Protocol endpoint; pass --graph-store URL")
        query = urllib.parse.urlencode({"graph": graph.value}) if graph else "default"
        separator = "&" if "?" in self.graph_store_url else "?"
        self._send("PUT", f"{self.graph_store_url}{separator}{query}", ntriples, NTRIPLES)

    def flush(self) -> None:
        """Nothing to do: every request is sent when it is made (kg.pipeline calls this)."""

    def _send(self, method: str, url: str, body: bytes, content_type: str, *, accept: str | None = None
              ) -> bytes:
        plain_url, headers = _credentials(url)
        headers["Content-Type"] = f"{content_type}; charset=utf-8"
        if accept:
            headers["Accept"] = accept
        request = urllib.request.Request(plain_url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer: bytes = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            raise EndpointError(f"{_shown(url)}: HTTP {exc.code} {exc.reason}"
                                + (f": {detail[0][:200]}" if detail else "")) from exc
        except urllib.error.URLError as exc:
            raise EndpointError(f"{_shown(url)}: cannot connect ({_reason(exc.reason)}); "
                                "is the store running?") from exc
        except TimeoutError as exc:
            raise EndpointError(f"{_shown(url)}: no answer within {self.timeout:g} s") from exc
        self.requests += 1
        logger.debug("%s %s: %d bytes", method, _shown(url), len(body))
        return answer


def connect(update_url: str, *, timeout: float = 60.0) -> RemoteStore:
    """The remote store at *update_url*, after an empty update shows that it answers."""
    remote = RemoteStore(update_url, timeout=timeout)
    remote.update("")
    return remote


def _check_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"{url}: not an http(s) URL, e.g. http://127.0.0.1:7878/update")
    return url


def _credentials(url: str) -> tuple[str, dict[str, str]]:
    """The URL without ``user:password@``, and the Basic authentication header it stood for."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url, {}
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    token = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
    return (urllib.parse.urlunsplit(parts._replace(netloc=netloc)),
            {"Authorization": "Basic " + base64.b64encode(token.encode()).decode()})


def _shown(url: str) -> str:
    """The URL as printed in messages: never with its password."""
    return _credentials(url)[0]


def _reason(reason: object) -> str:
    return getattr(reason, "strerror", None) or str(reason)


def push(store: ox.Store, remote: RemoteStore, *, default_graph: bool = True,
         batch: int = 50_000) -> PushSummary:
    """Send every named graph of *store* to *remote*, replacing graphs of the same name there.

    With *default_graph*, the store's default graph (the merge of the article
    graphs that queries read) replaces the remote default graph too.
    """
    summary = PushSummary()
    named = sorted((g for g in store.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value)
    graphs: list[ox.NamedNode | None] = [*named]
    if default_graph:
        graphs.append(None)
    if remote.graph_store_url:
        for graph in graphs:
            data = _ntriples(store, graph)
            remote.put_graph(graph, data)
            summary.graphs += 1
            summary.triples += data.count(b"\n")
    else:
        for request, graph_count, triples in _update_batches(store, graphs, batch):
            remote.update(request)
            summary.graphs += graph_count
            summary.triples += triples
    summary.requests = remote.requests
    return summary


def _ntriples(store: ox.Store, graph: ox.NamedNode | None) -> bytes:
    source = graph if graph is not None else ox.DefaultGraph()
    return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=source) or b""


def _update_batches(store: ox.Store, graphs: list[ox.NamedNode | None],
                    batch: int) -> Iterator[tuple[str, int, int]]:
    """SPARQL Update requests of about *batch* triples: (text, graphs completed, triples)."""
    parts: list[str] = []
    graphs_done = triples = 0
    for graph in graphs:
        parts.append(f"DROP SILENT GRAPH {graph}" if graph is not None else "DROP SILENT DEFAULT")
        lines = _ntriples(store, graph).decode().splitlines()
        for start in range(0, len(lines), batch):
            chunk = "\n".join(lines[start:start + batch])
            parts.append(f"INSERT DATA {{ GRAPH {graph} {{\n{chunk}\n}} }}" if graph is not None
                         else f"INSERT DATA {{\n{chunk}\n}}")
            triples += len(lines[start:start + batch])
            if triples >= batch:
                yield " ;\n".join(parts), graphs_done, triples
                parts, graphs_done, triples = [], 0, 0
        graphs_done += 1
    if parts:
        yield " ;\n".join(parts), graphs_done, triples
