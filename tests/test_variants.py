"""Transliteration variants of gazetteer names (kg/extract/variants.py)."""

from __future__ import annotations

import pytest

from kg.extract.gazetteer import load_gazetteer
from kg.extract.variants import find_variant, fold_name, name_similarity


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.mark.parametrize(("name", "key"), [
    ("Tsikhanovsky", "person/siarhei-tsikhanouski"),
    ("Sergei Tsikhanovskiy", "person/siarhei-tsikhanouski"),
    ("Tsikhanovskaya", "person/sviatlana-tsikhanouskaya"),
    ("Sviatlana Tsikhanovskaja", "person/sviatlana-tsikhanouskaya"),
    ("Zelenskii", "person/volodymyr-zelensky"),
    ("Volodymyr Zelenskij", "person/volodymyr-zelensky"),
    ("V. Zelenskii", "person/volodymyr-zelensky"),
    ("Alexei Navalnyi", "person/alexei-navalny"),
    ("Lukaschenko", "person/alexander-lukashenko"),
])
def test_variants_find_the_gazetteer_person(gazetteer, name, key):
    assert gazetteer.lookup(name) is None, "listed in the gazetteer: not a test of fuzzy matching"
    assert find_variant(gazetteer, name).key == key


@pytest.mark.parametrize("name", [
    "Zelenko",            # another surname, four letters apart
    "Oleg Zelenskii",     # the surname fits, the first name does not
    "Lavrova",            # a woman's surname is not her husband's or father's
    "Pesko",              # too short for anything but an equal skeleton
    "Anna Smith",         # nobody of that name
])
def test_variants_leave_other_people_alone(gazetteer, name):
    assert find_variant(gazetteer, name) is None


def test_variants_fold_transliterations_to_one_skeleton():
    assert {fold_name(n) for n in ("Tsikhanouski", "Tikhanovsky", "Tsikhanovskiy")} == {"tihanovsky"}
    assert {fold_name(n) for n in ("Zelensky", "Zelenskyy", "Zelenskiy", "Zelenskij")} == {"zelensky"}
    assert name_similarity("Tsikhanouskaya", "Tsikhanouski") == 0.0


def test_variants_in_a_sentence(nlp):
    from kg.extract import extract_article
    from kg.read import Article

    text = ("Ukrainian President Volodymyr Zelenskii met Sergei Tsikhanovskiy in Kyiv on Monday. "
            "Vitaly Zelenko, a banker, was not there.")
    extraction = extract_article(Article(id="t", date="2025-09-15", title="", text=text, source="t"), nlp)
    keys = {m.text: m.key for m in extraction.mentions if m.type == "Person"}
    assert keys == {"Volodymyr Zelenskii": "person/volodymyr-zelensky",
                    "Sergei Tsikhanovskiy": "person/siarhei-tsikhanouski", "Vitaly Zelenko": None}
