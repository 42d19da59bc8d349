"""Benchmark: kg ingest at scale against raw spaCy, on a corpus made from data/samples/.

Not a test. In one run it:

1. writes a JSON Lines corpus of ``--articles`` articles (default 5,000): each
   a sample article with a new id and date and its body paragraphs shuffled,
   so the copies differ as news about the same events does;
2. times raw ``nlp.pipe`` over the same texts, with the same model, kg's
   components, batch size and ``n_process`` (the reference: parsing alone);
3. times ``kg ingest CORPUS --workers N`` end to end, as a user runs it (a new
   process: start-up, model loading, reading, extraction, building, storing),
   sampling the resident memory of its whole process tree;
4. times the same command again on the unchanged corpus (everything skipped);
5. times the bulk load alone: the store's article graphs written again into an
   empty store through kg.store.GraphWriter, in triples (quads) per second;
6. times the canned queries on the resulting store (median of ``--runs``).

    .venv/bin/python bench/bench_ingest.py                       # 5,000 articles, 2 workers
    .venv/bin/python bench/bench_ingest.py --articles 500 --workers 1
    .venv/bin/python bench/bench_ingest.py --articles 20000 --memory-only   # memory at scale

Figures go to stdout as a Markdown table, progress to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import pyoxigraph as ox

from kg.config import DATA_DIR
from kg.extract import load_nlp
from kg.query import load_ontology_graph, load_query, select_rows
from kg.read import Article, read_articles
from kg.store import GraphWriter, open_store

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_queries import _run_case, cases  # noqa: E402

KG = str(Path(sys.executable).with_name("kg"))


def write_corpus(path: Path, count: int, seed: int = 8) -> list[str]:
    """Write *count* articles made from data/samples/ to *path*; return their texts as kg reads them."""
    templates = [a for a in read_articles([DATA_DIR / "samples"]) if isinstance(a, Article)]
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            article = templates[number % len(templates)]
            title, *body = article.text.split("\n\n")
            rng.shuffle(body)
            day = f"20{rng.randint(22, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            out.write(json.dumps({"id": f"bench-{number:06d}", "title": title, "date": day,
                                  "text": "\n\n".join(body), "authors": list(article.authors)}) + "\n")
    return [a.text for a in read_articles([path]) if isinstance(a, Article)]


def reference(texts: list[str], workers: int, batch_size: int) -> float:
    """Seconds raw nlp.pipe takes over *texts* (model loaded beforehand, not timed)."""
    nlp = load_nlp()
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size, n_process=workers):
        pass
    return time.perf_counter() - started


def stage_costs(texts: list[str], corpus: Path, sample: int = 300) -> dict[str, float]:
    """Milliseconds an article for parsing, extraction, resolution and building, in one process."""
    from kg.build import build_ntriples
    from kg.extract import extract_doc
    from kg.resolve import resolve_extraction

    nlp = load_nlp()
    articles = [a for a in read_articles([corpus]) if isinstance(a, Article)][:sample]
    costs = dict.fromkeys(("parse", "extract", "resolve", "build"), 0.0)
    for article in articles:
        started = time.perf_counter()
        doc = nlp(article.text)
        parsed = time.perf_counter()
        extraction = extract_doc(article, doc)
        extracted = time.perf_counter()
        resolution = resolve_extraction(extraction)
        resolved = time.perf_counter()
        build_ntriples(article, resolution)
        built = time.perf_counter()
        for name, seconds in zip(costs, (parsed - started, extracted - parsed, resolved - extracted,
                                         built - resolved), strict=True):
            costs[name] += seconds * 1000 / len(articles)
    return costs


def run_ingest(corpus: Path, store: Path, workers: int) -> tuple[float, int, str]:
    """Wall seconds, peak RSS of the process tree (bytes) and the summary line of one kg ingest."""
    started = time.perf_counter()
    process = psutil.Popen([KG, "ingest", str(corpus), "--store", str(store), "--workers", str(workers),
                            "--quiet"], stderr=subprocess.PIPE, text=True)
    peak = [0]

    def sample() -> None:
        while process.poll() is None:
            try:
                tree = [process, *process.children(recursive=True)]
                peak[0] = max(peak[0], sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"kg ingest failed ({process.returncode}): {stderr}")
    return seconds, peak[0], stderr.strip().splitlines()[-1]


def bulk_load_rate(store_path: Path, scratch: Path, batch: int) -> tuple[int, float]:
    """Quads written and seconds taken to bulk-load the store's article graphs into an empty store."""
    source = open_store(store_path, create=False, read_only=True)
    graphs = [g for g in source.named_graphs() if isinstance(g, ox.NamedNode)]
    bodies = [(g.value, (source.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g) or b"").decode())
              for g in graphs]
    target = open_store(scratch)
    writer = GraphWriter(target, batch=batch)
    started = time.perf_counter()
    for graph, body in bodies:
        writer.write(graph, body, "bench", new=True)
    writer.flush()
    seconds = time.perf_counter() - started
    return len(target), seconds


def query_latencies(store_path: Path, runs: int, limit: float) -> list[tuple[str, str, str, str]]:
    """(query, parameters, rows, median ms) of each canned query, each in a child process stopped
    after *limit* seconds a run (bench_queries' harness)."""
    store = open_store(store_path)
    load_ontology_graph(store)
    del store
    store = open_store(store_path, create=False, read_only=True)
    values = choose_values(store)
    del store
    rows = []
    for name, params in cases(values):
        count, median = _run_case(store_path, name, params, runs, limit)
        shown = ", ".join(f"{k}={v.rsplit('/', 1)[-1]}" for k, v in params.items()) or "-"
        rows.append((name, shown, count, median))
        print(f"  {name} {shown}: {median} ms", file=sys.stderr)
    return rows


def choose_values(store: ox.Store) -> dict[str, list[str]]:
    """Parameters as bench_queries chooses them: the busiest and the 25th busiest actor, and so on."""
    actors = select_rows(store, load_query("most-active-actors"))
    countries = [r["iso3"] or "" for r in actors if r["type"] == "Country"]
    article = "bench-000001"
    facts = select_rows(store, load_query("article-facts"), {"article": article})
    return {"actor": [actors[0]["actor"] or "", actors[-1]["actor"] or ""],
            "country1": countries[:1], "country2": countries[1:2], "article": [article],
            "fact": [next(r["fact"] or "" for r in facts if r["kind"] == "event")]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000, help="articles in the corpus (default 5000)")
    parser.add_argument("--workers", type=int, default=2, help="processes, for both (default 2)")
    parser.add_argument("--batch-size", type=int, default=32, help="nlp.pipe batch size (kg's default 32)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per query (default 3)")
    parser.add_argument("--limit", type=float, default=20,
                        help="seconds a query run may take before it is stopped (default 20)")
    parser.add_argument("--keep", type=Path, help="keep the corpus and store in this folder")
    parser.add_argument("--memory-only", action="store_true",
                        help="only run kg ingest once and report its time and peak memory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        corpus, store = work / "corpus.jsonl", work / "store"
        texts = write_corpus(corpus, args.articles)
        print(f"corpus: {len(texts)} articles, {corpus.stat().st_size / 1e6:.1f} MB, "
              f"{sum(len(t) for t in texts) / len(texts):.0f} characters each", file=sys.stderr)
        if args.memory_only:
            seconds, rss, line = run_ingest(corpus, store, args.workers)
            print(f"| kg ingest, {len(texts)} articles, {args.workers} workers | {seconds:.0f} s, "
                  f"{len(texts) / seconds:.1f} articles/s, peak RSS {rss / 1e6:,.0f} MB |\n\n{line}")
            return
        costs = stage_costs(texts, corpus)
        print("ms an article: " + ", ".join(f"{k} {v:.1f}" for k, v in costs.items()), file=sys.stderr)
        ref = reference(texts, args.workers, args.batch_size)
        print(f"raw nlp.pipe: {ref:.1f} s", file=sys.stderr)
        first, rss, line = run_ingest(corpus, store, args.workers)
        print(f"kg ingest: {first:.1f} s, peak RSS {rss / 1e6:.0f} MB: {line}", file=sys.stderr)
        ref_after = reference(texts, args.workers, args.batch_size)
        print(f"raw nlp.pipe again: {ref_after:.1f} s", file=sys.stderr)
        again, _, again_line = run_ingest(corpus, store, args.workers)
        print(f"kg ingest again: {again:.1f} s: {again_line}", file=sys.stderr)
        quads, load_seconds = bulk_load_rate(store, work / "bulk", 500)
        print(f"bulk load: {quads} quads in {load_seconds:.1f} s", file=sys.stderr)
        latencies = query_latencies(store, args.runs, args.limit)
        size = len(open_store(store, create=False, read_only=True))
        report(args, len(texts), (ref, ref_after), costs, first, rss, line, again, again_line, quads,
               load_seconds, size, latencies)


def report(args: argparse.Namespace, count: int, refs: tuple[float, float], costs: dict[str, float],
           first: float, rss: int, line: str, again: float, again_line: str, quads: int,
           load_seconds: float, size: int, latencies: list[tuple[str, str, str, str]]) -> None:
    """Print the figures as Markdown.

    The reference runs before and after the ingest; the machine may be shared,
    so both are shown and the ratio uses their mean."""
    ref = sum(refs) / 2
    print(f"{count} articles, {args.workers} workers, batch size {args.batch_size}, "
          f"{os.cpu_count()} CPUs; store: {size:,} quads\n")
    print("| measure | value | target |")
    print("|---|---:|---:|")
    print(f"| raw spaCy nlp.pipe (reference) | {count / ref:.1f} articles/s "
          f"({refs[0]:.0f} s before, {refs[1]:.0f} s after the ingest) | |")
    print(f"| kg ingest, end to end | {count / first:.1f} articles/s ({first:.0f} s) | |")
    print(f"| ratio ingest / reference | {ref / first:.2f} | >= 0.85 |")
    print(f"| peak RSS, all processes | {rss / 1e6:,.0f} MB | < 2,000 MB |")
    print(f"| bulk load | {quads / load_seconds:,.0f} quads/s ({quads:,} in {load_seconds:.1f} s) | |")
    print(f"| re-ingest, corpus unchanged | {again:.1f} s ({100 * again / first:.1f} % of the first) "
          f"| <= 5 % |")
    print(f"\nfirst run: {line}\nsecond run: {again_line}\n")
    print("one process, ms an article: " + ", ".join(f"{k} {v:.1f}" for k, v in costs.items()) + "\n")
    print("| query | parameters | rows | median ms |")
    print("|---|---|---:|---:|")
    for name, shown, rows, median in latencies:
        print(f"| {name} | {shown} | {rows} | {median} |")
    timed = [float(m) for *_, m in latencies if not m.startswith("stopped")]
    print(f"\nmedian query latency: {statistics.median(timed):.1f} ms")


if __name__ == "__main__":
    main()
