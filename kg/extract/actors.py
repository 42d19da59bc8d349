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

import numpy
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from kg.extract.facts import Mention
from kg.extract.gazetteer import Gazetteer
from kg.extract.lexicon import Lexicon, Role
from kg.extract.variants import find_variant
from kg.ontology import slug

__all__ = ["ActorFinder", "Titled", "stance_modifier"]

_TYPES = {"PERSON": "Person", "ORG": "Organization", "GPE": "Country", "LOC": "Place",
          "FAC": "Place", "NORP": "Group"}
_PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
_PLURAL_PRONOUNS = {"they", "them", "their"}
_NEUTER_PRONOUNS = {"it", "its"}
_RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
_COLLECTIVES = {"Country", "Organization", "Group"}
_NOT_ACTORS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "EVENT",
               "LAW", "WORK_OF_ART", "LANGUAGE", "PRODUCT"}
_PART_WORDS = {"group", "number", "handful", "dozen", "dozens", "score", "scores", "hundred", "hundreds",
               "thousand", "thousands", "ten", "tens", "million", "millions", "some", "many", "most", "all",
               "part", "third", "half", "quarter", "majority", "minority", "member", "members", "band",
               "contingent", "team", "batch", "patch", "unit", "one", "two", "several", "each", "none"}
_COUNTRY_NOUNS = {"country", "nation", "kingdom", "republic"}
_OWNER_PREPOSITIONS = {"of", "in", "throughout", "across", "from"}
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
        if not ent.ent_id_ and self.gazetteer.lookup(ent.text) is None and \
                any(t.dep_ == "cc" for t in ent[1:-1]):  # "Gondor and Arnor": two entities
            parts = [t for t in ent if t.dep_ in ("cc", "punct")]
            edges = [ent.start, *(p.i for p in parts), ent.end]
            for begin, end in zip(edges, edges[1:], strict=False):
                part = Span(self.doc, begin + (begin != ent.start), end, label=ent.label_)
                if len(part):
                    self._add_entity(part)
            return
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
        surnames = numpy.isin(self.doc.to_array("ORTH"), [get_string_id(name) for name in people])
        for i in numpy.flatnonzero(surnames):  # the tokens that are one of the surnames, not every token
            token = self.doc[int(i)]
            person = people[token.text]
            if token.pos_ == "PROPN" and (token.i not in self.at or self.at[token.i].type != "Person"):
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
                 and not t.is_punct and (t.dep_ != "poss" or t.i in self.at)]  # "Iran's leader X"
        appos = [c for c in span.root.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
        if span.root.dep_ == "appos" and span.root.head.pos_ == "NOUN":  # "Iran's leader, X"
            appos.append(span.root.head)
        for tokens in (words, *[[t for t in a.subtree if t.i <= a.i and t.dep_ != "det" and not t.is_punct
                                 and (t.dep_ != "poss" or t.i in self.at)] for a in appos]):
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
        if country is None:  # "a member of the Syrian parliament, X": the body the title is of
            body = next((self.actor(g) for t in tokens[-1:] for p in t.children if p.dep_ == "prep"
                         and p.lower_ == "of" for g in p.children if g.dep_ == "pobj"), None)
            if body is not None and body.type in ("Country", "Organization"):
                country, role = body, replace(role, code=body.role or role.code)
        demonym = country is not None and country.role == "DEMONYM"
        if country is not None and country.type == "Group":
            country = self.country_mention(country)
        return Titled(person, role, tuple(t.text.lower() for t in plain), country,
                      min(t.i for t in tokens), max(t.i for t in tokens) + 1, demonym)

    def _longest_role(self, words: list[str], kind: str | None = None) -> Role | None:
        """The longest run of *words*, ending at the last, that is a known role (of *kind*)."""
        for size in range(min(len(words), 4), 0, -1):
            role = self.lexicon.role(tuple(words[-size:]))
            if role is not None and kind in (None, role.kind):
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
        if token.lower_ in _RELATIVE_PRONOUNS and token.head.dep_ == "relcl":  # "X, who ..."
            return self.actor(token.head.head)
        if token.lower_ in _PRONOUNS:
            return self._pronoun(token)
        if token.lower_ in _NEUTER_PRONOUNS:
            return self._neuter_pronoun(token)
        for child in (c for c in token.children if c.dep_ == "appos" and c.i in self.at):
            example = any(p.dep_ == "prep" and p.lower_ in ("among", "including") for p in child.children)
            if self.at[child.i].type == "Person" and not example:
                return self.at[child.i]  # "his counterpart, Vladimir Putin"; not "..., among them X"
        whole = self._whole_of(token)  # "a group of Moroccan diplomats", "thousands of Iraqi Kurds"
        if whole is not None:
            return self.actor(whole)
        if token.lemma_.lower() in _COUNTRY_NOUNS and any(c.dep_ == "det" and c.lower_ in ("the", "this")
                                                          for c in token.children):
            return self._definite_country(token)
        return self._role_noun(token) or self._known_name(token) or self._unknown_name(token)

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
                more = (self.at.get(c.i) or self._unknown_name(c) for c in owner.conjuncts)
                found += [replace(self._as_country(m), role=first.role) for m in more
                          if m is not None and m.type in ("Country", "Organization", "Group")]
        return found

    def _known_name(self, token: Token) -> Mention | None:
        """A name of the gazetteer the tagger missed ('U.N.' in 'a U.N. military presence')."""
        if token.pos_ != "PROPN" or token.i in self.at:
            return None
        entry = self.gazetteer.lookup(token.text)
        if entry is None:
            return None
        mention = Mention(token.text, entry.type, token.idx, token.idx + len(token.text), key=entry.key,
                          name=entry.name, country=entry.country, role=entry.role)
        return self._as_actor(mention, token)

    def _unknown_name(self, token: Token) -> Mention | None:
        """A proper name the model did not tag ('Arnor', 'Minas Tirith') in an argument
        slot: an actor of unknown kind, a Group, named by the name's words."""
        named = token.pos_ == "PROPN" or (token.pos_ == "NOUN" and token.is_title and any(
            c.pos_ == "PROPN" for c in token.conjuncts))  # "Fornost and Gondor welcome"
        if not named or token.i in self.at or token.ent_type_ in _NOT_ACTORS \
                or not token.text[:1].isupper() or self.lexicon.role((token.lower_,)) is not None:
            return None
        words = [c for c in token.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"
                 and c.ent_type_ not in _NOT_ACTORS and c.i not in self.at]
        first = min([token, *words], key=lambda t: t.i)
        start, end = first.idx, token.idx + len(token.text)
        label = self.doc.text[start:end]
        words_of = (self.nationality(c) for c in token.children if c.dep_ == "amod")
        nationality = next((m for m in words_of if m), None)
        if nationality is not None and token.tag_ == "NNPS":  # "Iraqi Kurds": people of a country
            return self._group(token, nationality, "CVL")
        return Mention(label, "Group", start, end, key=f"group/{slug(label)}", name=label)

    def unidentified(self, place: Mention) -> Mention:
        """Unidentified armed forces (CAMEO 'UAF') of the country where an attack happened."""
        entry = self.gazetteer.country(place.country) if place.country else None
        label = f"Unidentified armed forces in {entry.name if entry else place.name or place.text}"
        return Mention(label, "Group", place.start, place.end, key=f"group/{slug(label)}", name=label,
                       country=place.country, role="UAF")

    def nationality(self, token: Token) -> Mention | None:
        """The country a nationality word names, tagged or not ('Iraqi' inside 'Iraqi Kurds')."""
        mention = self.at.get(token.i)
        if mention is not None:
            return mention if mention.role == "DEMONYM" else None
        iso3 = self.gazetteer.country_of_demonym(token.text)
        return self.state(iso3, token.idx, token.idx + len(token.text)) if iso3 else None

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
        return self._people_group(token, demonym, "CVL")

    def _group(self, token: Token, demonym: Mention, code: str) -> Mention:
        words = [t for t in token.subtree if t.i <= token.i and _modifies(t, token) and not t.like_num]
        start, end = words[0].idx, token.idx + len(token.text)
        label = self.doc.text[start:end]
        return Mention(label, "Group", start, end, key=f"group/{slug(label)}", name=label,
                       country=demonym.country, role=code)

    def _role_noun(self, token: Token) -> Mention | None:
        """A collective ('Russian forces'), a group of people ('Afghan civilians', 'students
        throughout Indonesia') or a title used alone ('the envoy', 'a French minister');
        the longest role word sequence decides which."""
        modifiers = [c for c in token.children if c.dep_ in _MODIFIER_DEPS]
        words = [c.text.lower() for c in modifiers if c.i not in self.at and c.i < token.i]
        role = self._longest_role([*words, token.text.lower()])
        if role is None:
            return None
        if role.kind == "body":
            owner = self._owner(token, modifiers)
            return replace(owner, role=role.code) if owner else None
        if role.kind == "people":  # "Afghan civilians", "Turkish Kurd refugees"
            nested = [g for m in modifiers for g in m.children if g.dep_ in _MODIFIER_DEPS]
            demonym = next((self.at[m.i] for m in [*modifiers, *nested] if m.i in self.at
                            and self.at[m.i].role == "DEMONYM"), None)
            return self._people_group(token, demonym, role.code)
        if token.pos_ != "NOUN":
            return None
        owner = self._owner(token, modifiers)  # "a French minister", "Cairo's security chief"
        indefinite = any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in token.children)
        person = None if indefinite else self._antecedent(token, role)
        if person is not None and (owner is None or person.country == owner.country):
            return person
        return replace(owner, role=role.code) if owner else None

    def at_place(self, token: Token, place: Mention | None) -> Mention | None:
        """A group of people or a collective named with no country ('hundreds of
        protesters', 'police'), taken to be of the country where the event happened."""
        token = self._whole_of(token) or token
        role = self._longest_role([token.lower_])
        if role is None or role.kind == "title" or place is None or not place.country:
            return None
        country = self.country_mention(place)
        if role.kind == "people":
            return self._group(token, country, role.code)
        return replace(country, role=role.code)

    def _people_group(self, token: Token, demonym: Mention | None, code: str) -> Mention | None:
        """'Afghan civilians', 'students throughout Indonesia', 'ethnic Albanians in south
        Serbia': a group coded by the country it lives in (refugees by their own), else by
        its nationality word."""
        home = self._owner(token, [])
        if home is not None and home.country and not (code == "REF" and demonym is not None):
            return self._group(token, home, code)  # refugees keep their nationality
        if demonym is not None:
            return self._group(token, demonym, code)
        return replace(home, role=code) if home is not None else None

    def _owner(self, token: Token, modifiers: list[Token]) -> Mention | None:
        """The country or organisation a collective belongs to."""
        modifiers = [m for m in modifiers if not stance_modifier(m)]  # not "an anti-Syria journalist"
        modifiers += [g for m in modifiers if m.lower_ == "led" for g in m.children]  # "Saudi-led forces"
        modifiers += [g for m in modifiers if m.pos_ == "NOUN" for g in m.children  # "the X government paper"
                      if g.dep_ == "compound" and g.i < m.i]
        candidates = modifiers + [g for p in token.children if p.dep_ == "prep"
                                  and p.lower_ in _OWNER_PREPOSITIONS for g in p.children if g.dep_ == "pobj"]
        for candidate in candidates:
            mention = self.at.get(candidate.i) or self._unknown_name(candidate)
            if mention is None:
                continue
            if mention.type == "Group" and mention.role == "DEMONYM":
                return self.country_mention(mention)
            if mention.type in ("Country", "Organization", "Group"):
                return mention
            if mention.type in ("Place", "Person") and mention.country:  # "a court in Minsk",
                return self.country_mention(mention)                     # "the government of X"
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

    def _neuter_pronoun(self, token: Token) -> Mention | None:
        """'Israel withdrew its troops', 'Syria says it is willing': the state or organisation
        that is the subject of the pronoun's own clause (for 'its') or of a governing clause,
        else the last one named before it outside its own clause's subjects."""
        own = [c for c in token.head.head.children if c.dep_ in ("nsubj", "nsubjpass")] \
            if token.dep_ == "poss" else []
        for subjects in ([own] if own else []) + list(_governing_subjects(token)):
            found = self.actor(subjects[0])
            if found is not None and found.type in _COLLECTIVES:
                return found
        clause = {t.i for s in own for t in s.subtree}
        before = [self.at[i] for i in range(token.i) if i in self.at and i not in clause]
        before = [m for m in before if m.type in _COLLECTIVES and m.role != "DEMONYM"]
        return before[-1] if before else None

    def _whole_of(self, token: Token) -> Token | None:
        """The 'of' object of a quantity or part word: 'tens of thousands of students',
        'a group of diplomats', 'one third of the guerrillas', '52 members of MASSOB'."""
        if token.lemma_.lower() not in _PART_WORDS and not token.like_num:
            return None
        for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"):
            for obj in (g for g in prep.children if g.dep_ == "pobj"):
                return self._whole_of(obj) or obj
        return None

    def _definite_country(self, token: Token) -> Mention | None:
        """'welcomed the Nordic country into the alliance': the country named most often
        before (the article's topic), other than the clause's own subject."""
        verb = token.head if token.dep_ != "pobj" else token.head.head
        clause = {t.i for s in verb.children if s.dep_ in ("nsubj", "nsubjpass") for t in s.subtree}
        counts: dict[str, int] = {}
        last: dict[str, tuple[int, Mention]] = {}
        for i in range(token.i):
            mention = self.at.get(i)
            if mention is None or i in clause or mention.country is None:
                continue
            if i - 1 in self.at and self.at[i - 1] is mention:  # one count per name, not per word
                continue
            if mention.type == "Country" or (mention.type == "Place" and mention.role in ("capital", "seat")):
                counts[mention.country] = counts.get(mention.country, 0) + 1
                last[mention.country] = (i, mention)
        if not counts:
            return None
        chosen = max(counts, key=lambda code: (counts[code], last[code][0]))  # most named, then latest
        return replace(self.country_mention(last[chosen][1]), text=token.text, start=token.idx,
                       end=token.idx + len(token.text))

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


def _modifies(word: Token, head: Token) -> bool:
    """Whether *word* is *head* or part of its name-like modifiers ('Turkish Kurd
    refugees'), not of a number or determiner ('up to 13,000', 'the')."""
    while word != head:
        if word.dep_ not in ("amod", "compound", "nmod") or word.head == word:
            return False
        word = word.head
    return True


def stance_modifier(word: Token) -> bool:
    """'anti-Syria', 'pro-Russian': a modifier that names whom someone is for or against."""
    doc = word.doc
    return word.i >= 2 and doc[word.i - 1].text == "-" and doc[word.i - 2].lower_ in ("anti", "pro", "non")
