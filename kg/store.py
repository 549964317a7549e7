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
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .errors import GraphNotFoundError, KgError
from .rdf import PREFIXES, new_dataset

GRAPH_TTL = "graph.ttl"
GRAPH_TRIG = "graph.trig"
REPORT_JSON = "report.json"
STORE_DIR = "store"


def write_outputs(out_dir: Path, dataset: Dataset, report: dict, *,
                  extra_files: dict[str, str] | None = None) -> list[Path]:
    """Write ``graph.ttl``, ``graph.trig``, ``report.json``, ``extra_files`` and ``store/`` atomically.

    ``extra_files`` maps a file name to its text (written as UTF-8).  Everything is written
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
        trig = trig_text(dataset)
        texts = {GRAPH_TTL: turtle_text(dataset), GRAPH_TRIG: trig,
                 REPORT_JSON: json.dumps(report, indent=2, ensure_ascii=False, sort_keys=False) + "\n",
                 **(extra_files or {})}
        for name, text in texts.items():
            (staging / name).write_text(text, encoding="utf-8")
        load_store(staging / STORE_DIR, trig)
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


def load_store(path: Path, trig: str) -> None:
    """Create the on-disk store ``path`` from TriG text with pyoxigraph's bulk loader, then close it.

    The store is compacted after loading (``optimize``): queries on a million quads run two
    to three times faster, for under two seconds of work.
    """
    store = ox.Store(str(path))
    try:
        store.bulk_load(trig.encode("utf-8"), ox.RdfFormat.TRIG)
        store.optimize()
    except SyntaxError as exc:
        raise KgError(f"the built graph is not valid TriG for the store: {exc}") from None
    finally:
        del store  # closes the RocksDB database before its folder is moved


def store_from_dataset(dataset: Dataset) -> ox.Store:
    """An in-memory pyoxigraph store holding the quads of an rdflib ``dataset``."""
    store = ox.Store()
    store.bulk_load(trig_text(dataset).encode("utf-8"), ox.RdfFormat.TRIG)
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


def trig_text(dataset: Dataset) -> str:
    """TriG of the dataset in a fixed order: default graph first, then named graphs by IRI.

    Written by Oxigraph's serializer from sorted quads (rdflib's writer is some 50 times
    slower and orders graphs by hash, which changes from one process to the next).
    """
    return ox.serialize(sorted_quads(dataset), format=ox.RdfFormat.TRIG, prefixes=_prefixes(dataset)).decode("utf-8")


def turtle_text(dataset: Dataset) -> str:
    """Turtle of the default graph alone (entities and direct relations), sorted."""
    triples = [q.triple for q in sorted_quads(dataset) if q.graph_name == ox.DefaultGraph()]
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_prefixes(dataset)).decode("utf-8")


def sorted_quads(dataset: Dataset) -> list[ox.Quad]:
    """Every quad of ``dataset`` as a pyoxigraph Quad, default graph first, then by graph and terms."""
    quads = [ox.Quad(_ox_term(s), _ox_term(p), _ox_term(o), _ox_graph(g)) for s, p, o, g in dataset.quads()]
    return sorted(set(quads), key=lambda q: (q.graph_name != ox.DefaultGraph(), str(q.graph_name),
                                              str(q.subject), str(q.predicate), str(q.object)))


def _prefixes(dataset: Dataset) -> dict[str, str]:
    """Prefixes for the written files; ``kgid:`` is left out, as its local names hold slashes."""
    wanted = {"rdf", *PREFIXES} - {"kgid"}
    return {p: str(ns) for p, ns in sorted(dataset.namespace_manager.namespaces()) if p in wanted}


def _ox_term(term):
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    return ox.NamedNode(str(term))


def _ox_graph(graph):
    identifier = getattr(graph, "identifier", graph)
    if identifier is None or identifier == DATASET_DEFAULT_GRAPH_ID:
        return ox.DefaultGraph()
    return _ox_term(identifier)


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
