"""The reader: the plain-text convention, JSON Lines (also gzipped and on stdin), HTML, feeds, bad input."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.read import Article, ReadFailure, count_articles, parse_text_article, read_articles, read_path


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


@pytest.mark.parametrize(("content", "message", "kind"), [
    (b"", "x.txt: empty file", "empty"),
    (b"\x00\x01\x02binary", "x.txt: binary file, not an article", "binary"),
    (b"Title\n\nBody.\n", "x.txt:1: no 'date YYYY-MM-DD' line; add one as the first line", "date"),
    (b"date 2025-13-45\nTitle\n\nBody.\n", "x.txt:1: impossible date '2025-13-45'; use YYYY-MM-DD", "date"),
    (b"\xff\xfed\x00a\x00\x00", "x.txt: damaged UTF-16 text (byte 6); convert it to UTF-8", "encoding"),
])
def test_read_bad_input_names_the_file(tmp_path, content, message, kind):
    path = tmp_path / "x.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        list(read_path(path))
    assert str(info.value) == message.replace("x.txt", str(path))
    assert info.value.kind == kind


def test_read_articles_goes_on_after_a_failure(tmp_path, seed_article):
    (tmp_path / "a.txt").write_text("no date here\n")
    items = list(read_articles([tmp_path / "missing.txt", tmp_path / "a.txt", "tests/data"],
                               glob="belarus-*.txt"))
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
        f"{path}:2", f"{path}:2: not JSON (Expecting property name enclosed in double quotes)", "json")
    assert items[2] == ReadFailure(f"{path}:3", f"{path}:3: no 'date'; add one as YYYY-MM-DD", "date")


INPUTS = Path(__file__).parent / "data" / "inputs"
FEED_IDS = ["latvia-expels-diplomat-6debba4c", "belarus-frees-14-761733fc",
            "minsk-wire-20251006-poland-8de2ba89"]


def ids(items):
    return [item.id if isinstance(item, Article) else item.message for item in items]


def test_read_html_main_text_and_metadata():
    (article,) = read_path(INPUTS / "2025" / "09" / "vilnius-talks.html")
    assert (article.id, article.date, article.url, article.publisher, article.authors) == (
        "vilnius-talks", "2025-09-18", "https://example.org/news/vilnius-talks", "Baltic Wire",
        ("Ruta Kalnina",))
    assert article.title == "Lithuania and Poland agree to patrol border together"
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0] == article.title and len(paragraphs) == 4
    assert paragraphs[1].startswith("VILNIUS - Lithuania and Poland agreed on Thursday")
    for boilerplate in ("Subscribe", "reader42", "Cookie", "By Ruta"):
        assert boilerplate not in article.text


def test_read_html_without_date_names_the_file(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<html><body><article>" + "<p>Poland closed the border with Belarus.</p>" * 5
                    + "</article></body></html>")
    with pytest.raises(InputError) as info:
        list(read_path(page))
    assert str(info.value) == (f"{page}: no publication date in the page; add <meta "
                               'property="article:published_time" content="YYYY-MM-DD">')


def test_read_rss_items_and_an_undated_one():
    items = list(read_path(INPUTS / "2025" / "10" / "minsk-wire.rss"))
    feed = INPUTS / "2025" / "10" / "minsk-wire.rss"
    assert ids(items) == FEED_IDS[1:] + [f"{feed}: entry 3: no date (published or updated)"]
    first, second = items[0], items[1]
    assert (first.date, first.authors, first.publisher, first.url) == (
        "2025-10-03", ("Ales Bialou",), "Minsk Wire", "https://example.org/minsk/2025/10/belarus-frees-14")
    assert first.text == ("Belarus frees 14 prisoners after talks with US envoy\n\n"
                          "Belarus released 14 political prisoners on Friday after its president met a "
                          "United States envoy in Minsk.\n\n"
                          "The envoy said Washington would ease sanctions on the national airline.")
    assert second.text.endswith("citing military exercises near the frontier.")


def test_read_atom_prefers_content_to_summary():
    (article,) = read_path(INPUTS / "2025" / "10" / "baltic-notes.atom")
    assert (article.id, article.date, article.authors) == (FEED_IDS[0], "2025-10-08", ("Inga Ozola",))
    assert article.text == ("Latvia expels a Russian diplomat\n\nLatvia expelled a Russian diplomat on "
                            "Wednesday, accusing him of spying.\n\nRussia condemned the decision and "
                            "threatened to respond.")


def test_read_not_a_feed(tmp_path):
    path = tmp_path / "x.rss"
    path.write_text("this is not XML")
    with pytest.raises(InputError) as info:
        list(read_path(path))
    assert str(info.value).startswith(f"{path}: not an RSS or Atom feed (")


def test_read_jsonl_gz_is_streamed_and_a_damaged_end_is_one_failure(tmp_path):
    lines = (INPUTS / "wire.jsonl").read_bytes()
    path = tmp_path / "wire.jsonl.gz"
    path.write_bytes(gzip.compress(lines))
    items = list(read_path(path))
    assert ids(items) == ["wire-001", "wire-002"]
    assert items[1].source == f"{path}:2" and items[1].authors == ()
    many = json.dumps({"id": "n", "title": "T", "date": "2025-01-02", "text": "Poland met Lithuania."})
    path.write_bytes(gzip.compress(((many + "\n") * 2000).encode())[:-40])
    items = list(read_articles([path]))
    assert all(isinstance(i, Article) for i in items[:-1]) and len(items) > 1000
    assert items[-1].message.startswith(f"{path}: damaged gzip file (")


def test_read_jsonl_line_in_latin1_is_read_with_a_warning_naming_the_line(tmp_path):
    path = tmp_path / "x.jsonl"
    latin1 = '{"id": "a", "date": "2025-01-02", "text": "Caf\u00e9 talks in Minsk."}\n'
    path.write_bytes(latin1.encode("latin-1") + b'{"id": "b", "date": "2025-01-02", "text": "Fine."}\n')
    items = list(read_path(path))
    assert ids(items) == ["a", "b"]
    assert items[0].text == "Caf\u00e9 talks in Minsk."
    assert items[0].warnings[0].startswith(f"{path}:1: not UTF-8 (byte 46); read as ")
    assert items[1].warnings == ()


def test_read_stdin_jsonl_and_text(monkeypatch):
    lines = b"\n" + (INPUTS / "wire.jsonl").read_bytes()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(lines)))
    items = list(read_path("-"))
    assert ids(items) == ["wire-001", "wire-002"] and items[1].source == "stdin:3"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"date 2025-01-02\nTitle\n\nBody.\n")))
    (article,) = read_path("-")
    assert (article.id, article.text) == ("stdin", "Title\n\nBody.")


def test_read_directory_is_walked_in_name_order_with_known_suffixes_or_a_glob():
    undated = f"{INPUTS}/2025/10/minsk-wire.rss: entry 3: no date (published or updated)"
    # a folder's files first, then its subfolders; notes.md is not an article
    assert ids(read_articles([INPUTS])) == ["wire-001", "wire-002", "vilnius-talks", *FEED_IDS, undated]
    assert ids(read_articles([INPUTS], glob="*.atom")) == FEED_IDS[:1]
    assert ids(read_articles([INPUTS], glob="2025/09/*")) == ["vilnius-talks"]
    assert count_articles([INPUTS]) == 7
    assert count_articles([INPUTS], glob="*.jsonl") == 2
    assert count_articles([INPUTS, "-"]) is None
