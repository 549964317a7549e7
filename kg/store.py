"""Write the built graph to disk atomically, load it back, and open its embedded SPARQL store.

All outputs of a build are first written into a temporary folder beside the target and
then moved into place, so a failed build leaves the previous outputs untouched.  Besides
the files, a build writes ``store/``: a pyoxigraph (RocksDB) store holding the same quads as
``graph.trig`` (entities in the default graph, each article's provenance in its named graph),
which ``kg query``, ``kg export`` and ``kg serve`` use without parsing any RDF text.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from .errors import GraphNotFoundError, KgError
from .rdf import FILE_PREFIXES, default_graph_quads, new_dataset, sorted_quads

GRAPH_TTL = "graph.ttl"
GRAPH_TRIG = "graph.trig"
REPORT_JSON = "report.json"
STORE_DIR = "store"


def write_outputs(out_dir: Path, quads: Sequence[ox.Quad], report: dict, *,
                  extra_files: dict[str, str] | None = None) -> list[Path]:
    """Write ``graph.ttl``, ``graph.trig``, ``report.json``, ``extra_files`` and ``store/`` atomically.

    ``quads`` are written in the order given (:func:`kg.rdf.dataset_quads` gives the
    canonical one).  ``extra_files`` maps a file name to its text (written as UTF-8).
    See :class:`StagedOutputs`, which this is the one-call form of.
    """
    with StagedOutputs(out_dir, extra_names=extra_files or {}) as staged:
        staged.load(quads)
        return staged.commit(quads, report, extra_files)


class StagedOutputs:
    """The outputs of a build, prepared in a staging folder and moved into place all at once.

    The store is loaded in a background thread (pyoxigraph releases the GIL while it loads),
    so a build can go on analysing its graph meanwhile::

        with StagedOutputs(out_dir) as staged:
            staged.load(entity_and_article_quads)   # returns at once
            ...                                      # analysis, page...
            staged.load(analysis_quads)              # queued after the first load
            staged.commit(all_quads, report, {"graph.html": page})

    Only :meth:`commit`, once every file and the store are ready, replaces the files and
    swaps the old ``store/`` for the new one; leaving the block early (an error) removes the
    staging folder and leaves the previous outputs as they were.
    """

    def __init__(self, out_dir: Path, extra_names=()) -> None:
        self.out_dir = Path(out_dir)
        for name in extra_names:
            _check_extra_name(name)
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            self.path = Path(tempfile.mkdtemp(prefix=".kg-build-", dir=self.out_dir))
        except OSError as exc:
            raise KgError(f"cannot create output folder {self.out_dir}: {exc.strerror or exc}") from None
        self._loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-store")
        self._loads: list[Future] = []

    def __enter__(self) -> StagedOutputs:
        return self

    def __exit__(self, *exc_info) -> None:
        self._loader.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.path, ignore_errors=True)

    def load(self, quads: Sequence[ox.Quad]) -> None:
        """Add ``quads`` to the staged store, in the background (loads run one after the other).

        The quads are handed over as N-Quads bytes: parsing them needs no Python object, so
        the loading thread never waits for the interpreter's lock nor makes the build wait.
        """
        data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
        self._loads.append(self._loader.submit(load_store, self.path / STORE_DIR, data))

    def commit(self, quads: Sequence[ox.Quad], report: dict, extra_files: dict[str, str] | None = None) -> list[Path]:
        """Write the files of ``quads``, ``report`` and ``extra_files``, wait for the store, move all into place."""
        files = [GRAPH_TTL, GRAPH_TRIG, REPORT_JSON, *(extra_files or {})]
        for name in extra_files or {}:
            _check_extra_name(name)
        staging = self.path
        try:
            (staging / GRAPH_TRIG).write_bytes(trig_bytes(quads))
            (staging / GRAPH_TTL).write_bytes(turtle_bytes(quads))
            texts = {REPORT_JSON: json.dumps(report, indent=2, ensure_ascii=False, sort_keys=False) + "\n",
                     **(extra_files or {})}
            for name, text in texts.items():
                (staging / name).write_text(text, encoding="utf-8")
            if not self._loads:
                self.load(quads)
            for load in self._loads:
                load.result()
            written = []
            for name in files:
                os.replace(staging / name, self.out_dir / name)
                written.append(self.out_dir / name)
            _swap_dir(staging / STORE_DIR, self.out_dir / STORE_DIR, aside=staging / f"{STORE_DIR}.old")
            return [*written, self.out_dir / STORE_DIR]
        except OSError as exc:
            raise KgError(f"cannot write outputs to {self.out_dir}: {exc.strerror or exc}") from None


def _check_extra_name(name: str) -> None:
    reserved = (GRAPH_TTL, GRAPH_TRIG, REPORT_JSON, STORE_DIR)
    if name in reserved or Path(name).name != name or name.startswith("."):
        raise KgError(f"cannot write extra output {name!r}: give a plain file name other than {', '.join(reserved)}")


def _swap_dir(new: Path, target: Path, aside: Path) -> None:
    """Put folder ``new`` at ``target``: the old one is renamed to ``aside`` first, restored on failure."""
    had_old = target.exists()
    if had_old:
        os.rename(target, aside)
    try:
        os.rename(new, target)
    except OSError:
        if had_old:
            os.rename(aside, target)
        raise


def load_store(path: Path, quads: Sequence[ox.Quad] | bytes) -> None:
    """Add ``quads`` (or N-Quads bytes) to the on-disk store ``path`` (made if missing) with pyoxigraph's
    bulk loader, then close it.

    The store is compacted after loading (``optimize``): queries on a million quads run two
    to three times faster, for under two seconds of work.
    """
    store = ox.Store(str(path))
    try:
        if isinstance(quads, bytes):
            store.bulk_load(quads, ox.RdfFormat.N_QUADS)
        else:
            store.bulk_extend(quads)
        store.optimize()
    finally:
        del store  # closes the RocksDB database before its folder is moved


def store_from_dataset(dataset: Dataset) -> ox.Store:
    """An in-memory pyoxigraph store holding the quads of an rdflib ``dataset``."""
    store = ox.Store()
    store.bulk_extend(sorted_quads(dataset))
    return store


def open_store(graph_dir: Path, read_only: bool = True) -> ox.Store:
    """The pyoxigraph store of the graph built in ``graph_dir`` (``graph_dir/store/``).

    Query the union of its graphs with ``store.query(text, use_default_graph_as_union=True)``.
    A graph built without a store (an older version of kg) is loaded from ``graph.trig``
    into memory instead.
    """
    graph_dir = Path(graph_dir)
    path = graph_dir / STORE_DIR
    if path.is_dir():
        try:
            return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        except OSError as exc:
            raise GraphNotFoundError(f"cannot open the store {path} ({exc}): rebuild it with "
                                     f"`kg build --out {graph_dir}`") from None
    trig = graph_dir / GRAPH_TRIG
    if not trig.is_file():
        raise GraphNotFoundError(f"no graph in {graph_dir}: run `kg build --out {graph_dir}` first")
    store = ox.Store()
    try:
        store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    except (SyntaxError, ValueError, OSError) as exc:
        raise GraphNotFoundError(f"{trig} is not a readable TriG file ({exc}): rebuild it with "
                                 f"`kg build --out {graph_dir}`") from None
    return store


def trig_bytes(quads: Sequence[ox.Quad]) -> bytes:
    """TriG of ``quads`` in the order given, by Oxigraph's serializer (rdflib's is some 50 times slower)."""
    return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=FILE_PREFIXES)


def turtle_bytes(quads: Sequence[ox.Quad]) -> bytes:
    """Turtle of the default graph of ``quads`` (canonical order: it comes first): the entities and relations."""
    return ox.serialize(default_graph_quads(quads), format=ox.RdfFormat.TURTLE, prefixes=FILE_PREFIXES)


def load_dataset(graph_dir: Path) -> Dataset:
    """The Dataset saved by ``kg build`` in ``graph_dir`` (queries see the union of graphs)."""
    path = Path(graph_dir) / GRAPH_TRIG
    if not path.exists():
        raise GraphNotFoundError(f"no graph in {graph_dir}: run `kg build --out {graph_dir}` first")
    dataset = new_dataset()
    try:
        dataset.parse(path, format="trig")
    except Exception as exc:  # rdflib raises many parser exception types
        raise GraphNotFoundError(f"{path} is not a readable TriG file: {exc}") from None
    return dataset


def load_report(graph_dir: Path) -> dict:
    path = Path(graph_dir) / REPORT_JSON
    if not path.exists():
        raise GraphNotFoundError(f"no report in {graph_dir}: run `kg build --out {graph_dir}` first")
    return json.loads(path.read_text(encoding="utf-8"))
