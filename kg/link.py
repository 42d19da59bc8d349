"""Resolution + store -> Resolution: an article's actors linked to the actors already stored.

Within an article, resolve.py gives each person or organisation the gazetteer's
key or, for one the gazetteer does not know, a key made from its fullest name
(``person/john-coale``). Across articles the same person may be spelt another
way ("John Cole" in one, "John Coale" in the next). Before an article's graph
is built, each such actor that has a country and is not yet in the store is
compared with the stored actors of the same class and country:

  - people: surname similarity (normalised Indel similarity of the
    transliteration skeletons of kg/extract/variants.py; a feminine -a on one
    side only scores 0) times 1.0 for the same first name, 0.95 for a
    compatible one ("J.", "Jon"), 0 otherwise: "Mark Smith" is not "Anna
    Smith". Both sides need a first name and a surname;
  - organisations: the similarity of the whole folded names;
  - times 0.9 when both have a CAMEO actor code and the codes differ.

A score of ``MERGE_THRESHOLD`` (people) or ``ORGANIZATION_THRESHOLD`` or more
merges the actor into the stored one: it takes the stored key and label, and
its own names become aliases. Each
decision scoring ``RECORD_FLOOR`` or more is recorded in the article's graph
as a ``kg:MergeDecision`` with its score, so ``kg query merge-decisions``
shows what was merged and what was kept apart.

The curation file beside the store (``kg-store.curation.tsv`` for
``kg-store``; ``kg actors merge|split`` write it) overrides the score: a line
``merge A B`` makes actor key A actor B, ``split A B`` keeps them apart. Dates
are not compared: a store of one news cycle rarely holds two namesakes of one
country and role. Remote stores (``--endpoint``) are not linked.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox
from rapidfuzz.distance import Indel

from kg.config import Settings
from kg.extract.gazetteer import load_gazetteer
from kg.extract.variants import fold_name, names_compatible
from kg.ontology import KG, article_iri
from kg.read import Article
from kg.resolve import Actor, Link, Resolution, ResolvedFact

__all__ = ["MERGE_THRESHOLD", "ORGANIZATION_THRESHOLD", "RECORD_FLOOR", "Curation", "Pending", "StoredActor",
           "curation_path", "link_actors", "read_curation", "score_names", "write_curation"]

logger = logging.getLogger(__name__)

MERGE_THRESHOLD = 0.85               # people: the surname and first name have to agree as well
ORGANIZATION_THRESHOLD = 0.92        # organisations: "Ministry of Economy" is not "... of Energy"
RECORD_FLOOR = 0.5
_ROLE_MISMATCH = 0.9
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_ALT_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
_ISO3 = ox.NamedNode(str(KG.iso3))
_CODE = ox.NamedNode(str(KG.actorCode))
_CLASSES = {"Person": KG.Person, "Organization": KG.Organization}
_CURATION_HEADER = "# kg curation: 'merge A B' makes actor A actor B; 'split A B' keeps them apart\n"


@dataclass(frozen=True)
class Curation:
    """The lines of a curation file: merges (key -> key it is) and pairs kept apart."""

    merges: dict[str, str]
    splits: frozenset[frozenset[str]]

    def target(self, key: str) -> str | None:
        """The key *key* is merged into, following chains of merges."""
        seen = {key}
        while key in self.merges and self.merges[key] not in seen:
            key = self.merges[key]
            seen.add(key)
        return key if len(seen) > 1 else None

    def apart(self, first: str, second: str) -> bool:
        """Whether the file keeps *first* and *second* apart."""
        return frozenset((first, second)) in self.splits


@dataclass(frozen=True)
class StoredActor:
    """An actor in the store: its key, label, every name and code."""

    key: str
    label: str
    names: tuple[str, ...]
    code: str | None


def curation_path(store_path: str | Path) -> Path:
    """The curation file of a store: beside it, named after it."""
    path = Path(store_path)
    return path.with_name(f"{path.name}.curation.tsv")


def read_curation(path: Path) -> Curation:
    """Read ``merge A B`` / ``split A B`` lines (``#`` comments); a missing file is empty."""
    merges: dict[str, str] = {}
    splits: set[frozenset[str]] = set()
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split("#", 1)[0].split()
            if len(words) == 3 and words[0] == "merge":
                merges[words[1]] = words[2]
                splits.discard(frozenset(words[1:]))
            elif len(words) == 3 and words[0] == "split":
                splits.add(frozenset(words[1:]))
                merges = {a: b for a, b in merges.items() if {a, b} != set(words[1:])}
            elif words:
                logger.warning("%s: line %r is not 'merge A B' or 'split A B'; ignored", path, line)
    return Curation(merges, frozenset(splits))


def write_curation(path: Path, action: str, first: str, second: str) -> None:
    """Append a ``merge`` or ``split`` line; a later line overrides an earlier one."""
    header = "" if path.exists() else _CURATION_HEADER
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"{header}{action}\t{first}\t{second}\n")


class Pending:
    """The actors of articles linked in this run but not yet written: the store writes in
    batches, and an article must be linked to the one before it all the same."""

    def __init__(self, size: int = 20_000) -> None:
        self.actors: dict[str, Actor] = {}
        self.size = size
        self.curations: dict[Path, Curation] = {}  # read once a run

    def add(self, resolution: Resolution) -> None:
        for actor in resolution.actors:
            self.actors.pop(actor.key, None)
            self.actors[actor.key] = actor
        while len(self.actors) > self.size:  # the oldest are in the store by now
            del self.actors[next(iter(self.actors))]


def link_actors(store: object, article: Article, resolution: Resolution, settings: Settings,
                pending: Pending | None = None) -> Resolution:
    """Merge the article's new people and organisations into stored actors where they match
    (and into those of *pending*, articles of this run not yet written)."""
    if not isinstance(store, ox.Store):
        return resolution
    path = curation_path(settings.store_path)
    if pending is not None and path not in pending.curations:
        pending.curations[path] = read_curation(path)
    curation = pending.curations[path] if pending is not None else read_curation(path)
    known = load_gazetteer().entries
    others = _Others(store, ox.NamedNode(str(article_iri(article.id, settings.base_iri))), settings.base_iri,
                     pending.actors if pending is not None else {})
    links: list[Link] = []
    for actor in resolution.actors:
        link = None
        if actor.type in _CLASSES and actor.key not in known:
            link = _decide(others, actor, curation)
        if link is None and actor.type in _UNSURE_KINDS and actor.key not in known:
            link = _same_name(others, actor, curation)
        if link is not None:
            links.append(link)
            logger.debug("%s: %s", article.id, link)
    return _apply(others, resolution, links)


def _decide(others: _Others, actor: Actor, curation: Curation) -> Link | None:
    target = curation.target(actor.key)
    if target is not None:
        return Link(actor.key, actor.label, target, 1.0, merged=True, curated=True)
    if actor.country is None or others.exists(actor.key):
        return None
    # an actor the curation file merges into another is no candidate: it is on its way out
    scored = [(score_names(actor, stored), stored) for stored in others.candidates(actor)
              if curation.target(stored.key) is None]
    scored = [(score, stored) for score, stored in scored if score >= RECORD_FLOOR]
    if not scored:
        return None
    score, best = max(scored, key=lambda pair: (pair[0], pair[1].key))
    if curation.apart(actor.key, best.key):
        return Link(actor.key, actor.label, best.key, round(score, 3), merged=False, curated=True)
    threshold = MERGE_THRESHOLD if actor.type == "Person" else ORGANIZATION_THRESHOLD
    return Link(actor.key, actor.label, best.key, round(score, 3), merged=score >= threshold)


def _same_name(others: _Others, actor: Actor, curation: Curation) -> Link | None:
    """A name the gazetteer does not know, stored under another kind by another article
    (the tagger called 'Gondor' a place there, an organisation here): the stored actor."""
    if others.exists(actor.key):
        return None
    name = actor.key.split("/", 1)[1]
    for kind in sorted(_UNSURE_KINDS - {actor.type}):
        candidate = f"{kind.lower()}/{name}"
        if others.exists(candidate) and not curation.apart(actor.key, candidate):
            return Link(actor.key, actor.label, candidate, 1.0, merged=True)
    return None


_UNSURE_KINDS = {"Organization", "Place", "Group"}


def score_names(actor: Actor, stored: StoredActor) -> float:
    """How likely *actor* (of a new article) is the stored actor, 0..1."""
    mine = (actor.label, *actor.aliases)
    pair = _person_score if actor.type == "Person" else _organization_score
    score = max((pair(a, b) for a in mine for b in stored.names), default=0.0)
    if actor.code and stored.code and actor.code != stored.code:
        score *= _ROLE_MISMATCH
    return score


def _person_score(first: str, second: str) -> float:
    a, b = first.split(), second.split()
    if len(a) < 2 or len(b) < 2:
        return 0.0
    surname_a, surname_b = fold_name(a[-1]), fold_name(b[-1])
    if not surname_a or not surname_b or surname_a.endswith("a") != surname_b.endswith("a"):
        return 0.0
    if fold_name(a[0]) == fold_name(b[0]):
        given = 1.0
    elif names_compatible(a[:1], [b[:1]]):
        given = 0.95
    else:
        return 0.0
    return float(Indel.normalized_similarity(surname_a, surname_b)) * given


def _organization_score(first: str, second: str) -> float:
    a, b = fold_name(first), fold_name(second)
    return float(Indel.normalized_similarity(a, b)) if min(len(a), len(b)) >= 4 else 0.0


class _Others:
    """The store as the other articles made it: the article being ingested may already be in
    the store, and what it alone said must not decide about itself (re-ingesting it changes nothing)."""

    def __init__(self, store: ox.Store, own: ox.NamedNode, base: str, pending: dict[str, Actor]) -> None:
        self.store, self.own, self.prefix, self.pending = store, own, f"{base}actor/", pending

    def values(self, node: ox.NamedNode, predicate: ox.NamedNode,
               value: ox.Literal | None = None) -> set[str]:
        quads = self.store.quads_for_pattern(node, predicate, value, None)
        return {q.object.value for q in quads if isinstance(q.object, ox.Literal | ox.NamedNode)
                and isinstance(q.graph_name, ox.NamedNode) and q.graph_name != self.own}

    def exists(self, key: str) -> bool:
        return key in self.pending or bool(self.values(ox.NamedNode(self.prefix + key), _LABEL))

    def candidates(self, actor: Actor) -> Iterable[StoredActor]:
        """Stored actors of the actor's class and country that score ``RECORD_FLOOR`` or more.

        Names are read from the merge (the default graph) first, which is cheap; only the
        few that score are read again without the article's own graph."""
        for other in self.pending.values():
            if other.type == actor.type and other.country == actor.country and other.key != actor.key:
                candidate = StoredActor(other.key, other.label, (other.label, *other.aliases), other.code)
                if score_names(actor, candidate) >= RECORD_FLOOR:
                    yield candidate
        kind, country = ox.NamedNode(str(_CLASSES[actor.type])), ox.Literal(actor.country or "")
        for quad in self.store.quads_for_pattern(None, _ISO3, country, ox.DefaultGraph()):
            node = quad.subject
            if not isinstance(node, ox.NamedNode) or not node.value.startswith(self.prefix):
                continue
            names = [q.object.value for p in (_LABEL, _ALT_LABEL)
                     for q in self.store.quads_for_pattern(node, p, None, ox.DefaultGraph())
                     if isinstance(q.object, ox.Literal)]
            if score_names(actor, StoredActor("", "", tuple(names), None)) < RECORD_FLOOR:
                continue
            if self.values(node, _ISO3, country) and kind.value in self.values(node, _RDF_TYPE):
                yield self.stored(node.value.removeprefix(self.prefix))

    def stored(self, key: str) -> StoredActor:
        if key in self.pending:
            actor = self.pending[key]
            return StoredActor(key, actor.label, (actor.label, *actor.aliases), actor.code)
        node = ox.NamedNode(self.prefix + key)
        labels, codes = sorted(self.values(node, _LABEL)), sorted(self.values(node, _CODE))
        return StoredActor(key, labels[0] if labels else key,
                           tuple(labels + sorted(self.values(node, _ALT_LABEL))), codes[0] if codes else None)


def _apply(others: _Others, resolution: Resolution, links: list[Link]) -> Resolution:
    """The resolution with merged actors replaced by the stored ones, and the links to record."""
    merged: dict[str, Actor] = {}
    for link in links:
        if link.merged:
            actor = next(a for a in resolution.actors if a.key == link.key)
            stored = others.stored(link.candidate)
            label = stored.label if stored.label != link.candidate else actor.label
            names = {actor.label, *actor.aliases} - {label}
            merged[link.key] = replace(actor, key=link.candidate, label=label, aliases=tuple(sorted(names)))
    if not merged:
        return replace(resolution, links=tuple(links))

    def swap(actor: Actor | None) -> Actor | None:
        return merged.get(actor.key, actor) if actor is not None else None

    actors: dict[str, Actor] = {}
    for actor in (merged.get(a.key, a) for a in resolution.actors):
        earlier = actors.get(actor.key)
        names = set(actor.aliases) | (set(earlier.aliases) if earlier else set())
        actors[actor.key] = replace(earlier or actor, aliases=tuple(sorted(names - {actor.label})))
    facts = tuple(ResolvedFact(f.fact, merged.get(f.source.key, f.source), swap(f.target), swap(f.place),
                               swap(f.attribution)) for f in resolution.facts)
    return replace(resolution, actors=tuple(sorted(actors.values(), key=lambda a: a.key)), facts=facts,
                   links=tuple(links))

