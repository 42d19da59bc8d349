"""Issue 9, fuzzing: the reader, the extractor and the builder on generated input.

Hypothesis draws arbitrary text (control characters, other scripts, stray
headers) and text built from words the extractor reacts to, so that both the
parser's edges and the extraction rules are reached. Each test keeps its
examples few (the whole file runs in well under a minute) and prints, on
failure, the smallest input that broke it.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.build import build_dataset
from kg.errors import InputError
from kg.extract import extract_doc
from kg.read import Article, ReadFailure, parse_text_article, read_path
from kg.resolve import resolve_extraction
from kg.validate import validate_graph

pytestmark = pytest.mark.slow

FEW = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Words that start the extractor's rules: actors, event verbs, cues, dates, numbers.
WORDS = ["Belarus", "Lithuania", "the United States", "Alexander Lukashenko", "Lukashenko", "Putin",
         "Minsk", "the European Union", "NATO", "he", "it", "its", "they", "President", "minister",
         "met", "visited", "released", "freed", "52", "prisoners", "sanctions", "imposed", "lifted",
         "on", "Friday", "last", "month", "in", "said", "will", "not", "agreed", "to", "attack", "killed",
         "unless", "and", "with", "of", "by", "a", "the", ",", ".", "'s", "\"", "(", ")", "-led",
         "U.S.", "demanded", "must", "threatened", "2025-09-10", "September", "18", "years"]
sentences = st.lists(st.sampled_from(WORDS), min_size=1, max_size=30).map(" ".join)
short_text = st.one_of(st.text(max_size=200), sentences,
                       st.lists(sentences, min_size=1, max_size=4).map("\n\n".join))


def article_of(body: str) -> Article:
    """An article with a sound header around *body*, as kg.read makes them."""
    return Article(id="fuzz", date="2025-09-11", title="Headline", text=f"Headline\n\n{body}", source="fuzz")


@FEW
@given(st.one_of(st.text(), st.text().map(lambda t: f"date 2025-09-11\n{t}"),
                 st.lists(st.sampled_from(["date 2025-09-11", "date 2025-02-30", "by A and B", "",
                                           "Photo. (Credit)", "TagOneTagTwo", "MINSK, Sept 11 - x",
                                           "Lukashenko met Putin.", "A", "\ufeff", "\x00"]),
                          max_size=8).map("\n".join)))
def test_fuzz_text_parser_returns_an_article_or_input_error(raw):
    try:
        article = parse_text_article(raw, article_id="fuzz", source="fuzz")
    except InputError as exc:
        assert str(exc).startswith("fuzz")
        assert "\n" not in str(exc)
        return
    assert article.text.startswith(article.title)
    assert article.date is not None and len(article.date) == 10


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8)
records = st.fixed_dictionaries({}, optional={
    "id": json_values, "title": json_values, "date": st.one_of(json_values, st.just("2025-09-11")),
    "text": st.one_of(json_values, short_text), "url": json_values, "authors": json_values,
    "source": json_values})
jsonl_lines = st.one_of(records.map(json.dumps), json_values.map(json.dumps), st.text(max_size=40))


@FEW
@given(st.lists(jsonl_lines, max_size=5))
def test_fuzz_jsonl_reader_gives_articles_and_failures(lines):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "batch.jsonl"
        path.write_text("\n".join(lines), encoding="utf-8")
        try:
            items = list(read_path(path))
        except InputError:
            return
    assert all(isinstance(item, Article | ReadFailure) for item in items)
    assert all("\n" not in item.message for item in items if isinstance(item, ReadFailure))


@FEW
@given(st.binary(max_size=300))
def test_fuzz_file_reader_on_any_bytes(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "article.txt"
        path.write_bytes(data)
        try:
            items = list(read_path(path))
        except InputError as exc:
            assert str(exc).startswith(str(path))
            return
    assert [type(item) for item in items] == [Article]


@FEW
@given(short_text)
def test_fuzz_extractor_never_crashes(nlp, body):
    article = article_of(body)
    extraction = extract_doc(article, nlp(article.text))
    for fact in extraction.facts:
        assert 0 <= fact.start <= fact.end <= len(article.text)


def graph_of(nlp, body: str) -> Graph:
    article = article_of(body)
    resolution = resolve_extraction(extract_doc(article, nlp(article.text)))
    dataset = build_dataset([(article, resolution)], ingested="2025-09-11T12:00:00+00:00")
    quads = Dataset().parse(data=dataset.serialize(format="nquads"), format="nquads")
    (graph,) = [g for g in dataset.graphs() if len(g)]
    assert len(list(quads.quads())) == len(graph)
    return graph


# No shrinking: each example runs SHACL, and a failure prints its input anyway.
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(short_text)
def test_fuzz_graph_round_trips_and_conforms(nlp, body):
    graph = graph_of(nlp, body)
    for fmt in ("nt", "turtle"):
        back = Graph().parse(data=graph.serialize(format=fmt), format=fmt)
        assert isomorphic(back, graph), fmt
    # SHACL on the graph as written; the graph in memory is checked below.
    assert validate_graph(back).violations == ()


def test_fuzz_graph_in_memory_conforms(nlp):
    assert validate_graph(graph_of(nlp, "Belarus released 52 prisoners on Friday.")).violations == ()


def test_fuzz_jsonl_reader_on_deeply_nested_json(tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    assert [type(item) for item in read_path(path)] == [ReadFailure]
