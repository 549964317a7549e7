"""SPARQL over the built graph: named queries, parameters bound as RDF terms, result formats.

Two engines answer the same SPARQL: the embedded pyoxigraph store that ``kg build`` writes
(``query_graph``, used by ``kg query``) and an rdflib Dataset (``run_query``, the Python API).
Both query the union of the graph's graphs with the prefixes of ``QUERY_PREFIXES`` declared.

Named queries are the ``kg/queries/*.rq`` files.  Each starts with comment lines: a
one-line description, then one ``# param NAME (required|optional): text`` line per parameter.
Parameter values are bound as RDF string literals through a ``VALUES`` block opening each
``WHERE`` group of the query (its own and its sub-queries'), serialized by pyoxigraph, so a
value is never read as SPARQL:

>>> bind_values("SELECT ?s WHERE { ?s rdfs:label ?name }", {"name": 'Say "hi" } .'})
'SELECT ?s WHERE { VALUES ?name { "Say \\\\"hi\\\\" } ." } ?s rdfs:label ?name }'
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.query import Result

from .errors import QueryError
from .namespaces import SCHEMA
from .rdf import PREFIXES
from .resources import query_names, query_path
from .store import open_store

#: Prefixes every query may use without declaring them.
QUERY_PREFIXES = {**{p: str(ns) for p, ns in PREFIXES.items()}, "rdf": str(RDF), "xsd": str(XSD),
                  "schema": str(SCHEMA)}
#: Prefixes written into Turtle, TriG and JSON-LD: all but ``kgid:``, whose local names hold ``/``
#: (Turtle would escape them as ``kgid:film\\/x``; full IRIs read better).
TEXT_PREFIXES = {p: ns for p, ns in QUERY_PREFIXES.items() if p != "kgid"}
FORMATS = ("table", "csv", "json")  #: formats of :func:`format_result` (rdflib results)
#: formats of :func:`query_graph`; table and the W3C result formats for SELECT and ASK,
#: turtle and JSON-LD (also ``json``) for CONSTRUCT and DESCRIBE.
STORE_FORMATS = ("table", "csv", "tsv", "json", "xml", "turtle", "jsonld")
_RESULT_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                   "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}
_GRAPH_FORMATS = {"table": ox.RdfFormat.TURTLE, "turtle": ox.RdfFormat.TURTLE,
                  "json": ox.RdfFormat.JSON_LD, "jsonld": ox.RdfFormat.JSON_LD}
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PARAM_LINE = re.compile(r"#\s*param\s+(\S+)\s*\((required|optional)\)\s*:\s*(.*)")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


# --- named queries ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    required: bool
    description: str


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A query of ``kg/queries``: its name, description, parameters and SPARQL text."""

    name: str
    description: str
    params: tuple[Param, ...]
    text: str


def named_query(name: str) -> NamedQuery:
    """The named query ``name`` (``kg/queries/<name>.rq``), with its header parsed."""
    if name not in query_names():
        raise QueryError(f"no named query {name!r}: choose one of {', '.join(query_names())} "
                         "(`kg query --list` describes them)")
    text = query_path(name).read_text(encoding="utf-8")
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    params = tuple(Param(m[1], m[2] == "required", m[3].strip())
                   for m in map(_PARAM_LINE.fullmatch, header[1:]) if m)
    description = header[0].lstrip("#").strip() if header else ""
    return NamedQuery(name, description, params, text)


def named_queries() -> list[NamedQuery]:
    """Every named query, by name."""
    return [named_query(name) for name in query_names()]


def describe_named_queries() -> str:
    """What ``kg query --list`` prints: each name, its description and its parameters."""
    queries = named_queries()
    width = max(len(q.name) for q in queries)
    lines = []
    for q in queries:
        lines.append(f"{q.name:<{width}}  {q.description}")
        for p in q.params:
            lines.append(f"{'':<{width}}    --param {p.name}=...  ({'required' if p.required else 'optional'}) "
                         f"{p.description}")
    return "\n".join(lines)


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """``["key=value", ...]`` as ``{key: value}``.

    >>> parse_params(["work=Up", "class=a=b"])
    {'work': 'Up', 'class': 'a=b'}
    """
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not _VARIABLE.fullmatch(key):
            raise QueryError(f"bad parameter {pair!r}: write --param NAME=VALUE")
        if key in params:
            raise QueryError(f"parameter {key!r} given twice: give each parameter once")
        params[key] = value
    return params


def prepare_named(name: str, params: Mapping[str, str] | None = None) -> str:
    """The text of named query ``name`` with ``params`` bound; checks names and required ones."""
    query = named_query(name)
    params = dict(params or {})
    known = {p.name for p in query.params}
    for key in params:
        if key not in known:
            takes = f"its parameters are {', '.join(sorted(known))}" if known else "it takes none"
            raise QueryError(f"named query {name!r} has no parameter {key!r}: {takes}")
    for p in query.params:
        if p.required and p.name not in params:
            raise QueryError(f"named query {name!r} needs --param {p.name}=VALUE ({p.description})")
    return bind_values(query.text, params)


def bind_values(text: str, params: Mapping[str, str]) -> str:
    """``text`` with a block ``VALUES ?name { "value" }`` opening each of its ``WHERE`` groups.

    Values become string literals serialized by pyoxigraph (N-Triples escaping).  A sub-query
    sees only its own variables, hence a block in every ``WHERE`` group, not just the outer one.
    """
    if not params:
        return text
    blocks = []
    for key, value in params.items():
        if not _VARIABLE.fullmatch(key):
            raise QueryError(f"bad parameter name {key!r}: use letters, digits and _")
        if not re.search(rf"[?$]{key}\b", text):
            raise QueryError(f"the query has no variable ?{key} to bind")
        try:
            value.encode("utf-8")
            blocks.append(f"VALUES ?{key} {{ {ox.Literal(value)} }}")
        except (TypeError, ValueError, UnicodeError):
            raise QueryError(f"bad value for parameter {key!r}: give a string of Unicode text") from None
    start = len(text) - len(_strip_header(text))
    head, body = text[:start], text[start:]
    bound, count = _WHERE.subn(lambda m: f"{m.group(0)} {' '.join(blocks)}", body)
    if count == 0:
        raise QueryError("cannot bind parameters: the query has no `WHERE {` group")
    return head + bound


def _strip_header(text: str) -> str:
    """``text`` without its leading comment and blank lines."""
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines) and (not lines[i].strip() or lines[i].lstrip().startswith("#")):
        i += 1
    return "".join(lines[i:])


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


# --- the embedded store -------------------------------------------------------------------------


def query_graph(graph_dir: Path, query: str | None = None, *, name: str | None = None,
                params: Mapping[str, str] | None = None, fmt: str = "table") -> str:
    """Run SPARQL text, a ``.rq`` file or the named query ``name`` on the store of ``graph_dir``.

    Returns the formatted result (see :data:`STORE_FORMATS`), ending with a newline.
    """
    if (query is None) == (name is None):
        raise QueryError("give either a query (SPARQL text or a .rq file) or --name NAME, "
                         "not both and not neither (`kg query --list` shows the named queries)")
    if fmt not in STORE_FORMATS:
        raise QueryError(f"unknown format {fmt!r}: choose one of {', '.join(STORE_FORMATS)}")
    text = prepare_named(name, params) if name is not None else bind_values(read_query(query), params or {})
    return format_store_result(run_store_query(open_store(graph_dir), text), fmt)


def run_store_query(store: ox.Store, text: str):
    """Run SPARQL on the union of the store's graphs, with :data:`QUERY_PREFIXES` predeclared."""
    try:
        return store.query(text, prefixes=QUERY_PREFIXES, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"invalid SPARQL query: {' '.join(str(exc).split())[:300]}") from None
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryError(f"the query failed: {' '.join(str(exc).split())[:300]}") from None


def format_store_result(result, fmt: str = "table") -> str:
    """Text of a pyoxigraph query result in ``fmt``, ending with a newline."""
    try:
        if isinstance(result, ox.QueryTriples):
            if fmt not in _GRAPH_FORMATS:
                raise QueryError(f"format {fmt!r} is for SELECT and ASK results: a CONSTRUCT or DESCRIBE "
                                 "result can be turtle (the default) or jsonld")
            triples = sorted(result, key=_triple_key)
            text = ox.serialize(triples, format=_GRAPH_FORMATS[fmt], prefixes=TEXT_PREFIXES).decode("utf-8")
        elif fmt in ("turtle", "jsonld"):
            raise QueryError(f"format {fmt!r} is for CONSTRUCT and DESCRIBE results: a SELECT or ASK result "
                             "can be table, csv, tsv, json or xml")
        elif fmt == "table":
            text = ("true" if bool(result) else "false") if isinstance(result, ox.QueryBoolean) \
                else _solutions_table(result)
        else:
            text = result.serialize(format=_RESULT_FORMATS[fmt]).decode("utf-8")
    except (OSError, RuntimeError, ValueError) as exc:  # evaluation errors surface while iterating
        raise QueryError(f"the query failed: {' '.join(str(exc).split())[:300]}") from None
    return text if text.endswith("\n") else text + "\n"


def _triple_key(triple: ox.Triple) -> tuple[str, str, str]:
    return str(triple.subject), str(triple.predicate), str(triple.object)


def _solutions_table(solutions: ox.QuerySolutions) -> str:
    variables = [v.value for v in solutions.variables]
    rows = [[" ".join(short_term(solution[v]).splitlines()) for v in variables] for solution in solutions]
    return _table(variables, rows) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})"


def short_term(term) -> str:
    """A term for people: a literal's text, an IRI as a prefixed name when a prefix fits.

    >>> short_term(ox.NamedNode("https://w3id.org/kg-news/ontology#actedIn"))
    'kg:actedIn'
    >>> short_term(ox.NamedNode("http://example.org/x")), short_term(ox.Literal("3", datatype=ox.NamedNode(XSD.integer)))
    ('<http://example.org/x>', '3')
    """
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        best = max((ns for ns in QUERY_PREFIXES.values() if term.value.startswith(ns)), key=len, default=None)
        if best is not None:
            local = term.value[len(best):]
            if re.fullmatch(r"[\w\-./~%]*", local) and not local.endswith("."):
                prefix = next(p for p, ns in QUERY_PREFIXES.items() if ns == best)
                return f"{prefix}:{local}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


# --- rdflib (Python API) ------------------------------------------------------------------------


def run_query(dataset: Dataset, query: str, bindings: dict | None = None) -> Result:
    """Run SPARQL on the union of the dataset's graphs; common prefixes are predeclared.

    Variables in ``bindings`` are bound as RDF terms, never pasted into the text.
    """
    try:
        return dataset.query(query, initNs=QUERY_PREFIXES, initBindings=bindings or {})
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
        for prefix, namespace in QUERY_PREFIXES.items():
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
