"""data/lexicon/*.tsv -> Lexicon: event triggers, role words and modality cues.

Event triggers live in one file per PLOVER root (``consult.tsv`` ...), role
words in ``roles.tsv``, relation triggers in ``relations.tsv`` and modality
cues in ``cues.tsv``; each file's header comment says how to add an entry.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.config import DATA_DIR

__all__ = ["PLOVER_TYPES", "Lexicon", "Role", "Trigger", "load_lexicon"]

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")


@dataclass(frozen=True)
class Trigger:
    """A word (or verb + object) that signals an event or a standing relation."""

    type: str            # PLOVER root, or a relation name such as leader_of
    cameo: str | None
    pos: str             # VERB or NOUN
    lemma: str
    particle: str | None
    object: str | None
    targets: tuple[str, ...]
    symmetric: bool


@dataclass(frozen=True)
class Role:
    """A title or collective noun: 'president', 'envoy', 'forces'."""

    words: tuple[str, ...]
    relation: str | None   # leader_of, member_of, or None
    code: str              # CAMEO actor role: GOV, MIL, OPP ...
    kind: str              # 'title' (of a person) or 'body' (stands for its state)


@dataclass(frozen=True)
class Lexicon:
    """Everything the extractor looks words up in."""

    triggers: dict[tuple[str, str], tuple[Trigger, ...]]
    roles: dict[tuple[str, ...], Role]
    cues: dict[str, str]
    intents: dict[str, tuple[str, str]] = field(default_factory=dict)

    def triggers_for(self, lemma: str, pos: str) -> tuple[Trigger, ...]:
        """Triggers whose lemma and part of speech match."""
        return self.triggers.get((lemma.lower(), pos), ())

    def role(self, words: tuple[str, ...]) -> Role | None:
        """The role named by a sequence of lower-case words, longest match last."""
        return self.roles.get(words)

    def cue(self, word: str) -> str | None:
        """The modality or negation a cue word signals, if any."""
        return self.cues.get(word.lower())

    def intent(self, cameo: str | None, refused: bool = False) -> str | None:
        """The CAMEO code of committing oneself to the event *cameo* (03x), or of refusing
        it (12x), from intent.tsv; None for an event one does not commit to."""
        for size in range(len(cameo or ""), 1, -1):
            codes = self.intents.get((cameo or "")[:size])
            if codes is not None:
                return codes[1] if refused else codes[0]
        return None


@functools.cache
def load_lexicon(directory: Path = DATA_DIR / "lexicon") -> Lexicon:
    """Read every lexicon file of *directory*."""
    triggers: dict[tuple[str, str], list[Trigger]] = {}
    for trigger in _event_triggers(directory):
        triggers.setdefault((trigger.lemma.split()[0], trigger.pos), []).append(trigger)
    for trigger in _relation_triggers(directory):
        triggers.setdefault((trigger.lemma.split()[0], trigger.pos), []).append(trigger)
    roles = {r.words: r for r in _roles(directory)}
    cues = {row["word"].lower(): row["cue"] for row in _rows(directory / "cues.tsv")}
    intents = {row["event"]: (row["intent"], row["refusal"]) for row in _rows(directory / "intent.tsv")}
    return Lexicon({k: tuple(v) for k, v in triggers.items()}, roles, cues, intents)


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
            yield {k: (v or "").strip() for k, v in row.items() if k}


def _none(value: str | None) -> str | None:
    return None if value in (None, "", "-") else value


def _trigger(kind: str, row: dict[str, str]) -> Trigger:
    words = row["lemma"].lower().split()
    flags = set((row.get("flags") or "").split(","))
    return Trigger(type=kind, cameo=_none(row.get("cameo")), pos=row["pos"].upper(),
                   lemma=" ".join(words), particle=words[1] if len(words) > 1 else None,
                   object=_none(row.get("object")),
                   targets=tuple(t for t in (row.get("target") or "").split(",") if _none(t)),
                   symmetric="symmetric" in flags)


def _event_triggers(directory: Path) -> Iterator[Trigger]:
    for plover in PLOVER_TYPES:
        path = directory / f"{plover.lower()}.tsv"
        if path.exists():
            yield from (_trigger(plover, row) for row in _rows(path))


def _relation_triggers(directory: Path) -> Iterator[Trigger]:
    for row in _rows(directory / "relations.tsv"):
        yield _trigger(row["relation"], row)


def _roles(directory: Path) -> Iterator[Role]:
    for row in _rows(directory / "roles.tsv"):
        yield Role(words=tuple(row["words"].lower().split()), relation=_none(row.get("relation")),
                   code=row["code"], kind=row["kind"])
