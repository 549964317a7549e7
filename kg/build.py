"""The one place that knows the order of the stages of a build."""

from __future__ import annotations

import gc
import hashlib
import json
import logging
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import Dataset

from .analysis import ANALYSIS_GRAPH, analyse, metrics_quads, project, project_records
from .cache import (MANIFEST, ArticleEntry, Manifest, fingerprint, load_extraction, load_manifest, prune_cache,
                    save_extraction)
from .corpus import collect_paths, read_document
from .errors import InputError
from .executors import check_options, run_extraction
from .rdf import NamedGraph, by_article, named_graphs, to_dataset
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
    (both made on first use when the build reused graphs of an earlier one).  When an
    incremental build found nothing to do (``up_to_date``), nothing was rebuilt:
    ``dataset``, ``projection`` and ``analysis`` are then read back from the outputs on
    first use, and ``resolution`` is None.
    """

    report: dict
    resolution: Resolution | None = None
    outputs: tuple[Path, ...] = ()
    changes: dict = field(default_factory=dict)  #: article paths by status: new, changed, removed, unchanged
    extractions: dict = field(default_factory=dict, repr=False)  #: Extraction records by document id
    up_to_date: bool = False
    out_dir: Path | None = None
    built: tuple = field(default=(None, None, None), repr=False)  #: (NamedGraphs, projection, analysis) when built

    @cached_property
    def quads(self) -> list[ox.Quad] | None:
        graphs = self.built[0]
        if graphs is None:
            return None
        if any(graph.quads is None for graph in graphs):  # reused from the previous build: make them again
            documents = [extraction.document for extraction in self.extractions.values()]
            graphs = [*named_graphs(documents, self.resolution), graphs[-1]]
        return [quad for graph in graphs for quad in graph.quads]

    @cached_property
    def dataset(self) -> Dataset:
        return to_dataset(self.quads) if self.built[0] is not None else load_dataset(self.out_dir)

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
                scheduler: str | None = None, known: dict[str | None, str | None] | None = None,
                on_graphs: Callable[[list[NamedGraph]], None] | None = None) -> BuildResult:
    """Run extraction, resolution, RDF building and graph analysis on documents already read.

    No file is written.  ``cached`` holds extractions by document id that need no NLP;
    the others run on ``executor`` (see :func:`kg.executors.run_extraction`).  The analysis
    results also go into the graph, in the named graph ``kgid:graph/analysis`` (the last
    one), and their summary into the report.  ``on_graphs`` is called with the graphs of
    the entities and articles as soon as they are made, then with the analysis graph
    (:func:`build` stores them while the analysis runs).  Article graphs whose key is in
    ``known`` (graph IRI -> key, from an earlier build) are not made: their quads are None.
    """
    cached = cached or {}
    todo = [d for d in documents if d.doc_id not in cached]
    done = 0

    def on_done(_document: Document) -> None:
        nonlocal done
        done += 1
        progress(done, len(todo))

    with gc_for_nlp():
        fresh = run_extraction(todo, workers=workers, executor=executor, scheduler=scheduler,
                               on_done=on_done if progress else None)
    by_id = {**cached, **{ex.document.doc_id: ex for ex in fresh}}
    extractions = [by_id[d.doc_id] for d in documents]
    with gc_paused():
        resolution = resolve(extractions)
        graphs = named_graphs(documents, resolution, known)
        if on_graphs:
            on_graphs(graphs)
        projection = project_records(documents, resolution, co_mentions=True)
        metrics = analyse(projection)
        analysis = NamedGraph(str(ANALYSIS_GRAPH), metrics_quads(metrics))
        if on_graphs:
            on_graphs([analysis])
        report = make_report(extractions, resolution)
    report["analysis"] = metrics["summary"]
    return BuildResult(report, resolution, extractions=by_id, built=([*graphs, analysis], projection, metrics))


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector, if it is on, for the block.

    A build makes millions of objects that live to its end (records, quads, graphs) and,
    besides NLP (see :func:`gc_for_nlp`), little cyclic garbage; each full collection
    walks all of them (a quarter of the time of the stages after NLP on 1,000 articles).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def gc_for_nlp() -> Iterator[None]:
    """Turn the cyclic garbage collector on for the block (spaCy makes cyclic garbage), walking only new objects.

    The objects made before, such as the cached extractions of the whole corpus, are set
    aside for the block with ``gc.freeze`` (unless someone else froze objects already);
    the collector is left as it was found.
    """
    enabled, freeze = gc.isenabled(), gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    gc.enable()
    try:
        yield
    finally:
        if not enabled:
            gc.disable()
        if freeze:
            gc.unfreeze()


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
    with gc_paused():
        return _build(inputs, out_dir, lang, progress, workers=workers, executor=executor, scheduler=scheduler,
                      fresh=fresh)


def _build(inputs: Sequence[str | Path], out_dir: str | Path | None, lang: str | None, progress: Progress | None,
           *, workers: int, executor: str, scheduler: str | None, fresh: bool) -> BuildResult:
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
    documents, changes, cached = _plan(inputs, lang, previous, None if stale else out_dir)
    if previous is not None and not stale and len(cached) == len(documents) and not changes["removed"] \
            and all((out_dir / name).exists() for name in (MANIFEST, "report.json", "graph.trig", PAGE_HTML)):
        return BuildResult(json.loads((out_dir / "report.json").read_text(encoding="utf-8")),
                           changes=changes, up_to_date=True, out_dir=out_dir)
    with StagedOutputs(out_dir, update=previous is not None) as staged:
        result = build_graph(documents, progress, cached=cached, workers=workers, executor=executor,
                             scheduler=scheduler, known=staged.known, on_graphs=staged.add)
        manifest = Manifest(fingerprint(), {d.path: _entry(d) for d in documents})
        for document in documents:
            if document.doc_id not in cached:
                save_extraction(out_dir, manifest.articles[document.path], result.extractions[document.doc_id])
        page = render_page(result.projection, result.analysis, title=page_title(result.report))
        outputs = staged.commit(result.report, {PAGE_HTML: page, MANIFEST: manifest.to_json()})
    prune_cache(out_dir, manifest)
    return replace(result, outputs=tuple(outputs), changes=changes, out_dir=out_dir)


def _entry(document: Document) -> ArticleEntry:
    return ArticleEntry(document.path, document.doc_id, document.lang, document.content_hash)


def _cached_extractions(out_dir: Path, documents: Sequence[Document], previous: Manifest) -> dict[str, Extraction]:
    """The cached extractions, by document id, of the articles unchanged since the ``previous`` build."""
    cached = {}
    for document in documents:
        entry = previous.articles.get(document.path)
        if entry is not None and entry == _entry(document):
            extraction = load_extraction(out_dir, entry)
            if extraction is not None and extraction.document == document:
                cached[document.doc_id] = extraction
    return cached


def _unchanged(out_dir: Path, path: Path, entry: ArticleEntry, lang: str | None) -> Extraction | None:
    """The cached extraction of an article of the previous build whose text and language are unchanged, else None.

    Only the text is read and hashed: the article is not parsed again, as its
    :class:`Document` (title, date...) is a function of its path, text and language,
    computed by the same code (the cache is used only under the same fingerprint).  ``lang``
    is the language it is read with (None: detected, which needs parsing: not done here).
    """
    if lang is None or lang != entry.lang:
        return None
    try:  # (as kg.corpus.decode_article, which accepted this text if its hash is unchanged)
        text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except (OSError, UnicodeDecodeError):
        return None
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != entry.content_hash:
        return None
    extraction = load_extraction(out_dir, entry)
    if extraction is None:
        return None
    document = extraction.document
    if (document.doc_id, document.path, document.lang, document.text) != (entry.doc_id, entry.path, lang, text):
        return None
    return extraction


def _plan(inputs: Sequence[str | Path], lang: str | None, previous: Manifest | None, cache_dir: Path | None = None
          ) -> tuple[list[Document], dict[str, list[str]], dict[str, Extraction]]:
    """The corpus of this build (earlier articles still on disk + inputs), what changed, and the cached
    extractions (by document id) of the unchanged articles, from the cache in ``cache_dir`` (if given)."""
    paths = {p.as_posix(): p for p in collect_paths(list(inputs))} if inputs else {}
    given = set(paths)
    removed = []
    for path, entry in (previous.articles.items() if previous else ()):
        if path not in paths:
            if Path(path).is_file():
                paths[path] = Path(path)
            else:
                removed.append(path)
    documents, cached = [], {}
    for key in sorted(paths):
        entry = previous.articles.get(key) if previous else None
        # an earlier article not named this time keeps the language it was built with
        doc_lang = lang if key in given else (entry.lang if entry else lang)
        extraction = _unchanged(cache_dir, paths[key], entry, doc_lang) if cache_dir and entry else None
        if extraction is not None:
            documents.append(extraction.document)
            cached[extraction.document.doc_id] = extraction
        else:
            documents.append(read_document(paths[key], doc_lang))
    _refuse_empty(documents)
    documents = _unique_ids(documents, {p: e.doc_id for p, e in (previous.articles.items() if previous else ())})
    if cache_dir is not None and previous is not None:  # those whose language is detected
        cached.update(_cached_extractions(cache_dir, [d for d in documents if d.doc_id not in cached], previous))
    changes: dict[str, list[str]] = {"new": [], "changed": [], "removed": sorted(removed), "unchanged": []}
    for document in documents:
        entry = previous.articles.get(document.path) if previous else None
        status = "new" if entry is None else "unchanged" if entry == _entry(document) else "changed"
        changes[status].append(document.path)
    return documents, changes, cached


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
