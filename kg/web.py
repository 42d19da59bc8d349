"""HTML pages and RSS/Atom feeds -> Article.

A page's main text and metadata (title, date, authors, site name, canonical
URL) come from trafilatura, which drops menus, adverts and comments. A feed is
parsed by feedparser; each entry becomes an article with the entry's content,
or its summary when it has none. Entry HTML is turned into paragraphs by the
standard library's HTMLParser: trafilatura is built for whole pages and
returns nothing for a fragment of a few sentences.

An entry's id comes from its guid (or link), so the same story read from two
snapshots of a feed is the same article, and is skipped the second time.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
import urllib.parse
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.ontology import slug
from kg.read import Article, ReadFailure, decode, read_bytes

__all__ = ["html_text", "read_feed", "read_html"]

logger = logging.getLogger(__name__)

_BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr",
           "table", "section", "article", "figure", "figcaption", "pre"}


def read_html(path: Path) -> Article:
    """The main text and metadata of an HTML page."""
    import trafilatura
    from trafilatura.settings import DEFAULT_CONFIG

    page, warning = decode(read_bytes(path), str(path))
    limit = DEFAULT_CONFIG.getint("DEFAULT", "MAX_FILE_SIZE")
    if len(page) > limit:  # trafilatura would find no text in it
        raise InputError(f"{path}: a page of {len(page):,} characters, over trafilatura's limit of "
                         f"{limit:,}", kind="too-long")
    found = trafilatura.bare_extraction(page, with_metadata=True,
                                        date_extraction_params={"original_date": True,
                                                                "extensive_search": False})
    document: Any = found  # a trafilatura Document (a dict only with as_dict=True)
    if document is None or len((document.text or "").split()) < 5:  # a menu or a cookie notice
        raise InputError(f"{path}: no article text found in the page", kind="no-text")
    if not document.date:
        raise InputError(f"{path}: no publication date in the page; add <meta property="
                         "\"article:published_time\" content=\"YYYY-MM-DD\">", kind="date")
    title = (document.title or "").strip()
    paragraphs = [" ".join(line.split()) for line in document.text.splitlines() if line.strip()]
    if paragraphs and paragraphs[0] == title:  # the page's <h1>
        paragraphs = paragraphs[1:]
    authors = tuple(a.strip() for a in re.split(r";|\band\b", document.author or "") if a.strip())
    return Article(id=path.stem, date=document.date[:10], title=title,
                   text="\n\n".join(p for p in (title, *paragraphs) if p), url=document.url or None,
                   authors=authors, publisher=document.sitename or None, source=str(path),
                   warnings=(warning,) if warning else ())


def read_feed(path: Path) -> Iterator[Article | ReadFailure]:
    """An Article per entry of an RSS or Atom feed; a ReadFailure per entry without date or text."""
    import feedparser

    parsed = feedparser.parse(read_bytes(path))
    if parsed.bozo and not parsed.entries:
        raise InputError(f"{path}: not an RSS or Atom feed ({parsed.bozo_exception})", kind="feed")
    publisher = parsed.feed.get("title") or None
    for number, entry in enumerate(parsed.entries, 1):
        where = f"{path}: entry {number}"
        try:
            yield _entry_article(entry, where, publisher)
        except InputError as exc:
            yield ReadFailure(where, str(exc), exc.kind)


def _entry_article(entry: Any, where: str, publisher: str | None) -> Article:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if not stamp:
        raise InputError(f"{where}: no date (published or updated)", kind="date")
    contents = entry.get("content") or []
    body = html_text(contents[0].get("value", "") if contents else entry.get("summary", ""))
    if not body:
        raise InputError(f"{where}: no text (content or summary)", kind="no-text")
    title = " ".join(str(entry.get("title", "")).split())
    guid = entry.get("id") or entry.get("link") or f"{where}:{title}"
    authors = tuple(a["name"] for a in entry.get("authors", []) if a.get("name"))
    return Article(id=entry_id(guid), date=time.strftime("%Y-%m-%d", stamp), title=title,
                   text="\n\n".join(p for p in (title, body) if p), url=entry.get("link") or None,
                   authors=authors, publisher=publisher, source=where)


def entry_id(guid: str) -> str:
    """A readable, stable article id from a feed entry's guid: its last path segment and a short hash."""
    parts = urllib.parse.urlsplit(guid)
    words = [w for w in re.split(r"[/:,]", parts.path or guid) if w]
    stem = slug(words[-1].rsplit(".", 1)[0]) if words else "entry"
    return f"{stem[:60]}-{hashlib.sha1(guid.encode()).hexdigest()[:8]}"


def html_text(fragment: str) -> str:
    """Paragraphs of an HTML fragment as plain text, separated by blank lines."""
    parser = _TextParser()
    parser.feed(fragment)
    parser.close()
    paragraphs = (" ".join(p.split()) for p in "".join(parser.parts).split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip += tag in ("script", "style")
        if tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("script", "style") and self.skip > 0
        if tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)
