"""Curation of actors: merge two actors, keep two apart, and re-apply to the store.

``merge A B`` and ``split A B`` lines go to the store's curation file
(kg/link.py reads it at every ingest). To apply a line to what is already
stored, the articles that mention A or B, or whose merge decisions name them,
are ingested again from the text the store keeps (``kg:text``), oldest first,
so the linker sees them in the order it first did.
"""

from __future__ import annotations

import dataclasses
from typing import Literal

import pyoxigraph as ox

from kg.config import Settings
from kg.errors import InputError
from kg.link import curation_path, write_curation
from kg.ontology import KG, actor_iri
from kg.pipeline import IngestSummary, ingest_articles
from kg.read import Article
from kg.store import open_store

__all__ = ["curate_actors", "stored_articles"]

_DCT = "http://purl.org/dc/terms/"
_KEY_SHAPE = ("person/", "organization/", "group/", "country/", "place/")


def curate_actors(action: Literal["merge", "split"], first: str, second: str, *,
                  settings: Settings) -> IngestSummary:
    """Write ``ACTION FIRST SECOND`` to the curation file and ingest again the articles it touches."""
    for key in (first, second):
        if not key.startswith(_KEY_SHAPE) or " " in key:
            raise InputError(f"{key!r} is not an actor key; 'kg actors list' shows them (person/john-coale)")
    if first == second:
        raise InputError(f"{action} needs two different actor keys")
    store = open_store(settings.store_path, create=False, read_only=True)
    articles = stored_articles(store, _graphs_touching(store, (first, second), settings.base_iri))
    del store  # the ingest below opens the store for writing
    write_curation(curation_path(settings.store_path), action, first, second)
    return ingest_articles(articles, settings=settings, force=True)  # unchanged text, changed curation


def _graphs_touching(store: ox.Store, keys: tuple[str, ...], base: str) -> set[ox.NamedNode]:
    """The article graphs that mention an actor of *keys*, or record a decision about one."""
    graphs: set[ox.NamedNode] = set()
    for key in keys:
        node = ox.NamedNode(str(actor_iri(key, base)))
        quads = [*store.quads_for_pattern(node, None, None, None),
                 *store.quads_for_pattern(None, None, node, None),
                 *store.quads_for_pattern(None, ox.NamedNode(str(KG.mentionKey)), ox.Literal(key), None)]
        graphs.update(q.graph_name for q in quads if isinstance(q.graph_name, ox.NamedNode))
    return graphs


def stored_articles(store: ox.Store, graphs: set[ox.NamedNode]) -> list[Article]:
    """The articles of *graphs* as the store keeps them, oldest first."""
    articles = [_article(store, graph) for graph in graphs]
    found = [a for a in articles if a is not None]
    return sorted(found, key=lambda a: (a.date or "", a.id))


def _article(store: ox.Store, graph: ox.NamedNode) -> Article | None:
    def values(predicate: str) -> list[str]:
        quads = store.quads_for_pattern(graph, ox.NamedNode(predicate), None, graph)
        return sorted(q.object.value for q in quads if isinstance(q.object, ox.Literal | ox.NamedNode))

    identifier, text = values(f"{_DCT}identifier"), values(str(KG.text))
    if not identifier or not text:
        return None
    first: dict[str, str | None] = {name: next(iter(values(f"{_DCT}{name}")), None)
                                    for name in ("title", "date", "source", "publisher")}
    article = Article(id=identifier[0], date=first["date"], title=first["title"] or "", text=text[0],
                      url=first["source"], publisher=first["publisher"], source=f"store:{graph.value}")
    return dataclasses.replace(article, authors=tuple(values(f"{_DCT}creator")),
                               tags=tuple(values(f"{_DCT}subject")), credits=tuple(values(f"{_DCT}rights")))
