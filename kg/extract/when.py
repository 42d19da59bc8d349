"""Time expressions -> ISO dates at the precision the text gives.

"Sept. 15, 2023" -> 2023-09-15, "in July" -> 2025-07, "in 2022" -> 2022,
"last month" -> 2025-08: resolved against the article's date by dateparser,
which returns a full date and the period it is sure of (day, month, year).
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from dateparser.date import DateDataParser

__all__ = ["resolve_date"]

_DURATION = re.compile(r"^\s*(about |some |nearly |almost |more than )?"
                       r"(\d[\d,.]*|a|an|one|two|three|four|five|six|"
                       r"seven|eight|nine|ten|several|many|few|a few)[\s-]+(years?|months?|weeks?|days?|"
                       r"hours?|decades?)\b|\d0s\b", re.I)
_SPAN_TAIL = re.compile(r"\s+(?:to|for)(?:\s+|$)", re.I)
_PART_OF_DAY = re.compile(r"^\s*(?:late|early)\s+(?:on\s+)?|\s+(?:morning|afternoon|evening|night)\s*$",
                          re.I)  # "late on Thursday", "Thursday evening": the day
_LAST_YEAR = re.compile(r"\blast year\b", re.I)
_NEXT_YEAR = re.compile(r"\bnext year\b", re.I)
_WEEKDAY = re.compile(r"^\s*(?:on )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s*$", re.I)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_RELATIVE_DAY = re.compile(r"^\s*(today|yesterday)\s*$", re.I)
_RELATIVE_PERIOD = re.compile(r"^\s*(last|this|next)\s+(week|month)(?:'s|’s)?\s*$", re.I)
_YEAR_ONLY = re.compile(r"^\s*(?:in |since |from |until )?(\d{4})s?\s*$")
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTH = (r"(jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?|aug(?:ust|\.)?|"
          r"sep(?:tember|t\.?|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?)")
_MONTH_DATE = re.compile(rf"^\s*{_MONTH}(?:\s+(\d{{1,2}}))?(?:,?\s+(\d{{4}}))?\s*$", re.I)
_DAY_MONTH_YEAR = re.compile(rf"^\s*(\d{{1,2}})\s+{_MONTH}\s+(\d{{4}})\s*$", re.I)


@functools.lru_cache(maxsize=64)
def _parser(anchor: str) -> DateDataParser:
    base = dt.datetime.fromisoformat(anchor)
    return DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": False})


@functools.lru_cache(maxsize=4096)
def resolve_date(text: str, anchor: str | None) -> str | None:
    """The date *text* names, relative to the article date *anchor* (YYYY-MM-DD)."""
    text = _SPAN_TAIL.split(text)[0]  # "last month to 16 years": the date, not the term
    text = _PART_OF_DAY.sub("", text) or text
    if anchor is None or _DURATION.search(text) or re.fullmatch(r"\s*\d{1,3}\s*", text):
        return None  # "18 years" is a duration, "32" an age
    year = dt.date.fromisoformat(anchor).year
    text = _LAST_YEAR.sub(str(year - 1), _NEXT_YEAR.sub(str(year + 1), text))
    only_year = _YEAR_ONLY.match(text)
    if only_year:
        return str(only_year.group(1))
    return _direct_date(text, dt.date.fromisoformat(anchor)) or _dateparser_date(text, anchor)


def _direct_date(text: str, day: dt.date) -> str | None:
    """The forms resolved without dateparser, to its answers (tests/test_extract.py compares
    them): a weekday, today, yesterday, last/this/next week or month, a month's name."""
    weekday = _WEEKDAY.match(text)
    if weekday:  # "on Monday": the last Monday up to the article's day
        back = (day.weekday() - _WEEKDAYS.index(weekday.group(1).lower())) % 7
        return (day - dt.timedelta(days=back)).isoformat()
    relative = _RELATIVE_DAY.match(text)
    if relative:
        return (day - dt.timedelta(days=relative.group(1).lower() == "yesterday")).isoformat()
    period = _RELATIVE_PERIOD.match(text)
    if period:  # "last week": the day a week before; "last month": the month before
        step = {"last": -1, "this": 0, "next": 1}[period.group(1).lower()]
        if period.group(2).lower() == "week":
            return (day + dt.timedelta(weeks=step)).isoformat()
        month = day.year * 12 + day.month - 1 + step
        return f"{month // 12:04d}-{month % 12 + 1:02d}"
    return _month_date(text, day)


def _dateparser_date(text: str, anchor: str) -> str | None:
    """The date dateparser reads in *text*, at the precision it is sure of."""
    data = _parser(anchor).get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    when: dt.date = data.date_obj.date()
    if data.period == "year":
        return f"{when.year:04d}"
    if data.period == "month":
        return f"{when.year:04d}-{when.month:02d}"
    return when.isoformat()


def _month_date(text: str, anchor: dt.date) -> str | None:
    """'July', 'July 2023', 'Sept. 15', 'Sept. 15, 2023', '15 September 2023': the month or day,
    in the last twelve months up to *anchor* when the year is not given (dateparser's answers,
    without its cost: tests/test_extract.py compares them). None for any other text."""
    match = _MONTH_DATE.match(text)
    if match:
        name, day, year = match.groups()
    else:
        match = _DAY_MONTH_YEAR.match(text)
        if match is None:
            return None
        day, name, year = match.groups()
    month = _MONTHS.index(name[:3].lower()) + 1
    if day is None:
        year = year or str(anchor.year - (month > anchor.month))
        return f"{int(year):04d}-{month:02d}"
    if year is None:
        year = str(anchor.year - ((month, int(day)) > (anchor.month, anchor.day)))
    try:
        return dt.date(int(year), month, int(day)).isoformat()
    except ValueError:
        return None
