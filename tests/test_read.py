"""The reader: the plain-text convention, JSON Lines, and bad input."""

from __future__ import annotations

import json

import pytest

from kg.errors import InputError
from kg.read import ReadFailure, parse_text_article, read_articles, read_path


def test_read_seed_metadata(seed_article):
    a = seed_article
    assert a.id == "belarus-2025-09-11"
    assert a.date == "2025-09-11"
    assert a.title == "Belarus frees 52 prisoners after Lukashenko meets US envoy"
    assert a.authors == ("Martin Fornusek", "Tim Zadorozhnyy")
    assert a.credits == ("Mikhail Metzel/Pool/AFP via Getty Images",)
    assert a.tags == ("Belarus", "United States", "Political Prisoners", "Alexander Lukashenko", "Sanctions")
    assert a.bios == ("Martin Fornusek", "Senior News Editor", "Tim Zadorozhnyy", "News Editor")


def test_read_seed_text_keeps_caption_and_drops_metadata(seed_article):
    text = seed_article.text
    assert text.startswith("Belarus frees 52 prisoners")
    assert "attends a meeting with his Russian counterpart, Vladimir Putin, in Sochi" in text
    for metadata in ("Fornusek", "Zadorozhnyy", "Getty", "Metzel", "AFP", "Senior News Editor",
                     "PrisonersAlexander"):
        assert metadata not in text
    assert text.endswith("Russian President Vladimir Putin's closest ally.")


def test_read_dateline_is_metadata():
    raw = "date 2024-08-02\nTitle here\n\nWASHINGTON, Aug 2 (Wire) - Russia freed them.\n"
    article = parse_text_article(raw, article_id="a", source="a.txt")
    assert article.dateline == "WASHINGTON, Aug 2 (Wire)"
    assert article.text == "Title here\n\nRussia freed them."


@pytest.mark.parametrize(("content", "message"), [
    (b"", "x.txt: empty file"),
    (b"\x00\x01\x02binary", "x.txt: binary file, not an article"),
    (b"Title\n\nBody.\n", "x.txt:1: no 'date YYYY-MM-DD' line; add one as the first line"),
    (b"date 2025-13-45\nTitle\n\nBody.\n", "x.txt:1: impossible date '2025-13-45'; use YYYY-MM-DD"),
    (b"date 2025-01-02\nT\xe9l\xe9\n", "x.txt: not UTF-8 text (byte 17); convert it to UTF-8"),
])
def test_read_bad_input_names_the_file(tmp_path, content, message):
    path = tmp_path / "x.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        list(read_path(path))
    assert str(info.value) == message.replace("x.txt", str(path))


def test_read_articles_goes_on_after_a_failure(tmp_path, seed_article):
    (tmp_path / "a.txt").write_text("no date here\n")
    items = list(read_articles([tmp_path / "missing.txt", tmp_path / "a.txt", "tests/data"]))
    assert [type(i).__name__ for i in items] == ["ReadFailure", "ReadFailure", "Article"]
    assert items[0].message == f"{tmp_path / 'missing.txt'}: no such file or directory"
    assert items[2].text == seed_article.text


def test_read_jsonl_records_and_bad_lines(tmp_path):
    good = {"id": "x1", "url": "https://example.org/x1", "title": "T", "date": "2025-01-02",
            "text": "Russia attacked Ukraine.", "authors": ["A B"], "source": "Wire"}
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps(good) + "\n{not json\n" + json.dumps({"id": "x2", "text": "t"}) + "\n")
    items = list(read_path(path))
    assert items[0].id == "x1" and items[0].text == "T\n\nRussia attacked Ukraine."
    assert items[0].authors == ("A B",) and items[0].publisher == "Wire"
    assert items[1] == ReadFailure(
        f"{path}:2", f"{path}:2: not JSON (Expecting property name enclosed in double quotes)")
    assert items[2] == ReadFailure(f"{path}:3", f"{path}:3: no 'date'; add one as YYYY-MM-DD")
