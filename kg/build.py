"""The one place that knows the order of the stages of a build."""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import Dataset

from .analysis import analyse, metrics_quads, project, project_records
from .cache import (MANIFEST, ArticleEntry, Manifest, fingerprint, load_extraction, load_manifest, prune_cache,
                    save_extraction)
from .corpus import collect_paths, read_document
from .errors import InputError
from .executors import check_options, run_extraction
from .rdf import by_article, dataset_quads, to_dataset
from .records import Document, Extraction, Resolution
from .resolve import resolve
from .store import StagedOutputs, load_dataset
from .viz import PAGE_HTML, page_title, render_page

log = logging.getLogger(__name__)

DEFAULT_INPUT = Path("seeds")
DEFAULT_OUT = Path("out")


@dataclass(frozen=True)
class BuildResult:
    """What a build produced: the graph, the report and the files written.

    ``quads`` are the graph as pyoxigraph quads, ``dataset`` the same as an rdflib Dataset
    (made on first use).  When an incremental build found nothing to do (``up_to_date``),
    nothing was rebuilt: ``dataset``, ``projection`` and ``analysis`` are then read back
    from the outputs on first use, and ``resolution`` is None.
    """

    report: dict
    resolution: Resolution | None = None
    outputs: tuple[Path, ...] = ()
    changes: dict = field(default_factory=dict)  #: article paths by status: new, changed, removed, unchanged
    extractions: dict = field(default_factory=dict, repr=False)  #: Extraction records by document id
    up_to_date: bool = False
    out_dir: Path | None = None
    built: tuple = field(default=(None, None, None), repr=False)  #: (quads, projection, analysis) when built

    @property
    def quads(self) -> list[ox.Quad] | None:
        return self.built[0]

    @cached_property
    def dataset(self) -> Dataset:
        return to_dataset(self.built[0]) if self.built[0] is not None else load_dataset(self.out_dir)

    @cached_property
    def projection(self) -> nx.MultiDiGraph:
        return self.built[1] if self.built[1] is not None else project(self.dataset, co_mentions=True)

    @cached_property
    def analysis(self) -> dict:
        return self.built[2] if self.built[2] is not None else analyse(self.projection)


def read_corpus(inputs: Sequence[str | Path], lang: str | None = None) -> list[Document]:
    """Read every article of ``inputs``; refuse a corpus with no text at all."""
    documents = [read_document(path, lang) for path in collect_paths(list(inputs))]
    _refuse_empty(documents)
    return _unique_ids(documents)


def _refuse_empty(documents: Sequence[Document]) -> None:
    if not any(d.text.strip() for d in documents):
        names = ", ".join(d.path for d in documents[:3])
        raise InputError(f"nothing to build: every article is empty ({names}{', ...' if len(documents) > 3 else ''})")


def _unique_ids(documents: list[Document], taken: dict[str, str] | None = None) -> list[Document]:
    """Articles named alike in different folders get distinct ids (``a``, ``a-2``...).

    ``taken`` maps paths to the ids an earlier build gave them; those are kept.
    """
    taken = taken or {}
    used = {taken[d.path] for d in documents if d.path in taken}
    unique = []
    for document in documents:
        doc_id = taken.get(document.path)
        if doc_id is None:
            doc_id, n = document.doc_id, 1
            while doc_id in used:
                n += 1
                doc_id = f"{document.doc_id}-{n}"
            used.add(doc_id)
        unique.append(replace(document, doc_id=doc_id) if doc_id != document.doc_id else document)
    return unique


Progress = Callable[[int, int], None]  #: called with (articles done, articles in all)


def build_graph(documents: Sequence[Document], progress: Progress | None = None, *,
                cached: dict[str, Extraction] | None = None, workers: int = 1, executor: str = "local",
                scheduler: str | None = None, on_quads: Callable[[list[ox.Quad]], None] | None = None) -> BuildResult:
    """Run extraction, resolution, RDF building and graph analysis on documents already read.

    No file is written.  ``cached`` holds extractions by document id that need no NLP;
    the others run on ``executor`` (see :func:`kg.executors.run_extraction`).  The analysis
    results also go into the graph, in the named graph ``kgid:graph/analysis`` (the last
    one), and their summary into the report.  ``on_quads`` is called with the quads of the
    entities and articles as soon as they are made, then with those of the analysis graph
    (:func:`build` loads them into the store while the analysis runs).
    """
    cached = cached or {}
    todo = [d for d in documents if d.doc_id not in cached]
    done = 0

    def on_done(_document: Document) -> None:
        nonlocal done
        done += 1
        progress(done, len(todo))

    fresh = run_extraction(todo, workers=workers, executor=executor, scheduler=scheduler,
                           on_done=on_done if progress else None)
    by_id = {**cached, **{ex.document.doc_id: ex for ex in fresh}}
    extractions = [by_id[d.doc_id] for d in documents]
    resolution = resolve(extractions)
    quads = dataset_quads(documents, resolution)
    if on_quads:
        on_quads(quads)
    projection = project_records(documents, resolution, co_mentions=True)
    metrics = analyse(projection)
    analysis_quads = metrics_quads(metrics)
    if on_quads:
        on_quads(analysis_quads)
    quads = quads + analysis_quads
    report = make_report(extractions, resolution)
    report["analysis"] = metrics["summary"]
    return BuildResult(report, resolution, extractions=by_id, built=(quads, projection, metrics))


def build(inputs: Sequence[str | Path] = (DEFAULT_INPUT,), out_dir: str | Path | None = DEFAULT_OUT,
          lang: str | None = None, progress: Progress | None = None, *, workers: int = 1,
          executor: str = "local", scheduler: str | None = None, fresh: bool = False) -> BuildResult:
    """Build the knowledge graph of the articles in ``inputs`` and write it to ``out_dir``.

    Builds are incremental: the articles of an earlier build in ``out_dir`` stay in the
    corpus, ``inputs`` are added to it, and spaCy reads only articles that are new or whose
    text changed (``DIR/manifest.json``, ``DIR/cache/``).  An article whose file has gone
    is removed with the entities only it mentioned.  When nothing changed, nothing is
    rebuilt and the result's ``up_to_date`` is true.  ``fresh=True`` forgets the earlier
    build.  ``out_dir=None`` builds in memory only.  Raises :class:`~kg.errors.KgError`
    subclasses on bad input, before anything is written.
    """
    check_options(workers, executor, scheduler)
    if out_dir is None:
        documents = read_corpus(inputs, lang)
        return build_graph(documents, progress, workers=workers, executor=executor, scheduler=scheduler)
    out_dir = Path(out_dir)
    previous = None if fresh else load_manifest(out_dir)
    if previous is not None and previous.fingerprint != fingerprint():
        log.info("extraction rules or models changed since the last build: every article is read again")
        previous = Manifest(fingerprint(), previous.articles)  # keep ids, drop the cache
        stale = True
    else:
        stale = False
    documents, changes = _plan(inputs, lang, previous)
    cached = {}
    if previous is not None and not stale:
        for document in documents:
            entry = previous.articles.get(document.path)
            if entry is not None and entry == _entry(document):
                extraction = load_extraction(out_dir, entry)
                if extraction is not None and extraction.document == document:
                    cached[document.doc_id] = extraction
    if previous is not None and not stale and len(cached) == len(documents) and not changes["removed"] \
            and all((out_dir / name).exists() for name in (MANIFEST, "report.json", "graph.trig", PAGE_HTML)):
        return BuildResult(json.loads((out_dir / "report.json").read_text(encoding="utf-8")),
                           changes=changes, up_to_date=True, out_dir=out_dir)
    with StagedOutputs(out_dir) as staged:
        result = build_graph(documents, progress, cached=cached, workers=workers, executor=executor,
                             scheduler=scheduler, on_quads=staged.load)
        manifest = Manifest(fingerprint(), {d.path: _entry(d) for d in documents})
        for document in documents:
            if document.doc_id not in cached:
                save_extraction(out_dir, manifest.articles[document.path], result.extractions[document.doc_id])
        page = render_page(result.projection, result.analysis, title=page_title(result.report))
        outputs = staged.commit(result.quads, result.report, {PAGE_HTML: page, MANIFEST: manifest.to_json()})
    prune_cache(out_dir, manifest)
    return replace(result, outputs=tuple(outputs), changes=changes, out_dir=out_dir)


def _entry(document: Document) -> ArticleEntry:
    return ArticleEntry(document.path, document.doc_id, document.lang, document.content_hash)


def _plan(inputs: Sequence[str | Path], lang: str | None,
          previous: Manifest | None) -> tuple[list[Document], dict[str, list[str]]]:
    """The corpus of this build (earlier articles still on disk + inputs) and what changed."""
    paths = {p.as_posix(): p for p in collect_paths(list(inputs))} if inputs else {}
    given = set(paths)
    removed = []
    for path, entry in (previous.articles.items() if previous else ()):
        if path not in paths:
            if Path(path).is_file():
                paths[path] = Path(path)
            else:
                removed.append(path)
    documents = []
    for key in sorted(paths):
        entry = previous.articles.get(key) if previous else None
        # an earlier article not named this time keeps the language it was built with
        documents.append(read_document(paths[key], lang if key in given else (entry.lang if entry else lang)))
    _refuse_empty(documents)
    documents = _unique_ids(documents, {p: e.doc_id for p, e in (previous.articles.items() if previous else ())})
    changes: dict[str, list[str]] = {"new": [], "changed": [], "removed": sorted(removed), "unchanged": []}
    for document in documents:
        entry = previous.articles.get(document.path) if previous else None
        status = "new" if entry is None else "unchanged" if entry == _entry(document) else "changed"
        changes[status].append(document.path)
    return documents, changes


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
