"""Fact gold -> score: ingest a gold file's articles into a temporary store,
export the event table and score it with the project's scorer (kg/score.py).

The gold format is shared/eval/FORMAT.md: one document a line, with its text
inline (``text``) or in a file (``text_file``, relative to the gold file).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg import score
from kg.config import Settings
from kg.errors import InputError
from kg.export import event_rows
from kg.pipeline import IngestSummary, ingest_articles
from kg.read import Article, ReadFailure, parse_text_article
from kg.store import open_store

__all__ = ["evaluate", "format_report", "gold_articles"]


def evaluate(gold_path: Path, *, settings: Settings | None = None) -> tuple[dict[str, Any], IngestSummary]:
    """Score kg on the documents of *gold_path*; return the scorer's result and the ingest summary."""
    gold = _load_gold(gold_path)
    with tempfile.TemporaryDirectory(prefix="kg-eval-") as folder:
        store_settings = Settings(**{**(settings or Settings()).__dict__, "store_path": Path(folder)})
        summary = ingest_articles(gold_articles(gold, gold_path), settings=store_settings)
        rows = event_rows(open_store(Path(folder), create=False, read_only=True))
    return score.score(gold, rows, warnings=[]), summary  # type: ignore[no-untyped-call]


def format_report(result: dict[str, Any], gold_path: Path) -> str:
    """The scorer's table, as `score.py GOLD PRED` prints it."""
    return str(score.format_table(result, str(gold_path), "kg"))  # type: ignore[no-untyped-call]


def _load_gold(path: Path) -> list[dict[str, Any]]:
    try:
        warnings: list[str] = []
        return list(score.load_jsonl(str(path), warnings))  # type: ignore[no-untyped-call]
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the gold file ({exc})") from exc


def gold_articles(gold: list[dict[str, Any]], gold_path: Path) -> Iterator[Article | ReadFailure]:
    """The articles the gold documents are about, with the gold's ids."""
    for number, doc in enumerate(gold, 1):
        where = f"{gold_path}:{number}"
        try:
            yield _article(doc, gold_path.parent, where)
        except InputError as exc:
            yield ReadFailure(where, str(exc))


def _article(doc: dict[str, Any], folder: Path, where: str) -> Article:
    doc_id = str(doc.get("id") or "")
    if not doc_id:
        raise InputError(f"{where}: gold document without 'id'")
    if doc.get("text_file"):
        path = folder / str(doc["text_file"])
        try:
            raw = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{where}: cannot read {path} ({exc})") from exc
        return parse_text_article(raw, article_id=doc_id, source=str(path))
    text = str(doc.get("text") or "").strip()
    if not text:
        raise InputError(f"{where}: gold document {doc_id!r} has neither 'text' nor 'text_file'")
    date = doc.get("date")
    return Article(id=doc_id, date=str(date)[:10] if date else None, title="", text=text, source=where)
