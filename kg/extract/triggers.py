"""Doc -> TriggerMatch: where the lexicon's triggers occur in a parsed document.

Each lexicon entry (data/lexicon/*.tsv) is a pattern on the parse:

- the trigger word, by lower-case lemma and part of speech (a noun also by its
  form: a plural the lemmatizer left alone, a noun tagged as a name), found by
  spaCy's PhraseMatcher;
- a particle, when the entry has one ("pull [out]", "send [home]"), as a child
  of the trigger;
- an object, when the entry is a collocation: the object noun as the trigger's
  direct object ("lift [sanctions]"), as the object of one of its prepositions
  ("applied for [membership]"), as what its object counts ("launched dozens of
  [drones]", "approved $1 billion in [aid]"), or as the subject of its
  complement clause ("allowed [forces] to launch").

The particle and object parts are checked on the parse around each trigger
word. spaCy's DependencyMatcher expresses the same patterns, but it tries every
pattern it holds on every document: with the lexicon's collocations it cost 15 %
to 40 % of the parse (one matcher for all, or one per word), against well
under 1 % for the direct check.

A token that matches an entry with a particle or an object does not also fire
the bare entries of the same word: "impose sanctions" is a sanction, not the
generic "impose".
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.matcher import PhraseMatcher
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
    """The lexicon's trigger words as PhraseMatchers over a vocabulary (built once), and
    the check of each entry's particle and object on the parse."""

    def __init__(self, vocab: Vocab, lexicon: Lexicon) -> None:
        self._lexicon = lexicon
        entries = list(dict.fromkeys(t for ts in lexicon.triggers.values() for t in ts))  # file order
        self._rank = {trigger: number for number, trigger in enumerate(entries)}
        words = sorted({t.lemma.split()[0] for t in entries})
        self._lemmas = PhraseMatcher(vocab, attr="LEMMA")  # a lookup, not a pattern per word
        self._lemmas.add("kg_word", [Doc(vocab, words=[case], lemmas=[case])
                                     for word in words for case in _cases(word)])
        self._forms = PhraseMatcher(vocab, attr="LOWER")
        self._forms.add("kg_word", [Doc(vocab, words=[word]) for word in words])

    def __call__(self, doc: Doc) -> list[TriggerMatch]:
        """Every trigger of *doc*, in token order; the specific entries of a word win."""
        matches: list[TriggerMatch] = []
        for start in sorted({start for _, start, _ in [*self._lemmas(doc), *self._forms(doc)]}):
            token = doc[start]
            found: dict[Trigger, Token | None] = {}
            for pos, tags in _POS.items():
                if token.pos_ not in tags:
                    continue
                for word in dict.fromkeys((token.lemma_.lower(), token.lower_ if pos == "NOUN" else "")):
                    for trigger in self._lexicon.triggers_for(word, pos):
                        if trigger.particle and not _particle(token, trigger.particle):
                            continue
                        obj = _object(token, trigger.object) if trigger.object else None
                        if trigger.object and obj is None:
                            continue
                        found.setdefault(trigger, obj)
            specific = {t: o for t, o in found.items() if t.object or t.particle}
            for trigger, obj in sorted((specific or found).items(), key=lambda item: self._rank[item[0]]):
                matches.append(TriggerMatch(token, trigger, obj))
        return matches


_MATCHERS: dict[tuple[int, int], TriggerMatcher] = {}


def trigger_matcher(vocab: Vocab, lexicon: Lexicon) -> TriggerMatcher:
    """The matcher of *lexicon* over *vocab*, built once per pair."""
    key = (id(vocab), id(lexicon))
    if key not in _MATCHERS:
        _MATCHERS[key] = TriggerMatcher(vocab, lexicon)
    return _MATCHERS[key]


def _particle(token: Token, particle: str) -> bool:
    return any(c.dep_ in _PARTICLE_DEPS and c.lower_ == particle for c in token.children)


def _object(token: Token, lemma: str) -> Token | None:
    """The collocation's object noun, in one of its four places."""
    for child in token.children:
        if child.dep_ in _OBJECT_DEPS and _lemma(child) == lemma:
            return child
        if child.dep_ == "prep":
            found = next((g for g in child.children if g.dep_ == "pobj" and _lemma(g) == lemma), None)
        elif child.dep_ == "dobj":  # "dozens of [drones]", "$1 billion in [aid]"
            found = next((g for p in child.children if p.dep_ == "prep" and p.lower_ in ("of", "in")
                          for g in p.children if g.dep_ == "pobj" and _lemma(g) == lemma), None)
        elif child.dep_ in ("ccomp", "xcomp"):  # "allowed [forces] to launch"
            found = next((g for g in child.children if g.dep_ == "nsubj" and _lemma(g) == lemma), None)
        else:
            found = None
        if found is not None:
            return found
    return None


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _cases(word: str) -> list[str]:
    """A lemma as spaCy may give it: lower case, or capitalised at a sentence start."""
    return [word, word.capitalize()] if word != word.capitalize() else [word]
