"""Send the built graph to a remote SPARQL 1.1 store with the Graph Store HTTP Protocol.

Every graph goes with one HTTP PUT ``ENDPOINT?graph=IRI`` (Turtle): each article's
provenance graph under its own IRI, and the entities and relations (the local default graph)
into the named graph :data:`ENTITY_GRAPH`, so a push never touches the remote store's default
graph.  PUT replaces a graph, so pushing again duplicates nothing.  Graphs of articles no
longer in the local graph are left on the remote store.

``ENDPOINT`` is the store's Graph Store Protocol URL (Oxigraph: ``http://host:7878/store``,
Fuseki: ``http://host:3030/DATASET/data``, GraphDB: ``.../repositories/REPO/rdf-graphs/service``,
Virtuoso: ``http://host:8890/sparql-graph-crud``):

>>> graph_url("http://localhost:7878/store", "https://w3id.org/kg-news/id/entities")
'http://localhost:7878/store?graph=https%3A%2F%2Fw3id.org%2Fkg-news%2Fid%2Fentities'
"""

from __future__ import annotations

import base64
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import pyoxigraph as ox

from .errors import PushError
from .namespaces import KGID

#: the named graph that holds the entities and relations on a remote store
ENTITY_GRAPH = str(KGID["entities"])
TURTLE_PREFIXES = {"kg": "https://w3id.org/kg-news/ontology#", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                   "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "skos": "http://www.w3.org/2004/02/skos/core#",
                   "dcterms": "http://purl.org/dc/terms/", "xsd": "http://www.w3.org/2001/XMLSchema#"}
GSP_URLS = ("Oxigraph: http://HOST:7878/store, Fuseki: http://HOST:3030/DATASET/data, "
            "GraphDB: http://HOST:7200/repositories/REPO/rdf-graphs/service, Virtuoso: http://HOST:8890/sparql-graph-crud")


@dataclass(frozen=True, slots=True)
class PushSummary:
    endpoint: str
    graphs: int
    triples: int


def push(store: ox.Store, endpoint: str, *, auth: str | None = None, timeout: float = 60.0,
         progress: Callable[[int, int, str, int], None] | None = None) -> PushSummary:
    """PUT every graph of ``store`` to the Graph Store endpoint ``endpoint``.

    ``auth`` is ``user:password`` for HTTP Basic authentication.  ``progress(done, total,
    graph_iri, triples)`` is called after each graph.  Raises PushError with one line.
    """
    _check_endpoint(endpoint)
    headers = {"Content-Type": "text/turtle; charset=utf-8"}
    if auth is not None:
        user, colon, password = auth.partition(":")
        if not colon or not user:
            raise PushError("--auth must be user:password")
        headers["Authorization"] = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    named = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    if ENTITY_GRAPH in named:
        raise PushError(f"the local store already has a named graph <{ENTITY_GRAPH}>, where the entities "
                        "would go: rebuild the graph with `kg build`")
    graphs = [(ENTITY_GRAPH, ox.DefaultGraph()), *((iri, ox.NamedNode(iri)) for iri in named)]
    total = 0
    for done, (iri, source) in enumerate(graphs, start=1):
        triples = [q.triple for q in store.quads_for_pattern(None, None, None, source)]
        body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=TURTLE_PREFIXES)
        _put(graph_url(endpoint, iri), body, headers, timeout, iri, done - 1)
        total += len(triples)
        if progress is not None:
            progress(done, len(graphs), iri, len(triples))
    return PushSummary(endpoint, len(graphs), total)


def graph_url(endpoint: str, graph_iri: str) -> str:
    """The Graph Store URL of the graph ``graph_iri`` (indirect identification, ``?graph=``)."""
    return f"{endpoint}{'&' if '?' in endpoint else '?'}graph={quote(graph_iri, safe='')}"


def _check_endpoint(endpoint: str) -> None:
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PushError(f"--endpoint must be an http(s) URL of a Graph Store endpoint, not {endpoint!r} "
                        f"({GSP_URLS})")


def _put(url: str, body: bytes, headers: dict[str, str], timeout: float, iri: str, pushed: int) -> None:
    request = urllib.request.Request(url, data=body, headers=headers, method="PUT")
    where = f"while pushing <{iri}> ({pushed} graph{'s' if pushed != 1 else ''} pushed before)"
    endpoint = url.split("?")[0]
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        detail = " ".join(exc.read(300).decode("utf-8", "replace").split())
        hint = {401: "check --auth", 403: "check --auth and the store's write permissions",
                404: f"is --endpoint the store's Graph Store URL? ({GSP_URLS})",
                405: f"is --endpoint the store's Graph Store URL? ({GSP_URLS})",
                413: "the store refuses a graph this large"}.get(exc.code, "")
        raise PushError(f"{endpoint} answered {exc.code} {exc.reason} {where}"
                        + (f": {detail}" if detail else "") + (f"; {hint}" if hint else "")) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, ConnectionRefusedError):
            raise PushError(f"cannot connect to {endpoint}: connection refused; is the store running, "
                            "and is --endpoint its address?") from None
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise PushError(f"{endpoint} did not answer within {timeout:g} s {where}") from None
        raise PushError(f"cannot reach {endpoint}: {getattr(reason, 'strerror', None) or reason}") from None
    except (TimeoutError, socket.timeout):
        raise PushError(f"{endpoint} did not answer within {timeout:g} s {where}") from None
    except (ConnectionError, OSError) as exc:
        raise PushError(f"the connection to {endpoint} failed {where}: {exc.strerror or exc}") from None
