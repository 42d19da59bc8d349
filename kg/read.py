"""Files -> Article: the reader for the plain-text convention and JSON Lines.

The plain-text convention (DESIGN.md): a first line ``date YYYY-MM-DD`` (other
words may follow), a title, a ``by A, B`` byline, an optional photo caption
ending in a parenthesised credit, the body paragraphs, a tags line of glued
words and the authors' bios. Byline, credit, tags and bios are metadata: they
are kept on the Article but never become part of the text that is analysed.

``Article.text`` is what the extractor reads and what evidence offsets point
into: the title, the caption and the body paragraphs, separated by blank lines.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError

__all__ = ["Article", "ReadFailure", "read_articles", "read_path", "parse_text_article"]

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}

_DATE_LINE = re.compile(r"^\s*date\s+(\S+)", re.IGNORECASE)
_BYLINE = re.compile(r"^by\s+(.+)$", re.IGNORECASE)
_CREDIT = re.compile(r"^(?P<caption>.+?[.!?\"”])\s*\((?P<credit>[^()]{2,120})\)\s*$")
_DATELINE = re.compile(r"^(?P<place>[A-Z][A-Z .'-]{1,40}),\s*(?P<date>[^()\n]{0,25}?)\s*"
                       r"(?:\((?P<agency>[^)]{1,30})\))?\s*[-–—]\s+")
_GLUED = re.compile(r"[a-z][A-Z]")
_TAG_SPLIT = re.compile(r"(?<=[a-z])(?=[A-Z])")


@dataclass(frozen=True)
class Article:
    """One news article, its metadata and the text that is analysed."""

    id: str
    date: str | None
    title: str
    text: str
    url: str | None = None
    authors: tuple[str, ...] = ()
    captions: tuple[str, ...] = ()
    credits: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    bios: tuple[str, ...] = ()
    dateline: str | None = None
    publisher: str | None = None
    source: str = ""


@dataclass(frozen=True)
class ReadFailure:
    """An input that could not be read; the batch goes on without it."""

    source: str
    message: str


def read_articles(paths: Iterable[str | Path]) -> Iterator[Article | ReadFailure]:
    """Yield an Article per readable input, a ReadFailure per unreadable one.

    Directories are walked recursively for known suffixes; ``-`` reads stdin.
    """
    for path in paths:
        try:
            yield from read_path(path)
        except InputError as exc:
            logger.warning("%s", exc)
            yield ReadFailure(str(path), str(exc))


def read_path(path: str | Path) -> Iterator[Article | ReadFailure]:
    """Read one file, directory or ``-``; raise InputError if it is unusable."""
    if str(path) == "-":
        yield parse_text_article(sys.stdin.read(), article_id="stdin", source="-")
        return
    path = Path(path)
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            if child.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES:
                yield from read_articles([child])
        return
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    if path.suffix.lower() in JSONL_SUFFIXES:
        yield from _read_jsonl(path)
    else:
        yield parse_text_article(_read_text(path), article_id=path.stem, source=str(path))


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: binary file, not an article")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start}); convert it to UTF-8") from exc


def parse_text_article(raw: str, *, article_id: str, source: str) -> Article:
    """Parse the plain-text convention into an Article."""
    lines = raw.splitlines()
    if not any(line.strip() for line in lines):
        raise InputError(f"{source}: empty file")
    date = _parse_date_line(lines[0], source)
    blocks = [line.strip() for line in lines[1:] if line.strip()]
    if not blocks:
        raise InputError(f"{source}: no title or body after the date line")
    title, rest = blocks[0], blocks[1:]
    authors, rest = _split_byline(rest)
    captions, credits, rest = _split_caption(rest)
    body, tags, bios = _split_trailer(rest, authors)
    if not body:
        raise InputError(f"{source}: no body text")
    dateline, body = _split_dateline(body)
    text = "\n\n".join([title, *captions, *body])
    return Article(id=article_id, date=date, title=title, text=text, authors=authors,
                   captions=captions, credits=credits, tags=tags, bios=bios,
                   dateline=dateline, source=source)


def _parse_date_line(line: str, source: str) -> str:
    match = _DATE_LINE.match(line)
    if not match:
        raise InputError(f"{source}:1: no 'date YYYY-MM-DD' line; add one as the first line")
    return _check_date(match.group(1), f"{source}:1")


def _check_date(value: str, where: str) -> str:
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError as exc:
        raise InputError(f"{where}: impossible date {value!r}; use YYYY-MM-DD") from exc


def _split_byline(blocks: list[str]) -> tuple[tuple[str, ...], list[str]]:
    match = _BYLINE.match(blocks[0]) if blocks else None
    if not match:
        return (), blocks
    names = re.split(r",\s*|\s+and\s+", match.group(1))
    return tuple(n.strip() for n in names if n.strip()), blocks[1:]


def _split_caption(blocks: list[str]) -> tuple[tuple[str, ...], tuple[str, ...], list[str]]:
    match = _CREDIT.match(blocks[0]) if blocks else None
    if not match or len(match.group("credit").split()) > 12:
        return (), (), blocks
    return (match.group("caption"),), (match.group("credit"),), blocks[1:]


def _split_trailer(blocks: list[str], authors: tuple[str, ...]
                   ) -> tuple[list[str], tuple[str, ...], tuple[str, ...]]:
    """Split body paragraphs from a trailing tags line and author bios."""
    for i, block in enumerate(blocks):
        if _is_tags_line(block):
            return blocks[:i], tuple(_TAG_SPLIT.split(block)), tuple(blocks[i + 1:])
        if i > 0 and block in authors:
            return blocks[:i], (), tuple(blocks[i:])
    return blocks, (), ()


def _is_tags_line(block: str) -> bool:
    """A line of glued tags: no sentence punctuation, words run together."""
    return (not re.search(r"[.!?:;,\"”]", block) and len(_GLUED.findall(block)) >= 2)


def _split_dateline(body: list[str]) -> tuple[str | None, list[str]]:
    match = _DATELINE.match(body[0])
    if not match:
        return None, body
    return match.group(0).rstrip(" -–—"), [body[0][match.end():], *body[1:]]


def _read_jsonl(path: Path) -> Iterator[Article | ReadFailure]:
    with path.open(encoding="utf-8", errors="strict") as handle:
        try:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    yield _jsonl_record(line, f"{path}:{number}", path)
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not UTF-8 text; convert it to UTF-8") from exc


def _jsonl_record(line: str, where: str, path: Path) -> Article | ReadFailure:
    try:
        record = json.loads(line)
        if not isinstance(record, dict):
            raise InputError(f"{where}: not a JSON object")
        return _article_from_record(record, where, path)
    except json.JSONDecodeError as exc:
        return ReadFailure(where, f"{where}: not JSON ({exc.msg})")
    except InputError as exc:
        return ReadFailure(where, str(exc))


def _article_from_record(record: dict[str, object], where: str, path: Path) -> Article:
    text = str(record.get("text") or "").strip()
    if not text:
        raise InputError(f"{where}: no 'text'")
    if not record.get("date"):
        raise InputError(f"{where}: no 'date'; add one as YYYY-MM-DD")
    title = str(record.get("title") or "").strip()
    authors = record.get("authors") or ()
    article_id = str(record.get("id") or f"{path.stem}-{where.rsplit(':', 1)[1]}")
    return Article(id=article_id, date=_check_date(str(record["date"]), where), title=title,
                   text="\n\n".join(p for p in (title, text) if p), url=_opt(record.get("url")),
                   authors=tuple(str(a) for a in authors) if isinstance(authors, list) else (str(authors),),
                   publisher=_opt(record.get("source")), source=where)


def _opt(value: object) -> str | None:
    return str(value) if value else None
