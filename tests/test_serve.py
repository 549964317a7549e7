"""``kg serve``: the SPARQL 1.1 Protocol endpoint and its query page, over real HTTP on loopback.

Two servers run for the module, in background threads, over a pyoxigraph store of the seed
build: one with the default limits, one with a 1 s time limit and a 5-row cap.  Clients are
SPARQLWrapper (as a real client sends requests) and plain urllib (for status codes).  Attempts
to make the server call another endpoint are checked against a canary HTTP server that
records every request it gets; each attempt is first shown to reach the canary when run on
pyoxigraph directly, so the test proves the guard stops a real call.
"""

from __future__ import annotations

import csv
import io
import json
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.dom.minidom import Document

import pyoxigraph as ox
import pytest
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.cli import main
from kg.push import ENTITY_GRAPH
from kg.query import QUERY_PREFIXES
from kg.serve import make_server

ACTED = "SELECT ?person ?work WHERE { ?p kg:actedIn ?w . ?p rdfs:label ?person . ?w rdfs:label ?work }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
MARKUP = '<img src=x onerror="window.__xss=1">'


# --- fixtures -----------------------------------------------------------------------------------


def seed_store(built_dir: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(built_dir / "graph.trig"), format=ox.RdfFormat.TRIG)
    return store


class Running:
    """A server running in a background thread, and the store it serves."""

    def __init__(self, store: ox.Store, **limits):
        self.store = store
        self.server = make_server(store, "127.0.0.1", 0, **limits)
        self.url = self.server.url
        self.endpoint = self.url + "sparql"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def local(self, query: str):
        """The same query run on the store in this process."""
        return self.store.query(query, prefixes=QUERY_PREFIXES, use_default_graph_as_union=True)


@pytest.fixture(scope="module")
def served(built_dir: Path):
    running = Running(seed_store(built_dir))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def tight(built_dir: Path):
    """A server with a 1 s time limit and a 5-row cap; its store also holds a label made of markup."""
    store = seed_store(built_dir)
    store.add(ox.Quad(ox.NamedNode("http://example.org/markup"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                      ox.Literal(MARKUP)))
    running = Running(store, timeout=1.0, max_rows=5)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def canary():
    """An HTTP server on loopback that records the path of every request it receives."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(500)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", hits
    server.shutdown()
    server.server_close()


def http(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    """(status, headers, body) of one request; HTTP errors are answers too."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def get(running: Running, query: str, accept: str | None = None, **params):
    url = running.endpoint + "?" + urllib.parse.urlencode({"query": query, **params})
    return http(url, headers={"Accept": accept} if accept else {})


def post_form(running: Running, params: dict, accept: str | None = None):
    return http(running.endpoint, urllib.parse.urlencode(params).encode(),
                {"Content-Type": "application/x-www-form-urlencoded", **({"Accept": accept} if accept else {})})


def wrapper(running: Running, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    client = SPARQLWrapper(running.endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    if method == "POST":
        client.setMethod(POST)
    elif method == "POSTDIRECTLY":
        client.setMethod(POST)
        client.setRequestMethod(POSTDIRECTLY)
    return client


def pairs_of(solutions) -> list[tuple[str, str]]:
    return sorted((s["person"].value, s["work"].value) for s in solutions)


def triples_of(data: bytes, fmt: ox.RdfFormat) -> set[str]:
    return {str(t.triple if isinstance(t, ox.Quad) else t) for t in ox.parse(data, format=fmt)}


# --- SPARQL 1.1 Protocol with a real client ----------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST", "POSTDIRECTLY"])
def test_select_json_with_sparqlwrapper(served, method) -> None:
    result = wrapper(served, ACTED, JSON, method).query()
    assert result.response.headers["Content-Type"] == "application/sparql-results+json"
    data = result.convert()
    assert data["head"]["vars"] == ["person", "work"]
    got = sorted((b["person"]["value"], b["work"]["value"]) for b in data["results"]["bindings"])
    assert got == pairs_of(served.local(ACTED)) and len(got) >= 7
    assert "truncated" not in data


def test_select_xml_with_sparqlwrapper(served) -> None:
    document = wrapper(served, ACTED, XML, "POST").query().convert()
    assert isinstance(document, Document)
    rows = []
    for result in document.getElementsByTagName("result"):
        values = {b.getAttribute("name"): b.getElementsByTagName("literal")[0].firstChild.data
                  for b in result.getElementsByTagName("binding")}
        rows.append((values["person"], values["work"]))
    assert sorted(rows) == pairs_of(served.local(ACTED))


def test_select_csv_and_tsv(served) -> None:
    body = wrapper(served, ACTED, CSV).query().convert()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert rows[0] == ["person", "work"]
    assert sorted(map(tuple, rows[1:])) == pairs_of(served.local(ACTED))
    status, headers, body = get(served, ACTED, "text/tab-separated-values")
    assert status == 200 and headers["Content-Type"] == "text/tab-separated-values; charset=utf-8"
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)
    assert pairs_of(parsed) == pairs_of(served.local(ACTED))


def test_ask(served) -> None:
    assert wrapper(served, "ASK { ?p kg:actedIn ?w }", JSON).query().convert() == {"head": {}, "boolean": True}
    assert wrapper(served, "ASK { ?p kg:actedIn ?p }", JSON).query().convert()["boolean"] is False
    status, _, body = get(served, "ASK { ?p kg:actedIn ?w }", "application/sparql-results+xml")
    assert status == 200 and b"<boolean>true</boolean>" in body


CONSTRUCT = "CONSTRUCT { ?p kg:actedIn ?w . ?p rdfs:label ?n } WHERE { ?p kg:actedIn ?w ; rdfs:label ?n }"


def test_construct_turtle_with_sparqlwrapper(served) -> None:
    result = wrapper(served, CONSTRUCT, TURTLE).query()
    assert result.response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    expected = {str(t) for t in served.local(CONSTRUCT)}
    assert triples_of(result.convert(), ox.RdfFormat.TURTLE) == expected and expected


@pytest.mark.parametrize("accept, fmt", [
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    (None, ox.RdfFormat.TURTLE),
    ("*/*", ox.RdfFormat.TURTLE),
])
def test_construct_formats(served, accept, fmt) -> None:
    status, headers, body = get(served, CONSTRUCT, accept)
    assert status == 200, body
    assert headers["Content-Type"].split(";")[0] == fmt.media_type
    assert triples_of(body, fmt) == {str(t) for t in served.local(CONSTRUCT)}


@pytest.mark.parametrize("accept, params, expected", [
    (None, {}, "application/sparql-results+json"),
    ("*/*", {}, "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml", {}, "application/sparql-results+xml"),
    ("application/json", {}, "application/sparql-results+json"),
    ("text/*", {}, "text/csv; charset=utf-8"),
    ("application/sparql-results+json", {"format": "csv"}, "text/csv; charset=utf-8"),
    (None, {"format": "tsv"}, "text/tab-separated-values; charset=utf-8"),
    (None, {"format": "application/sparql-results+xml"}, "application/sparql-results+xml"),
], ids=["none", "any", "q-values", "json-alias", "text-wildcard", "format-wins", "format-tsv", "format-media-type"])
def test_content_negotiation(served, accept, params, expected) -> None:
    status, headers, body = get(served, ACTED, accept, **params)
    assert status == 200, body
    assert headers["Content-Type"] == expected


@pytest.mark.parametrize("query, accept, params", [
    (ACTED, "image/png", {}),
    (ACTED, "text/turtle", {}),  # acceptable for CONSTRUCT only
    (CONSTRUCT, "text/csv", {}),  # acceptable for SELECT only
    (ACTED, None, {"format": "yaml"}),
], ids=["image", "select-as-turtle", "construct-as-csv", "unknown-format"])
def test_not_acceptable_is_406(served, query, accept, params) -> None:
    status, headers, body = get(served, query, accept, **params)
    assert status == 406
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert b"accept" in body.lower() or b"format" in body


# --- bad requests -------------------------------------------------------------------------------


def test_malformed_query_is_400_with_a_message(served) -> None:
    status, headers, body = get(served, "SELECT ?s WHERE { ?s ?p }")
    assert status == 400
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert body.startswith(b"invalid SPARQL query: ") and b"\n" == body[-1:] and body.count(b"\n") == 1
    with pytest.raises(QueryBadFormed):
        wrapper(served, "SELECT ?s WHERE { ?s ?p }", JSON).query()


@pytest.mark.parametrize("url_suffix, expected", [
    ("sparql", b"give exactly one non-empty query parameter"),
    ("sparql?query=", b"give exactly one non-empty query parameter"),
    ("sparql?query=ASK%7B%7D&query=ASK%7B%7D", b"not several times"),
])
def test_missing_or_repeated_query_is_400(served, url_suffix, expected) -> None:
    status, _, body = http(served.url + url_suffix)
    assert status == 400 and expected in body


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_methods_are_405(served, method) -> None:
    status, headers, body = http(served.endpoint, b"x" if method in ("PUT", "PATCH") else None, method=method)
    assert status == 405 and headers["Allow"] == "GET, POST"
    assert f"{method} is not allowed".encode() in body


def test_unknown_path_is_404_and_other_bodies_415(served) -> None:
    status, _, body = http(served.url + "nope")
    assert status == 404 and b"/sparql" in body
    status, _, body = http(served.endpoint, b"ASK {}", {"Content-Type": "text/plain"})
    assert status == 415 and b"application/sparql-query" in body


def test_foreign_host_header_is_refused(served) -> None:
    status, _, body = http(served.url, headers={"Host": "attacker.example"})
    assert status == 403 and b"unexpected Host header" in body


# --- read-only ----------------------------------------------------------------------------------


@pytest.mark.parametrize("send", [
    lambda s: http(s.endpoint, b"INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
                   {"Content-Type": "application/sparql-update"}),
    lambda s: post_form(s, {"update": "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }"}),
    lambda s: post_form(s, {"query": "insert data { <http://x/a> <http://x/b> <http://x/c> }"}),
    lambda s: get(s, "PREFIX x: <http://x/>\n# a comment\nDELETE WHERE { ?s ?p ?o }"),
    lambda s: get(s, "DROP ALL"),
    lambda s: get(s, "load <http://example.org/data.ttl>"),
    lambda s: get(s, "CLEAR DEFAULT"),
    lambda s: get(s, "create graph <http://x/g>"),
], ids=["sparql-update-body", "update-param", "insert-lower-case", "delete-with-comment", "drop", "load",
        "clear", "create"])
def test_updates_are_refused(served, send) -> None:
    before = len(served.store)
    status, _, body = send(served)
    assert status == 403, body
    assert b"read-only" in body
    assert len(served.store) == before
    assert get(served, "ASK { <http://x/a> ?p ?o }")[2] == b'{"head":{},"boolean":false}'


# (query, whether pyoxigraph itself calls the canary when the query runs unguarded)
SERVICE_ATTEMPTS = [
    ("SELECT * WHERE { SERVICE <{c}plain> { ?s ?p ?o } }", True),
    ("select * where { service silent <{c}lower> { ?s ?p ?o } }", True),
    ("SELECT * WHERE { SeRvIcE # a comment\n <{c}mixed> { ?s ?p ?o } }", True),
    ("SELECT*{SERVICE<{c}nospace>{?s ?p ?o}}", True),
    ("PREFIX : <{c}> SELECT * WHERE { SERVICE:glued { ?s ?p ?o } }", True),
    ("PREFIX x: <{c}> SELECT * WHERE { SERVICEx:prefixed { ?s ?p ?o } }", True),
    ("SELECT * WHERE { ?s ?p trueSERVICE <{c}after-boolean> { } }", True),
    ("PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:a\\# ?o SERVICE <{c}escaped-hash> { } }", True),
    ('SELECT * WHERE { ?s ?p "a\\u0022 b" . SERVICE <{c}escaped-quote> { } FILTER (?o != "x") }', True),
    ("SELECT * WHERE { ?s ?p '''multi\nline''' SERVICE <{c}after-long-string> { } }", True),
    ("SELECT * WHERE { ?s ?p ?o } # SERVICE <{c}commented> is only a comment\n", False),
]


@pytest.mark.parametrize("template, reaches", SERVICE_ATTEMPTS,
                         ids=["plain", "lower-silent", "comment-inside", "no-spaces", "glued-empty-prefix",
                              "glued-prefix", "after-boolean", "escaped-hash", "escaped-quote", "long-string",
                              "comment-only"])
def test_service_is_refused_before_it_runs(served, canary, template, reaches) -> None:
    base, hits = canary
    query = template.replace("{c}", base)
    unguarded = ox.Store()
    hits.clear()
    try:
        list(unguarded.query(query, prefixes=QUERY_PREFIXES))
    except (OSError, SyntaxError):
        pass
    assert bool(hits) == reaches, "the attempt should (not) reach the canary when run unguarded"
    hits.clear()
    status, _, body = get(served, query)
    if "commented" in template:
        assert status == 200, body  # a comment is not a SERVICE call
    else:
        assert status == 403, body
        assert b"SERVICE is refused" in body
    assert hits == []


@pytest.mark.parametrize("query", [
    "SELECT * FROM <http://elsewhere.example/g> WHERE { ?s ?p ?o }",
    "select * from named <http://elsewhere.example/g> where { graph ?g { ?s ?p ?o } }",
    "PREFIX ex: <http://elsewhere.example/> SELECT * FROM ex:g WHERE { ?s ?p ?o }",
    "PREFIX : <http://elsewhere.example/> SELECT * FROM:g WHERE { ?s ?p ?o }",
    "SELECT * FROMNAMED <http://elsewhere.example/g> WHERE { ?s ?p ?o }",
    "BASE <http://elsewhere.example/> SELECT * FROM <g> WHERE { ?s ?p ?o }",
], ids=["from", "from-named-lower", "prefixed", "glued", "glued-named", "relative"])
def test_foreign_graphs_in_from_are_refused(served, query) -> None:
    status, _, body = get(served, query)
    assert status == 403, body
    assert b"FROM" in body


def test_own_graphs_in_from_and_protocol_params(served) -> None:
    article = sorted(g.value for g in served.store.named_graphs())[0]
    count = f"SELECT (COUNT(*) AS ?n) FROM <{article}> WHERE {{ ?s ?p ?o }}"
    in_article = len(list(served.store.quads_for_pattern(None, None, None, ox.NamedNode(article))))
    entities = len(list(served.store.quads_for_pattern(None, None, None, ox.DefaultGraph())))

    def n(status_headers_body) -> int:
        status, _, body = status_headers_body
        assert status == 200, body
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])

    assert n(get(served, count)) == in_article
    assert n(get(served, f"SELECT (COUNT(*) AS ?n) FROM <{ENTITY_GRAPH}> WHERE {{ ?s ?p ?o }}")) == entities
    assert n(get(served, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")) == len(served.store)  # the union
    plain = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert n(get(served, plain, **{"default-graph-uri": article})) == in_article
    named = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert n(get(served, named, **{"named-graph-uri": article})) == in_article
    status, _, body = get(served, plain, **{"default-graph-uri": "http://elsewhere.example/g"})
    assert status == 403 and b"default-graph-uri" in body
    status, _, body = get(served, named, **{"named-graph-uri": "http://elsewhere.example/g"})
    assert status == 403 and b"named-graph-uri" in body


# --- limits -------------------------------------------------------------------------------------


def test_slow_query_is_stopped_and_the_server_stays_responsive(tight) -> None:
    outcome = {}

    def slow() -> None:
        started = time.monotonic()
        outcome["answer"] = get(tight, SLOW)
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.2)
    started = time.monotonic()
    status, _, body = get(tight, "ASK { ?s ?p ?o }")  # the other worker answers meanwhile
    assert status == 200 and json.loads(body)["boolean"] is True
    assert time.monotonic() - started < 0.9
    thread.join(30)
    status, _, body = outcome["answer"]
    assert status == 503
    assert body == b"query exceeded the 1 s time limit and was stopped: make it more selective (or raise --timeout)\n"
    assert outcome["seconds"] < 5
    for _ in range(3):  # the stopped worker was replaced: both workers answer again
        assert get(tight, "ASK { ?s ?p ?o }")[0] == 200


def test_row_cap_is_flagged(tight) -> None:
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    status, headers, body = get(tight, everything, "application/sparql-results+json")
    data = json.loads(body)
    assert status == 200 and len(data["results"]["bindings"]) == 5
    assert data["truncated"] is True
    assert headers["X-Kg-Truncated"] == "true" and headers["X-Kg-Max-Rows"] == "5"
    status, headers, body = get(tight, everything, "text/csv")
    assert headers["X-Kg-Truncated"] == "true" and len(body.decode().strip().split("\r\n")) == 1 + 5
    status, headers, body = get(tight, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
    assert headers["X-Kg-Truncated"] == "true" and len(triples_of(body, ox.RdfFormat.N_TRIPLES)) == 5
    status, headers, body = get(tight, everything + " LIMIT 5")
    assert "X-Kg-Truncated" not in headers and "truncated" not in json.loads(body)


# --- the query page -----------------------------------------------------------------------------


def test_page_is_offline_and_its_files_load(served) -> None:
    status, headers, body = http(served.url)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    page = body.decode("utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page)
    linked = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sorted(linked) == ["static/sparql.css", "static/sparql.js"]
    for path in linked:
        status, headers, body = http(served.url + path)
        assert status == 200 and body
        assert not re.search(rb"https?://", body), path
    script = http(served.url + "static/sparql.js")[2].decode()
    assert "innerHTML" not in script and "outerHTML" not in script and "insertAdjacentHTML" not in script


def test_page_examples_all_run(served) -> None:
    status, headers, body = http(served.url + "static/sparql-examples.json")
    assert status == 200
    examples = json.loads(body)
    assert len(examples) >= 4
    for example in examples:
        status, _, answer = post_form(served, {"query": example["query"]},
                                      "application/sparql-results+json, text/turtle;q=0.9")
        assert status == 200, (example["title"], answer)
        assert answer.strip(), example["title"]


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_page_in_a_browser(tight) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page()
            requests, errors = [], []
            page.on("request", lambda request: requests.append(request.url))
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(tight.url)
            page.wait_for_selector("#example-list button")
            page.fill("#query", 'SELECT ?label WHERE { ?x rdfs:label ?label FILTER (CONTAINS(?label, "<img")) }')
            page.click("#run")
            page.wait_for_selector("#results tbody tr")
            assert page.text_content("#results tbody td") == MARKUP  # shown as text
            assert page.query_selector("#results img") is None
            assert page.evaluate("window.__xss") is None
            page.fill("#query", "SELECT * WHERE { ?s ?p ?o }")
            page.click("#run")
            page.wait_for_selector("#note:not([hidden])")
            assert "Truncated" in page.text_content("#note")
            assert page.eval_on_selector_all("#results tbody tr", "rows => rows.length") == 5
            page.click("text=Who acted in what")
            page.wait_for_selector("#results th:text-is('person')")
            assert all(url.startswith(tight.url) for url in requests), requests
            assert errors == []
        finally:
            browser.close()


# --- the command --------------------------------------------------------------------------------


def test_serve_command_answers_and_stops_on_ctrl_c(built_dir: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--graph", str(built_dir), "--port", "0",
                                "--workers", "1"], stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        match = re.search(r"at (http://127\.0\.0\.1:\d+/) \(SPARQL endpoint", line)
        assert match, line
        client = SPARQLWrapper(match.group(1) + "sparql")
        client.setQuery("ASK { ?s ?p ?o }")
        client.setReturnFormat(JSON)
        assert client.query().convert()["boolean"] is True
        process.send_signal(signal.SIGINT)
        rest = process.communicate(timeout=30)[1]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert "Traceback" not in rest and "server stopped" in rest
    assert '"POST /sparql' in rest or '"GET /sparql' in rest  # requests are logged


@pytest.mark.parametrize("argv, fragment", [
    (["--graph", "{missing}"], "no graph in"),
    (["--port", "70000"], "out of range"),
], ids=["missing-graph", "bad-port"])
def test_serve_errors_are_one_line(capsys, built_dir: Path, tmp_path: Path, argv, fragment) -> None:
    argv = [a.replace("{missing}", str(tmp_path / "missing")) for a in argv]
    if "--graph" not in argv:
        argv += ["--graph", str(built_dir)]
    code = main(["serve", *argv])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("kg: error: ") and err.count("\n") == 1, err
    assert fragment in err


def test_port_in_use_is_one_line(capsys, built_dir: Path, served) -> None:
    port = served.server.server_address[1]
    code = main(["serve", "--graph", str(built_dir), "--port", str(port), "--workers", "1"])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("kg: error: cannot listen on 127.0.0.1:") and err.count("\n") == 1, err


def test_serve_help(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = capsys.readouterr().out
    for option in ("--graph", "--host", "--port", "--timeout", "--max-rows", "--workers", "/sparql", "Ctrl-C"):
        assert option in out, option


@pytest.mark.parametrize("text", ["a.a" * 80_000, "'\\'" * 80_000, "<a." * 80_000, "SELECT * { ?s ?p '" + "x" * 200_000])
def test_large_odd_queries_are_answered_quickly(served, text) -> None:
    started = time.monotonic()
    status, _, body = http(served.endpoint, text.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 400, body[:200]
    assert body.startswith(b"invalid SPARQL query: ")
    assert time.monotonic() - started < 10


def test_too_large_body_is_413(served) -> None:
    status, _, body = http(served.endpoint, b"#" * 300_000, {"Content-Type": "application/sparql-query"})
    assert status == 413 and b"limit" in body
