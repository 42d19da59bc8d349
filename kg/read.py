"""Files -> Article: the plain-text convention, JSON Lines, HTML pages and feeds.

Inputs: files, directories (walked recursively in name order, optionally
filtered by a glob), ``-`` for stdin (JSON Lines if it starts with ``{``,
else one plain-text article). JSON Lines files (``.jsonl``, ``.ndjson``,
either gzipped) are streamed a line at a time, never read whole; a bad line
is a ReadFailure naming the file and line, and the next line goes on. HTML
pages and RSS/Atom feeds are read by kg.web.

Every article read is checked before it is handed on: text longer than
spaCy's limit (MAX_TEXT_CHARS) or not in English is a ReadFailure, so a batch
never meets an input the parser would stop on. Bytes that are not UTF-8 are
read by their byte-order mark (UTF-16, UTF-32), or else in the encoding
charset-normalizer guesses, with a warning on the Article.

The plain-text convention (DESIGN.md): a first line ``date YYYY-MM-DD`` (other
words may follow), a title, a ``by A, B`` byline, an optional photo caption
ending in a parenthesised credit, the body paragraphs, a tags line of glued
words and the authors' bios. Byline, credit, tags and bios are metadata: they
are kept on the Article but never become part of the text that is analysed.

``Article.text`` is what the extractor reads and what evidence offsets point
into: the title, the caption and the body paragraphs, separated by blank lines.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import fnmatch
import gzip
import itertools
import json
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from spacy.lang.en.stop_words import STOP_WORDS

from kg.errors import InputError

__all__ = ["MAX_FILE_BYTES", "MAX_TEXT_CHARS", "Article", "ReadFailure", "check_article", "count_articles",
           "decode", "input_files", "is_absolute_url", "jsonl_ranges", "parse_text_article", "read_articles",
           "read_bytes", "read_jsonl_range", "read_path", "warnings_of"]

TEXT_SUFFIXES = {".txt", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"}
HTML_SUFFIXES = {".html", ".htm"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES

MAX_TEXT_CHARS = 1_000_000   # spaCy's nlp.max_length: longer texts make the parser stop the batch
MAX_FILE_BYTES = 64 << 20    # larger text, HTML or feed files are not read (JSON Lines are streamed)

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
    warnings: tuple[str, ...] = ()      # read, but not as written (a guessed encoding): one line each


@dataclass(frozen=True)
class ReadFailure:
    """An input that could not be read; the batch goes on without it.

    *source* is the file, ``file:line`` for a JSON Lines record, ``file: entry
    N`` for a feed entry; *kind* is InputError's (empty, binary, encoding,
    too-long, language, date, json ...).
    """

    source: str
    message: str
    kind: str = "unreadable"


def read_articles(paths: Iterable[str | Path], *, glob: str | None = None
                  ) -> Iterator[Article | ReadFailure]:
    """Yield an Article per readable input, a ReadFailure per unreadable one.

    Directories are walked recursively for known suffixes, or for the files
    *glob* matches (by name, or by path under the directory); ``-`` reads stdin.
    """
    for path in paths:
        yield from _checked(_read_guarded(path, glob))


def _checked(items: Iterable[Article | ReadFailure]) -> Iterator[Article | ReadFailure]:
    for item in items:
        yield check_article(item) if isinstance(item, Article) else item


def _read_guarded(path: str | Path, glob: str | None) -> Iterator[Article | ReadFailure]:
    try:
        yield from read_path(path, glob=glob)
    except InputError as exc:
        yield ReadFailure(str(path), str(exc), exc.kind)


def check_article(article: Article) -> Article | ReadFailure:
    """*article*, or a ReadFailure if its text is too long to parse or is not English.

    A URL that is not absolute (no scheme) is left out, with a warning: it
    cannot be an IRI, and the store would refuse the batch it came in.
    """
    if article.url and not is_absolute_url(article.url):
        article = _warned(dataclasses.replace(article, url=None), f"{article.source}: url "
                          f"{article.url[:100]!r} is not absolute (no scheme such as https:); left out")
    length = len(article.text)
    if length > MAX_TEXT_CHARS:
        return ReadFailure(article.source, f"{article.source}: text of {length:,} characters, over spaCy's "
                           f"limit of {MAX_TEXT_CHARS:,}; split it into articles", "too-long")
    if not _looks_english(article.text):
        return ReadFailure(article.source, f"{article.source}: not English text; kg reads English articles "
                           "only", "language")
    return article


_WORD = re.compile(r"[^\W\d_]+")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S")


def is_absolute_url(url: str) -> bool:
    """Whether *url* starts with a scheme (RFC 3986: ``https:``, ``urn:``), as an IRI must."""
    return bool(_SCHEME.match(url.strip()))


def _looks_english(text: str) -> bool:
    """Whether *text* reads as English, from a sample of its start.

    Not English: mostly letters of other scripts than Latin; or English
    function words (spaCy's stop words) under 12 % of 30 words or more, where
    English news has 30-45 % and French, Spanish, German or Polish under 10 %;
    or, from 12 words, under 5 %, or under 20 % with accented letters in 15 %
    of the words (an English story full of Polish names still has its function
    words). Shorter texts count as English: too short to tell.
    """
    sample = text[:5000]
    ascii_only = sample.isascii()
    letters = [] if ascii_only else [c for c in sample if c.isalpha()]
    if len(letters) >= 10 and sum(c < "\u0250" for c in letters) < 0.5 * len(letters):
        return False
    words = _WORD.findall(sample.lower())
    if len(words) < 12:
        return True
    function = sum(map(STOP_WORDS.__contains__, words)) / len(words)
    accented = 0.0 if ascii_only else sum(not w.isascii() for w in words) / len(words)
    return function >= (0.12 if len(words) >= 30 else 0.05) and not (function < 0.2 and accented >= 0.15)


def read_path(path: str | Path, *, glob: str | None = None) -> Iterator[Article | ReadFailure]:
    """Read one file, directory or ``-``; raise InputError if it is unusable."""
    if str(path) == "-":
        yield from _read_stdin(sys.stdin.buffer)
        return
    path = Path(path)
    if path.is_dir():
        for child in input_files(path, glob):
            yield from _read_guarded(child, None)
        return
    if not path.exists():
        raise InputError(f"{path}: no such file or directory", kind="missing")
    suffix = _suffix(path)
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl(path)
    elif suffix in HTML_SUFFIXES:
        from kg.web import read_html

        yield read_html(path)
    elif suffix in FEED_SUFFIXES:
        from kg.web import read_feed

        yield from read_feed(path)
    else:
        yield _text_article(read_bytes(path), article_id=path.stem, source=str(path))


def input_files(directory: Path, glob: str | None = None) -> Iterator[Path]:
    """The files under *directory* to read: a folder's files in name order, then its subfolders."""
    for folder, subfolders, names in os.walk(directory):
        subfolders.sort()
        for name in sorted(names):
            path = Path(folder, name)
            relative = path.relative_to(directory).as_posix()
            if (glob is None and _suffix(path) in KNOWN_SUFFIXES) or (
                    glob is not None and (fnmatch.fnmatch(name, glob) or fnmatch.fnmatch(relative, glob))):
                yield path


def count_articles(paths: Iterable[str | Path], *, glob: str | None = None) -> int | None:
    """About how many articles *paths* hold, for a progress bar; None if stdin is among them.

    Counts lines of JSON Lines files and items of feeds without parsing them.
    """
    total = 0
    for path in paths:
        if str(path) == "-":
            return None
        path = Path(path)
        files = input_files(path, glob) if path.is_dir() else [path]
        total += sum(_count_in_file(file) for file in files)
    return total


def _count_in_file(path: Path) -> int:
    suffix = _suffix(path)
    try:
        if suffix in JSONL_SUFFIXES:
            with (gzip.open(path) if suffix.endswith(".gz") else path.open("rb")) as handle:
                return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
        if suffix in FEED_SUFFIXES:
            data = path.read_bytes()
            return data.count(b"<item") + data.count(b"<entry")
    except (OSError, EOFError, zlib.error):
        return 0
    return 1


def _suffix(path: Path) -> str:
    """The suffix that says how to read *path*: '.txt', '.jsonl.gz' ..."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if len(suffixes) == 2 and suffixes[1] == ".gz":
        return "".join(suffixes)
    return suffixes[-1] if suffixes else ""


def _read_stdin(stream: IO[bytes]) -> Iterator[Article | ReadFailure]:
    """JSON Lines if the first line that is not blank starts with '{', else one plain-text article."""
    head: list[bytes] = []
    for line in stream:
        head.append(line)
        if line.strip():
            break
    if b"".join(head).lstrip().startswith(b"{"):
        yield from _jsonl_lines(itertools.chain(head, stream), "stdin", "stdin")
        return
    yield _text_article(b"".join(head) + stream.read(), article_id="stdin", source="-")


def read_bytes(path: Path) -> bytes:
    """The bytes of a text, HTML or feed file, if it is not too large to be an article or a feed."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"{path}: {size / 2**20:.0f} MB, over kg's limit of {MAX_FILE_BYTES >> 20} MB "
                             "for one file; split it, or make it JSON Lines", kind="too-long")
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc


def _text_article(data: bytes, *, article_id: str, source: str) -> Article:
    text, warning = decode(data, source)
    return _warned(parse_text_article(text, article_id=article_id, source=source), warning)


def _warned(article: Article, warning: str | None) -> Article:
    """*article* with one more warning, if there is one."""
    return dataclasses.replace(article, warnings=(*article.warnings, warning)) if warning else article


def warnings_of(article: Article) -> list[ReadFailure]:
    """The warnings of *article* as reports (kind ``warning``), for a run's summary."""
    return [ReadFailure(article.source, warning, "warning") for warning in article.warnings]


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes, where: str) -> tuple[str, str | None]:
    """Text from *data* and a warning if it had to be guessed.

    UTF-8, or the encoding a byte-order mark names (UTF-32 before UTF-16, whose
    mark starts UTF-32's); bytes with NULs and no mark are binary; anything
    else is decoded in the encoding charset-normalizer finds most likely.
    """
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            try:
                return data.decode(encoding), None
            except UnicodeDecodeError as exc:
                raise InputError(f"{where}: damaged {encoding.upper()} text (byte {exc.start}); convert it "
                                 "to UTF-8", kind="encoding") from exc
    if b"\x00" in data[:8192]:
        raise InputError(f"{where}: binary file, not an article", kind="binary")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return _decode_guessed(data, where, exc.start)


def _decode_guessed(data: bytes, where: str, bad_byte: int) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    encoding = best.encoding if best is not None else "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        text = ""
    if not text or len(_CONTROL.findall(text[:8192])) > 0.01 * len(text[:8192]):
        raise InputError(f"{where}: binary, or text in no encoding kg recognises (not UTF-8 from byte "
                         f"{bad_byte}); convert it to UTF-8", kind="encoding")
    return text, (f"{where}: not UTF-8 (byte {bad_byte}); read as {encoding}, the likeliest "
                  "encoding; convert it to UTF-8 to be sure")


def parse_text_article(raw: str, *, article_id: str, source: str) -> Article:
    """Parse the plain-text convention into an Article."""
    lines = raw.splitlines()
    if not any(line.strip() for line in lines):
        raise InputError(f"{source}: empty file", kind="empty")
    date = _parse_date_line(lines[0], source)
    blocks = [line.strip() for line in lines[1:] if line.strip()]
    if not blocks:
        raise InputError(f"{source}: no title or body after the date line", kind="no-text")
    title, rest = blocks[0], blocks[1:]
    authors, rest = _split_byline(rest)
    captions, credits, rest = _split_caption(rest)
    body, tags, bios = _split_trailer(rest, authors)
    if not body:
        raise InputError(f"{source}: no body text", kind="no-text")
    dateline, body = _split_dateline(body)
    text = "\n\n".join([title, *captions, *body])
    return Article(id=article_id, date=date, title=title, text=text, authors=authors,
                   captions=captions, credits=credits, tags=tags, bios=bios,
                   dateline=dateline, source=source)


def _parse_date_line(line: str, source: str) -> str:
    match = _DATE_LINE.match(line)
    if not match:
        raise InputError(f"{source}:1: no 'date YYYY-MM-DD' line; add one as the first line", kind="date")
    return _check_date(match.group(1), f"{source}:1")


def _check_date(value: str, where: str) -> str:
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError as exc:
        raise InputError(f"{where}: impossible date {value!r}; use YYYY-MM-DD", kind="date") from exc


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
    stem = path.name[:-len(_suffix(path))]
    if path.suffix.lower() != ".gz":
        with path.open("rb") as handle:
            yield from _jsonl_lines(handle, str(path), stem)
        return
    with gzip.open(path) as handle:
        try:
            yield from _jsonl_lines(handle, str(path), stem)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(f"{path}: damaged gzip file ({exc}); the articles before it were read",
                             kind="gzip") from exc


def jsonl_ranges(path: Path, size: int) -> Iterator[tuple[int, int, int]]:
    """Cut a JSON Lines file into byte ranges of about *size* at line starts: (start, end, first line)."""
    start = position = 0
    first = following = 1
    with path.open("rb") as handle:
        for raw in handle:
            position += len(raw)
            following += 1
            if position - start >= size:
                yield start, position, first
                start, first = position, following
    if position > start:
        yield start, position, first


def read_jsonl_range(path: Path, start: int, end: int, first_line: int) -> Iterator[Article | ReadFailure]:
    """The articles of the lines of *path* from byte *start* to *end* (see jsonl_ranges)."""
    with path.open("rb") as handle:
        handle.seek(start)
        lines = iter(lambda: handle.readline() if handle.tell() < end else b"", b"")
        yield from _checked(_jsonl_lines(lines, str(path), path.name[:-len(_suffix(path))], first_line))


def _jsonl_lines(lines: Iterable[bytes], name: str, stem: str, first: int = 1
                 ) -> Iterator[Article | ReadFailure]:
    """Each line of a JSON Lines stream as an Article, or a ReadFailure naming *name* and the line."""
    for number, raw in enumerate(lines, first):
        if raw.strip():
            yield _jsonl_record(raw, f"{name}:{number}", stem)


def _jsonl_record(raw: bytes, where: str, stem: str) -> Article | ReadFailure:
    try:
        line, warning = decode(raw, where)
        record = json.loads(line)
        if not isinstance(record, dict):
            raise InputError(f"{where}: not a JSON object", kind="json")
        return _warned(_article_from_record(record, where, stem), warning)
    except json.JSONDecodeError as exc:
        return ReadFailure(where, f"{where}: not JSON ({exc.msg})", "json")
    except RecursionError:
        return ReadFailure(where, f"{where}: JSON nested too deeply to read", "json")
    except InputError as exc:
        return ReadFailure(where, str(exc), exc.kind)


def _article_from_record(record: dict[str, object], where: str, stem: str) -> Article:
    text = str(record.get("text") or "").strip()
    if not text:
        raise InputError(f"{where}: no 'text'", kind="no-text")
    if not record.get("date"):
        raise InputError(f"{where}: no 'date'; add one as YYYY-MM-DD", kind="date")
    title = str(record.get("title") or "").strip()
    authors = record.get("authors") or []
    article_id = str(record.get("id") or f"{stem}-{where.rsplit(':', 1)[1]}")
    return Article(id=article_id, date=_check_date(str(record["date"]), where), title=title,
                   text="\n\n".join(p for p in (title, text) if p), url=_opt(record.get("url")),
                   authors=tuple(str(a) for a in (authors if isinstance(authors, list) else [authors])),
                   publisher=_opt(record.get("source")), source=where)


def _opt(value: object) -> str | None:
    return str(value) if value else None
