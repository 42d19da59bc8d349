"""A store directory -> KnowledgeGraph, one object for notebooks: ingest, SPARQL, tables, networks.

    graph = KnowledgeGraph.open("kg-store")
    graph.ingest(["data/samples"])
    graph.query_df("who-met-whom")
    graph.events(since="2025", types=["CONSULT"])       # the event table, a DataFrame
    graph.to_networkx("actors", countries=["BLR"])     # a networkx MultiDiGraph

Oxigraph lets one process hold one writer per store directory. So the
object holds no writer: ``ingest`` opens one for its run. Reads go to the
store's newest snapshot (kg.snapshot), checked at each read and reopened when
a writer, here or in another process, has published a newer one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.config import Settings
from kg.errors import StoreError
from kg.export import EVENT_FIELDS, event_rows, export
from kg.filters import DateLike, fact_filter
from kg.network import View, to_networkx
from kg.pipeline import IngestSummary, ingest
from kg.query import Row, load_query, select_rows
from kg.snapshot import Snapshot, newest_snapshot, open_snapshot
from kg.store import open_store

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

__all__ = ["KnowledgeGraph"]


class KnowledgeGraph:
    """A kg store: ingest articles, run SPARQL, get the event table and networks."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._view: ox.Store | None = None
        self._snapshot: Snapshot | None = None

    @classmethod
    def open(cls, path: str | Path = "kg-store", *, settings: Settings | None = None,
             create: bool = True) -> KnowledgeGraph:
        """The store at *path*, created if missing unless *create* is False."""
        path = Path(path)
        if create and not path.exists():
            open_store(path)
        graph = cls(dataclasses.replace(settings or Settings(), store_path=path))
        graph.store  # noqa: B018 (fails now, not at the first read, if there is no store)
        return graph

    @property
    def path(self) -> Path:
        """The store's directory."""
        return self.settings.store_path

    @property
    def store(self) -> ox.Store:
        """A read-only pyoxigraph view of the store: its newest snapshot.

        The previous view's snapshot is unpinned here, so take this property
        again rather than keeping an old view.
        """
        if not self.path.exists():
            raise StoreError(f"{self.path}: no store here; run 'kg ingest' first or pass --store")
        if self._view is None or self._snapshot is None or newest_snapshot(self.path) != self._snapshot.name:
            snapshot = open_snapshot(self.path)
            self._view = snapshot.open()
            if self._snapshot is not None:
                self._snapshot.release()
            self._snapshot = snapshot
        return self._view

    def ingest(self, paths: str | Path | Iterable[str | Path], *, wait: bool = False) -> IngestSummary:
        """Read, extract and store the articles under *paths* (files or directories).

        *wait*: if another process writes the store, wait for it instead of failing.
        """
        return ingest([paths] if isinstance(paths, str | Path) else paths, settings=self.settings, wait=wait)

    def query(self, sparql: str) -> list[Row]:
        """Rows of a SELECT query (SPARQL text, a .rq file or a name from queries/) as dicts."""
        return select_rows(self.store, load_query(sparql))

    def query_df(self, sparql: str) -> pd.DataFrame:
        """The rows of :meth:`query` as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame.from_records(self.query(sparql))

    def events(self, *, since: DateLike = None, until: DateLike = None, types: Iterable[str] | None = None,
               countries: Iterable[str] | None = None, min_confidence: float = 0.0) -> pd.DataFrame:
        """The event table as a DataFrame, one row per fact and article, with the README's columns.

        *since* and *until* take YYYY-MM-DD, YYYY-MM or YYYY; *types* PLOVER
        types or relation names; *countries* ISO3 codes of the source or target.
        """
        import pandas as pd

        keep = fact_filter(since=since, until=until, types=types, countries=countries,
                           min_confidence=min_confidence).keep
        return pd.DataFrame([row for row in event_rows(self.store) if keep(row)], columns=list(EVENT_FIELDS))

    def to_networkx(self, view: str = "actors", *, since: DateLike = None, until: DateLike = None,
                    types: Iterable[str] | None = None, countries: Iterable[str] | None = None,
                    min_confidence: float = 0.0) -> nx.MultiDiGraph:
        """The facts as a networkx MultiDiGraph, *view* "actors" or "full" (see kg/network.py)."""
        facts = fact_filter(since=since, until=until, types=types, countries=countries,
                            min_confidence=min_confidence)
        return to_networkx(self.store, view, facts=facts)

    def export(self, fmt: str, output: str | Path, *, view: View = "actors", since: DateLike = None,
               until: DateLike = None, types: Iterable[str] | None = None,
               countries: Iterable[str] | None = None, min_confidence: float = 0.0) -> int:
        """Write the store as *fmt* (a ``kg export --format``) to *output*; return what it counted.

        The filters apply to event tables and networks, as in :meth:`events`.
        """
        facts = fact_filter(since=since, until=until, types=types, countries=countries,
                            min_confidence=min_confidence)
        return export(self.store, fmt, Path(output), view=view, facts=facts)

    def __repr__(self) -> str:
        return f"KnowledgeGraph({str(self.path)!r})"
