"""Doc -> Mention: which actor a token of the parse denotes.

Entities come from spaCy's NER corrected by the gazetteer ruler. On top of
them, rules on the parse decide what an event argument refers to:

- a name inside an entity ("Lukashenko's" is Alexander Lukashenko);
- a spelling of a known person's name that the gazetteer does not list
  ("Tsikhanovsky"; kg/extract/variants.py);
- a surname repeated after the full name ("Cole" after "John Cole");
- an apposition ("his Russian counterpart, Vladimir Putin");
- a title or role noun used alone ("the envoy", "the Belarusian dictator"):
  the person last introduced with that title (or, in a headline, the first);
- a collective that stands for its state ("Russian forces", "a U.S.
  delegation", "the leaders of Germany"): the country, with a role code;
- a capital used as an actor ("Washington would lift"): its country;
- he / she / his / her: the subject of the governing clause, else the last
  person named.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from kg.extract.facts import Mention
from kg.extract.gazetteer import Gazetteer
from kg.extract.lexicon import Lexicon, Role
from kg.extract.variants import find_variant
from kg.ontology import slug

__all__ = ["ActorFinder", "Titled"]

_TYPES = {"PERSON": "Person", "ORG": "Organization", "GPE": "Country", "LOC": "Place",
          "FAC": "Place", "NORP": "Group"}
_PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
_PLURAL_PRONOUNS = {"they", "them", "their"}
_MODIFIER_DEPS = {"compound", "amod", "nmod", "poss"}


@dataclass(frozen=True)
class Titled:
    """A person named with a title: 'U.S. special envoy John Cole'."""

    mention: Mention
    role: Role
    words: tuple[str, ...]
    country: Mention | None
    start: int            # token index of the first title word
    end: int              # token index after the name
    demonym: bool = False  # the country came from a nationality word ("Belarusian dictator")


class ActorFinder:
    """Mentions of one Doc, and the rules that resolve a token to one."""

    def __init__(self, doc: Doc, gazetteer: Gazetteer, lexicon: Lexicon) -> None:
        self.doc, self.gazetteer, self.lexicon = doc, gazetteer, lexicon
        self.at: dict[int, Mention] = {}
        self.mentions: list[Mention] = []
        for ent in doc.ents:
            self._add_entity(ent)
        self._add_surnames()
        self.titled = [t for t in (self._titled(m) for m in self.mentions if m.type == "Person") if t]
        self._give_titles_countries()

    # --- mentions ---------------------------------------------------------

    def _add_entity(self, ent: Span) -> None:
        while len(ent) > 1 and ent[-1].tag_ == "POS":
            ent = ent[:-1]
        mention = self._mention(ent)
        if mention is None:
            return
        self.mentions.append(mention)
        for token in ent:
            self.at[token.i] = mention

    def _mention(self, ent: Span) -> Mention | None:
        kind = _TYPES.get(ent.label_)
        text = ent.text
        entry = self.gazetteer.entries.get(ent.ent_id_) if ent.ent_id_ else self.gazetteer.lookup(text)
        if entry is None and kind == "Person":  # "Tsikhanovsky": a spelling the gazetteer does not list
            entry = find_variant(self.gazetteer, text)
        if ent.label_ == "NORP" and (entry is None or entry.type == "Country"):
            return self._demonym(ent)
        if kind is None:
            return None
        if entry is not None and (entry.type == kind or kind != "Person" or ent.ent_id_):
            return Mention(text, entry.type, ent.start_char, ent.end_char, key=entry.key,
                           name=entry.name, country=entry.country, role=entry.role)
        if kind == "Country":
            kind = "Place"
        return Mention(text, kind, ent.start_char, ent.end_char, name=text)

    def _demonym(self, ent: Span) -> Mention | None:
        iso3 = self.gazetteer.country_of_demonym(ent.text)
        entry = self.gazetteer.country(iso3) if iso3 else None
        if entry is None:
            return None
        return Mention(ent.text, "Group", ent.start_char, ent.end_char, key=entry.key,
                       name=entry.name, country=iso3, role="DEMONYM")

    def _add_surnames(self) -> None:
        """A proper noun that repeats the surname of a person named earlier."""
        people: dict[str, Mention] = {}
        for mention in sorted(self.mentions, key=lambda m: m.start):
            if mention.type == "Person" and " " in (mention.name or ""):
                people.setdefault((mention.name or "").split()[-1], mention)
        for token in self.doc:
            person = people.get(token.text)
            if person and token.pos_ == "PROPN" and (token.i not in self.at or
                                                      self.at[token.i].type != "Person"):
                mention = replace(person, text=token.text, start=token.idx,
                                  end=token.idx + len(token.text))
                self.mentions.append(mention)
                self.at[token.i] = mention

    def _give_titles_countries(self) -> None:
        """'Zimbabwean Prime Minister Robert Mugabe': a person the gazetteer does not
        know takes the country and role of the title, in every mention of the name."""
        learned: dict[str, tuple[str, str]] = {}
        for titled in self.titled:
            person, country = titled.mention, titled.country
            if person.key is None and country is not None and country.country:
                learned.setdefault(person.name or person.text, (country.country, titled.role.code))
        if not learned:
            return
        def update(m: Mention) -> Mention:
            found = learned.get(m.name or m.text) if m.type == "Person" and m.key is None else None
            return replace(m, country=found[0], role=found[1]) if found else m
        self.mentions = [update(m) for m in self.mentions]
        self.at = {i: update(m) for i, m in self.at.items()}
        self.titled = [replace(t, mention=update(t.mention)) for t in self.titled]

    # --- titles -----------------------------------------------------------

    def _titled(self, person: Mention) -> Titled | None:
        """The title written before (or in apposition to) a person's name."""
        span = self.doc.char_span(person.start, person.end, alignment_mode="expand")
        if span is None:
            return None
        words = [t for t in span.root.subtree if t.i < span.start and t.dep_ != "det"
                 and not t.is_punct and t.dep_ != "poss"]
        appos = [c for c in span.root.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
        for tokens in (words, *[[t for t in a.subtree if t.i <= a.i and t.dep_ != "det"] for a in appos]):
            titled = self._title_of(person, tokens)
            if titled:
                return titled
        return None

    def _title_of(self, person: Mention, tokens: list[Token]) -> Titled | None:
        plain = [t for t in tokens if t.i not in self.at or self.at[t.i].type == "Organization"]
        role = self._longest_role([t.text.lower() for t in plain], kind="title")
        if role is None:
            return None
        owners = [self.at[t.i] for t in tokens if t.i in self.at and t.lower_ not in role.words
                  and self.at[t.i].type in ("Country", "Organization", "Group")]
        country = next((m for m in owners if m.type != "Organization"), owners[0] if owners else None)
        demonym = country is not None and country.role == "DEMONYM"
        if country is not None and country.type == "Group":
            country = self.country_mention(country)
        return Titled(person, role, tuple(t.text.lower() for t in plain), country,
                      min(t.i for t in tokens), max(t.i for t in tokens) + 1, demonym)

    def _longest_role(self, words: list[str], kind: str) -> Role | None:
        """The longest run of *words*, ending at the last, that is a known role."""
        for size in range(min(len(words), 4), 0, -1):
            role = self.lexicon.role(tuple(words[-size:]))
            if role is not None and role.kind == kind:
                return role
        return None

    def state(self, iso3: str | None, start: int, end: int) -> Mention | None:
        """The country of code *iso3* as an actor named at [start, end), if the code is known."""
        entry = self.gazetteer.country(iso3) if iso3 else None
        if entry is None:
            return None
        return Mention(entry.name, "Country", start, end, key=entry.key, name=entry.name,
                       country=entry.country, role="GOV")

    def country_mention(self, mention: Mention) -> Mention:
        """The country a mention stands for ('Belarusian', 'Washington'), keeping its words."""
        state = self.state(mention.country, mention.start, mention.end)
        return replace(state, text=mention.text) if state else mention

    # --- resolving an argument token --------------------------------------

    def actor(self, token: Token) -> Mention | None:
        """The actor *token* (the head of an argument) refers to, if any."""
        mention = self.at.get(token.i)
        if mention is not None:
            return self._as_actor(mention, token)
        if token.lower_ in _PRONOUNS:
            return self._pronoun(token)
        for child in token.children:
            if child.dep_ == "appos" and child.i in self.at and self.at[child.i].type == "Person":
                return self.at[child.i]
        return self._role_noun(token)

    def actors(self, token: Token) -> list[Mention]:
        """Like ``actor``, but 'the leaders of Germany, Poland and Norway' gives three."""
        if token.lower_ in _PLURAL_PRONOUNS:
            return self._plural_antecedents(token)
        first = self.actor(token)
        if first is None:
            return []
        found = [first]
        if token.i not in self.at:
            for owner in (g for p in token.children if p.dep_ == "prep" and p.lower_ == "of"
                          for g in p.children if g.dep_ == "pobj"):
                more = (self.at.get(c.i) for c in owner.conjuncts)
                found += [replace(self._as_country(m), role=first.role) for m in more
                          if m is not None and m.type in ("Country", "Organization", "Group")]
        return found

    def _plural_antecedents(self, token: Token) -> list[Mention]:
        """'Germany and France said they would ...': the subjects of the governing clause."""
        for subjects in _governing_subjects(token):
            found = (self.actor(t) for t in [subjects[0], *subjects[0].conjuncts])
            return [m for m in found if m is not None]
        return []

    def _as_country(self, mention: Mention) -> Mention:
        return self.country_mention(mention) if mention.type == "Group" else mention

    def _as_actor(self, mention: Mention, token: Token) -> Mention | None:
        if mention.type == "Group" and mention.role == "DEMONYM":
            return self._people(token, mention)
        if mention.type == "Place" and mention.role in ("capital", "seat") and mention.country:
            return replace(self.country_mention(mention), text=mention.text)
        return mention

    def _people(self, token: Token, demonym: Mention) -> Mention | None:
        """'Lithuanians', 'Iraqi Kurds': people of a country as a group actor, with the
        country's code and a civilian role; an adjective alone ('Belarusian') is not one."""
        if token.tag_ not in ("NNS", "NNPS") or token.dep_ in ("amod", "compound"):
            return None
        return self._group(token, demonym, "CVL")

    def _group(self, token: Token, demonym: Mention, code: str) -> Mention:
        words = [t for t in token.subtree if t.i <= token.i and t.dep_ not in ("det", "nummod", "punct")
                 and not t.like_num]
        start, end = words[0].idx, token.idx + len(token.text)
        label = self.doc.text[start:end]
        return Mention(label, "Group", start, end, key=f"group/{slug(label)}", name=label,
                       country=demonym.country, role=code)

    def _role_noun(self, token: Token) -> Mention | None:
        modifiers = [c for c in token.children if c.dep_ in _MODIFIER_DEPS]
        words = [c.text.lower() for c in modifiers if c.i not in self.at and c.i < token.i]
        role = self._longest_role([*words, token.text.lower()], kind="body")
        if role is not None:
            owner = self._owner(token, modifiers)
            return replace(owner, role=role.code) if owner else None
        role = self._longest_role([*words, token.text.lower()], kind="people")
        demonym = next((self.at[m.i] for m in modifiers if m.i in self.at
                        and self.at[m.i].role == "DEMONYM"), None)
        if role is not None and demonym is not None:  # "Afghan civilians", "Palestinian refugees"
            return self._group(token, demonym, role.code)
        role = self._longest_role([*words, token.text.lower()], kind="title")
        if role is not None and token.pos_ == "NOUN":
            return self._antecedent(token, role)
        return None

    def _owner(self, token: Token, modifiers: list[Token]) -> Mention | None:
        """The country or organisation a collective belongs to."""
        candidates = [m for m in modifiers if m.i in self.at]
        candidates += [g for p in token.children if p.dep_ == "prep" and p.lower_ in ("of", "in")
                       for g in p.children if g.dep_ == "pobj" and g.i in self.at]
        for candidate in candidates:
            mention = self.at[candidate.i]
            if mention.type == "Group":
                return self.country_mention(mention)
            if mention.type in ("Country", "Organization"):
                return mention
            if mention.type == "Place" and mention.country:  # "a court in Minsk"
                return self.country_mention(mention)
        return None

    def _antecedent(self, token: Token, role: Role) -> Mention | None:
        """The person last named with this title (or the first, in a headline)."""
        matching = [t for t in self.titled if t.role == role or token.lower_ in t.words]
        before = [t for t in matching if t.mention.start < token.idx]
        chosen = before[-1] if before else (matching[0] if matching else None)
        if chosen is None:
            return None
        return replace(chosen.mention, text=token.text, start=token.idx, end=token.idx + len(token.text))

    def _pronoun(self, token: Token) -> Mention | None:
        for governing in _governing_subjects(token):
            for child in governing:
                if child.i in self.at and self.at[child.i].type == "Person":
                    return self.at[child.i]
        people = [m for m in self.mentions if m.type == "Person" and m.end <= token.idx]
        chosen = [m for m in people if self._is_subject(m)] or people
        return max(chosen, key=lambda m: m.end) if chosen else None

    def _is_subject(self, mention: Mention) -> bool:
        """Whether a mention is the subject of its clause (centering: subjects are
        what a later pronoun most often refers to)."""
        span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        return span is not None and span.root.dep_ in ("nsubj", "nsubjpass")

    def place(self, token: Token) -> Mention | None:
        """The place *token* names, if it is a city, region or country."""
        mention = self.at.get(token.i)
        return mention if mention and mention.type in ("Place", "Country") else None


def _governing_subjects(token: Token) -> Iterator[list[Token]]:
    """The subjects of each clause that governs a pronoun's clause, nearest first:
    'Germany and France said [they would ...]', 'Lukashenko promised [he would ...]'."""
    verb = token.head if token.dep_ != "poss" else token.head.head
    while verb.dep_ in ("ccomp", "xcomp", "conj", "advcl") and verb.head != verb:
        verb = verb.head
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            yield subjects
