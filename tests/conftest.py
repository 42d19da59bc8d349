"""Shared fixtures: the spaCy pipeline once per session, the sample articles."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SEED = DATA / "belarus-2025-09-11.txt"


@pytest.fixture(scope="session")
def nlp():
    from kg.extract import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def seed_article():
    from kg.read import read_path

    return next(read_path(SEED))


@pytest.fixture(scope="session")
def seed_extraction(nlp, seed_article):
    from kg.extract import extract_article

    return extract_article(seed_article, nlp)
