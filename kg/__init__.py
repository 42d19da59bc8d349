"""kg: turn geopolitical news into an RDF knowledge graph.

The notebook API is the CLI's path::

    import kg
    summary = kg.ingest(["data/samples"], settings=kg.Settings(store_path="kg-store"))
    store = kg.open_store("kg-store")
    rows = kg.event_rows(store)

or, in one object (kg/api.py), with DataFrames and NetworkX graphs::

    graph = kg.KnowledgeGraph.open("kg-store")
    events = graph.events(since="2025")
    actors = graph.to_networkx("actors")
"""

from __future__ import annotations

from kg.api import KnowledgeGraph
from kg.config import Settings
from kg.curate import curate_actors
from kg.errors import EndpointError, InputError, KgError, ModelError, OntologyError, QueryError, StoreError
from kg.export import EXPORTERS, event_rows, export
from kg.pipeline import IngestSummary, extract_paths, ingest
from kg.query import format_results, load_query, select_rows
from kg.read import Article, read_articles
from kg.store import open_store
from kg.validate import validate_file, validate_store

__all__ = [
    "EXPORTERS",
    "Article",
    "EndpointError",
    "IngestSummary",
    "InputError",
    "KgError",
    "KnowledgeGraph",
    "ModelError",
    "OntologyError",
    "QueryError",
    "Settings",
    "StoreError",
    "curate_actors",
    "event_rows",
    "export",
    "extract_paths",
    "format_results",
    "ingest",
    "load_query",
    "open_store",
    "read_articles",
    "select_rows",
    "validate_file",
    "validate_store",
]
