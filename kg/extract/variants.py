"""Person names -> the gazetteer person whose name is a transliteration variant.

The entity ruler matches the names and aliases the gazetteer lists. A person
named otherwise ("Tsikhanovsky", "Volodymyr Zelenskij") is found here, for
PERSON entities the ruler did not match. Both names are first folded to a
rough Latin skeleton that erases the usual differences between
transliterations of Slavic names (kh/h, ts/t, w/v, ou/ov, the -iy/-yy/-yi/-ij
endings, doubled letters), then compared with rapidfuzz's normalised Indel
similarity (the ratio of ``fuzz.ratio``, on 0..1).

The match is conservative, because a wrong merge is worse than a missed one:
  - the surname skeletons are equal, or at least ``THRESHOLD`` similar and both
    at least ``MIN_LENGTH`` letters long ("Zelenko" is not "Zelensky");
  - a feminine -a ending on one side only is a different person
    ("Tsikhanouskaya" is not "Tsikhanouski");
  - the first name, when given, is compatible with a first name of the entry
    (same skeleton, similar, or an initial): "Oleg Zelenskii" is nobody known;
  - exactly one gazetteer person qualifies.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from rapidfuzz import process
from rapidfuzz.distance import Indel

from kg.extract.gazetteer import Entry, Gazetteer

__all__ = ["MIN_LENGTH", "THRESHOLD", "find_variant", "fold_name", "name_similarity", "names_compatible"]

THRESHOLD = 0.92   # normalised Indel similarity of two surname skeletons
MIN_LENGTH = 7     # below this, only equal skeletons match
_FIRST_NAME_THRESHOLD = 0.8

_RULES = [(re.compile(pattern), replacement) for pattern, replacement in (
    (r"[^a-z]", ""), (r"kh", "h"), (r"t[sz]", "t"), (r"w", "v"), (r"j", "y"), (r"ou", "ov"),
    (r"ia", "ya"), (r"(iy|yy|yi|ij|ii|i)$", "y"), (r"(.)\1", r"\1"),
)]


@functools.lru_cache(maxsize=65536)
def fold_name(name: str) -> str:
    """A rough Latin skeleton of a name, the same for its usual transliterations."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def name_similarity(first: str, second: str) -> float:
    """How alike two surnames are, 0..1, after folding; 0 where the rules above forbid a match."""
    a, b = fold_name(first), fold_name(second)
    if not a or not b or a.endswith("a") != b.endswith("a"):
        return 0.0
    if a == b:
        return 1.0
    score = Indel.normalized_similarity(a, b)
    return score if min(len(a), len(b)) >= MIN_LENGTH else 0.0


def names_compatible(given: list[str], others: list[list[str]]) -> bool:
    """Whether first names *given* ("V.", "Volodymyr") fit any of *others*; none given fits all."""
    if not given:
        return True
    first = given[0].rstrip(".")
    for other in others:
        if not other:
            continue
        if len(first) == 1:
            if fold_name(other[0])[:1] == fold_name(first)[:1]:
                return True
        elif Indel.normalized_similarity(fold_name(first), fold_name(other[0])) >= _FIRST_NAME_THRESHOLD:
            return True
    return False


@functools.lru_cache(maxsize=4096)
def find_variant(gazetteer: Gazetteer, name: str) -> Entry | None:
    """The one gazetteer person *name* is a transliteration variant of, if any.

    Cached: the fuzzy search scores every surname, and names recur from article to article."""
    words = name.replace("’", "'").removesuffix("'s").split()
    if not words or not words[-1][:1].isupper():
        return None
    index = _index(gazetteer)
    surname = fold_name(words[-1])
    candidates = index.get(surname, set()) | {
        key for match, score, _ in process.extract(surname, list(index), scorer=_scorer, limit=None,
                                                   score_cutoff=THRESHOLD)
        for key in index[match] if score >= THRESHOLD}
    found = [gazetteer.entries[key] for key in sorted(candidates)
             if name_similarity(words[-1], _surname_near(gazetteer.entries[key], words[-1])) >= THRESHOLD
             and names_compatible(words[:-1], _given_names(gazetteer.entries[key]))]
    return found[0] if len(found) == 1 else None


def _scorer(a: str, b: str, **_: object) -> float:
    """Indel similarity of two skeletons under the rules of ``name_similarity``."""
    if a.endswith("a") != b.endswith("a"):
        return 0.0
    if a == b:
        return 1.0
    return Indel.normalized_similarity(a, b) if min(len(a), len(b)) >= MIN_LENGTH else 0.0


def _forms(entry: Entry) -> list[list[str]]:
    return [form.split() for form in (entry.name, *entry.aliases)]


def _surname_near(entry: Entry, surname: str) -> str:
    """The surname among an entry's forms most like *surname*."""
    return max((form[-1] for form in _forms(entry) if form), key=lambda s: name_similarity(s, surname))


def _given_names(entry: Entry) -> list[list[str]]:
    return [form[:-1] for form in _forms(entry) if len(form) > 1]


@functools.cache
def _index(gazetteer: Gazetteer) -> dict[str, set[str]]:
    """Surname skeleton -> keys of the people whose name or an alias ends with it."""
    index: dict[str, set[str]] = {}
    for entry in gazetteer.entries.values():
        if entry.type == "Person":
            for form in _forms(entry):
                if form:
                    index.setdefault(fold_name(form[-1]), set()).add(entry.key)
    return index
