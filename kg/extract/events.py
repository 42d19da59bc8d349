"""Doc -> Fact: events and standing relations from lexicon triggers on the parse.

The triggers of data/lexicon/ are found by spaCy's matchers (kg/extract/triggers.py:
a word by its lemma, a collocation such as "lift sanctions" by a dependency
pattern); the arguments are read off the dependency parse:

- verbs: the subject is the source (through coordination, control and
  relative clauses), the direct object or a listed preposition's object the
  target; in the passive, the "by" agent is the source and the subject the
  target; "allowed Russian forces to launch" takes the complement's subject;
- nouns: the possessor, an actor modifier ("U.S. sanctions") or a "by" agent
  is the source, else the subject of the verb the noun is the object of
  ("Lukashenko attends a meeting with Putin"); listed prepositions give the
  target ("release of", "sanctions on");
- coordinated actors give one fact each ("France and Germany imposed ...");
- a release or judicial act with no agent is attributed to the state of the
  person it befell, with low confidence; an attack with no agent to the
  unidentified armed forces of the place;
- a commitment to a cooperative event is also an AGREE event (a refusal a
  REJECT, a conditional one a THREATEN), "X said Y must ..." a demand on Y.

Then the trigger's clause gives the place ("in Sochi"), the date (or the day
the story last named, for an undated simple past), a number ("52 prisoners",
"18 years"), negation and modality. Titles give standing
relations ("Russian President Vladimir Putin": leader_of Russia).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import numpy
from spacy.symbols import VERB
from spacy.tokens import Doc, Span, Token

from kg.extract.actors import ActorFinder, Titled, stance_modifier
from kg.extract.facts import Fact, Mention, Quantity
from kg.extract.lexicon import Lexicon, Trigger
from kg.extract.triggers import TriggerMatch, trigger_matcher
from kg.extract.when import resolve_date

__all__ = ["find_facts"]

_SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
_CLIMB = {"xcomp", "advcl", "pcomp", "prep", "conj", "acl", "relcl", "acomp"}
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_IMPLICIT_AGENT_TYPES = {"CONCEDE", "COERCE"}
# What kills without naming who used it: "a roadside bomb killed ...", "an explosion near X".
_DEVICES = {"bomb", "bombing", "explosion", "blast", "attack", "mine", "minefield", "rocket", "missile",
            "shell", "shelling", "grenade", "device", "ied", "drone", "strike", "airstrike", "gunfire",
            "ambush", "fire", "detonation", "raid"}
# Types whose place stands in for a missing target: what is done in a place is done
# to it ("imposed a curfew in Cizre"); not so for meetings ("met in Sochi").
_PLACE_TARGET_TYPES = {"AID", "CONCEDE", "RETREAT", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}


class Timeline:
    """The article's date and the day the story last gave explicitly: a report's undated
    past-tense events ("were released", "sent home") happened on the day its lead names
    ("late on Thursday"), when that day is within a week before the article."""

    def __init__(self, anchor: str | None) -> None:
        self.anchor: str | None = anchor
        self.last: str | None = None

    def told(self, day: str) -> None:
        if len(day) == 10 and self.anchor and _days_between(day, self.anchor) in range(0, 8):
            self.last = day

    def undated_past(self) -> str | None:
        return self.last or self.anchor

    def read(self, sentence: Span) -> None:
        """Learn the day a sentence's main clause gives ('landed late on Thursday')."""
        for ent in _dates_of(sentence):
            if _governs(sentence.root, ent):
                day = resolve_date(ent.text, self.anchor)
                if day:
                    self.told(day)


def _sentences(doc: Doc) -> list[Span]:
    """The document's sentences, computed once (``Doc.sents`` and ``Token.sent`` rescan)."""
    if "kg_sentences" not in doc.user_data:
        doc.user_data["kg_sentences"] = list(doc.sents)
        doc.user_data["kg_starts"] = [s.start for s in doc.user_data["kg_sentences"]]
        dates: dict[int, list[Span]] = {}
        for ent in doc.ents:
            if ent.label_ == "DATE":
                dates.setdefault(ent.sent.start, []).append(ent)
        doc.user_data["kg_dates"] = dates
    sentences: list[Span] = doc.user_data["kg_sentences"]
    return sentences


def _sentence(token: Token) -> Span:
    sentences = _sentences(token.doc)
    return sentences[bisect.bisect_right(token.doc.user_data["kg_starts"], token.i) - 1]


def _dates_of(sentence: Span) -> list[Span]:
    """The DATE entities of a sentence."""
    _sentences(sentence.doc)
    dates: list[Span] = sentence.doc.user_data["kg_dates"].get(sentence.start, [])
    return dates


def _days_between(first: str, second: str) -> int:
    try:
        return (date.fromisoformat(second[:10]) - date.fromisoformat(first[:10])).days
    except ValueError:
        return -1


def find_facts(doc: Doc, finder: ActorFinder, lexicon: Lexicon, anchor: str | None) -> Iterator[Fact]:
    """Every event and relation found in *doc*; *anchor* is the article date."""
    timeline = Timeline(anchor)
    agents: dict[str, Mention] = {}  # the last explicit source of each CAMEO code, for implicit agents
    matches = trigger_matcher(doc.vocab, lexicon)(doc)
    triggered = {m.token.i for m in matches}
    consumed = {m.object.i for m in matches if m.object is not None}  # "lift [sanctions]"
    sentences = list(_sentences(doc))
    for match in matches:
        while sentences and sentences[0].start <= match.token.i:  # the story so far, this sentence too
            timeline.read(sentences.pop(0))
        if match.trigger.pos == "NOUN" and match.token.i in consumed:
            continue
        for fact in _facts_for(match, finder, lexicon, timeline, agents, triggered):
            if fact.confidence > 0.5 and fact.cameo:
                agents[fact.cameo] = fact.source
            yield fact
    yield from _demands(doc, finder, lexicon, timeline)
    yield from _title_relations(doc, finder)
    yield from _appositive_relations(doc, finder)


# --- one trigger -> facts ----------------------------------------------------

def _facts_for(match: TriggerMatch, finder: ActorFinder, lexicon: Lexicon, timeline: Timeline,
               agents: dict[str, Mention], triggered: set[int]) -> Iterator[Fact]:
    token, trigger = match.token, match.trigger
    if _bare_participle(token) and not _is_passive(token.head):
        return  # "... sent them home, and convicted cybercriminal X": an adjective, misparsed
    place = _place(token, finder)
    sources, targets, confidence, in_slot = _arguments(match, finder, triggered, place)
    kind = "event" if trigger.cameo else "relation"
    sentence = _sentence(token)
    shell = Fact(kind=kind, type=trigger.type, cameo=trigger.cameo, label=trigger.lemma,
                 source=Mention("", "Group", 0, 0), target=None,  # set per source below
                 sentence=sentence.text.strip(), start=sentence.start_char, end=sentence.end_char,
                 confidence=confidence)
    committed = False
    if kind == "event":
        shell, committed = _with_clause_details(shell, token, place, finder, lexicon, timeline)
    condition = _condition(token)  # "will withdraw its force unless X ...": a threat to X
    if trigger.type == "THREATEN" and not targets and condition is not None:
        targets = _actors(_subjects(condition), finder)
    intent = lexicon.intent(trigger.cameo, refused=shell.negated) if committed and condition is None else None
    threat = committed and condition is not None and trigger.type not in ("THREATEN", "AGREE")
    if not sources and targets and trigger.type in _IMPLICIT_AGENT_TYPES and \
            (not _has_subject(token) or "nsubj" in trigger.targets):
        agent = _implicit_agent(targets[0], shell.place, agents.get(trigger.cameo or ""), finder)
        sources, shell = ([agent], replace(shell, confidence=0.5)) if agent else ([], shell)
    if not sources and trigger.type == "ASSAULT" and shell.place is not None and shell.place.country \
            and all(t.lemma_.lower() in _DEVICES for t in _subjects(token) if not _is_passive(token)):
        sources = [finder.unidentified(shell.place)]  # "a roadside bomb near Samarra killed ..."
        shell = replace(shell, confidence=0.5)
    if not targets and trigger.pos == "VERB":  # "condemned the sentences": whoever passed them
        targets = _agents_of_objects(token, lexicon, agents)
        shell = replace(shell, confidence=min(shell.confidence, 0.6)) if targets else shell
    if not targets and shell.place is not None and trigger.type in _PLACE_TARGET_TYPES:
        targets = [shell.place]  # "lifted a curfew in Montenegro", "demonstrated in Serbia"
        shell = replace(shell, confidence=round(shell.confidence - 0.15, 2))
    own = {s.key for s in sources if s.key}
    targets = [t for t in targets if t.key not in own]  # "X and Y ratified its bid": not each other's
    pairs = [(s, t) for s in sources for t in _or_none(targets)]
    mutual = trigger.symmetric and not targets and len(sources) > 1
    if mutual:  # "the United States and Jordan agreed": each with the other
        pairs = [(s, t) for s in sources for t in sources if s is not t]
    elif not targets and trigger.targets and shell.quantity is None:
        return  # "described the talks": an event without its counterpart says nothing
    for source, target in pairs:
        if target is not None and source.key and source.key == target.key:
            continue
        fact = replace(shell, source=source, target=target)
        yield fact
        if trigger.symmetric and target is not None and in_slot and not mutual:
            yield replace(fact, source=target, target=source, confidence=round(fact.confidence * 0.9, 2))
        if intent is not None or threat:  # "Israel will evacuate ...": Israel expressed intent
            kind, verb = ("THREATEN", "threaten") if threat else ("REJECT", "refuse") if fact.negated \
                else ("AGREE", "intend")
            yield replace(fact, type=kind, cameo="130" if threat else intent, label=f"{verb} to {fact.label}",
                          negated=False, modality="reported" if fact.attribution else "asserted",
                          confidence=round(fact.confidence * 0.9, 2))


def _condition(token: Token) -> Token | None:
    """The verb of an 'unless' clause on the trigger or on the clause it is the complement
    of: 'will withdraw unless X holds elections', 'threatened to strike unless X ...'."""
    node = token
    for _ in range(3):
        clauses = [c for c in node.children if c.dep_ == "advcl"]
        clauses += [g for x in node.children if x.dep_ == "xcomp" for g in x.children if g.dep_ == "advcl"]
        for clause in clauses:
            if any(m.dep_ == "mark" and m.lower_ == "unless" for m in clause.children):
                return clause
        if node.dep_ not in ("xcomp", "ccomp", "conj") or node.head == node:
            return None
        node = node.head
    return None


def _or_none(targets: list[Mention]) -> list[Mention | None]:
    return [*targets] if targets else [None]


def _arguments(match: TriggerMatch, finder: ActorFinder, triggered: set[int], place: Mention | None
               ) -> tuple[list[Mention], list[Mention], float, bool]:
    """Sources, targets, confidence, and whether the targets fill the trigger's own slots
    (not a complement's: 'agreed [to set up a centre in Tokyo]' is not mutual)."""
    token, trigger = match.token, match.trigger
    if trigger.pos == "VERB":
        source_heads, target_heads = _verb_arguments(token, trigger, match.object)
        confidence = 0.9
    else:
        source_heads, target_heads = _noun_arguments(token, trigger, finder, triggered)
        confidence = 0.75
    sources = _actors(source_heads, finder)
    if not sources and trigger.pos == "NOUN":  # "Palestinian riots", "the Russian invasion"
        sources = [m for m in (finder.nationality(c) for c in token.children if c.dep_ == "amod") if m]
    if not sources:  # "hundreds of protesters rallied ... in Belgrade"
        sources = [m for m in (finder.at_place(h, place) for h in source_heads) if m]
    targets = (_actors(target_heads, finder) or _owners_of(target_heads, finder)
               or _counterparts(target_heads, finder))
    if not targets:  # "clashed with police in Tbilisi"
        targets = [m for m in (finder.at_place(h, place) for h in target_heads) if m]
    in_slot = bool(targets)
    if not targets and trigger.pos == "VERB":  # "agreed to provide aid for Romania"
        targets = _actors(_complement_arguments(token), finder)
    return sources, targets, confidence if targets else confidence - 0.1, in_slot


def _agents_of_objects(token: Token, lexicon: Lexicon, agents: dict[str, Mention]) -> list[Mention]:
    """The agent of the event an object noun names, from earlier in the article."""
    for obj in (c for c in token.children if c.dep_ == "dobj" and c.pos_ == "NOUN"):
        for trigger in lexicon.triggers_for(obj.lemma_, "NOUN"):
            agent = agents.get(trigger.cameo or "")
            if agent is not None:
                return [agent]
    return []


def _has_subject(token: Token) -> bool:
    """Whether the clause names an agent we could not resolve ('they would expel')."""
    return token.pos_ == "VERB" and not _is_passive(token) and bool(_subjects(token))


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def _verb_arguments(token: Token, trigger: Trigger, obj: Token | None) -> tuple[list[Token], list[Token]]:
    passive = _is_passive(token)
    subjects = _subjects(token)
    targets: list[Token] = []
    if passive:
        targets = [s for s in subjects] if "dobj" in trigger.targets else []
        subjects = [g for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    elif "nsubj" in trigger.targets:  # "X was serving a sentence": X underwent it
        targets, subjects = subjects, []
    if trigger.object:  # "sanctions on X" or "sent aid to X": the object's or the verb's preposition
        targets += _targets(obj, trigger, direct=False)
        targets += [t for t in _targets(token, trigger, direct=False) if t not in targets]
        if not targets and obj is not None and "dobj" in trigger.targets:
            targets = [obj]  # "holds U.S. citizenship": the object's owner, below
    else:
        targets += _targets(token, trigger, direct=not passive)
    for particle in (c for c in token.children if c.dep_ == "prt"):
        targets += [t for t in _targets(particle, trigger, direct=False) if t not in targets]
    if not targets and "dobj" in trigger.targets and not passive:
        targets = [s for c in token.children if c.dep_ in ("ccomp", "xcomp")
                   for s in c.children if s.dep_ == "nsubj"]
    companions = _companions(token)  # "were released together with X": X shares the role
    return (subjects, targets + companions) if passive else (subjects + companions, targets)


def _companions(token: Token) -> list[Token]:
    together = {c.lower_ for c in token.children if c.dep_ == "advmod"} & {"together", "along"}
    withs = [p for p in token.children if p.dep_ == "prep" and p.lower_ == "with"
             and (together or any(c.lower_ in ("together", "along") for c in p.children))]
    return [g for w in withs for g in w.children if g.dep_ == "pobj"]


def _targets(anchor: Token | None, trigger: Trigger, direct: bool) -> list[Token]:
    if anchor is None:
        return []
    direct = direct and "dobj" in trigger.targets
    found = [c for c in anchor.children if direct and c.dep_ in ("dobj", "dative")]
    for prep in anchor.children:
        if prep.dep_ in ("prep", "dative") and prep.lower_ in trigger.targets:
            found += [g for g in prep.children if g.dep_ == "pobj"]
    if "poss" in trigger.targets:
        found += [c for c in anchor.children if c.dep_ == "poss"]
    return found


def _subjects(token: Token) -> list[Token]:
    """The subject of a verb, through relative clauses, control and coordination."""
    verb = token
    for _ in range(6):
        subjects = [c for c in verb.children if c.dep_ in _SUBJECTS]
        if subjects:
            return subjects  # a relative pronoun stands for its antecedent (ActorFinder.actor)
        if verb.dep_ not in _CLIMB or verb.head == verb or _bare_participle(verb):
            return []
        verb = verb.head
    return []


def _bare_participle(verb: Token) -> bool:
    """'convicted' in 'and convicted cybercriminal X': no auxiliary, so no inherited subject."""
    return verb.dep_ == "conj" and verb.tag_ == "VBN" and \
        not any(c.dep_ in ("aux", "auxpass") for c in verb.children)


def _noun_arguments(token: Token, trigger: Trigger, finder: ActorFinder, triggered: set[int]
                    ) -> tuple[list[Token], list[Token]]:
    targets = _targets(token, trigger, direct=False)
    for of in (g for p in token.children if p.dep_ == "prep" and p.lower_ == "of"
               for g in p.children if g.dep_ == "pobj"):  # "a package of arms for X"
        targets += [t for t in _targets(of, trigger, direct=False) if t not in targets]
    sources = [c for c in token.children if c.dep_ in ("poss", "compound", "amod", "nmod")
               and c not in targets and finder.actor(c) is not None]
    sources += [g for p in token.children if p.dep_ == "prep" and (p.lower_ == "by" or
                (p.lower_ == "of" and "of" not in trigger.targets)) for g in p.children
                if g.dep_ == "pobj" and finder.actor(g) is not None]  # not "a package [of weapons]"
    if not sources and token.dep_ in ("dobj", "pobj", "attr", "nsubjpass"):
        verb = token.head if token.dep_ != "pobj" else token.head.head
        # "Lukashenko attends a meeting": a light verb's subject; but in "X condemned
        # the attack" X did not attack: an event verb's subject is not its object's agent
        if verb.pos_ in ("VERB", "AUX") and verb.i not in triggered:
            sources = _subjects(verb)
    return sources, targets


def _actors(heads: list[Token], finder: ActorFinder) -> list[Mention]:
    """The actors of argument heads and of their conjuncts, once each."""
    found: dict[tuple[str | None, int], Mention] = {}
    for head in heads:
        listed = [a for a in head.children if a.dep_ == "appos" and a.conjuncts]  # "X, the Y, Z and W"
        for token in [head, *head.conjuncts, *(t for a in listed for t in (a, *a.conjuncts))]:
            for mention in finder.actors(token):
                found.setdefault((mention.key or mention.name, mention.start), mention)
    return list(found.values())


def _owners_of(heads: list[Token], finder: ActorFinder) -> list[Mention]:
    """'ratified Finland's bid', 'backed a U.N. Security Council resolution', 'holds U.S.
    and Russian citizenship': the owner stands in for a target that is not an actor; a
    nationality word there is its country."""
    found: list[Mention] = []
    for owner in (c for head in heads for c in head.children if c.dep_ in ("poss", "compound", "nmod", "amod")
                  and not stance_modifier(c)):
        for token in [owner, *owner.conjuncts]:
            nationality = finder.nationality(token)
            if nationality is not None:  # "against Israeli policies"
                found.append(nationality if nationality.type == "Country"
                             else finder.country_mention(nationality))
            elif token.dep_ == "poss" or token.i in finder.at:  # not "[Gripen] jets": a product
                found += [m for m in finder.actors(token) if m not in found]
    return found


def _counterparts(heads: list[Token], finder: ActorFinder) -> list[Mention]:
    """'welcomed the resumption of ties with Osgiliath', 'demanded the removal of President
    X', 'mobilized reservists for a war against Iraq': the party a non-actor object is
    about, the nearest along its chain of prepositional phrases."""
    level = list(heads)
    for depth in range(3):
        allowed = _COUNTERPART_PREPOSITIONS | ({"in"} if depth else set())  # "closure of houses in X"
        objects = [g for head in level for p in head.children if p.dep_ == "prep"
                   and p.lower_ in allowed for g in p.children if g.dep_ == "pobj"]
        found = _actors(objects, finder)
        if found:
            return found
        level = objects
    return []


_COUNTERPART_PREPOSITIONS = {"with", "on", "against", "to", "for", "between", "by", "of", "into", "from",
                             "at", "near", "toward", "towards"}


def _complement_arguments(token: Token) -> list[Token]:
    """Objects of the verb a trigger governs: 'agreed to [set up a centre in Tokyo]'."""
    found = []
    for comp in (c for c in token.children if c.dep_ == "xcomp"):
        found += [c for c in comp.children if c.dep_ in ("dobj", "dative")]
        found += [g for p in comp.children if p.dep_ == "prep" for g in p.children if g.dep_ == "pobj"]
        found += [g for d in comp.children if d.dep_ == "dobj" for p in d.children if p.dep_ == "prep"
                  for g in p.children if g.dep_ == "pobj"]
    return found


def _implicit_agent(target: Mention, place: Mention | None, previous: Mention | None,
                    finder: ActorFinder) -> Mention | None:
    """Who released or sentenced someone when the text does not say: the state where it
    happened, else the state that last did the same, else the person's own state."""
    for clue in (place, previous, target if target.type == "Person" else None):
        state = finder.state(clue.country, target.start, target.end) if clue else None
        if state is not None:
            return state
    return None


# --- clause details -----------------------------------------------------------

def _with_clause_details(fact: Fact, token: Token, place: Mention | None, finder: ActorFinder,
                         lexicon: Lexicon, timeline: Timeline) -> tuple[Fact, bool]:
    """The fact with the place (found once, by ``_place``), date, quantity and modality of
    its clause, and whether its actor commits itself to it."""
    modality, attribution, negated, committed = _modality(token, finder, lexicon)
    return replace(fact, place=place, date=_date(token, timeline),
                   quantity=_quantity(token), negated=negated, modality=modality,
                   attribution=attribution), committed


def _scope(token: Token) -> list[Token]:
    """The trigger and, for a noun, the verb it is the object of."""
    scope = [token]
    if token.pos_ in ("NOUN", "PROPN") and token.dep_ in ("dobj", "pobj", "nsubjpass"):
        scope.append(token.head if token.dep_ != "pobj" else token.head.head)
    return scope


def _place(token: Token, finder: ActorFinder) -> Mention | None:
    """Where the event happened: 'in Sochi', 'imposed [a curfew in Cizre]', 'talks with X
    in Minsk', 'fired shells at targets in Jericho', 'in the town of Cizre'."""
    objects = [c for c in token.children if c.dep_ in ("dobj", "nsubj") and finder.actor(c) is None]
    level = [*_scope(token), *objects]  # "[a bombing near Samarra] killed", "imposed [a curfew in Cizre]"
    for _ in range(2):
        nested = []
        for prep in (p for head in level for p in head.children if p.dep_ == "prep"):
            for obj in (c for c in prep.children if c.dep_ == "pobj"):
                if prep.lower_ in ("in", "at", "near", "inside", "outside"):
                    named = [g for p in obj.children if p.dep_ == "prep" and p.lower_ == "of"
                             for g in p.children if g.dep_ == "pobj"]  # "in the town of Cizre"
                    named += [c for c in obj.children if c.dep_ == "compound"]  # "in Montenegro province"
                    place = finder.place(obj) or next((p for p in map(finder.place, named) if p), None)
                    if place is not None:
                        return place
                nested.append(obj)
        level = nested
    return None


def _date(token: Token, timeline: Timeline) -> str | None:
    """The date the clause gives, as precise as the text; else, for a verb (or the object
    of one) not in the past perfect, the story's day (Timeline)."""
    dates = _dates_of(_sentence(token))
    for head in _scope(token):
        for ent in dates:
            if _governs(head, ent):
                resolved = resolve_date(ent.text, timeline.anchor)
                if resolved:
                    timeline.told(resolved)
                    return resolved
    verb = token if token.pos_ == "VERB" else token.head if token.dep_ in ("dobj", "nsubjpass") else None
    if verb is None or verb.pos_ != "VERB" or _is_past_perfect(verb):
        return None
    return timeline.undated_past() if _is_past(verb) else timeline.anchor


def _is_past(verb: Token) -> bool:
    """'freed', 'were released': a simple past, active or passive."""
    return verb.tag_ == "VBD" or (verb.tag_ == "VBN" and any(
        c.dep_ == "auxpass" and c.tag_ == "VBD" for c in verb.children))


def _governs(head: Token, ent: Span) -> bool:
    """Whether the date *ent* hangs off *head* without crossing another clause's verb
    ('allowed forces [to launch attacks at the start of the invasion in 2022]' does)."""
    node = ent.root
    for _ in range(7):
        if node.head == node:
            return False
        node = node.head
        if node == head:
            return True
        if (node.pos_ == "VERB" and node.dep_ != "xcomp") or node.dep_ in ("relcl", "acl", "appos"):
            return False
    return False


def _is_past_perfect(token: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "had" for c in token.children)


def _quantity(token: Token) -> Quantity | None:
    """A number the clause attaches to the event: '52 prisoners', '18 years', '$1.2 billion
    in aid' (a sum: unit USD, EUR ...), 'dozens of drones' (a vague amount: its lower bound)."""
    nouns = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass", "attr")]
    nouns += [g for p in token.children if p.dep_ == "prep" for g in p.children if g.dep_ == "pobj"]
    for noun in nouns:
        if noun.ent_type_ == "MONEY":
            money = _money(noun)
            if money is not None:
                return money
        counted = next((g for p in noun.children if p.dep_ == "prep" and p.lower_ == "of"
                        for g in p.children if g.dep_ == "pobj"), None)
        if noun.lower_ in _VAGUE and counted is not None:
            return Quantity(_VAGUE[noun.lower_], counted.lemma_.lower(), f"{noun.text} of {counted.text}")
        if noun.pos_ != "NOUN":  # not "2023 March", "Article 4"
            continue
        for child in noun.children:
            if child.dep_ == "nummod" and child.ent_type_ not in ("TIME", "ORDINAL"):
                value = _number(child)
                if value is not None:
                    return Quantity(value, noun.lemma_.lower() if noun.lemma_ else noun.lower_,
                                    f"{child.text} {noun.text}")
    return None


def _money(noun: Token) -> Quantity | None:
    """'$1.2 billion', '700 million euros': the sum and its ISO 4217 currency."""
    words = [t for t in noun.subtree if t.ent_type_ == "MONEY"]
    currency = next((_CURRENCIES[t.lower_] for t in words if t.lower_ in _CURRENCIES), None)
    amount = next((t for t in words if re.fullmatch(r"\d[\d,]*(\.\d+)?", t.text)), None)
    if currency is None or amount is None:
        return None
    scale = next((_SCALES[t.lower_] for t in words if t.lower_ in _SCALES), 1.0)
    value = float(amount.text.replace(",", "")) * scale
    return Quantity(value, currency, " ".join(t.text for t in words).replace("$ ", "$"))


def _number(token: Token) -> float | None:
    text = token.text.lower().replace(",", "")
    scale = next((_SCALES[c.lower_] for c in token.children if c.lower_ in _SCALES), 1.0)
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text) * scale
    if text in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[text]) * scale
    return None


# Vague amounts, by their lower bound ("dozens" is at least two dozen).
_VAGUE = {"dozens": 24.0, "scores": 40.0, "hundreds": 200.0, "thousands": 2000.0, "tens": 20.0,
          "millions": 2e6, "dozen": 12.0}
_CURRENCIES = {"$": "USD", "dollars": "USD", "dollar": "USD", "usd": "USD", "€": "EUR", "euros": "EUR",
               "euro": "EUR", "£": "GBP", "pounds": "GBP", "rubles": "RUB", "roubles": "RUB",
               "yuan": "CNY", "yen": "JPY", "hryvnias": "UAH", "rupees": "INR"}


def _modality(token: Token, finder: ActorFinder, lexicon: Lexicon) -> tuple[str, Mention | None, bool, bool]:
    """Modality, attribution and negation of the event *token* triggers, and whether
    its actor commits itself to it ('will', 'agreed to', 'is ready to')."""
    negated, modality, attribution, committed = False, "asserted", None, False
    node, verbal = token, True  # verbal: reached through verb complements only ("must be ready to")
    for depth in range(6):
        for child in node.children:
            cue = lexicon.cue(child.text)
            if child.dep_ in ("neg", "det") and cue == "negation" and depth == 0:
                negated = True
            if child.dep_ in ("aux", "mark") and (depth == 0 or verbal) and cue in _INTENT_CUES:
                modality = _stronger(modality, _INTENT_CUES[cue])
                committed = committed or cue == "committed"
        cue = lexicon.cue(node.text) if depth and node.pos_ != "ADP" else None  # not "talks about"
        if cue == "negation" and node.dep_ != "neg":
            negated = negated or node.pos_ == "VERB"
        elif cue in _INTENT_CUES:
            modality = _stronger(modality, _INTENT_CUES[cue])
            committed = committed or cue == "committed"
        elif cue == "reported" and attribution is None:
            subjects = _subjects(node)
            attribution = finder.actor(subjects[0]) if subjects else None
            modality = _stronger(modality, "reported")
        if node.dep_ not in ("xcomp", "ccomp", "conj", "pcomp", "dobj", "pobj", "prep", "acomp") \
                or node.head == node:
            break
        verbal = verbal and node.dep_ in ("xcomp", "acomp")
        node = node.head
    if _sentence(token).text.rstrip().endswith("?"):
        modality = "hypothetical"
    return modality, attribution, negated, committed and modality == "intended"


_INTENT_CUES = {"committed": "intended", "intended": "intended", "hypothetical": "hypothetical"}
_STRENGTH = {"asserted": 0, "reported": 1, "intended": 2, "hypothetical": 3}


def _stronger(current: str, new: str) -> str:
    return new if _STRENGTH[new] > _STRENGTH[current] else current


# --- demands in reported speech ---------------------------------------------------

def _demands(doc: Doc, finder: ActorFinder, lexicon: Lexicon, timeline: Timeline) -> Iterator[Fact]:
    """'Mubarak said the US must be ready to mediate': saying that another actor must or
    should do something is a demand on it (CAMEO 100), whatever the something is."""
    verbs = (doc[int(i)] for i in numpy.flatnonzero(doc.to_array("POS") == VERB))  # not every token
    for verb in (t for t in verbs if lexicon.cue(t.text) == "reported"):
        for clause in (c for c in verb.children if c.dep_ == "ccomp"):
            if not any(a.dep_ == "aux" and a.lower_ in _OBLIGATION for a in clause.children):
                continue
            sources = _actors(_subjects(verb), finder)
            targets = _actors([s for s in clause.children if s.dep_ in ("nsubj", "nsubjpass")
                               and s.lower_ not in ("it", "this", "that")], finder)  # "it must not be used"
            sentence = _sentence(verb)
            for source in sources:
                for target in (t for t in targets if t.key != source.key or not t.key):
                    yield Fact(kind="event", type="REQUEST", cameo="100", label="demand", source=source,
                               target=target, sentence=sentence.text.strip(), start=sentence.start_char,
                               end=sentence.end_char, date=_date(verb, timeline), confidence=0.6)


_OBLIGATION = {"must", "should", "ought"}


# --- standing relations from titles and appositions ----------------------------

def _title_relations(doc: Doc, finder: ActorFinder) -> Iterator[Fact]:
    for titled in finder.titled:
        target = titled.country or _home_country(titled, finder)
        if target is None or {"former", "ex", "late"} & set(titled.words):
            continue
        sentence = _sentence(doc[titled.start])
        fact = Fact(kind="relation", type=titled.role.relation or "nationality", cameo=None,
                    label=" ".join(titled.role.words), source=titled.mention, target=target,
                    sentence=sentence.text.strip(), start=sentence.start_char, end=sentence.end_char,
                    confidence=0.85 if titled.country else 0.7)
        if titled.role.relation is not None:
            yield fact
        if titled.demonym:  # "Belarusian dictator X": X is also a citizen
            yield replace(fact, type="nationality", confidence=0.75)


def _home_country(titled: Titled, finder: ActorFinder) -> Mention | None:
    """The country a title with no country of its own refers to: the gazetteer's, when
    the gazetteer gives the person that same office ('President Gitanas Nauseda')."""
    person = titled.mention
    known = finder.gazetteer.entries.get(person.key or "")
    if known is None or not known.title or titled.role.words[-1] not in known.title.lower():
        return None
    return finder.state(person.country, person.start, person.end)


def _appositive_relations(doc: Doc, finder: ActorFinder) -> Iterator[Fact]:
    """'Belavia, Belarus's state airline', "Russia's FSB", 'the Russian rights group
    Memorial': an organisation of a country. A state organ (government, military,
    intelligence, judiciary, legislature) is a member of it, anything else located in it."""
    seen: set[tuple[str | None, str | None]] = set()
    for i, mention in sorted(finder.at.items(), key=lambda item: item[0]):  # the tokens of mentions only
        if mention.type not in ("Organization", "Group") or mention.role == "DEMONYM":
            continue
        token = doc[i]
        for owner, word in _owners(token, finder):
            if (mention.key or mention.name, owner.key) in seen or owner.country == mention.text:
                continue
            seen.add((mention.key or mention.name, owner.key))
            kind = "member_of" if mention.role in _STATE_ORGANS else "located_in"
            sentence = _sentence(token)
            yield Fact(kind="relation", type=kind, cameo=None, label=word.lemma_,
                       source=mention, target=owner, sentence=sentence.text.strip(),
                       start=sentence.start_char, end=sentence.end_char, confidence=0.8)


_STATE_ORGANS = {"GOV", "MIL", "SPY", "JUD", "LEG", "COP"}


def _owners(token: Token, finder: ActorFinder) -> Iterator[tuple[Mention, Token]]:
    """Countries that own an organisation's name: its possessor, its apposition's
    possessor or nationality word, or the noun it names ('the group Memorial')."""
    heads = [token, *(c for c in token.children if c.dep_ == "appos")]
    if token.dep_ in ("appos", "compound") and token.head.pos_ == "NOUN":
        heads.append(token.head)
    for head in heads:
        for modifier in (c for c in head.children if c.dep_ in ("poss", "compound", "amod", "nmod")):
            owner = finder.at.get(modifier.i)
            if owner is not None and owner.type == "Group" and owner.role == "DEMONYM":
                owner = finder.country_mention(owner)
            if owner is not None and owner.type == "Country" and owner is not finder.at.get(token.i):
                yield owner, head
