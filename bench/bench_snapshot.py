"""Benchmark: what publishing a snapshot (kg.snapshot) costs per batch, as a store grows.

Not a test. Article graphs from an ingest of data/samples/ are copied under
new article IRIs and written through kg.store.GraphWriter in batches of
``--batch`` (500, as ``kg ingest`` does) into a new store inside a writer's
session, which publishes a snapshot after each batch. Prints, per batch, the
seconds the bulk load took and the seconds the snapshot took.

    .venv/bin/python bench/bench_snapshot.py --articles 5000
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from kg.snapshot import open_snapshot, write_session
from kg.store import GraphWriter

ROOT = Path(__file__).resolve().parent.parent


def sample_bodies(folder: Path) -> list[tuple[str, str]]:
    """(graph IRI, N-Triples body) of each sample article, as kg ingest stores them."""
    store_path = folder / "samples"
    subprocess.run([sys.executable, "-m", "kg", "ingest", str(ROOT / "data" / "samples"), "--store",
                    str(store_path), "-q"], check=True)
    snapshot = open_snapshot(store_path)
    store = snapshot.open()
    bodies = []
    for graph in store.named_graphs():
        if isinstance(graph, ox.NamedNode) and "/article/" in graph.value:
            quads = store.quads_for_pattern(None, None, None, graph)
            triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
            bodies.append((graph.value, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()))
    snapshot.release()
    return bodies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-bench-snapshot-") as folder:
        bodies = sample_bodies(Path(folder))
        timings: list[tuple[float, float]] = []
        with write_session(Path(folder) / "store") as session:
            started = [time.perf_counter()]

            def publish() -> None:
                loaded = time.perf_counter()
                session.publish()
                timings.append((loaded - started[0], time.perf_counter() - loaded))
                started[0] = time.perf_counter()

            writer = GraphWriter(session.store, batch=args.batch, on_batch=publish)
            for n in range(args.articles):
                graph, body = bodies[n % len(bodies)]
                copy = f"{graph}-{n}"
                writer.write(copy, body.replace(f"<{graph}>", f"<{copy}>"), f"digest-{n}", new=True)
            writer.flush()
            del writer
        print("| batch | articles | bulk load s | snapshot s |")
        print("|---:|---:|---:|---:|")
        for number, (load, snap) in enumerate(timings, 1):
            print(f"| {number} | {number * args.batch} | {load:.2f} | {snap:.3f} |")


if __name__ == "__main__":
    main()
