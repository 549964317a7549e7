"""Export the built graph in a standard RDF syntax with pyoxigraph's serializers.

Triple formats (Turtle, N-Triples) hold the default graph: the entities and the relations
between them, what ``graph.ttl`` holds.  Quad formats (N-Quads, TriG) and JSON-LD hold the
whole dataset: the default graph and every named graph (provenance per article, analysis).
Statements are sorted before they are written, so exporting twice gives identical bytes.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pyoxigraph as ox

from .errors import KgError
from .query import TEXT_PREFIXES
from .store import open_store

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
    store = open_store(graph_dir)
    if fmt in TRIPLE_FORMATS:
        statements = sorted((q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())),
                            key=_triple_key)
    else:
        statements = sorted(store, key=_quad_key)
    return serialize(statements, fmt), len(statements)


def serialize(statements: list, fmt: str) -> bytes:
    """Triples or quads, in the order given, in export format ``fmt``."""
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


def _triple_key(triple: ox.Triple) -> tuple[str, str, str]:
    return str(triple.subject), str(triple.predicate), str(triple.object)


def _quad_key(quad: ox.Quad) -> tuple[int, str, str, str, str]:
    default = isinstance(quad.graph_name, ox.DefaultGraph)
    return (0 if default else 1, "" if default else str(quad.graph_name), *_triple_key(quad.triple))
