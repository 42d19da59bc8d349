"""data/gazetteer/*.tsv -> Gazetteer: known people, organisations, places, countries.

Countries come from country_converter (names, ISO3, Gleditsch-Ward codes),
with their Correlates of War number and Wikidata id from country_codes.tsv,
which neither country_converter nor pycountry carries. Our other TSV files
add demonyms, capitals, other places, people and organisations with their
country, CAMEO role and Wikidata id. The files are
read once per process. See data/gazetteer/README.md for how to add entries.
"""

from __future__ import annotations

import csv
import functools
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.config import DATA_DIR
from kg.ontology import slug

__all__ = ["Entry", "Gazetteer", "load_gazetteer"]

logger = logging.getLogger(__name__)

# Short forms the press uses that country_converter's regexes do not take as a
# whole name ("US" is matched, "U.S." and "America" are not everywhere).
_COUNTRY_ABBREVIATIONS = {
    "USA": ("U.S.", "US", "U.S.A.", "USA", "America", "United States of America"),
    "GBR": ("U.K.", "UK", "Britain", "Great Britain"),
    "RUS": ("Russian Federation",),
    "ARE": ("UAE", "U.A.E."),
    "TUR": ("Turkey", "Turkiye"),
    "CZE": ("Czechia",),
    "PRK": ("North Korea",),
    "KOR": ("South Korea",),
    "COD": ("DR Congo", "DRC"),
}


# Where the English-language press still writes another short name than the
# one country_converter gives (its "Türkiye" stays an alias).
_COUNTRY_LABELS = {"TUR": "Turkey", "CZE": "Czech Republic"}


@dataclass(frozen=True)
class Entry:
    """A known actor: its canonical key, label, type and what we know of it."""

    key: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    role: str | None = None
    wikidata: str | None = None
    title: str | None = None
    gwcode: int | None = None  # Gleditsch-Ward state number
    cow: int | None = None     # Correlates of War state number (differs from gwcode for a few states)

    @property
    def surname(self) -> str | None:
        """The last word of a person's name, the form the press repeats."""
        return self.name.split()[-1] if self.type == "Person" and " " in self.name else None


class Gazetteer:
    """Entries by key, and look-ups by surface form."""

    def __init__(self, entries: list[Entry], demonyms: dict[str, str]) -> None:
        self.entries = {e.key: e for e in entries}
        self._demonym_forms = demonyms
        self.demonyms = {_fold(word): iso3 for word, iso3 in demonyms.items()}
        self._by_form: dict[str, str] = {}
        self._by_surname: dict[str, set[str]] = {}
        for entry in entries:
            for form in (entry.name, *entry.aliases):
                self._by_form.setdefault(_fold(form), entry.key)
            if entry.surname:
                self._by_surname.setdefault(_fold(entry.surname), set()).add(entry.key)

    def lookup(self, text: str) -> Entry | None:
        """The entry named by *text*: a name, an alias, or an unambiguous surname."""
        key = self._by_form.get(_fold(text))
        if key is None:
            keys = self._by_surname.get(_fold(text), set())
            key = next(iter(keys)) if len(keys) == 1 else None
        return self.entries.get(key) if key else None

    def country_of_demonym(self, word: str) -> str | None:
        """ISO3 of a demonym ('Belarusian', 'Poles'), or None."""
        return self.demonyms.get(_fold(word))

    def demonym_forms(self) -> Iterator[tuple[str, str]]:
        """Every (demonym as written, ISO3) pair, for the entity ruler."""
        yield from self._demonym_forms.items()

    def surname_forms(self) -> Iterator[tuple[str, str]]:
        """(surname, key) for people whose surname is theirs alone and names nothing else."""
        for folded, keys in self._by_surname.items():
            if len(keys) != 1 or folded in self._by_form or len(folded) < 4:
                continue
            entry = self.entries[next(iter(keys))]
            if entry.surname:
                yield entry.surname, entry.key

    def country(self, iso3: str) -> Entry | None:
        """The country entry of an ISO3 code."""
        return self.entries.get(f"country/{iso3}")

    def forms(self) -> Iterator[tuple[str, Entry]]:
        """Every (surface form, entry) pair, for the entity ruler."""
        for entry in self.entries.values():
            for form in dict.fromkeys((entry.name, *entry.aliases)):
                yield form, entry


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


@functools.cache
def load_gazetteer(directory: Path = DATA_DIR / "gazetteer") -> Gazetteer:
    """Read the gazetteer files and country_converter's country table."""
    entries = [*_countries(_country_codes(directory)), *_read_people(directory),
               *_read_organizations(directory), *_read_places(directory)]
    demonyms = {row["demonym"]: row["country"] for row in _rows(directory / "demonyms.tsv")}
    return Gazetteer(entries, demonyms)


def _rows(path: Path) -> Iterator[dict[str, str]]:
    if not path.exists():
        logger.warning("%s: gazetteer file missing", path)
        return
    with path.open(encoding="utf-8") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
            yield {k: (v or "").strip() for k, v in row.items() if k}


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split("|") if v.strip())


def _read_people(directory: Path) -> Iterator[Entry]:
    for row in _rows(directory / "people.tsv"):
        yield Entry(key=f"person/{slug(row['name'])}", name=row["name"], type="Person",
                    aliases=_split(row.get("aliases", "")), country=row.get("country") or None,
                    role=row.get("role") or None, wikidata=row.get("wikidata") or None,
                    title=row.get("title") or None)


def _read_organizations(directory: Path) -> Iterator[Entry]:
    for row in _rows(directory / "organizations.tsv"):
        kind = row.get("type") or "Organization"
        yield Entry(key=f"{kind.lower()}/{slug(row['name'])}", name=row["name"], type=kind,
                    aliases=_split(row.get("aliases", "")), country=row.get("country") or None,
                    role=row.get("role") or None, wikidata=row.get("wikidata") or None)


def _read_places(directory: Path) -> Iterator[Entry]:
    for row in _rows(directory / "places.tsv"):
        yield Entry(key=f"place/{slug(row['name'])}", name=row["name"], type="Place",
                    aliases=_split(row.get("aliases", "")), country=row.get("country") or None,
                    role=row.get("kind") or None, wikidata=row.get("wikidata") or None)


def _country_codes(directory: Path) -> dict[str, tuple[int | None, str | None]]:
    """ISO3 -> (COW number, Wikidata id), from country_codes.tsv."""
    return {row["iso3"]: (int(row["cow_number"]) if row.get("cow_number") else None,
                          row.get("wikidata") or None)
            for row in _rows(directory / "country_codes.tsv")}


def _countries(codes: dict[str, tuple[int | None, str | None]]) -> Iterator[Entry]:
    """Countries from country_converter: short and official names, codes."""
    import country_converter as coco  # slow import: only when the gazetteer loads

    logging.getLogger("country_converter").setLevel(logging.ERROR)
    table = coco.CountryConverter().data
    for row in table.itertuples():
        iso3 = str(row.ISO3)
        label = _COUNTRY_LABELS.get(iso3, str(row.name_short))
        names = (label, str(row.name_short), str(row.name_official), *_COUNTRY_ABBREVIATIONS.get(iso3, ()))
        gw = getattr(row, "GWcode", None)
        cow, wikidata = codes.get(iso3, (None, None))
        yield Entry(key=f"country/{iso3}", name=label, type="Country",
                    aliases=tuple(n for n in dict.fromkeys(names[1:]) if n and n != "nan"),
                    country=iso3, role="GOV", gwcode=int(float(str(gw))) if _is_number(gw) else None,
                    cow=cow, wikidata=wikidata)


def _is_number(value: object) -> bool:
    try:
        return value is not None and float(str(value)) == float(str(value))
    except ValueError:
        return False
