"""Settings: every default of kg in one place.

Library functions take these as keyword arguments; only the CLI assembles a
Settings from flags and the environment (``KG_STORE``, ``KG_SPACY_MODEL``,
``KG_WRITE_BATCH``: articles per bulk-loaded batch, after each of which
readers get a new snapshot).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["DATA_DIR", "ONTOLOGY_DIR", "QUERIES_DIR", "ROOT", "Settings", "settings_from_env"]

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
ONTOLOGY_DIR = ROOT / "ontology"
QUERIES_DIR = ROOT / "queries"

@dataclass(frozen=True, kw_only=True)
class Settings:
    """Defaults for a run of kg."""

    spacy_model: str = "en_core_web_sm"
    base_iri: str = "https://w3id.org/kg/id/"
    store_path: Path = field(default_factory=lambda: Path("kg-store"))
    batch_size: int = 32
    workers: int = 1
    write_batch: int = 500


def settings_from_env(**overrides: object) -> Settings:
    """Build Settings from ``KG_*`` environment variables, then *overrides*."""
    values: dict[str, object] = {}
    if os.environ.get("KG_STORE"):
        values["store_path"] = Path(os.environ["KG_STORE"])
    if os.environ.get("KG_SPACY_MODEL"):
        values["spacy_model"] = os.environ["KG_SPACY_MODEL"]
    if os.environ.get("KG_WRITE_BATCH"):
        values["write_batch"] = int(os.environ["KG_WRITE_BATCH"])
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)  # type: ignore[arg-type]
