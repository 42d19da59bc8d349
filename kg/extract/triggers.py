"""Doc -> TriggerMatch: where the lexicon's triggers occur, found by spaCy's DependencyMatcher.

Each lexicon entry (data/lexicon/*.tsv) becomes dependency patterns on the parse:

- the trigger word, by lower-case lemma and part of speech (a plural noun also
  by its form: spaCy lemmatizes "talks" as "talk" but not every plural);
- a particle, when the entry has one ("pull [out]", "send [home]"), as a child
  of the trigger;
- an object, when the entry is a collocation: the object noun as the trigger's
  direct object ("lift [sanctions]"), as the object of one of its prepositions
  ("applied for [membership]"), as what its object counts ("launched dozens of
  [drones]", "approved $1 billion in [aid]"), or as the subject of its
  complement clause ("allowed [forces] to launch").

A token that matches an entry with a particle or an object does not also fire
the bare entries of the same word: "impose sanctions" is a sanction, not the
generic "impose".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.matcher import DependencyMatcher, PhraseMatcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from kg.extract.lexicon import Lexicon, Trigger

__all__ = ["TriggerMatch", "TriggerMatcher", "trigger_matcher"]

_POS = {"VERB": ["VERB"], "NOUN": ["NOUN", "PROPN"]}
_PARTICLE_DEPS = ["prt", "prep", "advmod"]
_OBJECT_DEPS = ["dobj", "nsubjpass", "attr"]


@dataclass(frozen=True)
class TriggerMatch:
    """A lexicon entry found at a token, with the object noun of a collocation."""

    token: Token
    trigger: Trigger
    object: Token | None


class TriggerMatcher:
    """The lexicon's triggers as spaCy matchers over a vocabulary.

    Single words are looked up by two ``PhraseMatcher``s (lemma and form), built once.
    Collocations and phrasal verbs are ``DependencyMatcher`` patterns. That matcher
    tries every pattern it holds on every document: all of them at once cost 15 % of
    the parse on the samples, so there is one small matcher per trigger word, built the
    first time a document contains the word, and a document runs only its words'."""

    def __init__(self, vocab: Vocab, lexicon: Lexicon) -> None:
        self._vocab, self._lexicon = vocab, lexicon
        entries = list(dict.fromkeys(t for ts in lexicon.triggers.values() for t in ts))  # file order
        self._entries = entries
        self._rank = {trigger: number for number, trigger in enumerate(entries)}
        words = sorted({t.lemma for t in entries if not (t.object or t.particle)})
        self._lemmas = PhraseMatcher(vocab, attr="LEMMA")  # single words: a lookup, not a pattern each
        self._lemmas.add("kg_word", [Doc(vocab, words=[case], lemmas=[case])
                                     for word in words for case in _cases(word)])
        self._forms = PhraseMatcher(vocab, attr="LOWER")
        self._forms.add("kg_word", [Doc(vocab, words=[word]) for word in words])
        self._phrases: dict[tuple[str, str], DependencyMatcher] = {}

    def __call__(self, doc: Doc) -> list[TriggerMatch]:
        """Every trigger of *doc*, in token order; the specific entries of a word win."""
        found: dict[int, dict[Trigger, Token | None]] = {}
        for _, start, _ in [*self._lemmas(doc), *self._forms(doc)]:
            token = doc[start]
            for pos, tags in _POS.items():
                if token.pos_ in tags:
                    for word in (token.lemma_.lower(), token.lower_ if pos == "NOUN" else None):
                        for trigger in self._lexicon.triggers_for(word or "", pos):
                            if not (trigger.object or trigger.particle):
                                found.setdefault(start, {}).setdefault(trigger, None)
        for key, ids in (match for matcher in self._phrase_matchers(doc) for match in matcher(doc)):
            trigger = self._trigger(key)
            found.setdefault(ids[0], {}).setdefault(trigger, doc[ids[-1]] if trigger.object else None)
        matches: list[TriggerMatch] = []
        for index in sorted(found):
            entries = found[index]
            specific = {t: o for t, o in entries.items() if t.object or t.particle}
            for trigger, obj in sorted((specific or entries).items(), key=lambda item: self._rank[item[0]]):
                matches.append(TriggerMatch(doc[index], trigger, obj))
        return matches

    def _trigger(self, key: int) -> Trigger:
        return self._entries[int(self._vocab.strings[key].rsplit("_", 1)[1])]

    def _phrase_matchers(self, doc: Doc) -> list[DependencyMatcher]:
        """The collocation matchers of the words *doc* contains."""
        words = {(word, pos) for token in doc for word in {token.lemma_.lower(), token.lower_} for pos in _POS
                 if any(t.object or t.particle for t in self._lexicon.triggers_for(word, pos))}
        matchers = []
        for word, pos in sorted(words):
            if (word, pos) not in self._phrases:
                matcher = DependencyMatcher(self._vocab)
                for trigger in self._lexicon.triggers_for(word, pos):
                    if trigger.object or trigger.particle:
                        matcher.add(f"kg_trigger_{self._rank[trigger]}", _patterns(trigger))
                self._phrases[(word, pos)] = matcher
            matchers.append(self._phrases[(word, pos)])
        return matchers


_MATCHERS: dict[tuple[int, int], TriggerMatcher] = {}


def trigger_matcher(vocab: Vocab, lexicon: Lexicon) -> TriggerMatcher:
    """The matcher of *lexicon* over *vocab*, built once per pair."""
    key = (id(vocab), id(lexicon))
    if key not in _MATCHERS:
        _MATCHERS[key] = TriggerMatcher(vocab, lexicon)
    return _MATCHERS[key]


def _anchors(trigger: Trigger) -> list[dict[str, Any]]:
    """The trigger word: by lemma and part of speech, or for a noun by its form too (a
    plural the lemmatizer left alone, a noun tagged as a name)."""
    word = trigger.lemma.split()[0]
    anchors: list[dict[str, Any]] = [{"LEMMA": word, "POS": pos} for pos in _POS[trigger.pos]]
    if trigger.pos == "NOUN":
        anchors += [{"LOWER": word, "POS": pos} for pos in _POS[trigger.pos]]
    return anchors


def _patterns(trigger: Trigger) -> list[list[dict[str, Any]]]:
    """Dependency patterns of a collocation or phrasal verb: the anchor, its particle,
    and its object noun in one of four places."""
    particle = [{"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "particle",
                 "RIGHT_ATTRS": {"DEP": {"IN": _PARTICLE_DEPS}, "LOWER": trigger.particle}}] \
        if trigger.particle else []
    tails: list[list[dict[str, Any]]] = [[]]
    if trigger.object:
        noun = {"LEMMA": trigger.object}
        tails = [
            [{"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "object",
              "RIGHT_ATTRS": {"DEP": {"IN": _OBJECT_DEPS}, **noun}}],
            [{"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "preposition", "RIGHT_ATTRS": {"DEP": "prep"}},
             {"LEFT_ID": "preposition", "REL_OP": ">", "RIGHT_ID": "object",
              "RIGHT_ATTRS": {"DEP": "pobj", **noun}}],
            [{"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "amount", "RIGHT_ATTRS": {"DEP": "dobj"}},
             {"LEFT_ID": "amount", "REL_OP": ">", "RIGHT_ID": "of",  # "dozens of [drones]", "$1bn in [aid]"
              "RIGHT_ATTRS": {"DEP": "prep", "LOWER": {"IN": ["of", "in"]}}},
             {"LEFT_ID": "of", "REL_OP": ">", "RIGHT_ID": "object", "RIGHT_ATTRS": {"DEP": "pobj", **noun}}],
            [{"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "clause",
              "RIGHT_ATTRS": {"DEP": {"IN": ["ccomp", "xcomp"]}}},
             {"LEFT_ID": "clause", "REL_OP": ">", "RIGHT_ID": "object",
              "RIGHT_ATTRS": {"DEP": "nsubj", **noun}}]]
    return [[{"RIGHT_ID": "trigger", "RIGHT_ATTRS": anchor}, *particle, *tail]
            for anchor in _anchors(trigger) for tail in tails]


def _cases(word: str) -> list[str]:
    """A lemma as spaCy may give it: lower case, or capitalised at a sentence start."""
    return [word, word.capitalize()] if word != word.capitalize() else [word]
