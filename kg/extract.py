"""Run the spaCy pipelines and turn Docs into plain records: the spaCy boundary."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from spacy.tokens import Doc

from .corpus import mask_boilerplate
from .errors import InputError
from .nlp import load_pipeline
from .records import Document, Extraction, Mention, RelationMention

log = logging.getLogger(__name__)
BATCH_SIZE = 16


def extract(documents: Sequence[Document], on_done: Callable[[Document], None] | None = None) -> list[Extraction]:
    """Extract mentions and relations from every document, in input order."""
    results: dict[int, Extraction] = {}
    by_lang: dict[str, list[int]] = {}
    for index, document in enumerate(documents):
        by_lang.setdefault(document.lang, []).append(index)
    for lang in sorted(by_lang):
        nlp = load_pipeline(lang)
        indices = by_lang[lang]
        for index in indices:
            if len(documents[index].text) >= nlp.max_length:
                raise InputError(f"{documents[index].path} is too long ({len(documents[index].text)} characters; "
                                 f"the limit is {nlp.max_length}): split it into several articles")
        texts = (mask_boilerplate(documents[i].text)[0] for i in indices)
        for index, doc in zip(indices, nlp.pipe(texts, batch_size=BATCH_SIZE)):
            results[index] = to_records(doc, documents[index])
            if on_done is not None:
                on_done(documents[index])
    return [results[i] for i in range(len(documents))]


def to_records(doc: Doc, document: Document) -> Extraction:
    """Mentions and relation mentions of one processed Doc, with offsets into the article."""
    text = document.text
    rules = doc._.kg_rules or {}
    mentions: dict[tuple[int, int], Mention] = {}
    for ent in doc.ents:
        rule, confidence = rules.get((ent.start_char, ent.end_char), ("ner", 0.8))
        sent_start, sent_end = _trimmed(text, ent.sent.start_char, ent.sent.end_char)
        mentions[(ent.start_char, ent.end_char)] = Mention(
            doc_id=document.doc_id, start=ent.start_char, end=ent.end_char, text=text[ent.start_char:ent.end_char],
            cls=ent.label_, sent_start=sent_start, sent_end=sent_end, rule=rule, confidence=confidence)
    relations = []
    for prop, subj, obj, sent_start, sent_end, rule, confidence in doc._.kg_relations or ():
        subject, object_ = mentions.get((subj.start, subj.end)), mentions.get((obj.start, obj.end))
        if subject is None or object_ is None:
            continue
        sent_start, sent_end = _trimmed(text, sent_start, sent_end)
        relations.append(RelationMention(document.doc_id, prop, subject, object_, sent_start, sent_end, rule, confidence))
    warnings = () if text.strip() else (f"{document.path}: empty article, no entity recorded",)
    return Extraction(document, tuple(mentions.values()), tuple(relations), warnings)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end

