"""A pyoxigraph query result as bytes in a SPARQL Protocol media type, cut at a row cap.

SELECT and ASK results go out as W3C SPARQL results (JSON, XML, CSV, TSV); CONSTRUCT and
DESCRIBE results as RDF (Turtle, N-Triples, JSON-LD, RDF/XML).  At most ``max_rows``
solutions or triples are written; a cut result says so (``Encoded.truncated``, and a
top-level ``"truncated": true`` in JSON results).

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> for n in range(3):
...     store.add(ox.Quad(ox.NamedNode(f"http://example.org/{n}"), ox.NamedNode("http://example.org/p"), ox.Literal(n)))
>>> out = encode(store.query("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"), "text/csv", None, max_rows=2)
>>> out.body, out.rows, out.truncated
(b's\\r\\nhttp://example.org/0\\r\\nhttp://example.org/1\\r\\n', 2, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox

from .errors import QueryError

#: media types of SELECT and ASK results, in the order preferred when a client accepts several
RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
#: media types of CONSTRUCT and DESCRIBE results, in order of preference
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
TEXT_TYPES = {"text/csv", "text/tab-separated-values", "text/turtle", "application/n-triples"}


class NotAcceptable(QueryError):
    """The client accepts no media type this kind of result can be written in."""


@dataclass(frozen=True, slots=True)
class Encoded:
    body: bytes
    media_type: str  #: with ``; charset=utf-8`` for text types
    rows: int  #: solutions or triples written (1 for ASK)
    truncated: bool


def encode(result, result_type: str | None, graph_type: str | None, max_rows: int,
           prefixes: Mapping[str, str] | None = None) -> Encoded:
    """``result`` (from ``Store.query``) in ``result_type`` (SELECT/ASK) or ``graph_type`` (CONSTRUCT/DESCRIBE).

    The type for the other kind of result may be None; :class:`NotAcceptable` is raised when
    the one needed is.  Evaluation errors surface while iterating and become QueryError.
    """
    try:
        if isinstance(result, ox.QueryTriples):
            if graph_type is None:
                raise NotAcceptable("a CONSTRUCT or DESCRIBE query gives RDF: accept one of "
                                    + ", ".join(GRAPH_TYPES))
            triples = list(islice(result, max_rows + 1))
            kept = sorted(triples[:max_rows], key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
            body = ox.serialize(kept, format=GRAPH_TYPES[graph_type], prefixes=dict(prefixes or {}))
            return Encoded(body, _with_charset(graph_type), len(kept), len(triples) > max_rows)
        if result_type is None:
            raise NotAcceptable("a SELECT or ASK query gives SPARQL results: accept one of " + ", ".join(RESULT_TYPES))
        if isinstance(result, ox.QueryBoolean):
            return Encoded(result.serialize(format=RESULT_TYPES[result_type]), _with_charset(result_type), 1, False)
        return _solutions(result, result_type, max_rows)
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryError(f"the query failed: {' '.join(str(exc).split())[:300]}") from None


def _solutions(solutions: ox.QuerySolutions, result_type: str, max_rows: int) -> Encoded:
    """At most ``max_rows`` solutions, written by pyoxigraph (through TSV, which spells terms exactly)."""
    variables = solutions.variables
    rows = list(islice(solutions, max_rows + 1))
    truncated = len(rows) > max_rows
    rows = rows[:max_rows]
    lines = ["\t".join(str(v) for v in variables)]
    lines += ["\t".join("" if row[v] is None else str(row[v]) for v in variables) for row in rows]
    kept = ox.parse_query_results("\n".join(lines) + "\n", format=ox.QueryResultsFormat.TSV)
    body = kept.serialize(format=RESULT_TYPES[result_type])
    if truncated and result_type == "application/sparql-results+json":
        body = body[:-1] + b',"truncated":true}'  # body is one JSON object
    return Encoded(body, _with_charset(result_type), len(rows), truncated)


def _with_charset(media_type: str) -> str:
    return f"{media_type}; charset=utf-8" if media_type in TEXT_TYPES else media_type
