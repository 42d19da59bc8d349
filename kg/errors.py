"""Errors raised by kg.

KgError, the base, means the user can fix it; the CLI prints its message on
one line and exits 1. Its subclasses:

InputError     an article that cannot be read: missing, empty, binary, in an
               unknown encoding, too long, not English, no ``date YYYY-MM-DD``
               line, malformed JSON Lines; its ``kind`` says which, for reports
ModelError     no usable spaCy model is installed
OntologyError  a term used in code but missing from ontology/kg.ttl
StoreError     store missing, locked, or not a kg store
QueryError     unknown query, SPARQL that does not parse, bad parameter
EndpointError  a SPARQL endpoint that cannot be reached or refuses a request,
               or that cannot be served (port in use, server missing)
WorkerError    an ingest worker process died (killed, out of memory)
"""

from __future__ import annotations

__all__ = ["EndpointError", "InputError", "KgError", "ModelError", "OntologyError", "QueryError",
           "StoreError", "WorkerError"]


class KgError(Exception):
    """Base class: an error the user can fix."""


class InputError(KgError):
    """An article file or record that cannot be read; *kind* names the problem in a word (kg.read)."""

    def __init__(self, message: str, *, kind: str = "unreadable") -> None:
        super().__init__(message)
        self.kind = kind


class ModelError(KgError):
    """No usable spaCy model."""


class OntologyError(KgError):
    """A term missing from the ontology."""


class StoreError(KgError):
    """The store cannot be opened or written."""


class QueryError(KgError):
    """A query that cannot be found, parsed or run."""


class EndpointError(KgError):
    """A remote store or the local endpoint cannot be reached or started."""


class WorkerError(KgError):
    """An ingest worker process died; what was built before it is stored."""
