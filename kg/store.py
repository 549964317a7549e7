"""Write the built graph to disk atomically, load it back, and open its embedded SPARQL store.

All outputs of a build are first written into a temporary folder beside the target and
then moved into place, so a failed build leaves the previous outputs untouched.  Besides
the files, a build writes ``store/``: a pyoxigraph (RocksDB) store holding the same quads as
``graph.trig`` (entities in the default graph, each article's provenance in its named graph),
which ``kg query``, ``kg export`` and ``kg serve`` use without parsing any RDF text.

``graph.trig`` is written graph by graph, and ``store/kg-graphs.json`` records where each
graph lies in it and the key of the records it was made from.  An incremental build reuses
both: it copies the previous store (a RocksDB checkpoint, hard links), changes only the
graphs that changed, and takes the TriG of the unchanged ones from the previous file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from .errors import GraphNotFoundError, KgError
from . import rdf
from .rdf import DEFAULT_GRAPH, FILE_PREFIXES, NamedGraph, default_graph_quads, new_dataset, sorted_quads, split_graphs

GRAPH_TTL = "graph.ttl"
GRAPH_TRIG = "graph.trig"
REPORT_JSON = "report.json"
STORE_DIR = "store"
#: In ``store/``: the graphs of ``graph.trig`` (name, key, byte span), for the next build.
STORE_INDEX = "kg-graphs.json"
#: In ``store/``: the N-Quads of the graphs every build makes anew (default graph, analysis).
STORE_NQUADS = "kg-graphs.nq"
INDEX_FORMAT = 1


def write_outputs(out_dir: Path, quads: Sequence[ox.Quad], report: dict, *,
                  extra_files: dict[str, str] | None = None) -> list[Path]:
    """Write ``graph.ttl``, ``graph.trig``, ``report.json``, ``extra_files`` and ``store/`` atomically.

    ``quads`` are written in the order given (:func:`kg.rdf.dataset_quads` gives the
    canonical one).  ``extra_files`` maps a file name to its text (written as UTF-8).
    See :class:`StagedOutputs`, which this is the one-call form of.
    """
    with StagedOutputs(out_dir, extra_names=extra_files or {}) as staged:
        staged.load(quads)
        return staged.commit(report, extra_files)


class StagedOutputs:
    """The outputs of a build, prepared in a staging folder and moved into place all at once.

    Graphs are added in the order of ``graph.trig`` (default graph, articles, analysis);
    the store is filled in a background thread (pyoxigraph releases the GIL while it
    loads), so a build can go on analysing its graph meanwhile::

        with StagedOutputs(out_dir) as staged:
            staged.add(entity_and_article_graphs)   # returns at once
            ...                                      # analysis, page...
            staged.add([analysis_graph])             # queued after the first load
            staged.commit(report, {"graph.html": page})

    With ``update=True`` the previous build in ``out_dir`` (if it left a usable index, see
    :class:`PreviousGraphs`) is updated instead of rebuilt: its store is copied, graphs whose
    TriG changed are changed quad by quad, graphs not added again are removed, and graphs
    added without quads (same key as before, see :attr:`known`) are kept as they were.

    Only :meth:`commit`, once every file and the store are ready, replaces the files and
    swaps the old ``store/`` for the new one; leaving the block early (an error) removes the
    staging folder and leaves the previous outputs as they were.
    """

    def __init__(self, out_dir: Path, extra_names=(), *, update: bool = False) -> None:
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
        self._graphs: list[tuple[NamedGraph, bytes, bytes | None]] = []  # with their TriG and N-Quads, in file order
        self._copy: StoreCopy | None = None  # the previous store's copy, opened by the loading thread
        self.previous = PreviousGraphs.read(self.out_dir) if update else None
        if self.previous is not None:
            self._run(self._open_copy)

    def __enter__(self) -> StagedOutputs:
        return self

    def __exit__(self, *exc_info) -> None:
        self._loader.shutdown(wait=True, cancel_futures=True)
        self._copy = None  # (closes it, if a failed build left it open)
        shutil.rmtree(self.path, ignore_errors=True)

    def _run(self, task: Callable[[], None]) -> None:
        """Run ``task`` in the loading thread, after the tasks given before."""
        self._loads.append(self._loader.submit(task))

    def _open_copy(self) -> None:
        try:
            self._copy = StoreCopy(self.previous.store, self.path / STORE_DIR)
        except OSError as exc:
            raise KgError(f"cannot copy the store {self.previous.store} to update it ({exc}): "
                          f"rebuild it with `kg build --fresh --out {self.out_dir}`") from None

    @property
    def known(self) -> dict[str | None, str | None]:
        """Keys of the graphs of the previous build being updated, by graph IRI (empty if none)."""
        return self.previous.keys if self.previous is not None else {}

    def load(self, quads: Sequence[ox.Quad]) -> None:
        """:meth:`add` the graphs of ``quads`` (each graph's quads together)."""
        self.add(split_graphs(quads))

    def add(self, graphs: Sequence[NamedGraph]) -> None:
        """Stage ``graphs`` after those added before: their TriG now, the store in the background.

        The store gets N-Quads text (a new store) or a SPARQL update (a copy of the previous
        one): pyoxigraph parses and applies them without holding the interpreter's lock, so
        the build goes on meanwhile.
        """
        staged = [self._stage(graph) for graph in graphs]
        self._graphs += staged
        if self.previous is None:
            data = b"".join(nquads for _, _, nquads in staged)
            path = self.path / STORE_DIR
            self._run(lambda: load_store(path, data))
            return
        removed, added = {}, {}
        for graph, block, nquads in staged:
            removed[graph.name], added[graph.name] = self.previous.changes(graph, block, nquads)
        delete, insert = _sparql_data(removed), _sparql_data(added)
        if delete or insert:
            self._run(lambda: self._copy.update(delete, insert))

    def _stage(self, graph: NamedGraph) -> tuple[NamedGraph, bytes, bytes | None]:
        """``graph``, its TriG block and its N-Quads (None when it is reused from the previous build)."""
        if graph.quads is not None:
            return graph, trig_block(graph.quads), ox.serialize(graph.quads, format=ox.RdfFormat.N_QUADS)
        if self.previous is None or self.previous.spans.get(graph.name, ("",))[0] != graph.key:
            raise ValueError(f"graph {graph.name} has no quads and no earlier version to reuse")
        return graph, self.previous.block(graph.name), None

    def commit(self, report: dict, extra_files: dict[str, str] | None = None) -> list[Path]:
        """Write ``graph.trig``, ``graph.ttl``, ``report`` and ``extra_files``, wait for the store, move all in place."""
        files = [GRAPH_TTL, GRAPH_TRIG, REPORT_JSON, *(extra_files or {})]
        for name in extra_files or {}:
            _check_extra_name(name)
        staging = self.path
        try:
            if self.previous is not None:
                added = {graph.name for graph, _, _ in self._graphs}
                gone = [name for name in self.previous.spans if name not in added]
                if gone:
                    self._run(lambda: self._copy.update("", "", gone))
                self._run(lambda: self._copy.close())
            elif not self._loads:
                self._run(lambda: load_store(staging / STORE_DIR, b""))
            trig, spans = self._trig()
            (staging / GRAPH_TRIG).write_bytes(trig)
            (staging / GRAPH_TTL).write_bytes(turtle_bytes(self._default_quads()))
            texts = {REPORT_JSON: json.dumps(report, indent=2, ensure_ascii=False, sort_keys=False) + "\n",
                     **(extra_files or {})}
            for name, text in texts.items():
                (staging / name).write_text(text, encoding="utf-8")
            index = self._index(trig, spans)
            for load in self._loads:
                load.result()
            self._write_index(*index)
            written = []
            for name in files:
                os.replace(staging / name, self.out_dir / name)
                written.append(self.out_dir / name)
            _swap_dir(staging / STORE_DIR, self.out_dir / STORE_DIR, aside=staging / f"{STORE_DIR}.old")
            return [*written, self.out_dir / STORE_DIR]
        except OSError as exc:
            raise KgError(f"cannot write outputs to {self.out_dir}: {exc.strerror or exc}") from None

    def _trig(self) -> tuple[bytes, list[list]]:
        """``graph.trig`` (the prefixes, then each graph's block) and where each graph lies in it."""
        header = trig_header() if any(block for _, block, _ in self._graphs) else b""
        spans, offset = [], len(header)
        for graph, block, _ in self._graphs:
            spans.append([graph.name, graph.key, offset, offset + len(block)])
            offset += len(block)
        return header + b"".join(block for _, block, _ in self._graphs), spans

    def _index(self, trig: bytes, spans: list[list]) -> tuple[dict, bytes]:
        """The index of ``graph.trig`` and the N-Quads of the graphs made anew by each build, for the next build."""
        kept = [(graph.name, data) for graph, _, data in self._graphs if graph.key is None and data is not None]
        nquads, offset = [], 0
        for name, data in kept:
            nquads.append([name, offset, offset + len(data)])
            offset += len(data)
        index = {"format": INDEX_FORMAT, "code": code_digest(), "trig_size": len(trig),
                 "trig_sha256": hashlib.sha256(trig).hexdigest(), "graphs": spans, "nquads": nquads}
        return index, b"".join(data for _, data in kept)

    def _write_index(self, index: dict, nquads: bytes) -> None:
        """Write the index and N-Quads of :meth:`_index` into the staged store's folder."""
        (self.path / STORE_DIR / STORE_NQUADS).write_bytes(nquads)
        (self.path / STORE_DIR / STORE_INDEX).write_text(json.dumps(index), encoding="utf-8")

    def _default_quads(self) -> Sequence[ox.Quad]:
        for graph, _, _ in self._graphs:
            if graph.name is None:
                return graph.quads if graph.quads is not None else self.previous.quads(None)
        return []


@dataclass(frozen=True)
class PreviousGraphs:
    """The graphs of the build already in a folder, as ``store/kg-graphs.json`` lists them.

    The index is written into the store folder, so it always describes the store beside
    it; ``graph.trig`` is checked against the digest it records.  ``spans`` maps each graph
    IRI (None: the default graph) to its key and the byte span of its block in ``trig``;
    ``nquads_spans`` the graphs made anew by every build (default, analysis) to their
    N-Quads in ``nquads`` (``store/kg-graphs.nq``), which are compared line by line.
    """

    store: Path
    trig: bytes
    spans: dict[str | None, tuple[str | None, int, int]]
    nquads: bytes = b""
    nquads_spans: dict[str | None, tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def read(cls, out_dir: Path) -> PreviousGraphs | None:
        """The graphs of the build in ``out_dir``; None when index, files or code do not agree."""
        store = Path(out_dir) / STORE_DIR
        try:
            index = json.loads((store / STORE_INDEX).read_text(encoding="utf-8"))
            if index.get("format") != INDEX_FORMAT or index.get("code") != code_digest():
                return None
            trig = (Path(out_dir) / GRAPH_TRIG).read_bytes()
            if len(trig) != index["trig_size"] or hashlib.sha256(trig).hexdigest() != index["trig_sha256"]:
                return None
            spans = {name: (key, start, end) for name, key, start, end in index["graphs"]}
            nquads = (store / STORE_NQUADS).read_bytes()
            nquads_spans = {name: (start, end) for name, start, end in index["nquads"]}
            if any(end > len(nquads) for _, end in nquads_spans.values()):
                return None
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return cls(store, trig, spans, nquads, nquads_spans)

    @property
    def keys(self) -> dict[str | None, str | None]:
        return {name: key for name, (key, _, _) in self.spans.items()}

    def block(self, name: str | None) -> bytes:
        """The TriG of graph ``name`` (without the prefixes)."""
        _, start, end = self.spans[name]
        return self.trig[start:end]

    def quads(self, name: str | None) -> list[ox.Quad]:
        """The quads of graph ``name``, parsed from its TriG."""
        return list(ox.parse(trig_header() + self.block(name), format=ox.RdfFormat.TRIG))

    def lines(self, name: str | None) -> set[bytes]:
        """The N-Quads lines of graph ``name``."""
        if name in self.nquads_spans:
            start, end = self.nquads_spans[name]
            data = self.nquads[start:end]
        else:
            data = ox.serialize(self.quads(name), format=ox.RdfFormat.N_QUADS)
        return set(data.splitlines())

    def changes(self, graph: NamedGraph, block: bytes, nquads: bytes | None) -> tuple[list[bytes], list[bytes]]:
        """The N-Quads lines to remove from the previous store and to add to it for ``graph``
        (whose TriG is ``block`` and N-Quads ``nquads``: None when it is reused)."""
        if nquads is None or (graph.name in self.spans and self.block(graph.name) == block):
            return [], []
        new = nquads.splitlines()
        if graph.name not in self.spans:
            return [], new
        old = self.lines(graph.name)
        kept = set(new)
        return [line for line in old if line not in kept], [line for line in new if line not in old]


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


def copy_store(source: Path, target: Path) -> None:
    """Copy the store ``source`` to ``target`` (a RocksDB checkpoint: hard links on the same file system).

    ``source`` is opened read-only, as a server may have it open; the stores kg writes are
    flushed, so a read-only view holds all their quads.
    """
    store = ox.Store.read_only(str(source))
    try:
        store.backup(str(target))
    finally:
        del store


class StoreCopy:
    """A copy of an on-disk store, open for changes until :meth:`close`: how a build updates the previous store."""

    def __init__(self, source: Path, target: Path) -> None:
        copy_store(source, target)
        self.store: ox.Store | None = ox.Store(str(target))

    def update(self, delete: str, insert: str, dropped_graphs: Sequence[str | None] = ()) -> None:
        update_store(self.store, delete, insert, dropped_graphs)

    def close(self) -> None:
        """Flush the changes into the store's files (a read-only copy would not see them otherwise) and close it."""
        self.store.flush()
        self.store = None


def update_store(store: ox.Store, delete: str, insert: str, dropped_graphs: Sequence[str | None] = ()) -> None:
    """Remove ``dropped_graphs`` (IRIs; None: the default graph) from ``store``, then the quads of ``delete``,
    then add those of ``insert`` (bodies of SPARQL ``DELETE DATA`` and ``INSERT DATA``, see :func:`_sparql_data`).

    pyoxigraph runs the update without holding the interpreter's lock, so the build goes on meanwhile.
    """
    for name in dropped_graphs:
        if name is None:
            store.clear_graph(DEFAULT_GRAPH)
        else:
            store.remove_graph(ox.NamedNode(name))
    operations = [f"{verb} DATA {{\n{data}}}" for verb, data in (("DELETE", delete), ("INSERT", insert)) if data]
    if operations:
        store.update(" ;\n".join(operations))


def _sparql_data(lines: dict[str | None, Sequence[bytes]]) -> str:
    """The N-Quads ``lines`` of each graph (by IRI; None: the default graph) as the body of a SPARQL
    ``INSERT DATA`` or ``DELETE DATA``.  Blank nodes cannot be deleted this way (kg mints none).

    >>> print(_sparql_data({None: [b'<urn:a> <urn:a> "x" .'], "urn:g": [b"<urn:a> <urn:a> <urn:a> <urn:g> ."]}))
    <urn:a> <urn:a> "x" .
    GRAPH <urn:g> {
    <urn:a> <urn:a> <urn:a> .
    }
    <BLANKLINE>
    """
    parts = []
    for name, graph_lines in lines.items():
        if not graph_lines:
            continue
        if name is None:
            parts.append(b"\n".join(graph_lines).decode("utf-8") + "\n")
            continue
        suffix = f" <{name}> .".encode("utf-8")
        if not all(line.endswith(suffix) for line in graph_lines):
            raise ValueError(f"N-Quads lines not of graph {name}")
        body = b" .\n".join(line[:-len(suffix)] for line in graph_lines).decode("utf-8")
        parts.append(f"GRAPH <{name}> {{\n{body} .\n}}\n")
    return "".join(parts)


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


@cache
def trig_header() -> bytes:
    """The prefix lines Oxigraph's TriG writer starts with (the same whatever the quads)."""
    node = ox.NamedNode("urn:x")
    data = trig_bytes([ox.Quad(node, node, node)])
    return data[:data.index(b"\n<urn:x>") + 1]


def trig_block(quads: Sequence[ox.Quad]) -> bytes:
    """The TriG of ``quads`` without the prefix lines: ``trig_header()`` + the blocks of successive
    graphs is the TriG of all their quads, byte for byte."""
    data = trig_bytes(quads)
    if not data:
        return data
    if not data.startswith(trig_header()):
        raise ValueError("Oxigraph's TriG writer did not start with the expected prefixes")
    return data[len(trig_header()):]


@cache
def code_digest() -> str:
    """Digest of what reused graphs depend on besides their records: this module, ``kg/rdf.py``, the
    prefixes, pyoxigraph."""
    digest = hashlib.sha256(Path(rdf.__file__).read_bytes() + Path(__file__).read_bytes())
    digest.update(f"{ox.__version__}\n{sorted(FILE_PREFIXES.items())}".encode())
    return digest.hexdigest()


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
