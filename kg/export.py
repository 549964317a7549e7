"""Export the built graph in a standard RDF syntax with pyoxigraph's serializers.

Triple formats (Turtle, N-Triples) hold the default graph: the entities and the relations
between them, what ``graph.ttl`` holds.  Quad formats (N-Quads, TriG) and JSON-LD hold the
whole dataset: the default graph and every named graph (provenance per article, analysis),
what ``graph.trig`` holds.  The build's file is parsed and written again by Oxigraph,
statement by statement in the file's canonical order, so exporting twice gives identical
bytes; no statement passes through rdflib, and a million go through in a few seconds.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pyoxigraph as ox

from .errors import GraphNotFoundError, KgError
from .query import TEXT_PREFIXES
from .store import GRAPH_TRIG, GRAPH_TTL

#: Export formats: name -> (pyoxigraph format, usual file extension).
EXPORT_FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, ".ttl"),
    "nt": (ox.RdfFormat.N_TRIPLES, ".nt"),
    "nq": (ox.RdfFormat.N_QUADS, ".nq"),
    "trig": (ox.RdfFormat.TRIG, ".trig"),
    "jsonld": (ox.RdfFormat.JSON_LD, ".jsonld"),
}
TRIPLE_FORMATS = ("turtle", "nt")


def format_for(path: Path | None, fmt: str | None = None) -> str:
    """The export format: ``fmt`` if given, else the one the extension of ``path`` names, else turtle.

    >>> format_for(Path("graph.nq")), format_for(Path("graph.txt")), format_for(None, "trig")
    ('nq', 'turtle', 'trig')
    """
    if fmt is not None:
        if fmt not in EXPORT_FORMATS:
            raise KgError(f"unknown export format {fmt!r}: choose one of {', '.join(EXPORT_FORMATS)}")
        return fmt
    suffix = path.suffix.lower() if path is not None else ""
    return next((name for name, (_, ext) in EXPORT_FORMATS.items() if ext == suffix), "turtle")


def export_graph(graph_dir: Path, fmt: str = "turtle") -> tuple[bytes, int]:
    """The graph built in ``graph_dir`` serialized in ``fmt``, and how many statements it holds."""
    fmt = format_for(None, fmt)
    name, source_format = (GRAPH_TTL, ox.RdfFormat.TURTLE) if fmt in TRIPLE_FORMATS else (GRAPH_TRIG, ox.RdfFormat.TRIG)
    path = Path(graph_dir) / name
    if not path.is_file():
        raise GraphNotFoundError(f"no graph in {graph_dir}: run `kg build --out {graph_dir}` first")
    count = 0

    def statements():
        nonlocal count
        for quad in ox.parse(path=str(path), format=source_format):
            count += 1
            yield quad.triple if fmt in TRIPLE_FORMATS else quad

    try:
        data = serialize(statements(), fmt)
    except (SyntaxError, ValueError) as exc:
        raise GraphNotFoundError(f"{path} is not readable ({exc}): rebuild it with `kg build --out {graph_dir}`") from None
    return data, count


def serialize(statements, fmt: str) -> bytes:
    """Triples or quads (any iterable), in the order given, in export format ``fmt``."""
    rdf_format = EXPORT_FORMATS[fmt][0]
    prefixes = TEXT_PREFIXES if fmt in ("turtle", "trig") else None
    data = ox.serialize(statements, format=rdf_format, prefixes=prefixes)
    return data if data.endswith(b"\n") else data + b"\n"  # JSON-LD comes without a final newline


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it, so ``path`` is never half written."""
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent if str(path.parent) else ".")
    except OSError as exc:
        raise KgError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes the file private; give it the usual mode
        os.replace(tmp, path)
    except OSError as exc:
        raise KgError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
