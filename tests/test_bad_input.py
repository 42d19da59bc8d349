"""Bad input never stops a batch (issue 9): each kind gets one line naming the file
(and line), the rest goes in, the exit code says something failed, and
``kg ingest --report`` lists what failed and why."""

from __future__ import annotations

import json
import os
import random

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg import pipeline
from kg.cli import cli
from kg.errors import InputError
from kg.read import MAX_TEXT_CHARS, Article, ReadFailure, check_article, decode, read_path
from kg.store import GraphWriter, open_store, stored_hash

from .conftest import SEED

ENGLISH = ("President Alexander Lukashenko met the US envoy John Coale in Minsk on Thursday, and Belarus "
           "released 52 prisoners, the state news agency said.")
FRENCH = ("Le président biélorusse Alexandre Loukachenko a rencontré jeudi à Minsk l'envoyé américain John "
          "Coale, et la Biélorussie a libéré 52 prisonniers, a indiqué l'agence de presse de l'État. Les "
          "deux hommes ont discuté des sanctions contre la compagnie aérienne Belavia.")
CHINESE = "白俄罗斯总统卢卡申科周四在明斯克会见了美国特使约翰·科尔，白俄罗斯释放了五十二名囚犯。"
RUSSIAN = "Президент Беларуси Александр Лукашенко в четверг встретился в Минске с посланником США."

NOISY_PAGE = """<!DOCTYPE html><html><head><title>Belarus frees prisoners</title>
<meta property="article:published_time" content="2025-09-11T08:00:00Z">{scripts}
<style>body {{ color: red }}</style></head><body>{nav}
<div class="cookie">We use cookies. Accept all cookies to continue.</div>
<article><h1>Belarus frees prisoners</h1><p>{english}</p>
<p>The United States lifted sanctions on the Belarusian airline Belavia, the White House said.</p>
</article>{scripts}<footer>{nav} Copyright 2025</footer></body></html>"""


def noisy_page() -> str:
    scripts = "".join(f"<script>var t{i} = 'Russia attacked Ukraine'; function f{i}() {{ return {i}; }}"
                      "</script>\n" for i in range(200))
    nav = "<nav><ul>" + "".join(f"<li><a href='/s{i}'>Poland sanctions Iran, part {i}</a></li>"
                                for i in range(150)) + "</ul></nav>"
    return NOISY_PAGE.format(scripts=scripts, nav=nav, english=ENGLISH)


def record(**fields: str) -> str:
    return json.dumps({"date": "2025-09-11", **fields}, ensure_ascii=False)


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory):
    """A folder with one file per kind of bad input, and three good articles among them."""
    folder = tmp_path_factory.mktemp("bad")
    (folder / "a-empty.txt").write_bytes(b"")
    (folder / "b-binary.txt").write_bytes(bytes([0, 159, 146, 150]) + os.urandom(2000))
    latin1 = f"date 2025-09-11\nCafé talks in Minsk\n\n{ENGLISH}\n"
    (folder / "c-latin1.txt").write_bytes(latin1.encode("latin-1"))
    (folder / "d-utf16.txt").write_bytes(f"date 2025-09-11\nTalks in Minsk\n\n{ENGLISH}\n".encode("utf-16"))
    (folder / "e-huge-line.txt").write_text("date 2025-09-11\nTitle\n" + "Belarus met Poland. " * 2_600_000)
    (folder / "f-bad-date.txt").write_text(f"date 2025-13-45\nTitle\n\n{ENGLISH}\n")
    (folder / "g-no-date.txt").write_text(f"Title\n\n{ENGLISH}\n")
    (folder / "h-french.txt").write_text(f"date 2025-09-11\nLoukachenko à Minsk\n\n{FRENCH}\n")
    (folder / "i-noisy.html").write_text(noisy_page())
    (folder / "j-scripts-only.html").write_text(
        "<html><head><meta property='article:published_time' content='2025-09-11'><script>var a = 1;"
        "</script></head><body><nav><a href='/'>Home</a></nav></body></html>")
    lines = [record(id="good-1", text=ENGLISH), "{not json", "[1, 2]", record(id="no-text"),
             record(id="bad-date", text=ENGLISH, date="2025-02-30"), record(id="zh", text=CHINESE),
             record(id="ru", text=RUSSIAN), record(id="huge", text="Belarus met Poland. " * 60_000)]
    (folder / "k-wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


EXPECTED_FAILURES = {
    "a-empty.txt": ("empty", "empty file"),
    "b-binary.txt": ("binary", "binary file, not an article"),
    "e-huge-line.txt": ("too-long", "text of 52,000,"),
    "f-bad-date.txt": ("date", ":1: impossible date '2025-13-45'"),
    "g-no-date.txt": ("date", ":1: no 'date YYYY-MM-DD' line"),
    "h-french.txt": ("language", "not English text"),
    "j-scripts-only.html": ("no-text", "no article text found in the page"),
    "k-wire.jsonl:2": ("json", "not JSON"),
    "k-wire.jsonl:3": ("json", "not a JSON object"),
    "k-wire.jsonl:4": ("no-text", "no 'text'"),
    "k-wire.jsonl:5": ("date", "impossible date '2025-02-30'"),
    "k-wire.jsonl:6": ("language", "not English text"),
    "k-wire.jsonl:7": ("language", "not English text"),
    "k-wire.jsonl:8": ("too-long", "over spaCy's limit of 1,000,000"),
}


@pytest.fixture(scope="module")
def ingested(bad_inputs, tmp_path_factory):
    store = tmp_path_factory.mktemp("store")
    report = store.parent / "report.json"
    result = CliRunner().invoke(cli, ["ingest", str(bad_inputs), "--store", str(store), "--quiet",
                                      "--report", str(report)], catch_exceptions=False)
    return result, store, json.loads(report.read_text())


def test_each_bad_input_is_one_error_line_naming_the_file_and_line(ingested, bad_inputs):
    result, _, _ = ingested
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == len(EXPECTED_FAILURES)
    for line, (where, (_, cause)) in zip(errors, sorted(EXPECTED_FAILURES.items()), strict=True):
        assert line.startswith(f"Error: {bad_inputs / where}") and cause in line, line
    assert "Traceback" not in result.output


def test_the_rest_goes_in_and_the_exit_code_says_something_failed(ingested):
    result, store_path, _ = ingested
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2].startswith(f"4 articles, {len(EXPECTED_FAILURES)} failed, 1 read "
                                                     "with a warning, ")
    store = open_store(store_path, create=False, read_only=True)
    articles = {row["a"].value.rsplit("/", 1)[1] for row in store.query(
        "PREFIX kg: <https://w3id.org/kg/ontology#> SELECT ?a WHERE { ?a a kg:Article }")}
    assert articles == {"c-latin1", "d-utf16", "i-noisy", "good-1"}


def test_report_lists_every_failure_and_warning_with_its_kind(ingested, bad_inputs):
    _, _, report = ingested
    assert report["ok"] is False and report["summary"]["articles"] == 4
    assert report["summary"]["failed"] == len(EXPECTED_FAILURES)
    found = {failure["source"]: (failure["kind"], failure["message"]) for failure in report["failures"]}
    assert sorted(found) == sorted(str(bad_inputs / where) for where in EXPECTED_FAILURES)
    for where, (kind, cause) in EXPECTED_FAILURES.items():
        assert found[str(bad_inputs / where)][0] == kind and cause in found[str(bad_inputs / where)][1]
    assert report["failed_by_kind"] == {"binary": 1, "date": 3, "empty": 1, "json": 2, "language": 3,
                                        "no-text": 2, "too-long": 2}
    (warning,) = report["warnings"]
    assert warning["source"] == str(bad_inputs / "c-latin1.txt") and "not UTF-8" in warning["message"]


def test_a_clean_run_reports_ok_and_exits_0(tmp_path):
    report = tmp_path / "report.json"
    result = CliRunner().invoke(cli, ["ingest", str(SEED), "--store", str(tmp_path / "s"), "--quiet",
                                      "--report", str(report)], catch_exceptions=False)
    assert result.exit_code == 0
    assert json.loads(report.read_text())["ok"] is True


def test_encodings_are_read_by_their_mark_or_guessed_with_a_warning():
    text = "Café talks in Minsk, Łódź and Kraków"
    for encoding in ("utf-16", "utf-32", "utf-8-sig"):
        assert decode(text.encode(encoding), "x") == (text, None)
    latin = "Café talks in Minsk; the envoy's visit was a surprise to the ministry of foreign affairs."
    decoded, warning = decode(latin.encode("latin-1"), "x.txt")
    assert decoded == latin
    assert warning is not None and warning.startswith("x.txt: not UTF-8 (byte 3); read as ")


def test_bytes_in_no_encoding_are_an_error_not_garbage():
    rng = random.Random(4)
    noise = bytes(rng.randrange(1, 256) for _ in range(4000))
    with pytest.raises(InputError) as info:
        decode(noise, "x.txt")
    assert info.value.kind == "encoding"
    assert str(info.value).startswith("x.txt: binary, or text in no encoding")


@pytest.mark.parametrize(("text", "english"), [
    (ENGLISH, True),
    ("Zelenskyy met Łukasz Kamiński and Jarosław Kaczyński in Kraków on Monday, the Polish foreign ministry "
     "said in a statement.", True),
    ("Russian President Vladimir Putin, Chinese President Xi Jinping and Indian Prime Minister Narendra Modi "
     "met in Tianjin", True),
    ("Belarus frees 52", True),                                       # too short to tell
    (FRENCH, False),
    ("El presidente de Bielorrusia se reunió el lunes con el embajador de Francia en Minsk, informó el "
     "ministerio.", False),
    ("Der belarussische Präsident traf am Montag in Minsk den amerikanischen Gesandten, teilte das "
     "Ministerium mit. Belarus hat nach dem Treffen 52 Gefangene freigelassen, die Vereinigten Staaten "
     "hoben Sanktionen gegen die Fluggesellschaft Belavia auf.", False),
    (CHINESE, False),
    (RUSSIAN, False),
])
def test_articles_in_other_languages_are_refused(text, english):
    article = Article(id="x", date="2025-09-11", title="", text=text, source="x.txt")
    checked = check_article(article)
    assert (checked is article) == english
    if not english:
        assert checked == ReadFailure("x.txt", "x.txt: not English text; kg reads English articles only",
                                      "language")


def test_text_over_the_parser_limit_is_refused_before_parsing():
    article = Article(id="x", date="2025-09-11", title="", text="a " * (MAX_TEXT_CHARS // 2 + 1), source="x")
    assert check_article(article).kind == "too-long"  # type: ignore[union-attr]


def test_a_page_too_large_for_trafilatura_says_so(tmp_path):
    page = tmp_path / "huge.html"
    page.write_text("<html><body><p>" + "Belarus met Poland. " * 1_100_000 + "</p></body></html>")
    with pytest.raises(InputError) as info:
        list(read_path(page))
    assert info.value.kind == "too-long" and "over trafilatura's limit of 20,000,000" in str(info.value)


def test_noisy_page_gives_the_article_without_scripts_or_menus(bad_inputs):
    (article,) = read_path(bad_inputs / "i-noisy.html")
    assert ENGLISH in article.text and "Belavia" in article.text
    for noise in ("function", "Russia attacked Ukraine", "Poland sanctions Iran", "cookies", "color: red"):
        assert noise not in article.text


def test_an_extraction_bug_fails_one_article_and_the_batch_goes_on(tmp_path, monkeypatch):
    original = pipeline.build_article

    def build_article(job, doc, base=pipeline.BASE):
        if job.article.id == "bad":
            raise ValueError("something kg did not expect")
        return original(job, doc, base)

    monkeypatch.setattr(pipeline, "build_article", build_article)
    wire = tmp_path / "wire.jsonl"
    wire.write_text("\n".join([record(id="ok-1", text=ENGLISH), record(id="bad", text=ENGLISH),
                               record(id="ok-2", text=ENGLISH)]) + "\n")
    report = tmp_path / "report.json"
    result = CliRunner().invoke(cli, ["ingest", str(wire), "--store", str(tmp_path / "s"), "--quiet",
                                      "--report", str(report)], catch_exceptions=False)
    assert result.exit_code == 1
    assert f"Error: {wire}:2: extraction failed (ValueError: something kg did not expect); this is a bug" \
        in result.stderr
    (failure,) = json.loads(report.read_text())["failures"]
    assert failure["kind"] == "bug" and failure["source"] == f"{wire}:2"
    assert result.stderr.splitlines()[-2].startswith("2 articles, 1 failed")


def test_a_url_that_is_not_absolute_is_left_out_with_a_warning(tmp_path):
    wire = tmp_path / "wire.jsonl"
    wire.write_text(json.dumps({"id": "u", "date": "2025-09-11", "url": "not a url", "text": ENGLISH}) + "\n")
    result = CliRunner().invoke(cli, ["ingest", str(wire), "--store", str(tmp_path / "s"), "--quiet"],
                                catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stderr.startswith(f"Warning: {wire}:1: url 'not a url' is not absolute (no scheme such as "
                                    "https:); left out\n1 articles, 1 read with a warning, ")


def test_an_article_the_store_refuses_fails_alone_and_the_batch_goes_in(tmp_path):
    refused: list[tuple[str, str]] = []
    store = open_store(tmp_path)
    writer = GraphWriter(store, on_failure=lambda graph, message: refused.append((graph, message)))
    for name, obj in (("urn:a", '"fine"'), ("urn:b", "<no scheme>"), ("urn:c", '"also fine"')):
        writer.write(name, f"<{name}/x> <https://example.org/p> {obj} .\n", f"hash-{name}", new=True)
    writer.flush()
    assert [graph for graph, _ in refused] == ["urn:b"] and "cannot write graph <urn:b>" in refused[0][1]
    assert {g.value for g in store.named_graphs()} == {"urn:a", "urn:c"}
    assert {stored_hash(store, g) for g in ("urn:a", "urn:c")} == {"hash-urn:a", "hash-urn:c"}
    merged = {str(q.subject) for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    assert merged == {"<urn:a/x>", "<urn:c/x>", "<urn:a>", "<urn:c>"}
