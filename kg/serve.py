"""A read-only SPARQL 1.1 Protocol endpoint over a pyoxigraph store, and an offline query page.

``/sparql`` answers GET ``?query=``, POST ``application/x-www-form-urlencoded`` and POST
``application/sparql-query``; ``/`` is a query page (HTML, CSS and JS served from
``kg/static/``).  Before a query runs, :mod:`kg.guard` refuses Update, ``SERVICE`` and
graphs the store does not hold; queries then run in :class:`kg.runner.QueryPool` workers,
with a time limit and a row cap.  Status codes: 400 malformed query, 403 refused,
404 unknown path, 405 other methods, 406 no acceptable format, 413 body too large,
415 other POST bodies, 500 failed query, 503 time limit or all workers busy.

The media type comes from a ``format=`` parameter (``json``, ``xml``, ``csv``, ``tsv``,
``turtle``, ``nt``, ``jsonld``, ``rdfxml`` or a media type) or else the Accept header:

>>> negotiate("text/csv, */*;q=0.1", [])
('text/csv', 'text/turtle')
>>> negotiate(None, ["turtle"])
(None, 'text/turtle')
"""

from __future__ import annotations

import ipaddress
import logging
import signal
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from .errors import KgError, QueryError, QueryRefused, QuerySyntaxError, QueryTimeout, UpdateRefused
from .guard import FromClauses, check_dataset, check_query
from .push import ENTITY_GRAPH
from .query import QUERY_PREFIXES, TEXT_PREFIXES
from .results import GRAPH_TYPES, RESULT_TYPES, NotAcceptable
from .runner import PoolBusy, QueryPool, Request

log = logging.getLogger(__name__)
MAX_BODY = 256_000  #: bytes of a POST body (the guard reads a query of this size in about a second)
FORMAT_NAMES = {
    "json": ("application/sparql-results+json", "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "csv": ("text/csv", None), "tsv": ("text/tab-separated-values", None),
    "turtle": (None, "text/turtle"), "ttl": (None, "text/turtle"), "n3": (None, "text/turtle"),
    "nt": (None, "application/n-triples"), "ntriples": (None, "application/n-triples"),
    "n-triples": (None, "application/n-triples"),
    "jsonld": (None, "application/ld+json"), "json-ld": (None, "application/ld+json"),
    "rdf": (None, "application/rdf+xml"), "rdfxml": (None, "application/rdf+xml"),
    "rdf+xml": (None, "application/rdf+xml"),
}
# other media types clients send, and the types they stand for
ALIASES = {
    "application/json": ("application/sparql-results+json", "application/ld+json"),
    "application/xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "text/xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "application/turtle": (None, "text/turtle"), "application/x-turtle": (None, "text/turtle"),
    "text/n3": (None, "text/turtle"), "text/rdf+n3": (None, "text/turtle"), "application/n3": (None, "text/turtle"),
    "application/x-json+ld": (None, "application/ld+json"),
}
STATIC = {"/": ("sparql.html", "text/html; charset=utf-8"),
          "/static/sparql.js": ("sparql.js", "text/javascript; charset=utf-8"),
          "/static/sparql.css": ("sparql.css", "text/css; charset=utf-8"),
          "/static/sparql-examples.json": ("sparql-examples.json", "application/json")}
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'"}


class BadRequest(QueryError):
    """The HTTP request itself is wrong (a missing or repeated parameter, a body that is not UTF-8)."""


STATUS = [(UpdateRefused, 403), (QueryRefused, 403), (QuerySyntaxError, 400), (BadRequest, 400),
          (NotAcceptable, 406), (QueryTimeout, 503), (PoolBusy, 503), (QueryError, 500)]


class SparqlServer(ThreadingHTTPServer):
    """A threading HTTP server holding the query pool and the IRIs of the store's graphs."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], graphs: set[str]):
        self.pool: QueryPool | None = None  #: set by make_server once the socket is bound
        self.graphs = graphs  #: named graphs of the store
        super().__init__(address, SparqlHandler)
        host, port = self.server_address[:2]
        self.hosts = _allowed_hosts(host, port)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{f'[{host}]' if ':' in host else host}:{port}/"

    def server_close(self) -> None:
        super().server_close()
        if self.pool is not None:
            self.pool.close()


def make_server(store: ox.Store, host: str = "127.0.0.1", port: int = 7878, *, timeout: float = 10.0,
                max_rows: int = 10_000, workers: int = 2) -> SparqlServer:
    """A server for ``store`` listening on ``host:port`` (port 0 picks a free port); call ``serve_forever``."""
    if not 0 <= port <= 65535:
        raise KgError(f"port {port} is out of range: choose one from 1 to 65535 (0 picks a free one)")
    graphs = {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
    try:
        server = SparqlServer((host, port), graphs)
    except OSError as exc:
        raise KgError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --port "
                      "or stop the program using it") from None
    try:
        server.pool = QueryPool(store, workers=workers, timeout=timeout, max_rows=max_rows,
                                prefixes=QUERY_PREFIXES, text_prefixes=TEXT_PREFIXES)
    except BaseException:
        server.server_close()
        raise
    if not _is_loopback(host):
        log.warning("listening on %s: anyone who can reach this address can query the graph", host)
    return server


def serve_until_stopped(server: SparqlServer) -> None:
    """Serve until Ctrl-C or SIGTERM, then close the socket and the workers."""
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        log.info("stopping")
    finally:
        server.server_close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def negotiate(accept: str | None, formats: list[str]) -> tuple[str | None, str | None]:
    """The media types for a SELECT/ASK and for a CONSTRUCT/DESCRIBE answer (None: not acceptable).

    ``formats`` are the values of ``format=`` parameters; the first one understood wins over
    the Accept header.  Raises NotAcceptable when neither kind of answer has a type.

    >>> negotiate("application/sparql-results+xml", [])
    ('application/sparql-results+xml', None)
    >>> negotiate("image/png", [])
    Traceback (most recent call last):
        ...
    kg.results.NotAcceptable: no format offered is acceptable (Accept: image/png): this endpoint writes application/sparql-results+json, application/sparql-results+xml, text/csv, text/tab-separated-values for SELECT and ASK, text/turtle, application/n-triples, application/ld+json, application/rdf+xml for CONSTRUCT and DESCRIBE
    """
    for value in formats:
        for name in (v.strip().lower() for v in value.split(",")):
            if name in FORMAT_NAMES:
                return FORMAT_NAMES[name]
            found = _types_of(name.split(";")[0].strip())
            if found != (None, None):
                return found
    if any(v.strip() for v in formats):
        raise NotAcceptable(f"unknown format {formats[0]!r}: use json, xml, csv, tsv, turtle, nt, jsonld, "
                            "rdfxml or a media type")
    ranges = _parse_accept(accept or "*/*")
    chosen = (_best(ranges, list(RESULT_TYPES), 0), _best(ranges, list(GRAPH_TYPES), 1))
    if chosen == (None, None):
        raise NotAcceptable(f"no format offered is acceptable (Accept: {accept}): this endpoint writes "
                            f"{', '.join(RESULT_TYPES)} for SELECT and ASK, {', '.join(GRAPH_TYPES)} "
                            "for CONSTRUCT and DESCRIBE")
    return chosen


def _types_of(media_type: str) -> tuple[str | None, str | None]:
    if media_type in ALIASES:
        return ALIASES[media_type]
    return (media_type if media_type in RESULT_TYPES else None, media_type if media_type in GRAPH_TYPES else None)


def _parse_accept(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for field in fields[1:]:
            if field.lower().startswith("q="):
                try:
                    q = float(field[2:])
                except ValueError:
                    q = 0.0
        ranges.append((fields[0].lower(), q))
    return ranges


def _best(ranges: list[tuple[str, float]], candidates: list[str], family: int) -> str | None:
    """The candidate with the highest q (the most specific range decides a candidate's q; ties: our order)."""
    best, best_q = None, 0.0
    for candidate in candidates:
        q, specificity = 0.0, -1
        for media_range, range_q in ranges:
            if media_range == candidate or _types_of(media_range)[family] == candidate:
                level = 3
            elif media_range == candidate.split("/")[0] + "/*":
                level = 2
            elif media_range == "*/*":
                level = 1
            else:
                continue
            if level > specificity:
                q, specificity = range_q, level
        if q > best_q:
            best, best_q = candidate, q
    return best


class SparqlHandler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "kg-sparql"

    def do_GET(self) -> None:
        if not self._host_ok():
            return
        url = urlsplit(self.path)
        if url.path in STATIC:
            name, content_type = STATIC[url.path]
            self._send(200, (resources.files("kg") / "static" / name).read_bytes(), content_type)
        elif url.path == "/sparql":
            self._query(parse_qs(url.query, keep_blank_values=True))
        else:
            self._text(404, f"no page at {url.path}: the SPARQL endpoint is /sparql, the query page is /")

    def do_POST(self) -> None:
        if not self._host_ok():
            return
        url = urlsplit(self.path)
        if url.path != "/sparql":
            if url.path in STATIC:
                self._method_not_allowed("GET")
            else:
                self._text(404, f"no page at {url.path}: the SPARQL endpoint is /sparql")
            return
        params = parse_qs(url.query, keep_blank_values=True)
        media_type, _, options = (self.headers.get("Content-Type") or "").partition(";")
        media_type = media_type.strip().lower()
        charset = "utf-8"
        for option in options.split(";"):
            key, _, value = option.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                charset = value.strip().strip('"')
        if media_type == "application/sparql-update":
            return self._error(UpdateRefused("SPARQL Update is refused: this endpoint is read-only"))
        if media_type not in ("application/x-www-form-urlencoded", "application/sparql-query"):
            return self._text(415, f"cannot read a {media_type or 'untyped'} body: POST a query as "
                                   "application/x-www-form-urlencoded (query=...) or application/sparql-query")
        body = self._body()
        if body is None:
            return
        try:
            text = body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            return self._error(BadRequest(f"the request body is not {charset} text"))
        if media_type == "application/sparql-query":
            params["query"] = [text]
        else:
            params.update(parse_qs(text, keep_blank_values=True))
        self._query(params)

    def do_PUT(self) -> None:
        self._other_method()

    do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_TRACE = do_CONNECT = do_PUT

    def _other_method(self) -> None:
        path = urlsplit(self.path).path
        if path == "/sparql":
            self._method_not_allowed("GET, POST")
        elif path in STATIC:
            self._method_not_allowed("GET")
        else:
            self._text(404, f"no page at {path}")

    def _method_not_allowed(self, allow: str) -> None:
        self._text(405, f"{self.command} is not allowed on {urlsplit(self.path).path}: use {allow} "
                        "(this endpoint is read-only)", {"Allow": allow})

    def _query(self, params: dict[str, list[str]]) -> None:
        started = time.monotonic()
        try:
            request = self._request(params)
            answer = self.server.pool.run(request)
        except QueryError as exc:
            log.info("refused or failed: %s", exc)
            return self._error(exc)
        headers = {"Vary": "Accept", "Cache-Control": "no-store"}
        if answer.truncated:
            headers["X-Kg-Truncated"] = "true"
            headers["X-Kg-Max-Rows"] = str(self.server.pool.max_rows)
        log.info("%d row(s)%s in %.0f ms as %s", answer.rows, " (truncated)" if answer.truncated else "",
                 1000 * (time.monotonic() - started), answer.media_type.split(";")[0])
        self._send(200, answer.body, answer.media_type, headers)

    def _request(self, params: dict[str, list[str]]) -> Request:
        if "update" in params:
            raise UpdateRefused("SPARQL Update is refused: this endpoint is read-only")
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            raise BadRequest("give exactly one non-empty query parameter: /sparql?query=SELECT... "
                             "(the page at / writes queries for you)" if len(queries) <= 1 else
                             "give the query parameter once, not several times")
        result_type, graph_type = negotiate(self.headers.get("Accept"), params.get("format", [])
                                            + params.get("output", []))
        own = self.server.graphs | {str(ENTITY_GRAPH)}
        default_uris, named_uris = params.get("default-graph-uri", []), params.get("named-graph-uri", [])
        dataset = check_dataset(default_uris, named_uris, own) if default_uris or named_uris else None
        clauses = check_query(queries[0], own, QUERY_PREFIXES)
        dataset = dataset or (clauses if clauses else None)
        if dataset is None:
            return Request(queries[0], result_type, graph_type)
        default = tuple(None if g == str(ENTITY_GRAPH) else g for g in dataset.default)
        return Request(queries[0], result_type, graph_type, default, dataset.named)

    def _body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if length is None or not length.strip().isdigit():
            self._text(411, "send a Content-Length header with the body")
            return None
        if int(length) > MAX_BODY:
            self._text(413, f"the body is {int(length)} bytes: the limit is {MAX_BODY}")
            return None
        return self.rfile.read(int(length))

    def _host_ok(self) -> bool:
        """Refuse a Host header naming another host (DNS rebinding) when bound to loopback."""
        host = (self.headers.get("Host") or "").strip().lower()
        if self.server.hosts is None or not host or host in self.server.hosts:
            return True
        self._text(403, f"unexpected Host header {host!r}: use {self.server.url}")
        return False

    def _error(self, exc: QueryError) -> None:
        status = next((code for cls, code in STATUS if isinstance(exc, cls)), 500)
        self._text(status, str(exc))

    def _text(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8", headers)

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status, HTTPStatus(status).phrase)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in {**SECURITY_HEADERS, **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        log.info("%s %s", self.address_string(), format % args)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _allowed_hosts(host: str, port: int) -> set[str] | None:
    """Host header values accepted when bound to loopback (None: any, for other addresses)."""
    if not _is_loopback(host):
        return None
    names = {"localhost", "127.0.0.1", "[::1]", host}
    return {n for name in names for n in (f"{name}:{port}", name)}
