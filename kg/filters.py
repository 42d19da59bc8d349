"""User choices -> FactFilter: which facts an analysis keeps.

One filter serves the event table and the networks, so that a notebook's
table and its graph show the same facts. A date of month or year precision
("2025-09", "2025") stands for the whole month or year: a fact is kept when
that interval overlaps the range asked for, and a fact without a date is left
out as soon as a range is asked for.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kg.errors import QueryError
from kg.ontology import RELATION_PREDICATES
from kg.taxonomy import plover_labels

__all__ = ["FactFilter", "date_interval", "fact_filter"]

_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_ISO3 = re.compile(r"[A-Z]{3}")
DateLike = str | dt.date | None


@dataclass(frozen=True, kw_only=True)
class FactFilter:
    """Facts in a date range, of some types, involving some countries, confident enough."""

    since: dt.date | None = None
    until: dt.date | None = None
    types: frozenset[str] | None = None
    countries: frozenset[str] | None = None
    min_confidence: float = 0.0

    def keep(self, fact: Mapping[str, object]) -> bool:
        """Whether *fact* (an event-table row or a network fact) passes."""
        confidence = fact.get("confidence")
        countries = {fact.get("source_country"), fact.get("target_country")}
        return (float(confidence if isinstance(confidence, int | float) else 0) >= self.min_confidence
                and (self.types is None or fact.get("type") in self.types)
                and (self.countries is None or bool(countries & self.countries))
                and self._in_range(fact.get("date")))

    def _in_range(self, date: object) -> bool:
        if self.since is None and self.until is None:
            return True
        interval = date_interval(date) if isinstance(date, str) else None
        if interval is None:
            return False
        return ((self.since is None or interval[1] >= self.since)
                and (self.until is None or interval[0] <= self.until))


def date_interval(value: str) -> tuple[dt.date, dt.date] | None:
    """First and last day of a day, month or year: '2025-09' -> (2025-09-01, 2025-09-30)."""
    match = _DATE.fullmatch(value.strip()[:10])
    if match is None:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    try:
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if day is None:
            return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        return dt.date(year, month, day), dt.date(year, month, day)
    except ValueError:
        return None


def fact_filter(*, since: DateLike = None, until: DateLike = None, types: Iterable[str] | None = None,
                countries: Iterable[str] | None = None, min_confidence: float = 0.0) -> FactFilter:
    """A FactFilter from what a user typed, checked; QueryError names a bad value."""
    if not 0 <= min_confidence <= 1:
        raise QueryError(f"min_confidence must be between 0 and 1, not {min_confidence}")
    return FactFilter(since=_bound(since, 0), until=_bound(until, 1),
                      types=None if types is None else frozenset(map(_type, _names(types))),
                      countries=None if countries is None else frozenset(map(_country, _names(countries))),
                      min_confidence=min_confidence)


def _names(values: Iterable[str]) -> list[str]:
    return [values] if isinstance(values, str) else list(values)


def _bound(value: DateLike, end: int) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    interval = date_interval(value) if _DATE.fullmatch(value) else None
    if interval is None:
        raise QueryError(f"bad date {value!r}; use YYYY-MM-DD, YYYY-MM or YYYY")
    return interval[end]


def _type(name: str) -> str:
    known = [*plover_labels(), *RELATION_PREDICATES]
    for candidate in (name, name.upper()):
        if candidate in known:
            return candidate
    raise QueryError(f"unknown type {name!r}; known: {', '.join(sorted(known))}")


def _country(code: str) -> str:
    if not _ISO3.fullmatch(code.upper()):
        raise QueryError(f"bad country {code!r}; use an ISO 3166-1 alpha-3 code such as BLR")
    return code.upper()
