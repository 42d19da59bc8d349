"""Article -> Extraction: actor mentions and event/relation facts, with spaCy.

The package is a map of the stage: ``nlp`` loads the model and our
components, ``gazetteer`` and ``lexicon`` read data/, ``actors`` resolves
argument tokens to mentions, ``events`` reads facts off the parse, ``when``
resolves dates. Only the frozen dataclasses of ``facts`` leave it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.actors import ActorFinder
from kg.extract.events import find_facts
from kg.extract.facts import Extraction, Fact, Mention, Quantity
from kg.extract.gazetteer import load_gazetteer
from kg.extract.lexicon import load_lexicon
from kg.extract.nlp import load_nlp
from kg.read import Article

__all__ = ["Extraction", "Fact", "Mention", "Quantity", "extract_article", "extract_articles", "load_nlp"]

logger = logging.getLogger(__name__)


def extract_articles(articles: Iterable[Article], nlp: Language, *,
                     batch_size: int = 32) -> Iterator[tuple[Article, Extraction]]:
    """Parse articles in batches with ``nlp.pipe`` and extract each."""
    pairs = ((article.text, article) for article in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield article, extract_doc(article, doc)


def extract_article(article: Article, nlp: Language) -> Extraction:
    """Parse and extract one article."""
    return extract_doc(article, nlp(article.text))


def extract_doc(article: Article, doc: Doc) -> Extraction:
    """Extract the facts of an already parsed article."""
    lexicon = load_lexicon()
    finder = ActorFinder(doc, load_gazetteer(), lexicon)
    facts = _unique(find_facts(doc, finder, lexicon, article.date), len(article.title))
    logger.info("%s: %d mentions, %d facts", article.id, len(finder.mentions), len(facts))
    return Extraction(article.id, tuple(sorted(finder.mentions, key=lambda m: m.start)), tuple(facts))


def _unique(facts: Iterable[Fact], title_end: int) -> tuple[Fact, ...]:
    """One fact per (kind, type, cameo, source, target, sentence): the most confident.

    A headline's event that the body tells again is dropped: the body's sentence
    has the date ("on Friday") that the headline leaves out."""
    best: dict[tuple[object, ...], Fact] = {}
    for fact in facts:
        key = (fact.kind, fact.type, fact.cameo, _who(fact.source), _who(fact.target), fact.start)
        if key not in best or fact.confidence > best[key].confidence:
            best[key] = fact
    told = {key[:5] for key, fact in best.items() if fact.start >= title_end}
    return tuple(f for key, f in best.items() if f.start >= title_end or key[:5] not in told)


def _who(mention: Mention | None) -> str | None:
    return None if mention is None else (mention.key or mention.name or mention.text)
