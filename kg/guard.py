"""Safety checks on SPARQL text before a read-only endpoint runs it.

:func:`check_query` refuses SPARQL Update, ``SERVICE`` (a query must never make the
server call another endpoint) and ``FROM``/``FROM NAMED`` naming a graph the store does not
hold, and returns the graphs the dataset clauses name.  :func:`check_dataset` does the same
for the protocol's ``default-graph-uri``/``named-graph-uri`` parameters.

The text is split into tokens the way the SPARQL grammar splits it, so strings, comments
and IRIs cannot hide a keyword and a keyword cannot hide in them.  Oxigraph matches keywords
without a word boundary (``SERVICEex:q { }`` calls ``ex:q``), so a word or the prefix of a
prefixed name that merely *contains* ``service`` is refused too.  The scan takes linear time;
a string left open stops it (the query could only be invalid).

>>> check_query("SELECT ?s WHERE { ?s a ?type }", graphs=set())
FromClauses(default=(), named=())
>>> check_query("select * { service <http://example.org/sparql> { ?s ?p ?o } }", graphs=set())
Traceback (most recent call last):
    ...
kg.errors.QueryRefused: SERVICE is refused ('service'): this endpoint never calls other endpoints
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin

from .errors import QueryRefused, QuerySyntaxError, UpdateRefused

UPDATE_WORDS = frozenset({"insert", "delete", "load", "clear", "drop", "create", "add", "move", "copy", "with"})

# character classes of the SPARQL 1.1 grammar (section 19.8)
_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
         "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_U = _BASE + "_"
_CHARS = _U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_LOCAL = rf"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_TOKEN = re.compile(rf"""
  (?P<ws>\s+)
| (?P<comment>\#[^\r\n]*)
| (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*>)
| (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
            |\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
            |'(?:[^'\\\n\r]|\\[^\n\r])*'
            |"(?:[^"\\\n\r]|\\[^\n\r])*")
| (?P<unclosed>['"])
| (?P<var>[?$][{_U}0-9][{_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*)
| (?P<bnode>_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?)
| (?P<pname>(?:[{_BASE}][{_CHARS}.]*+(?<!\.))?:(?:{_LOCAL})?)
| (?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
| (?P<word>[{_U}][{_CHARS}.]*+)
| (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
| (?P<punct>.)
""", re.VERBOSE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # iri, string, var, bnode, pname, langtag, word, number, punct
    text: str


@dataclass(frozen=True, slots=True)
class FromClauses:
    """The graph IRIs named by ``FROM`` (default) and ``FROM NAMED`` (named), in order."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.default or self.named)


def tokens(text: str) -> Iterator[Token]:
    """The SPARQL tokens of ``text``, without whitespace and comments, in linear time.

    A string that is not closed stops the scan (QuerySyntaxError): it could only be invalid SPARQL.

    >>> [t.text for t in tokens('ASK { ?s ex:p\\\\# "# not a comment" } # a comment')]
    ['ASK', '{', '?s', 'ex:p\\\\#', '"# not a comment"', '}']
    """
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "unclosed":
            raise QuerySyntaxError(f"invalid SPARQL query: the string opened at character {match.start() + 1} "
                                   "is not closed on its line")
        if kind not in ("ws", "comment"):
            yield Token(kind, match.group())


def check_query(text: str, graphs: Collection[str], prefixes: Mapping[str, str] | None = None) -> FromClauses:
    """Refuse Update, ``SERVICE`` and dataset clauses naming graphs outside ``graphs``.

    ``prefixes`` are those predeclared by the endpoint (the query's own ``PREFIX``
    declarations override them).  Returns the graphs named by ``FROM`` and ``FROM NAMED``.

    >>> g = {"http://example.org/g1"}
    >>> check_query("PREFIX ex: <http://example.org/> SELECT * FROM NAMED ex:g1 { GRAPH ?g { ?s ?p ?o } }", g)
    FromClauses(default=(), named=('http://example.org/g1',))
    >>> check_query("SELECT * FROM <http://elsewhere.org/x> { ?s ?p ?o }", g)
    Traceback (most recent call last):
        ...
    kg.errors.QueryRefused: FROM <http://elsewhere.org/x> is refused: this endpoint only holds its own graphs (http://example.org/g1)
    >>> check_query("PREFIX ex: <http://example.org/> INSERT DATA { ex:a ex:b ex:c }", g)
    Traceback (most recent call last):
        ...
    kg.errors.UpdateRefused: SPARQL Update (INSERT) is refused: this endpoint is read-only
    """
    toks = list(tokens(text))
    words = [t for t in toks if t.kind == "word"]
    for token in words:
        if token.text.lower() in UPDATE_WORDS:
            raise UpdateRefused(f"SPARQL Update ({token.text.upper()}) is refused: this endpoint is read-only")
    for token in toks:
        if _contains(token, "service"):
            hint = "" if token.text.lower() == "service" else \
                " (a word or prefix merely containing 'service' can call one too: rename the prefix)"
            raise QueryRefused(f"SERVICE is refused ({token.text!r}): this endpoint never calls other endpoints"
                               + hint)
    return _from_clauses(toks, graphs, dict(prefixes or {}))


def check_dataset(default_graph_uris: Sequence[str], named_graph_uris: Sequence[str],
                  graphs: Collection[str]) -> FromClauses:
    """The protocol's ``default-graph-uri`` and ``named-graph-uri`` values, if all are in ``graphs``.

    >>> check_dataset(["http://example.org/g1"], [], {"http://example.org/g1"})
    FromClauses(default=('http://example.org/g1',), named=())
    >>> check_dataset([], ["http://example.org/g2"], {"http://example.org/g1"})
    Traceback (most recent call last):
        ...
    kg.errors.QueryRefused: named-graph-uri <http://example.org/g2> is refused: this endpoint only holds its own graphs (http://example.org/g1)
    """
    for name, values in (("default-graph-uri", default_graph_uris), ("named-graph-uri", named_graph_uris)):
        for iri in values:
            if iri not in graphs:
                raise QueryRefused(f"{name} <{iri}> is refused: {_own(graphs)}")
    return FromClauses(tuple(default_graph_uris), tuple(named_graph_uris))


def _contains(token: Token, keyword: str) -> bool:
    """Whether a word, or the prefix part of a prefixed name, contains ``keyword``."""
    if token.kind == "word":
        return keyword in token.text.lower()
    if token.kind == "pname":
        return keyword in token.text.split(":", 1)[0].lower()
    return False


def _from_clauses(toks: list[Token], graphs: Collection[str], prefixes: dict[str, str]) -> FromClauses:
    base = None
    default: list[str] = []
    named: list[str] = []
    i = 0
    while i < len(toks):
        token = toks[i]
        word = token.text.lower() if token.kind == "word" else None
        if word == "base" and _kind(toks, i + 1) == "iri":
            base = _iri(toks[i + 1].text, base)
            i += 2
            continue
        if word == "prefix" and _kind(toks, i + 1) == "pname" and toks[i + 1].text.endswith(":") \
                and _kind(toks, i + 2) == "iri":
            prefixes[toks[i + 1].text[:-1]] = _iri(toks[i + 2].text, base)
            i += 3
            continue
        if word == "from":
            is_named = _kind(toks, i + 1) == "word" and toks[i + 1].text.lower() == "named"
            target = toks[i + 2] if is_named and i + 2 < len(toks) else toks[i + 1] if i + 1 < len(toks) else None
            iri = _target(target, prefixes, base)
            clause = "FROM NAMED" if is_named else "FROM"
            if iri is None:
                shown = target.text if target else "the end of the query"
                raise QueryRefused(f"cannot read the graph after {clause} (found {shown!r}): "
                                   f"write {clause} <graph-iri> or {clause} prefix:name")
            if iri not in graphs:
                raise QueryRefused(f"{clause} <{iri}> is refused: {_own(graphs)}")
            (named if is_named else default).append(iri)
            i += 3 if is_named else 2
            continue
        if _contains(token, "from"):
            raise QueryRefused(f"cannot read {token.text!r}: write FROM or FROM NAMED as a separate word "
                               "followed by a graph IRI")
        i += 1
    return FromClauses(tuple(default), tuple(named))


def _kind(toks: list[Token], i: int) -> str | None:
    return toks[i].kind if i < len(toks) else None


def _iri(text: str, base: str | None) -> str:
    iri = text[1:-1]
    return urljoin(base, iri) if base else iri


def _target(token: Token | None, prefixes: Mapping[str, str], base: str | None) -> str | None:
    if token is None:
        return None
    if token.kind == "iri":
        return _iri(token.text, base)
    if token.kind == "pname":
        prefix, local = token.text.split(":", 1)
        if prefix in prefixes:
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None


def _own(graphs: Collection[str]) -> str:
    listed = ", ".join(sorted(graphs)[:3]) + (", ..." if len(graphs) > 3 else "")
    return f"this endpoint only holds its own graphs ({listed or 'none'})"
