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
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from .errors import GraphNotFoundError, KgError
from .rdf import FILE_PREFIXES, default_triples, new_dataset, sorted_quads

GRAPH_TTL = "graph.ttl"
GRAPH_TRIG = "graph.trig"
REPORT_JSON = "report.json"
STORE_DIR = "store"


def write_outputs(out_dir: Path, quads: Sequence[ox.Quad], report: dict, *,
                  extra_files: dict[str, str] | None = None) -> list[Path]:
    """Write ``graph.ttl``, ``graph.trig``, ``report.json``, ``extra_files`` and ``store/`` atomically.

    ``quads`` are written in the order given (:func:`kg.rdf.dataset_quads` gives the
    canonical one).  ``extra_files`` maps a file name to its text (written as UTF-8).  Everything is written
    into a staging folder first; only when all of it is ready are the files replaced and the
    old ``store/`` swapped for the new one.
    """
    out_dir = Path(out_dir)
    files = {GRAPH_TTL: None, GRAPH_TRIG: None, REPORT_JSON: None}
    for name in extra_files or {}:
        if name in files or name == STORE_DIR or Path(name).name != name or name.startswith("."):
            raise KgError(f"cannot write extra output {name!r}: give a plain file name other than "
                          f"{', '.join([*files, STORE_DIR])}")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KgError(f"cannot create output folder {out_dir}: {exc.strerror}") from None
    staging = Path(tempfile.mkdtemp(prefix=".kg-build-", dir=out_dir))
    try:
        (staging / GRAPH_TRIG).write_bytes(trig_bytes(quads))
        (staging / GRAPH_TTL).write_bytes(turtle_bytes(quads))
        texts = {REPORT_JSON: json.dumps(report, indent=2, ensure_ascii=False, sort_keys=False) + "\n",
                 **(extra_files or {})}
        for name, text in texts.items():
            (staging / name).write_text(text, encoding="utf-8")
        load_store(staging / STORE_DIR, quads)
        written = []
        for name in [*files, *(extra_files or {})]:
            os.replace(staging / name, out_dir / name)
            written.append(out_dir / name)
        _swap_dir(staging / STORE_DIR, out_dir / STORE_DIR, aside=staging / f"{STORE_DIR}.old")
        return [*written, out_dir / STORE_DIR]
    except OSError as exc:
        raise KgError(f"cannot write outputs to {out_dir}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


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


def load_store(path: Path, quads: Sequence[ox.Quad]) -> None:
    """Create the on-disk store ``path`` holding ``quads`` with pyoxigraph's bulk loader, then close it.

    The store is compacted after loading (``optimize``): queries on a million quads run two
    to three times faster, for under two seconds of work.
    """
    store = ox.Store(str(path))
    try:
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
    """Turtle of the default graph of ``quads`` alone: the entities and their relations."""
    return ox.serialize(default_triples(quads), format=ox.RdfFormat.TURTLE, prefixes=FILE_PREFIXES)


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
