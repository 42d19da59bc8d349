"""Benchmark: warm latency of every canned query over a store of >= 1 million triples.

Not a test. Builds the store from synthetic articles: the sample articles are
extracted once with kg's own pipeline, then copied N times with a new id and
date, their actors swapped for gazetteer actors of the same type (drawn with
Zipf weights, so a few countries are in most articles, as in the news) and a
third of their events given another CAMEO code (sanctions, releases with a
prisoner count, meetings, attacks ...). Each copy goes through kg's builder,
so the graphs have exactly the shape ``kg ingest`` writes. Then each query
runs once to warm up and ``--runs`` times more; the median is reported.

    .venv/bin/python bench/bench_queries.py                 # ~1.1 M triples
    .venv/bin/python bench/bench_queries.py --articles 500  # a quick look

Parameters come from the data: the most active actor, the two most active
countries, one article and one of its events, so the per-actor figures are
for the busiest actor, the worst case.
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import queue
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.build import build_dataset
from kg.config import DATA_DIR
from kg.extract import Fact, Quantity, extract_articles, load_nlp
from kg.extract.gazetteer import load_gazetteer
from kg.query import describe_queries, load_ontology_graph, load_query, run_query, select_rows
from kg.read import Article, read_articles
from kg.resolve import Actor, Resolution, ResolvedFact, resolve_extraction
from kg.store import open_store

Pair = tuple[Article, Resolution]

# (PLOVER type, CAMEO code, trigger) given to a third of the synthetic events.
VARIANTS = [("SANCTION", "163", "sanction"), ("CONCEDE", "085", "lift"), ("CONCEDE", "081", "ease"),
            ("CONCEDE", "0841", "release"), ("CONSULT", "040", "meet"), ("CONSULT", "042", "visit"),
            ("ASSAULT", "190", "attack"), ("ACCUSE", "112", "accuse"), ("AID", "070", "aid"),
            ("THREATEN", "138", "threaten"), ("PROTEST", "141", "protest"),
            ("COOPERATE", "061", "cooperate")]
FIRST_DAY, DAYS = 738521, 1096  # 2023-01-01 as a proleptic ordinal, three years
ONE_THING = {"actor", "country1", "country2", "article", "fact"}
# events.rq runs on one article graph at a time (kg export), not on the store.
SKIP = {"events"}


def template_pairs(paths: list[str]) -> list[Pair]:
    """The sample articles, extracted and resolved by kg."""
    nlp = load_nlp()
    articles = [a for a in read_articles(paths) if isinstance(a, Article)]
    return [(article, resolve_extraction(extraction))
            for article, extraction in extract_articles(iter(articles), nlp)]


def actor_pool() -> dict[str, list[Actor]]:
    """Gazetteer actors by type, in a fixed shuffled order (the Zipf ranks)."""
    pool: dict[str, list[Actor]] = {}
    for entry in load_gazetteer().entries.values():
        code = entry.country if entry.type == "Country" or not entry.role else f"{entry.country}{entry.role}"
        actor = Actor(entry.key, entry.name, entry.type, entry.country, code if entry.country else None,
                      entry.aliases[:3], entry.wikidata)
        pool.setdefault(entry.type, []).append(actor)
    rng = random.Random(7)
    for actors in pool.values():
        rng.shuffle(actors)
    return pool


def synthetic_pair(number: int, template: Pair, pool: dict[str, list[Actor]],
                   rng: random.Random) -> Pair:
    """A copy of *template* with a new id, date and actors."""
    article, resolution = template
    day = _iso(FIRST_DAY + rng.randrange(DAYS))
    swap = {a.key: _draw(pool[a.type], rng) for a in resolution.actors}
    facts = tuple(_synthetic_fact(f, swap, day, rng) for f in resolution.facts)
    new_id = f"synthetic-{number:06d}"
    actors = {a.key: a for a in swap.values()}
    return (dataclasses.replace(article, id=new_id, date=day, title=f"{article.title} ({new_id})"),
            Resolution(new_id, tuple(actors.values()), facts))


def _iso(ordinal: int) -> str:
    import datetime as dt

    return dt.date.fromordinal(ordinal).isoformat()


def _draw(actors: list[Actor], rng: random.Random) -> Actor:
    return rng.choices(actors, weights=[1 / (rank + 1) for rank in range(len(actors))])[0]


def _synthetic_fact(resolved: ResolvedFact, swap: dict[str, Actor], day: str,
                    rng: random.Random) -> ResolvedFact:
    fact = resolved.fact
    changes: dict[str, object] = {"date": day[:len(fact.date)] if fact.date else None}
    if fact.kind == "event" and rng.random() < 0.35:
        kind, cameo, label = rng.choice(VARIANTS)
        changes |= {"type": kind, "cameo": cameo, "label": label}
        if cameo == "0841":
            count = rng.randint(1, 120)
            changes["quantity"] = Quantity(float(count), "prisoner", f"{count} prisoners")
    new: Fact = dataclasses.replace(fact, **changes)  # type: ignore[arg-type]
    def actor(a: Actor | None) -> Actor | None:
        return swap[a.key] if a else None
    return ResolvedFact(new, swap[resolved.source.key], actor(resolved.target), actor(resolved.place),
                        actor(resolved.attribution))


def build_store(path: Path, count: int, templates: list[Pair], batch: int = 250) -> ox.Store:
    """Write *count* synthetic articles into a new store at *path*, in N-Quads batches."""
    store, pool, rng = open_store(path), actor_pool(), random.Random(42)
    for first in range(0, count, batch):
        pairs = [synthetic_pair(n, rng.choice(templates), pool, rng)
                 for n in range(first, min(first + batch, count))]
        dataset = build_dataset(pairs, ingested="2026-01-01T00:00:00+00:00")
        store.bulk_load(input=dataset.serialize(format="nquads").encode(), format=ox.RdfFormat.N_QUADS)
        # and their merge as the default graph, as kg.store.replace_graph keeps it
        merge = "".join(graph.serialize(format="nt") for graph in dataset.graphs())
        store.bulk_load(input=merge.encode(), format=ox.RdfFormat.N_TRIPLES)
        print(f"\r{min(first + batch, count)} articles, {len(store)} quads", end="", file=sys.stderr)
    print(file=sys.stderr)
    load_ontology_graph(store)
    store.optimize()
    return store


def choose_params(store: ox.Store) -> dict[str, list[str]]:
    """Values for the parameters the canned queries declare, taken from the data.

    Two actors: the busiest (the worst case) and the 25th busiest (a typical
    actor that news mentions often).
    """
    actors = select_rows(store, load_query("most-active-actors"))
    countries = [r["iso3"] or "" for r in actors if r["type"] == "Country"]
    article = "synthetic-000100"
    facts = select_rows(store, load_query("article-facts"), {"article": article})
    return {"actor": [actors[0]["actor"] or "", actors[-1]["actor"] or ""],
            "country1": countries[:1], "country2": countries[1:2], "article": [article],
            "fact": [next(r["fact"] or "" for r in facts if r["kind"] == "event")]}


def cases(values: dict[str, list[str]]) -> Iterator[tuple[str, dict[str, str]]]:
    """Each canned query with its required parameters, then with each choice of actor, dyad, article."""
    for info in describe_queries():
        if info.name in SKIP:
            continue
        required = {p.name for p in info.parameters if p.required}
        focused = sorted(p.name for p in info.parameters if p.name in ONE_THING)
        if not required:
            yield info.name, {}
        for choice in range(max((len(values[n]) for n in focused), default=0)):
            yield info.name, {n: values[n][min(choice, len(values[n]) - 1)] for n in focused}


def time_query(store: ox.Store, sparql: str, params: dict[str, str], runs: int) -> tuple[int, float]:
    """Rows returned and the median wall time in ms of *runs* warm runs, every value read."""
    def once() -> int:
        results = run_query(store, sparql, params)
        if isinstance(results, ox.QueryBoolean):
            return 1
        return sum(1 for row in results if [*row] or True)
    rows = once()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        once()
        times.append((time.perf_counter() - started) * 1000)
    return rows, statistics.median(times)


def report(path: Path, values: dict[str, list[str]], runs: int, limit: float, only: list[str]) -> None:
    """Print one Markdown table row per case; each runs in a child process stopped after *limit* s."""
    print("| query | parameters | rows | median ms | target ms |")
    print("|---|---|---:|---:|---:|")
    for name, params in cases(values):
        if not only or name in only:
            rows, median = _run_case(path, name, params, runs, limit)
            target = 100 if params.keys() & ONE_THING else 2000
            shown = ", ".join(f"{k}={v.rsplit('/', 1)[-1]}" for k, v in params.items()) or "-"
            print(f"| {name} | {shown} | {rows} | {median} | {target} |", flush=True)


def _run_case(path: Path, name: str, params: dict[str, str], runs: int, limit: float) -> tuple[str, str]:
    """Time one case in a child process, which is killed if the query outlasts *limit* s."""
    context = multiprocessing.get_context("spawn")
    answer = context.Queue()
    child = context.Process(target=_time_case, args=(path, name, params, runs, answer))
    child.start()
    try:
        answer.get(timeout=120)  # the child has started and opened the store
        count, ms = answer.get(timeout=limit * (runs + 1))
        return str(count), f"{ms:.1f}"
    except queue.Empty:
        return "-", f"stopped after {limit * (runs + 1):.0f} s"
    finally:
        child.kill()
        child.join()


def _time_case(path: Path, name: str, params: dict[str, str], runs: int, answer: Any) -> None:
    store = open_store(path, create=False, read_only=True)
    answer.put("ready")
    answer.put(time_query(store, load_query(name), params, runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=9000, help="synthetic articles (default 9000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query (default 5)")
    parser.add_argument("--store", type=Path,
                        help="build the store here and keep it; reuse it if it exists (default: temporary)")
    parser.add_argument("--limit", type=float, default=60,
                        help="seconds a run may take before the query is stopped (default 60)")
    parser.add_argument("--only", action="append", default=[], metavar="QUERY", help="time only this query")
    parser.add_argument("templates", nargs="*", default=[str(DATA_DIR / "samples")],
                        help="articles to copy (default data/samples)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.store or Path(tmp) / "store"
        started = time.perf_counter()
        if path.exists():
            store = open_store(path, create=False)
        else:
            store = build_store(path, args.articles, template_pairs(args.templates))
        print(f"{len(store)} quads in {sum(1 for _ in store.named_graphs())} graphs, built in "
              f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
        values = choose_params(store)
        del store  # the children open it read-only
        report(path, values, args.runs, args.limit, args.only)


if __name__ == "__main__":
    main()
