"""Fact gold -> score: ingest a gold file's articles into a temporary store,
export the event table and score it with the project's scorer (kg/score.py).

The gold format is shared/eval/FORMAT.md: one document a line, with its text
inline (``text``) or in a file (``text_file``, relative to the gold file).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import score
from kg.config import Settings
from kg.errors import InputError
from kg.export import event_rows
from kg.pipeline import IngestSummary, ingest_articles
from kg.read import Article, ReadFailure, parse_text_article
from kg.store import open_store

__all__ = ["ActorFigures", "Evaluation", "actor_figures", "evaluate", "format_actor_figures",
           "format_details", "format_report", "gold_articles"]


@dataclass
class Evaluation:
    """One scoring run: the scorer's result, the ingest summary, and both sides of the comparison."""

    result: dict[str, Any]
    summary: IngestSummary
    gold: list[dict[str, Any]]
    rows: list[dict[str, Any]]


def evaluate(gold_path: Path, *, settings: Settings | None = None) -> Evaluation:
    """Score kg on the documents of *gold_path*."""
    gold = _load_gold(gold_path)
    with tempfile.TemporaryDirectory(prefix="kg-eval-") as folder:
        store_settings = Settings(**{**(settings or Settings()).__dict__, "store_path": Path(folder)})
        summary = ingest_articles(gold_articles(gold, gold_path), settings=store_settings)
        rows = event_rows(open_store(Path(folder), create=False, read_only=True))
    result = score.score(gold, rows, warnings=[])  # type: ignore[no-untyped-call]
    return Evaluation(result, summary, gold, rows)


def format_details(evaluation: Evaluation) -> str:
    """Per document: the required gold facts nothing found, and the predictions that found nothing
    ("extra" in a complete document, where they count as false positives; "unmatched" elsewhere).

    Matching is the scorer's own (same kind, type, negation and arguments, greedy by confidence).
    """
    kinds = {str(kind) for kind in evaluation.result.get("kinds", [])} or None
    lines: list[str] = []
    for doc in evaluation.gold:
        doc_id = str(doc.get("id"))
        entities = score.entity_index(doc)  # type: ignore[no-untyped-call]
        golds = [score.GoldFact(doc_id, i, fact, entities)  # type: ignore[no-untyped-call]
                 for i, fact in enumerate(doc.get("facts") or [])]
        preds = [score.Pred(row, i)  # type: ignore[no-untyped-call]
                 for i, row in enumerate(evaluation.rows) if str(row.get("doc")) == doc_id]
        preds = [p for p in preds if kinds is None or p.kind in kinds]
        found = score.greedy(preds, golds, _same_fact)  # type: ignore[no-untyped-call]
        matched = {id(gold) for gold in found.values()}
        missed = [fact for gold, fact in zip(golds, doc.get("facts") or [], strict=False)
                  if gold.required and id(gold) not in matched]
        spare = [p.row for p in preds if p.order not in found]
        if not missed and not spare:
            continue
        lines.append(f"== {doc_id}")
        lines += [f"  missed  {_describe(fact)}" for fact in missed]
        label = "extra  " if doc.get("complete") is True else "unmatched"
        lines += [f"  {label} {_describe(row)}" for row in spare]
    return "\n".join(lines)


def _same_fact(pred: Any, gold: Any) -> bool:
    return bool(pred.kind == gold.kind and pred.type == gold.type and pred.negated == gold.negated
                and pred.args_match(gold))


def _describe(fact: dict[str, Any]) -> str:
    def actor(side: str) -> str:
        label, code = fact.get(side), fact.get(f"{side}_code")
        return f"{label} [{code}]" if code else str(label)

    negated = " not" if fact.get("negated") else ""
    evidence = str(fact.get("evidence") or "")[:70]
    return (f"{fact.get('type')}{negated} {fact.get('cameo') or ''} {actor('source')} -> {actor('target')}"
            f" | {evidence}")


@dataclass
class ActorFigures:
    """How the event table's actors map onto the gold entities (issue 4, item 6).

    A gold entity is one per Wikidata id, else per type and name, across all
    documents; it is *seen* when a predicted source or target label names it
    (its name, an alias, or a person's surname, normalised as the scorer does).
    It is *split* when several actors (IRIs) name it, *merged* when one of its
    actors also names another gold entity."""

    actors: dict[str, set[str]] = field(default_factory=dict)   # gold entity -> actor IRIs
    entities: dict[str, set[str]] = field(default_factory=dict)  # actor IRI -> gold entities

    @property
    def actors_per_entity(self) -> float:
        """Mean number of actors per gold entity seen (target 1.0); 0 when none is seen."""
        return sum(map(len, self.actors.values())) / len(self.actors) if self.actors else 0.0

    @property
    def split(self) -> list[str]:
        """Gold entities named by more than one actor."""
        return sorted(name for name, iris in self.actors.items() if len(iris) > 1)

    @property
    def merged(self) -> list[str]:
        """Gold entities that share an actor with another gold entity."""
        return sorted({name for names in self.entities.values() if len(names) > 1 for name in names})


def actor_figures(gold: list[dict[str, Any]], rows: list[dict[str, Any]]) -> ActorFigures:
    """Map each predicted source and target to the gold entities its label names."""
    figures = ActorFigures()
    for doc in gold:
        names = _entity_names(doc)
        for row in rows:
            if str(row.get("doc")) != str(doc.get("id")):
                continue
            for side in ("source", "target"):
                iri, label = row.get(f"{side}_iri"), score.norm(row.get(side))  # type: ignore[no-untyped-call]
                for entity in names.get(label, ()) if iri else ():
                    figures.actors.setdefault(entity, set()).add(str(iri))
                    figures.entities.setdefault(str(iri), set()).add(entity)
    return figures


def _entity_names(doc: dict[str, Any]) -> dict[str, set[str]]:
    """Normalised name -> the gold entities of *doc* it names (by id: Wikidata, else type and name)."""
    names: dict[str, set[str]] = {}
    for entity in doc.get("entities") or []:
        if not isinstance(entity, dict) or not entity.get("name"):
            continue
        ident = str(entity.get("wikidata") or f"{entity.get('type')}:{entity['name']}")
        forms = [entity["name"], *(entity.get("aliases") or [])]
        if entity.get("type") == "Person":
            forms.append(str(entity["name"]).split()[-1])
        for form in forms:
            names.setdefault(score.norm(form), set()).add(ident)  # type: ignore[no-untyped-call]
    names.pop("", None)
    return names


def format_actor_figures(figures: ActorFigures, *, details: bool = False) -> str:
    """Three lines (actors per gold entity, entities split, entities merged), and which with *details*."""
    count = sum(map(len, figures.actors.values()))
    lines = [f"actors per gold entity  {figures.actors_per_entity:.3f}   "
             f"({len(figures.actors)} gold entities seen, {count} actors; target 1.0)",
             f"gold entities split     {len(figures.split)}",
             f"gold entities merged    {len(figures.merged)}"]
    if details:
        lines += [f"  split   {name}: {', '.join(sorted(figures.actors[name]))}" for name in figures.split]
        lines += [f"  merged  {name}" for name in figures.merged]
    return "\n".join(lines)


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
