"""SPARQL over the built graph: run a query, format its result for people or programs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from rdflib import Dataset, URIRef
from rdflib.query import Result

from .errors import QueryError
from .rdf import PREFIXES

FORMATS = ("table", "csv", "json")


def read_query(query: str) -> str:
    """The query text: ``query`` itself, or the contents of the ``.rq`` file it names."""
    if query.strip().endswith(".rq") and "\n" not in query:
        path = Path(query.strip())
        if not path.is_file():
            raise QueryError(f"no such query file: {path}")
        return path.read_text(encoding="utf-8")
    if not query.strip():
        raise QueryError("empty query: give SPARQL text or a .rq file")
    return query


def run_query(dataset: Dataset, query: str, bindings: dict | None = None) -> Result:
    """Run SPARQL on the union of the dataset's graphs; common prefixes are predeclared.

    Variables in ``bindings`` are bound as RDF terms, never pasted into the text.
    """
    try:
        return dataset.query(query, initNs=PREFIXES, initBindings=bindings or {})
    except Exception as exc:  # pyparsing and rdflib raise many exception types
        message = " ".join(str(exc).split())
        raise QueryError(f"invalid SPARQL query: {message[:300]}") from None


def format_result(result: Result, fmt: str = "table", namespace_manager=None) -> str:
    """Text of a query result: table, csv or json (W3C SPARQL JSON results for SELECT/ASK)."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if result.type == "ASK":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result.askAnswer)})
        return "true" if result.askAnswer else "false"
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        graph = result.graph
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        return graph.serialize(format="json-ld" if fmt == "json" else "turtle")
    variables = [str(v) for v in result.vars]
    if fmt == "json":
        return result.serialize(format="json").decode("utf-8")
    rows = [[_text(row[v], None) for v in variables] for row in result]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(variables)
        writer.writerows(rows)
        return buffer.getvalue().rstrip("\n")
    rows = [[_text(row[v], namespace_manager) for v in variables] for row in result]
    return _table(variables, rows) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})"


def _text(term, namespace_manager) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef) and namespace_manager is not None:
        try:
            return namespace_manager.normalizeUri(term)
        except ValueError:
            return str(term)
    return str(term)


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])
