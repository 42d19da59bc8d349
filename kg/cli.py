"""The ``kg`` command: parse options, call the library, print.

Data goes to stdout, progress and summaries to stderr. KgGroup is the one
place where a KgError becomes a one-line message and exit status 1.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar

import click

from kg.config import settings_from_env
from kg.errors import KgError
from kg.export import EXPORTERS, export
from kg.network import VIEWS, View
from kg.params import parse_assignments
from kg.pipeline import extract_paths, ingest
from kg.query import FORMATS, format_query_list, format_results, load_query, open_query_store
from kg.read import ReadFailure, count_articles
from kg.remote import RemoteStore, push
from kg.serve import Endpoint, serve
from kg.snapshot import refuse_if_locked
from kg.store import open_store, store_counts

__all__ = ["cli"]

F = TypeVar("F", bound=Callable[..., Any])


class KgGroup(click.Group):
    """A click group that turns KgError into 'Error: message' and exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KgError as exc:
            raise click.ClickException(str(exc)) from exc


def store_option(func: F) -> F:
    """The --store option shared by every command that touches the store."""
    return click.option("--store", "store_path", type=click.Path(file_okay=False, path_type=Path),
                        envvar="KG_STORE", default="kg-store", show_default=True,
                        help="Directory of the embedded Oxigraph store (env KG_STORE).")(func)


@click.group(cls=KgGroup)
@click.version_option(package_name="kg")
@click.option("-v", "--verbose", is_flag=True, help="Log each article to stderr.")
def cli(verbose: bool) -> None:
    """Turn geopolitical news articles into an RDF knowledge graph."""
    if verbose:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")


@cli.command(name="ingest")
@click.argument("paths", nargs=-1, required=True)
@store_option
@click.option("--glob", "glob", metavar="PATTERN",
              help="In directories, read only the files whose name or path matches, e.g. '*.html'.")
@click.option("-w", "--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes that parse and extract.")
@click.option("--force", is_flag=True, help="Extract every article again, even those unchanged.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.option("--wait", is_flag=True,
              help="If another kg process is writing to the store, wait for it instead of failing.")
@click.option("--endpoint", metavar="URL",
              help="Write to this remote store's SPARQL 1.1 Update URL instead of --store.")
@click.option("--dask", "dask", metavar="[ADDRESS]", is_flag=False, flag_value="",
              help="Read and extract on a Dask cluster: the scheduler at ADDRESS (--dask=tcp://host:8786), "
                   "or a local cluster of --workers processes (a bare --dask, after the paths).")
@click.option("--shards", type=click.Path(file_okay=False, path_type=Path),
              help="With --dask: keep the N-Quads shards in this folder (one all the machines see).")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a JSON report of the run: counts, and every failure and warning with its cause.")
def ingest_command(paths: tuple[str, ...], store_path: Path, glob: str | None, workers: int, force: bool,
                   quiet: bool, wait: bool, endpoint: str | None, dask: str | None, shards: Path | None,
                   report: Path | None) -> None:
    """Extract facts from article files, directories or - (stdin) into the store.

    Reads .txt, .jsonl/.ndjson (also gzipped), .html/.htm and RSS/Atom feeds
    (.rss, .atom, .xml). Articles already in the store unchanged are skipped;
    a run stopped by Ctrl-C or a kill goes on where it stopped when run again.
    An input that cannot be read (binary, empty, an impossible date, not
    English ...) is reported on one line and the rest goes in. One process
    writes a store at a time: queries read the snapshot of the last batch
    written meanwhile.

    Exit status: 0 when every input went in, 1 when some failed, 130 when
    interrupted.
    """
    from tqdm import tqdm

    settings = settings_from_env(store_path=store_path, workers=workers)
    if not (wait or endpoint):
        refuse_if_locked(settings.store_path)  # before the progress bar; ingest checks again, locked
    total = None if quiet else count_articles(paths, glob=glob)
    if dask and "://" not in dask and ":" not in dask:
        raise click.UsageError(f"--dask {dask}: not a scheduler address such as tcp://host:8786; "
                               "for a local cluster put --dask after the paths")
    with tqdm(desc="ingest", unit=" articles", total=total, file=sys.stderr, disable=quiet) as bar:
        def show(line: str) -> None:
            bar.write(line, file=sys.stderr)

        if dask is None:
            summary = ingest(paths, settings=settings, on_article=lambda _: bar.update(), endpoint=endpoint,
                             glob=glob, force=force, wait=wait, on_problem=show)
        else:
            from kg.distributed import ingest_dask

            summary = ingest_dask(paths, settings=settings, address=dask or None, glob=glob, force=force,
                                  endpoint=endpoint, shards=shards, on_article=lambda _: bar.update(),
                                  wait=wait, on_problem=show)
    click.echo(summary.line(), err=True)
    if report is not None:
        report.write_text(json.dumps(summary.report(), indent=2) + "\n", encoding="utf-8")
        click.echo(f"report written to {report}", err=True)
    if summary.interrupted:
        click.echo("interrupted: run the same command again to ingest the rest", err=True)
        sys.stderr.flush()
        # Everything is stored and flushed; exiting at once spares waiting on what is left of
        # the worker processes and their queues.
        os._exit(130)
    if summary.failures:
        sys.exit(1)


@cli.command(name="query")
@click.argument("query", required=False)
@store_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="SELECT results as a table, CSV, TSV or SPARQL 1.1 JSON (CONSTRUCT: Turtle).")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter the query declares, e.g. --param actor=Belarus (repeatable).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: stdout).")
@click.option("--list", "list_queries", is_flag=True, help="List the canned queries and their parameters.")
def query_command(query: str | None, store_path: Path, fmt: str, params: tuple[str, ...],
                  output: Path | None, list_queries: bool) -> None:
    """Run QUERY (a .rq file, a name from queries/, or SPARQL text) over the store."""
    if list_queries:
        click.echo(format_query_list())
        return
    if query is None:
        raise click.UsageError("Missing argument 'QUERY' (or pass --list).")
    sparql = load_query(query)
    store = open_query_store(store_path, sparql)
    text = format_results(store, sparql, fmt, parse_assignments(params))  # type: ignore[arg-type]
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        click.echo(f"results written to {output}", err=True)


@cli.command(name="export")
@store_option
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORTERS)), required=True,
              help="RDF (ttl, trig, nq, jsonld), the event table (events-jsonl, events-csv), "
                   "or a network for Gephi and NetworkX (gexf, graphml, csv).")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="File to write (default: stdout); for csv, the directory that gets nodes.csv "
                   "and edges.csv (required).")
@click.option("--view", type=click.Choice(VIEWS), default="actors", show_default=True,
              help="Networks: actors linked by one edge per event or relation (actors), or events "
                   "and relations as nodes between their actors (full).")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Leave out facts found with less confidence (event tables and networks).")
def export_command(store_path: Path, fmt: str, output: Path | None, view: View,
                   min_confidence: float) -> None:
    """Write the store as RDF, the event table, or a network (dynamic GEXF, GraphML, CSV)."""
    store = open_store(store_path, create=False, read_only=True)
    count = export(store, fmt, output or sys.stdout.buffer, min_confidence=min_confidence, view=view)
    click.echo(f"{count} {EXPORTERS[fmt].unit} written" + (f" to {output}" if output else ""), err=True)


@cli.command(name="stats")
@store_option
def stats_command(store_path: Path) -> None:
    """Count articles, actors, events, relations and quads in the store."""
    store = open_store(store_path, create=False, read_only=True)
    counts = store_counts(store)
    rows = json.loads(format_results(store, load_query("stats"), "json"))["results"]["bindings"]
    for name, cell in (rows[0] if rows else {}).items():
        click.echo(f"{name:<10} {cell['value']}")
    click.echo(f"{'graphs':<10} {counts['graphs']}")
    click.echo(f"{'quads':<10} {counts['quads']}")


@cli.command(name="extract")
@click.argument("paths", nargs=-1, required=True)
def extract_command(paths: tuple[str, ...]) -> None:
    """Print what would be extracted from article files, as JSON; no store."""
    failed = False
    for item in extract_paths(paths, settings=settings_from_env()):
        if isinstance(item, ReadFailure):
            click.echo(f"Error: {item.message}", err=True)
            failed = True
            continue
        article, extraction = item
        record = {"article": dataclasses.asdict(article),
                  **dataclasses.asdict(extraction)}
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
    if failed:
        sys.exit(1)


@cli.command(name="validate")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@store_option
def validate_command(file: Path | None, store_path: Path) -> None:
    """Check the store (or an RDF FILE) against the SHACL shapes of ontology/shapes.ttl."""
    from kg.validate import validate_file, validate_store

    if file is not None:
        report = validate_file(file)
    else:
        report = validate_store(open_store(store_path, create=False, read_only=True))
    for line in report.violations:
        click.echo(line)
    click.echo("conforms" if report.conforms else f"{len(report.violations)} violations", err=True)
    if not report.conforms:
        sys.exit(1)


@cli.command(name="serve")
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--timeout", type=click.FloatRange(min=1), default=30.0, show_default=True,
              help="Seconds a query may run.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=50_000_000, show_default=True,
              help="Largest answer sent; a larger one is refused with HTTP 413.")
def serve_command(store_path: Path, host: str, port: int, timeout: float, max_bytes: int) -> None:
    """Serve the store read-only over the SPARQL 1.1 Protocol until Ctrl-C."""
    def ready(endpoint: Endpoint) -> None:
        click.echo(f"SPARQL endpoint at {endpoint.query_url} (read-only; Ctrl-C stops it)", err=True)

    serve(store_path, host=host, port=port, timeout=timeout, max_bytes=max_bytes, on_ready=ready)


@cli.command(name="push")
@store_option
@click.option("--endpoint", metavar="URL", help="The remote store's SPARQL 1.1 Update URL.")
@click.option("--graph-store", metavar="URL",
              help="Its Graph Store Protocol URL: one PUT per graph instead of SPARQL Update.")
@click.option("--default-graph/--no-default-graph", default=True, show_default=True,
              help="Also replace the remote default graph with the store's merge of the articles.")
@click.option("--timeout", type=click.FloatRange(min=1), default=60.0, show_default=True,
              help="Seconds to wait for each answer.")
def push_command(store_path: Path, endpoint: str | None, graph_store: str | None, default_graph: bool,
                 timeout: float) -> None:
    """Send the store's graphs to a remote SPARQL 1.1 store, replacing graphs of the same name."""
    if not endpoint and not graph_store:
        raise click.UsageError("pass --endpoint URL (SPARQL Update) or --graph-store URL")
    store = open_store(store_path, create=False, read_only=True)
    remote = RemoteStore(endpoint, graph_store_url=graph_store, timeout=timeout)
    summary = push(store, remote, default_graph=default_graph)
    click.echo(f"{summary.graphs} graphs, {summary.triples} triples sent in {summary.requests} requests",
               err=True)


@cli.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scorer's result as JSON.")
@click.option("--details", is_flag=True,
              help="Also list, per document, the gold facts missed and the extra predictions.")
def eval_command(gold: Path, as_json: bool, details: bool) -> None:
    """Ingest a fact-gold file's articles into a temporary store and score the event table."""
    from kg.evaluate import actor_figures, evaluate, format_actor_figures, format_details, format_report

    evaluation = evaluate(gold, settings=settings_from_env())
    for failure in evaluation.summary.failures:
        click.echo(f"Error: {failure.message}", err=True)
    click.echo(json.dumps(evaluation.result, indent=2) if as_json else format_report(evaluation.result, gold))
    if any(doc.get("entities") for doc in evaluation.gold) and not as_json:
        click.echo(format_actor_figures(actor_figures(evaluation.gold, evaluation.rows), details=details))
    if details:
        click.echo(format_details(evaluation))
    click.echo(evaluation.summary.line(), err=True)


@cli.group(name="actors")
def actors_group() -> None:
    """List the store's actors, merge two of them, or keep two apart (the curation file)."""


@actors_group.command(name="list")
@store_option
def actors_list_command(store_path: Path) -> None:
    """Print every actor with its key, class, label, aliases, country and code."""
    store = open_store(store_path, create=False, read_only=True)
    click.echo(format_results(store, load_query("actors"), "table"))


@actors_group.command(name="merge")
@click.argument("first")
@click.argument("second")
@store_option
def actors_merge_command(first: str, second: str, store_path: Path) -> None:
    """Make actor FIRST actor SECOND (keys as 'kg actors list' prints them), now and at every ingest."""
    _curate("merge", first, second, store_path)


@actors_group.command(name="split")
@click.argument("first")
@click.argument("second")
@store_option
def actors_split_command(first: str, second: str, store_path: Path) -> None:
    """Keep actors FIRST and SECOND apart, undoing a merge, now and at every ingest."""
    _curate("split", first, second, store_path)


def _curate(action: Literal["merge", "split"], first: str, second: str, store_path: Path) -> None:
    from kg.curate import curate_actors

    summary = curate_actors(action, first, second, settings=settings_from_env(store_path=store_path))
    click.echo(f"{action} {first} {second}: {summary.articles} articles ingested again", err=True)
