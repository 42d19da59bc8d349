"""The gazetteer files and look-ups."""

from __future__ import annotations

import re

import pytest

from kg.config import DATA_DIR
from kg.extract.gazetteer import _rows, load_gazetteer

GAZETTEER = DATA_DIR / "gazetteer"
COLUMNS = {
    "people.tsv": ["name", "aliases", "country", "role", "title", "wikidata"],
    "organizations.tsv": ["name", "aliases", "country", "role", "type", "wikidata"],
    "places.tsv": ["name", "aliases", "country", "kind", "wikidata"],
    "demonyms.tsv": ["demonym", "country"],
}


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_gazetteer_files_are_well_formed(gazetteer, name):
    rows = list(_rows(GAZETTEER / name))
    assert rows and list(rows[0]) == COLUMNS[name]
    known = {key.split("/")[1] for key in gazetteer.entries if key.startswith("country/")}
    for row in rows:
        country = row["country"]
        assert country in known | {"IGO", "NGO", "XKX", ""}, row
        assert re.fullmatch(r"(Q\d+)?", row.get("wikidata", "")), row
    first = [row[COLUMNS[name][0]] for row in rows]
    assert len(first) == len(set(first)), "duplicate names"


@pytest.mark.parametrize(("text", "key"), [
    ("U.S.", "country/USA"), ("US", "country/USA"), ("United States", "country/USA"),
    ("Belarus", "country/BLR"), ("Lukashenka", "person/alexander-lukashenko"),
    ("Lukashenko", "person/alexander-lukashenko"), ("Tikhanovsky", "person/siarhei-tsikhanouski"),
    ("John Cole", "person/john-coale"), ("Belavia", "organization/belavia"), ("Minsk", "place/minsk"),
    ("Kremlin", "place/kremlin"),
])
def test_gazetteer_lookup(gazetteer, text, key):
    assert gazetteer.lookup(text).key == key


def test_gazetteer_countries_have_codes(gazetteer):
    belarus = gazetteer.country("BLR")
    assert (belarus.name, belarus.gwcode) == ("Belarus", 370)
    assert gazetteer.country_of_demonym("Belarusian") == "BLR"
    assert gazetteer.country_of_demonym("Lithuanians") == "LTU"


@pytest.mark.parametrize(("iso3", "wikidata", "cow", "gw"), [
    ("USA", "Q30", 2, 2), ("BLR", "Q184", 370, 370), ("RUS", "Q159", 365, 365), ("UKR", "Q212", 369, 369),
    ("GBR", "Q145", 200, 200), ("FRA", "Q142", 220, 220), ("DEU", "Q183", 255, 260),
    ("CHN", "Q148", 710, 710), ("JPN", "Q17", 740, 740), ("FIN", "Q33", 375, 375),
    ("SWE", "Q34", 380, 380), ("TUR", "Q43", 640, 640), ("HUN", "Q28", 310, 310),
    ("LTU", "Q37", 368, 368), ("POL", "Q36", 290, 290),
])
def test_gazetteer_countries_have_wikidata_and_cow_codes(gazetteer, iso3, wikidata, cow, gw):
    country = gazetteer.country(iso3)
    assert (country.wikidata, country.cow, country.gwcode) == (wikidata, cow, gw)


def test_gazetteer_country_codes_file_is_well_formed(gazetteer):
    rows = list(_rows(GAZETTEER / "country_codes.tsv"))
    assert list(rows[0]) == ["iso3", "cow_letter", "cow_number", "wikidata", "name"]
    known = {key.split("/")[1] for key in gazetteer.entries if key.startswith("country/")}
    assert {row["iso3"] for row in rows} == known - {"ATA"}
    assert all(re.fullmatch(r"Q\d+", row["wikidata"]) for row in rows)
    ids = [row["wikidata"] for row in rows]
    assert len(ids) == len(set(ids)), "two countries with one Wikidata id"
