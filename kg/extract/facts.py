"""The extract stage's output: mentions of actors and candidate facts.

These frozen dataclasses are what leaves the extractor; no spaCy object
crosses the stage boundary. Offsets are characters of ``Article.text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Extraction", "Fact", "Mention", "Quantity"]


@dataclass(frozen=True)
class Mention:
    """An actor as named in the text: "Cole", "the envoy", "Washington"."""

    text: str
    type: str                      # Person, Organization, Country, Place, Group
    start: int
    end: int
    key: str | None = None         # gazetteer key when known: country/BLR, person/...
    name: str | None = None        # the fullest name seen for it in the article
    country: str | None = None     # ISO3
    role: str | None = None        # CAMEO actor role: GOV, MIL, OPP ...


@dataclass(frozen=True)
class Quantity:
    """A number attached to an event: 52 prisoners, 18 years, 61e9 USD."""

    value: float
    unit: str
    text: str


@dataclass(frozen=True)
class Fact:
    """An event or standing relation found in one sentence."""

    kind: str                      # event | relation
    type: str                      # PLOVER root, or leader_of, member_of ...
    cameo: str | None
    label: str                     # the trigger: "meet", "release", "president"
    source: Mention
    target: Mention | None
    sentence: str
    start: int                     # sentence offsets in the article text
    end: int
    place: Mention | None = None
    date: str | None = None        # YYYY-MM-DD, YYYY-MM or YYYY
    quantity: Quantity | None = None
    negated: bool = False
    modality: str = "asserted"     # asserted | intended | hypothetical | reported
    attribution: Mention | None = None
    confidence: float = 0.5


@dataclass(frozen=True)
class Extraction:
    """Everything found in one article."""

    article_id: str
    mentions: tuple[Mention, ...] = ()
    facts: tuple[Fact, ...] = field(default=())
