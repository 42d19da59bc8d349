"""The ``kg`` command: parse options, call the library, print.

Data goes to stdout, progress and summaries to stderr. KgGroup is the one
place where a KgError becomes a one-line message and exit status 1.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from kg.config import settings_from_env
from kg.errors import KgError
from kg.export import EXPORTERS, export
from kg.pipeline import extract_paths, ingest
from kg.query import FORMATS, format_results, load_query
from kg.read import ReadFailure
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
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def ingest_command(paths: tuple[str, ...], store_path: Path, quiet: bool) -> None:
    """Extract facts from article files, directories or - (stdin) into the store."""
    from tqdm import tqdm

    settings = settings_from_env(store_path=store_path)
    with tqdm(desc="ingest", unit=" articles", file=sys.stderr, disable=quiet) as bar:
        summary = ingest(paths, settings=settings, on_article=lambda _: bar.update())
    for failure in summary.failures:
        click.echo(f"Error: {failure.message}", err=True)
    click.echo(summary.line(), err=True)
    if summary.failures:
        sys.exit(1)


@cli.command(name="query")
@click.argument("query")
@store_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="Output format for SELECT results.")
def query_command(query: str, store_path: Path, fmt: str) -> None:
    """Run QUERY (a .rq file, a name from queries/, or SPARQL text) over the store."""
    store = open_store(store_path, create=False, read_only=True)
    click.echo(format_results(store, load_query(query), fmt))  # type: ignore[arg-type]


@cli.command(name="export")
@store_option
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORTERS)), required=True,
              help="RDF serialisation or event table.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: stdout).")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Leave out facts found with less confidence (event tables).")
def export_command(store_path: Path, fmt: str, output: Path | None, min_confidence: float) -> None:
    """Write the store as Turtle, TriG, N-Quads or the event table."""
    store = open_store(store_path, create=False, read_only=True)
    if output is None:
        count = export(store, fmt, sys.stdout.buffer, min_confidence=min_confidence)
    else:
        with output.open("wb") as out:
            count = export(store, fmt, out, min_confidence=min_confidence)
    unit = "rows" if fmt.startswith("events") else "triples"
    click.echo(f"{count} {unit} written" + (f" to {output}" if output else ""), err=True)


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
        record = {"article": {k: v for k, v in dataclasses.asdict(article).items() if k != "extra"},
                  **dataclasses.asdict(extraction)}
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
    if failed:
        sys.exit(1)
