"""Article + Resolution -> rdflib Dataset: one named graph per article.

The article graph holds the article's metadata, every actor it mentions, its
events and relations, and their evidence. An event's IRI is a hash of what
identifies it (CAMEO code, source, target, date, negation), so the same event
reported by two articles is one node with an evidence in each graph.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal
from importlib import metadata

from rdflib import XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from kg.extract import Fact
from kg.ontology import (
    BASE,
    CAMEO,
    KG,
    PLOVER,
    RELATION_PREDICATES,
    WD,
    actor_iri,
    article_iri,
    direct_predicate,
    evidence_iri,
    fact_iri,
)
from kg.read import Article, is_absolute_url
from kg.resolve import Actor, Link, Resolution, ResolvedFact

__all__ = ["build_article_graph", "build_dataset", "build_ntriples", "fact_node", "now", "tool_version",
           "url_iri"]

_PRECISION = {10: "day", 7: "month", 4: "year", 0: "unknown"}
_CLASSES = {"Person": KG.Person, "Organization": KG.Organization, "Country": KG.Country,
            "Place": KG.Place, "Group": KG.Group}


def build_dataset(pairs: list[tuple[Article, Resolution]], *, base: str = BASE,
                  ingested: str | None = None) -> Dataset:
    """A Dataset with one named graph per article."""
    dataset = Dataset()
    for article, resolution in pairs:
        graph = dataset.graph(article_iri(article.id, base))
        build_article_graph(graph, article, resolution, base=base, ingested=ingested)
    return dataset


def build_ntriples(article: Article, resolution: Resolution, *, base: str = BASE,
                   ingested: str | None = None) -> str:
    """The triples of one article's graph as N-Triples text, one line each.

    The same triples as ``build_article_graph``, collected without an rdflib
    Graph: its three indexes cost 5 ms an article, a quarter of what parsing
    it does, and ingest only needs the lines to load (issue 8).
    """
    lines = _Lines()
    build_article_graph(lines, article, resolution, base=base, ingested=ingested)  # type: ignore[arg-type]
    return "".join(lines.lines)


class _Lines:
    """The one method of rdflib.Graph the builder calls, writing N-Triples lines, duplicates once."""

    def __init__(self) -> None:
        self.lines: dict[str, None] = {}

    def add(self, triple: tuple[URIRef, URIRef, URIRef | Literal]) -> None:
        subject, predicate, value = triple
        self.lines[f"<{subject}> <{predicate}> {ntriples_term(value)} .\n"] = None


def ntriples_term(term: URIRef | Literal) -> str:
    """A term as N-Triples writes it (the escapes of rdflib's nt serializer)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    text = str(term).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")
    if term.language:
        return f'"{text}"@{term.language}'
    if term.datatype:
        return f'"{text}"^^<{term.datatype}>'
    return f'"{text}"'


def build_article_graph(graph: Graph, article: Article, resolution: Resolution, *,
                        base: str = BASE, ingested: str | None = None) -> Graph:
    """Add the triples of one article to *graph* (its named graph)."""
    _add_article(graph, article, base, ingested)
    for actor in resolution.actors:
        _add_actor(graph, actor, base)
    written: set[URIRef] = set()
    for fact in sorted(resolution.facts, key=lambda f: -f.fact.confidence):
        _add_fact(graph, article, fact, base, written)
    for link in resolution.links:
        _add_link(graph, article, link, base)
    return graph


def _add_article(graph: Graph, article: Article, base: str, ingested: str | None) -> None:
    node = article_iri(article.id, base)
    graph.add((node, RDF.type, KG.Article))
    graph.add((node, DCTERMS.identifier, Literal(article.id)))
    graph.add((node, DCTERMS.title, Literal(article.title)))
    if article.date:
        graph.add((node, DCTERMS.date, Literal(article.date, datatype=XSD.date)))
    if article.url and is_absolute_url(article.url):
        graph.add((node, DCTERMS.source, url_iri(article.url)))
    if article.publisher:
        graph.add((node, DCTERMS.publisher, Literal(article.publisher)))
    for author in article.authors:
        graph.add((node, DCTERMS.creator, Literal(author)))
    for tag in article.tags:
        graph.add((node, DCTERMS.subject, Literal(tag)))
    for credit in article.credits:
        graph.add((node, DCTERMS.rights, Literal(credit)))
    graph.add((node, KG.text, Literal(article.text)))
    graph.add((node, KG.toolVersion, Literal(tool_version())))
    if ingested:
        graph.add((node, PROV.generatedAtTime, Literal(ingested, datatype=XSD.dateTime)))


def url_iri(url: str) -> URIRef:
    """An article's URL as an IRI: the characters an IRI may not hold (space, <, ", ...) percent-encoded.

    A URL as found in a feed or a JSON Lines file may hold them, and one such
    IRI would make the store refuse the whole update or bulk load it is in."""
    return URIRef(_NOT_IN_IRI.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), url.strip()))


_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _add_actor(graph: Graph, actor: Actor, base: str) -> None:
    node = actor_iri(actor.key, base)
    graph.add((node, RDF.type, _CLASSES[actor.type]))
    graph.add((node, RDFS.label, Literal(actor.label)))
    for alias in actor.aliases:
        graph.add((node, SKOS.altLabel, Literal(alias)))
    if actor.country:
        graph.add((node, KG.iso3, Literal(actor.country)))
        if actor.type != "Country":
            graph.add((node, KG.country, actor_iri(f"country/{actor.country}", base)))
    if actor.code:
        graph.add((node, KG.actorCode, Literal(actor.code)))
    if actor.wikidata:
        graph.add((node, OWL.sameAs, WD[actor.wikidata]))
    if actor.cow is not None:
        graph.add((node, KG.cowCode, Literal(actor.cow)))
    if actor.gwcode is not None:
        graph.add((node, KG.gwCode, Literal(actor.gwcode)))


def _add_link(graph: Graph, article: Article, link: Link, base: str) -> None:
    """Record the linker's decision about one actor of the article (kg/link.py)."""
    node = fact_iri("link", article.id, link.key, link.candidate, base=base)
    graph.add((node, RDF.type, KG.MergeDecision))
    graph.add((node, KG.decidedIn, article_iri(article.id, base)))
    graph.add((node, KG.mentionKey, Literal(link.key)))
    graph.add((node, KG.mentionLabel, Literal(link.label)))
    graph.add((node, KG.candidate, actor_iri(link.candidate, base)))
    graph.add((node, KG.score, _decimal(link.score)))
    graph.add((node, KG.merged, Literal(link.merged)))
    graph.add((node, KG.curated, Literal(link.curated)))


def fact_node(resolved: ResolvedFact, base: str = BASE) -> URIRef:
    """The IRI of a fact: a hash of what identifies it."""
    fact, target = resolved.fact, resolved.target and resolved.target.key
    if fact.kind == "relation":
        return fact_iri("relation", fact.type, resolved.source.key, target, base=base)
    return fact_iri("event", fact.cameo, resolved.source.key, target, fact.date, fact.negated, base=base)


def _add_fact(graph: Graph, article: Article, resolved: ResolvedFact, base: str,
              written: set[URIRef]) -> None:
    """Add a fact, or only its evidence when a surer sentence already gave it."""
    fact, node = resolved.fact, fact_node(resolved, base)
    _add_evidence(graph, node, article, fact, base)
    if node in written:
        return
    written.add(node)
    source = actor_iri(resolved.source.key, base)
    target = actor_iri(resolved.target.key, base) if resolved.target else None
    if fact.kind == "relation":
        graph.add((node, RDF.type, KG.Relation))
        graph.add((node, KG.relationType, RELATION_PREDICATES[fact.type]))
        if target is not None:
            graph.add((source, RELATION_PREDICATES[fact.type], target))
    else:
        _add_event_details(graph, node, resolved, base)
        if target is not None and not fact.negated:
            graph.add((source, direct_predicate(fact.cameo, fact.type), target))
    graph.add((node, KG.label, Literal(fact.label)))
    graph.add((node, KG.source, source))
    if target is not None:
        graph.add((node, KG.target, target))
    graph.add((node, KG.confidence, _decimal(round(fact.confidence, 2))))


def _add_event_details(graph: Graph, node: URIRef, resolved: ResolvedFact, base: str) -> None:
    fact = resolved.fact
    graph.add((node, RDF.type, KG.Event))
    graph.add((node, KG.eventType, PLOVER[fact.type]))
    graph.add((node, KG.cameo, CAMEO[fact.cameo or ""]))
    graph.add((node, KG.negated, Literal(fact.negated)))
    graph.add((node, KG.modality, KG[fact.modality]))
    if fact.date:
        graph.add((node, KG.date, _date_literal(fact.date)))
    graph.add((node, KG.datePrecision, Literal(_PRECISION[len(fact.date or "")])))
    if resolved.place:
        graph.add((node, KG.place, actor_iri(resolved.place.key, base)))
    if resolved.attribution:
        graph.add((node, KG.attribution, actor_iri(resolved.attribution.key, base)))
    if fact.quantity:
        quantity = URIRef(f"{node}/quantity")
        graph.add((node, KG.quantity, quantity))
        graph.add((quantity, RDF.type, KG.Quantity))
        graph.add((quantity, KG.value, _decimal(fact.quantity.value)))
        graph.add((quantity, KG.unit, Literal(fact.quantity.unit)))
        graph.add((quantity, RDFS.label, Literal(fact.quantity.text)))


def _add_evidence(graph: Graph, node: URIRef, article: Article, fact: Fact, base: str) -> None:
    start, end, sentence = fact.start, fact.end, fact.sentence
    evidence = evidence_iri(article.id, start, end, base)
    graph.add((node, KG.evidence, evidence))
    graph.add((evidence, RDF.type, KG.Evidence))
    graph.add((evidence, KG.article, article_iri(article.id, base)))
    graph.add((evidence, KG.sentence, Literal(sentence)))
    graph.add((evidence, KG.start, Literal(start)))
    graph.add((evidence, KG.end, Literal(end)))


def _date_literal(value: str) -> Literal:
    """xsd:date, xsd:gYearMonth or xsd:gYear, as precise as the text was."""
    datatype = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}[len(value)]
    return Literal(value, datatype=datatype)


@functools.cache
def tool_version() -> str:
    """'kg X.Y.Z', the installed package's version (looked up once: it costs a scan of
    the installed packages' metadata)."""
    try:
        return f"kg {metadata.version('kg')}"
    except metadata.PackageNotFoundError:
        return "kg (not installed)"


def now() -> str:
    """The current UTC time, for an ingest's timestamp."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _decimal(value: float) -> Literal:
    """An xsd:decimal literal whose value is a Decimal, as rdflib (and SHACL) expect."""
    return Literal(Decimal(str(value)), datatype=XSD.decimal)
