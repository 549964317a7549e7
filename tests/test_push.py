"""``kg push``: the seed build sent to a real Oxigraph server with the Graph Store HTTP Protocol.

The test starts ``oxigraph serve`` (the binary installed beside this Python) on a free
loopback port, pushes, reads the graphs back over SPARQL with SPARQLWrapper, pushes again
and checks nothing is duplicated.  Error cases use a closed port, a wrong path, and a small
recording HTTP server on loopback (for the request details and a 401).
"""

from __future__ import annotations

import base64
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from SPARQLWrapper import JSON, TSV, SPARQLWrapper

from kg.cli import main
from kg.errors import PushError
from kg.push import ENTITY_GRAPH, push

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    """The base URL of an Oxigraph server with an empty on-disk store; stopped at the end, always."""
    if not OXIGRAPH.exists():
        pytest.skip(f"needs the oxigraph server binary at {OXIGRAPH} (pip install oxigraph)")
    folder = tmp_path_factory.mktemp("oxigraph")
    port = free_port()
    log = open(folder / "server.log", "wb")
    process = subprocess.Popen([str(OXIGRAPH), "serve", "--location", str(folder / "db"),
                                "--bind", f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=2):
                    break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(f"oxigraph did not start: {(folder / 'server.log').read_text(errors='replace')}")
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def local(built_dir: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(built_dir / "graph.trig"), format=ox.RdfFormat.TRIG)
    return store


def remote_select(base: str, query: str) -> list[dict]:
    client = SPARQLWrapper(base + "/query")
    client.setQuery(query)
    client.setReturnFormat(JSON)
    return client.query().convert()["results"]["bindings"]


def remote_counts(base: str) -> dict[str, int]:
    return {row["g"]["value"]: int(row["n"]["value"]) for row in remote_select(base, PER_GRAPH)}


def local_counts(store: ox.Store) -> dict[str, int]:
    counts = {ENTITY_GRAPH: len(list(store.quads_for_pattern(None, None, None, ox.DefaultGraph())))}
    for graph in store.named_graphs():
        counts[graph.value] = len(list(store.quads_for_pattern(None, None, None, graph)))
    return counts


def remote_quads(base: str) -> set[str]:
    """Every quad of the remote store, read as SPARQL TSV results (terms spelt exactly)."""
    client = SPARQLWrapper(base + "/query")
    client.setQuery("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    client.setReturnFormat(TSV)
    rows = ox.parse_query_results(client.query().convert(), format=ox.QueryResultsFormat.TSV)
    return {str(ox.Quad(row["s"], row["p"], row["o"], row["g"])) for row in rows}


def local_quads(store: ox.Store) -> set[str]:
    return {str(ox.Quad(q.subject, q.predicate, q.object,
                        ox.NamedNode(ENTITY_GRAPH) if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name))
            for q in store}


def test_push_to_oxigraph_then_push_again(oxigraph, local) -> None:
    progress = []
    summary = push(local, oxigraph + "/store", progress=lambda *args: progress.append(args))
    expected = local_counts(local)
    assert summary.graphs == len(expected) == 1 + len(list(local.named_graphs()))
    assert summary.triples == len(local)
    assert [p[:2] for p in progress] == [(i, len(expected)) for i in range(1, len(expected) + 1)]
    assert {p[2]: p[3] for p in progress} == expected
    assert remote_counts(oxigraph) == expected
    assert remote_quads(oxigraph) == local_quads(local)  # the very same statements, each in its graph
    # the remote default graph is left alone
    assert remote_select(oxigraph, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]["value"] == "0"

    again = push(local, oxigraph + "/store")
    assert (again.graphs, again.triples) == (summary.graphs, summary.triples)
    assert remote_counts(oxigraph) == expected  # PUT replaced each graph: nothing duplicated


def test_push_command(capsys, oxigraph, built_dir: Path, local) -> None:
    code = main(["push", "--endpoint", oxigraph + "/store", "--graph", str(built_dir)])
    out, err = capsys.readouterr()
    total = len(local_counts(local))
    assert code == 0, err
    assert out == f"pushed {total} graphs, {len(local)} triples to {oxigraph}/store\n"
    lines = err.rstrip("\n").split("\n")
    assert len(lines) == total and lines[0] == f"  [1/{total}] {ENTITY_GRAPH}: {local_counts(local)[ENTITY_GRAPH]} triples"
    assert remote_counts(oxigraph) == local_counts(local)


@pytest.mark.parametrize("endpoint, fragments", [
    ("http://127.0.0.1:{closed}/store", ["cannot connect to http://127.0.0.1:", "connection refused"]),
    ("{oxigraph}/no-such-path", ["answered 404", f"while pushing <{ENTITY_GRAPH}>", "Graph Store URL",
                                 "http://HOST:7878/store"]),
    ("ftp://example.org/store", ["--endpoint must be an http(s) URL"]),
], ids=["connection-refused", "wrong-path", "not-http"])
def test_push_errors_are_one_line(capsys, oxigraph, built_dir: Path, endpoint, fragments) -> None:
    endpoint = endpoint.replace("{closed}", str(free_port())).replace("{oxigraph}", oxigraph)
    code = main(["push", "--endpoint", endpoint, "--graph", str(built_dir), "-q"])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.startswith("kg: error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    for fragment in fragments:
        assert fragment in err, (fragment, err)


@pytest.fixture
def recorder():
    """A loopback HTTP server recording each PUT; it answers ``status`` (201 unless changed)."""
    seen: list[dict] = []
    state = {"status": 201}

    class Handler(BaseHTTPRequestHandler):
        def do_PUT(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            seen.append({"path": self.path, "headers": dict(self.headers), "body": body})
            self.send_response(state["status"])
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/gsp", seen, state
    server.shutdown()
    server.server_close()


def test_push_sends_turtle_with_basic_auth(recorder, local) -> None:
    url, seen, _ = recorder
    push(local, url, auth="alice:s3cret:with-colon")
    graphs = [urllib.parse.parse_qs(urllib.parse.urlsplit(r["path"]).query)["graph"][0] for r in seen]
    assert graphs == [ENTITY_GRAPH, *sorted(g.value for g in local.named_graphs())]
    for request in seen:
        assert request["headers"]["Content-Type"] == "text/turtle; charset=utf-8"
        credentials = base64.b64decode(request["headers"]["Authorization"].removeprefix("Basic ")).decode()
        assert credentials == "alice:s3cret:with-colon"
    entity_triples = {str(t) for t in ox.parse(seen[0]["body"], format=ox.RdfFormat.TURTLE)}
    assert entity_triples == {str(q.triple) for q in local.quads_for_pattern(None, None, None, ox.DefaultGraph())}


def test_push_unauthorized_names_auth(recorder, local) -> None:
    url, _, state = recorder
    state["status"] = 401
    with pytest.raises(PushError, match=r"answered 401 Unauthorized .*check --auth"):
        push(local, url, auth="alice:wrong")
    with pytest.raises(PushError, match="--auth must be user:password"):
        push(local, url, auth="alice")


def test_push_help(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["push", "--help"])
    out = capsys.readouterr().out
    for option in ("--endpoint", "--graph", "--auth", "/store", "/data", "rdf-graphs/service", "sparql-graph-crud"):
        assert option in out, option
