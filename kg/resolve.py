"""Mentions -> Actor: one canonical actor per real-world entity.

An actor's key is its gazetteer key when the gazetteer knows it
(``country/BLR``, ``person/alexander-lukashenko``), else its type and the
fullest name the article gives (``person/john-cole``). Keys are what IRIs are
minted from, so the same person named in two articles is one node.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from kg.extract import Extraction, Fact, Mention
from kg.extract.gazetteer import Gazetteer, load_gazetteer
from kg.ontology import slug

__all__ = ["Actor", "Link", "ResolvedFact", "Resolution", "actor_key", "resolve_extraction"]

_ROLE_CODES = {"GOV", "MIL", "OPP", "JUD", "MED", "LEG", "SPY", "BUS", "REB", "HRI", "CVL", "PTY",
               "NGO", "IGO", "REF", "COP", "LAB", "EDU", "AGR", "REL", "HLH", "UAF"}


@dataclass(frozen=True)
class Actor:
    """A canonical actor: key, label, type and codes."""

    key: str
    label: str
    type: str
    country: str | None = None
    code: str | None = None
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    gwcode: int | None = None
    cow: int | None = None


@dataclass(frozen=True)
class ResolvedFact:
    """A fact whose arguments are canonical actors."""

    fact: Fact
    source: Actor
    target: Actor | None
    place: Actor | None = None
    attribution: Actor | None = None


@dataclass(frozen=True)
class Link:
    """Whether an actor of this article is an actor already in the store (kg/link.py)."""

    key: str          # the key the article alone gave the actor
    label: str
    candidate: str    # the key of the actor in the store it was compared with
    score: float
    merged: bool
    curated: bool = False  # decided by the curation file, not by the score


@dataclass(frozen=True)
class Resolution:
    """The actors and facts of one article, and how its actors were linked to the store's."""

    article_id: str
    actors: tuple[Actor, ...]
    facts: tuple[ResolvedFact, ...]
    links: tuple[Link, ...] = ()


def actor_key(mention: Mention) -> str:
    """The canonical key of a mention."""
    if mention.key:
        return mention.key
    return f"{mention.type.lower()}/{slug(mention.name or mention.text)}"


def resolve_extraction(extraction: Extraction, gazetteer: Gazetteer | None = None) -> Resolution:
    """Give every mention of one article its canonical actor."""
    gazetteer = gazetteer or load_gazetteer()
    used = [m for f in extraction.facts for m in (f.source, f.target, f.place, f.attribution) if m]
    same = _one_kind_per_name(used)
    used = [same.get(actor_key(m), m) for m in used]
    aliases = _aliases([*extraction.mentions, *used])
    actors = {actor_key(m): _actor(m, gazetteer, aliases) for m in used}
    actors.update(_countries_of(actors, gazetteer))

    def of(mention: Mention | None) -> Actor | None:
        return actors[actor_key(same.get(actor_key(mention), mention))] if mention else None

    facts = tuple(ResolvedFact(f, actors[actor_key(same.get(actor_key(f.source), f.source))],
                               of(f.target), of(f.place), of(f.attribution)) for f in extraction.facts)
    return Resolution(extraction.article_id, tuple(sorted(actors.values(), key=lambda a: a.key)), facts)


def _one_kind_per_name(mentions: list[Mention]) -> dict[str, Mention]:
    """A name the gazetteer does not know that the tagger calls an organisation in one
    sentence and a place or group in the next ('Gondor') is one actor, of the kind it was
    first given: {key of a later kind: the first mention}."""
    first: dict[str, Mention] = {}
    same: dict[str, Mention] = {}
    for mention in sorted(mentions, key=lambda m: m.start):
        if mention.key or mention.type not in _UNSURE_KINDS:
            continue
        name = slug(mention.name or mention.text)
        earlier = first.setdefault(name, mention)
        if earlier.type != mention.type:
            same[actor_key(mention)] = replace(mention, type=earlier.type,
                                               country=earlier.country or mention.country)
    return same


_UNSURE_KINDS = {"Organization", "Place", "Group"}


def _countries_of(actors: dict[str, Actor], gazetteer: Gazetteer) -> dict[str, Actor]:
    """The country actors that kg:country links point to, when no argument named them:
    the graph then holds their label, codes and Wikidata id too."""
    found: dict[str, Actor] = {}
    for iso3 in sorted({a.country for a in actors.values() if a.country and a.type != "Country"}):
        entry = gazetteer.country(iso3)
        if entry is not None and entry.key not in actors:
            found[entry.key] = Actor(key=entry.key, label=entry.name, type="Country", country=iso3, code=iso3,
                                     aliases=entry.aliases, wikidata=entry.wikidata, gwcode=entry.gwcode,
                                     cow=entry.cow)
    return found


def _aliases(mentions: Iterable[Mention]) -> dict[str, set[str]]:
    """Names seen for each key: proper names only, not 'the envoy' or 'he'."""
    seen: dict[str, set[str]] = {}
    for mention in mentions:
        text = mention.text.strip()
        if text[:1].isupper() and text.lower() not in ("he", "she", "his", "her", "the"):
            seen.setdefault(actor_key(mention), set()).add(text)
    return seen


def _actor(mention: Mention, gazetteer: Gazetteer, aliases: dict[str, set[str]]) -> Actor:
    key = actor_key(mention)
    entry = gazetteer.entries.get(key)
    label = entry.name if entry else (mention.name or mention.text)
    country = entry.country if entry else mention.country
    role = entry.role if entry else mention.role
    names = aliases.get(key, set()) | (set(entry.aliases) if entry else set())
    return Actor(key=key, label=label, type=entry.type if entry else mention.type,
                 country=country if country and gazetteer.country(country) else None,
                 code=_code(entry.type if entry else mention.type, country, role),
                 aliases=tuple(sorted(names - {label})), wikidata=entry.wikidata if entry else None,
                 gwcode=entry.gwcode if entry else None, cow=entry.cow if entry else None)


def _code(kind: str, country: str | None, role: str | None) -> str | None:
    """CAMEO-style actor code: the country, plus the role for non-state actors."""
    if not country:
        return None
    if kind == "Country" or role not in _ROLE_CODES:
        return country
    return f"{country}{role}"
