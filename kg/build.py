"""The one place that knows the order of the stages of a build."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from rdflib import Dataset

from .corpus import collect_paths, read_document
from .errors import InputError
from .extract import extract
from .rdf import build_dataset, by_article
from .records import Document, Extraction, Resolution
from .resolve import resolve
from .store import write_outputs

log = logging.getLogger(__name__)

DEFAULT_INPUT = Path("seeds")
DEFAULT_OUT = Path("out")


@dataclass(frozen=True)
class BuildResult:
    """What a build produced: the graph, the report and the files written."""

    dataset: Dataset
    report: dict
    resolution: Resolution
    outputs: tuple[Path, ...] = ()


def read_corpus(inputs: Sequence[str | Path], lang: str | None = None) -> list[Document]:
    """Read every article of ``inputs``; refuse a corpus with no text at all."""
    documents = [read_document(path, lang) for path in collect_paths(list(inputs))]
    if not any(d.text.strip() for d in documents):
        names = ", ".join(d.path for d in documents[:3])
        raise InputError(f"nothing to build: every article is empty ({names}{', ...' if len(documents) > 3 else ''})")
    return _unique_ids(documents)


def _unique_ids(documents: list[Document]) -> list[Document]:
    """Articles named alike in different folders get distinct ids (``a``, ``a-2``...)."""
    seen: Counter = Counter()
    unique = []
    for document in documents:
        seen[document.doc_id] += 1
        if seen[document.doc_id] > 1:
            document = replace(document, doc_id=f"{document.doc_id}-{seen[document.doc_id]}")
        unique.append(document)
    return unique


Progress = Callable[[int, int], None]  #: called with (articles done, articles in all)


def build_graph(documents: Sequence[Document], progress: Progress | None = None) -> BuildResult:
    """Run extraction, resolution and RDF building on documents already read (no file written)."""
    done = 0

    def on_done(_document: Document) -> None:
        nonlocal done
        done += 1
        progress(done, len(documents))

    extractions = extract(documents, on_done=on_done if progress else None)
    resolution = resolve(extractions)
    dataset = build_dataset(documents, resolution)
    return BuildResult(dataset, make_report(extractions, resolution), resolution)


def build(inputs: Sequence[str | Path] = (DEFAULT_INPUT,), out_dir: str | Path | None = DEFAULT_OUT,
          lang: str | None = None, progress: Progress | None = None) -> BuildResult:
    """Build the knowledge graph of the articles in ``inputs`` and write it to ``out_dir``.

    ``out_dir=None`` builds in memory only.  Raises :class:`~kg.errors.KgError` subclasses
    on bad input, before anything is written.
    """
    documents = read_corpus(inputs, lang)
    result = build_graph(documents, progress=progress)
    if out_dir is None:
        return result
    outputs = write_outputs(Path(out_dir), result.dataset, result.report)
    return replace(result, outputs=tuple(outputs))


def make_report(extractions: Sequence[Extraction], resolution: Resolution) -> dict:
    """Counts of a build; deterministic (no timestamps) so rebuilding gives the same file."""
    entity_classes = Counter(e.cls for e in resolution.entities)
    relation_props = Counter(r.prop for r in resolution.relations)
    mentions, evidence = by_article(resolution)
    per_document = []
    for ex in extractions:
        doc_id = ex.document.doc_id
        per_document.append({
            "id": doc_id, "path": ex.document.path, "lang": ex.document.lang, "title": ex.document.title,
            "mentions": len(ex.mentions),
            "entities": len({key for _, key in mentions.get(doc_id, [])}),
            "relations": len({(r.subject, r.prop, r.object) for r, _ in evidence.get(doc_id, [])}),
        })
    return {
        "articles": len(extractions),
        "languages": dict(sorted(Counter(ex.document.lang for ex in extractions).items())),
        "entities": len(resolution.entities),
        "entities_by_class": dict(sorted(entity_classes.items())),
        "relations": len(resolution.relations),
        "relations_by_property": dict(sorted(relation_props.items())),
        "mentions": sum(len(ex.mentions) for ex in extractions),
        "relation_mentions": sum(len(ex.relations) for ex in extractions),
        "documents": per_document,
        "warnings": [w for ex in extractions for w in ex.warnings],
    }
