"""Graph analysis: project the RDF graph onto networkx, compute centrality and communities.

The projection keeps entities as nodes and ontology relations as edges (labels, types and
provenance become attributes, not nodes).  Metrics are plain dicts keyed by entity IRI, and
:func:`metrics_quads` writes them back as RDF so SPARQL can ask for the most central films.
A build projects its records with :func:`project_records`; a graph read back from disk is
projected with :func:`project`, and both give the same graph.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from urllib.parse import unquote

import igraph
import networkx as nx
import pyoxigraph as ox
from rdflib import RDF, RDFS, SKOS, Graph, URIRef

from .namespaces import ENTITY_CLASSES, KG, KGID, RELATION_PROPERTIES
from .rdf import by_article, decimal, entity_iri, integer
from .records import Document, Resolution

#: Named graph holding the analysis results.
ANALYSIS_GRAPH = KGID["graph/analysis"]
#: Above this many nodes betweenness is estimated from a seeded sample of source nodes,
#: as many as fit a budget of node and edge visits (at most 1000, at least 32).  It is
#: computed by igraph (C), some 40 times faster than networkx's pure-Python version;
#: so are the Louvain communities.
EXACT_BETWEENNESS_LIMIT = 2000
BETWEENNESS_BUDGET = 30_000_000
MAX_BETWEENNESS_SOURCES = 1000
CO_MENTION = "coMention"


def project(graph: Graph, co_mentions: bool = False) -> nx.MultiDiGraph:
    """Entities and their relations as a MultiDiGraph (edge key = property local name).

    Node attributes: ``label``, ``cls``, ``alt_labels``, ``articles`` (ids of the articles
    that mention it).  Edge attributes: ``prop`` and ``evidence``, a list of dicts with the
    ``article``, ``sentence``, ``start``, ``end``, ``rule`` and ``confidence`` of each
    assertion.  With ``co_mentions``, entities mentioned in the same sentence are also
    joined by ``coMention`` edges whose ``weight`` counts those sentences.

    >>> from rdflib import Graph
    >>> g = Graph().parse(format="turtle", data='''
    ...     @prefix kg: <https://w3id.org/kg-news/ontology#> .
    ...     @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ...     <urn:a> a kg:Person ; rdfs:label "Ana" ; kg:directed <urn:f> .
    ...     <urn:f> a kg:Film ; rdfs:label "The Film" .''')
    >>> p = project(g)
    >>> sorted(p.nodes(data="label")), list(p.edges(keys=True))
    ([('urn:a', 'Ana'), ('urn:f', 'The Film')], [('urn:a', 'urn:f', 'directed')])
    """
    classes = {KG[c]: c for c in ENTITY_CLASSES}
    properties = {KG[p]: p for p in RELATION_PROPERTIES}
    result = nx.MultiDiGraph()
    nodes = sorted({(str(s), classes[o]) for s, o in graph.subject_objects(RDF.type) if o in classes})
    for node, cls in nodes:
        iri = URIRef(node)
        result.add_node(node, cls=cls, label=str(graph.value(iri, RDFS.label) or node),
                        alt_labels=tuple(sorted(str(a) for a in graph.objects(iri, SKOS.altLabel))),
                        articles=())
    articles = defaultdict(set)
    sentences = defaultdict(set)
    for mention, entity in graph.subject_objects(KG.refersTo):
        article = graph.value(mention, KG.inArticle)
        if str(entity) in result and article is not None:
            article_id = _article_id(article)
            articles[str(entity)].add(article_id)
            sentence = graph.value(mention, KG.sentence)
            if sentence is not None:
                sentences[(article_id, str(sentence))].add(str(entity))
    for node, ids in articles.items():
        result.nodes[node]["articles"] = tuple(sorted(ids))
    evidence = _evidence(graph)
    triples = sorted((str(s), name, str(o)) for prop, name in properties.items()
                     for s, o in graph.subject_objects(prop))
    for s, prop, o in triples:
        if s in result and o in result:
            result.add_edge(s, o, key=prop, prop=prop, evidence=evidence.get((s, prop, o), []))
    if co_mentions:
        _add_co_mentions(result, sentences)
    return result


def project_records(documents: Sequence[Document], resolution: Resolution, co_mentions: bool = False) -> nx.MultiDiGraph:
    """The projection :func:`project` makes of the graph of these records, made from the records."""
    result = nx.MultiDiGraph()
    texts = {d.doc_id: d.text for d in documents}
    iri = _EntityIris()
    articles, sentences = defaultdict(set), defaultdict(set)
    for entity in sorted(resolution.entities, key=lambda e: iri[e.key]):
        if entity.cls not in ENTITY_CLASSES:
            continue
        node = iri[entity.key]
        result.add_node(node, cls=entity.cls, label=entity.label, alt_labels=tuple(sorted(set(entity.alt_labels))),
                        articles=())
        for m in entity.mentions:
            if m.doc_id in texts:
                articles[node].add(m.doc_id)
                sentences[(m.doc_id, texts[m.doc_id][m.sent_start:m.sent_end])].add(node)
    for node, ids in articles.items():
        result.nodes[node]["articles"] = tuple(sorted(ids))
    evidence = defaultdict(list)
    for doc_id, items in by_article(resolution)[1].items():
        if doc_id not in texts:
            continue
        for relation, rm in items:
            evidence[(iri[relation.subject], relation.prop, iri[relation.object])].append({
                "article": doc_id, "sentence": texts[doc_id][rm.sent_start:rm.sent_end], "start": rm.sent_start,
                "end": rm.sent_end, "rule": rm.rule, "confidence": float(round(rm.confidence, 3))})
    triples = sorted({(iri[r.subject], r.prop, iri[r.object]) for r in resolution.relations})
    for s, prop, o in triples:
        if s in result and o in result:
            items = sorted(evidence.get((s, prop, o), []), key=lambda e: (e["article"], e["start"], e["rule"]))
            result.add_edge(s, o, key=prop, prop=prop, evidence=list({_evidence_key(e): e for e in items}.values()))
    if co_mentions:
        _add_co_mentions(result, sentences)
    return result


class _EntityIris(dict):
    """Entity key -> its IRI as a string, each made once (rdflib makes a checked URIRef each time)."""

    def __missing__(self, key: str) -> str:
        value = self[key] = str(entity_iri(key))
        return value


def _evidence_key(evidence: dict) -> tuple:
    return tuple(evidence.values())


def _add_co_mentions(result: nx.MultiDiGraph, sentences: dict[tuple[str, str], set[str]]) -> None:
    """``coMention`` edges between entities named in the same sentence, weighted by those sentences."""
    weights = defaultdict(int)
    for members in sentences.values():
        ordered = sorted(members)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                weights[(a, b)] += 1
    for (a, b), weight in sorted(weights.items()):
        result.add_edge(a, b, key=CO_MENTION, prop=CO_MENTION, weight=weight, evidence=[])


def _article_id(article: URIRef) -> str:
    return unquote(str(article).rsplit("/", 1)[-1])


def _evidence(graph: Graph) -> dict[tuple[str, str, str], list[dict]]:
    found = defaultdict(list)
    for assertion in graph.subjects(RDF.type, KG.RelationAssertion):
        s, p, o = (graph.value(assertion, term) for term in (RDF.subject, RDF.predicate, RDF.object))
        if s is None or p is None or o is None:
            continue
        article = graph.value(assertion, KG.inArticle)
        found[(str(s), str(p).rsplit("#", 1)[-1], str(o))].append({
            "article": _article_id(article) if article is not None else "",
            "sentence": str(graph.value(assertion, KG.sentence) or ""),
            "start": int(graph.value(assertion, KG.startOffset) or 0),
            "end": int(graph.value(assertion, KG.endOffset) or 0),
            "rule": str(graph.value(assertion, KG.extractedBy) or ""),
            "confidence": float(graph.value(assertion, KG.confidence) or 0),
        })
    for items in found.values():
        items.sort(key=lambda e: (e["article"], e["start"], e["rule"]))
    return dict(found)


def relation_graph(projection: nx.MultiDiGraph, co_mentions: bool = True) -> nx.Graph:
    """The undirected weighted graph of relations (and of co-mentions, if projected and wanted).

    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("a", "f", key="directed", prop="directed")
    'directed'
    >>> g.add_edge("a", "f", key="produced", prop="produced")
    'produced'
    >>> relation_graph(g).edges(data="weight")
    EdgeDataView([('a', 'f', 2)])
    """
    return relation_graphs(projection)[1 if co_mentions else 0]


def relation_graphs(projection: nx.MultiDiGraph) -> tuple[nx.Graph, nx.Graph]:
    """``relation_graph(projection, co_mentions=False)`` and ``relation_graph(projection)``, in one pass.

    Edges are added in the order of the projection's sorted (source, target, key), as the
    results of the analysis (PageRank sums, igraph's edge ids) depend on that order.
    """
    plain, weighted = {}, {}  # unordered pair -> weight, in the order of first appearance
    for s, o, key, weight in sorted((s, o, key, data.get("weight", 1)) for s, targets in projection.adjacency()
                                    for o, edges in targets.items() for key, data in edges.items()):
        if s == o:
            continue
        pair = (s, o) if s < o else (o, s)
        weighted[pair] = weighted[pair] + weight if pair in weighted else weight
        if key != CO_MENTION:
            plain[pair] = plain[pair] + weight if pair in plain else weight
    nodes = sorted(projection.nodes)
    graphs = []
    for weights in (plain, weighted):
        graph = nx.Graph()
        graph.add_nodes_from(nodes)
        graph.add_edges_from((a, b, {"weight": weight}) for (a, b), weight in weights.items())
        graphs.append(graph)
    return graphs[0], graphs[1]


def analyse(projection: nx.MultiDiGraph, seed: int = 42) -> dict:
    """Degree, PageRank, betweenness, component and Louvain community of every entity.

    Returns ``{"nodes": {iri: {...}}, "summary": {...}}``.  Results are reproducible:
    nodes are visited in sorted order and Louvain and betweenness sampling use ``seed``.
    Components and communities are numbered from 0 by decreasing size.

    >>> g = nx.MultiDiGraph()
    >>> for person in ("a", "b", "c"):
    ...     _ = g.add_edge(person, "film", key="actedIn", prop="actedIn")
    >>> g.add_node("alone")
    >>> result = analyse(g)
    >>> result["nodes"]["film"]["degree"], result["nodes"]["alone"]["component"]
    (3, 1)
    >>> max(result["nodes"], key=lambda n: result["nodes"][n]["pagerank"])
    'film'
    >>> result["summary"]["components"]
    2
    """
    undirected, weighted = relation_graphs(projection)
    degree = defaultdict(int)  # relations only, in and out, as MultiDiGraph.degree counts them
    for s, o, key in projection.edges(keys=True):
        if key != CO_MENTION:
            degree[s] += 1
            degree[o] += 1
    n = undirected.number_of_nodes()
    pagerank = nx.pagerank(weighted, weight="weight") if n else {}
    betweenness, sampled = _betweenness(undirected, seed)
    components = _numbered(nx.connected_components(undirected))
    communities = _numbered(louvain_communities(weighted, seed)) if n else {}
    modularity = (nx.community.modularity(weighted, _groups(communities), weight="weight")
                  if weighted.number_of_edges() else 0.0)
    nodes = {node: {"label": projection.nodes[node].get("label", node),
                    "cls": projection.nodes[node].get("cls", ""),
                    "degree": degree[node],
                    "pagerank": pagerank.get(node, 0.0),
                    "betweenness": betweenness.get(node, 0.0),
                    "component": components[node],
                    "community": communities.get(node, 0)}
             for node in sorted(projection.nodes)}
    return {"nodes": nodes, "summary": summarise(nodes, undirected, modularity, sampled)}


def to_igraph(graph: nx.Graph, weight: str | None = None) -> tuple[igraph.Graph, list[str]]:
    """``graph`` as an undirected igraph Graph (vertex i is ``nodes[i]``), with edge weights if named."""
    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    result = igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in graph.edges()])
    if weight:
        result.es["weight"] = [data.get(weight, 1) for _, _, data in graph.edges(data=True)]
    return result, nodes


@contextmanager
def seeded_igraph(seed: int) -> Iterator[None]:
    """Make igraph's random choices (Louvain, layouts) come from a generator seeded with ``seed``."""
    igraph.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        igraph.set_random_number_generator(random)


def _betweenness(undirected: nx.Graph, seed: int) -> tuple[dict[str, float], bool]:
    """Normalized betweenness of every node (as networkx defines it) and whether it was sampled.

    Above ``EXACT_BETWEENNESS_LIMIT`` nodes only paths from a seeded sample of source
    nodes are counted and scaled up by n / k, as ``nx.betweenness_centrality(k=...)`` does.

    >>> path = nx.path_graph(["a", "b", "c"])
    >>> _betweenness(path, seed=1)
    ({'a': 0.0, 'b': 1.0, 'c': 0.0}, False)
    """
    graph, nodes = to_igraph(undirected)
    n, m = graph.vcount(), graph.ecount()
    sampled = n > EXACT_BETWEENNESS_LIMIT
    if sampled:
        k = min(n, MAX_BETWEENNESS_SOURCES, max(32, BETWEENNESS_BUDGET // (n + m)))
        raw = graph.betweenness(directed=False, sources=random.Random(seed).sample(range(n), k))
        raw = [value * n / k for value in raw]
    else:
        raw = graph.betweenness(directed=False) if n else []
    scale = 2 / ((n - 1) * (n - 2)) if n > 2 else 0.0  # igraph counts each pair once
    return {node: raw[i] * scale for i, node in enumerate(nodes)}, sampled


def louvain_communities(weighted: nx.Graph, seed: int) -> list[set[str]]:
    """Louvain communities (igraph's multilevel method, in C) of a weighted graph, seeded.

    >>> two_triangles = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y"), ("y", "z"), ("z", "x"), ("c", "x")])
    >>> sorted(sorted(c) for c in louvain_communities(two_triangles, seed=1))
    [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    graph, nodes = to_igraph(weighted, weight="weight")
    with seeded_igraph(seed):
        clusters = graph.community_multilevel(weights="weight" if graph.ecount() else None)
    return [{nodes[i] for i in cluster} for cluster in clusters]


def _numbered(groups) -> dict[str, int]:
    """Node -> group number, groups ordered by decreasing size then by their first node."""
    ordered = sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0]))
    return {node: i for i, group in enumerate(ordered) for node in group}


def _groups(numbers: dict[str, int]) -> list[set[str]]:
    groups = defaultdict(set)
    for node, number in numbers.items():
        groups[number].add(node)
    return [groups[i] for i in sorted(groups)]


def summarise(nodes: dict[str, dict], undirected: nx.Graph, modularity: float, sampled: bool, top: int = 5) -> dict:
    """Figures for report.json and the build summary."""
    sizes = defaultdict(int)
    for values in nodes.values():
        sizes[values["component"]] += 1
    central = sorted(nodes, key=lambda n: (-nodes[n]["pagerank"], nodes[n]["label"]))[:top]
    return {
        "nodes": undirected.number_of_nodes(),
        "edges": undirected.number_of_edges(),
        "components": len(sizes),
        "largest_component": max(sizes.values(), default=0),
        "communities": len({v["community"] for v in nodes.values()}),
        "modularity": round(modularity, 4),
        "betweenness": "sampled" if sampled else "exact",
        "most_central": [{"iri": n, "label": nodes[n]["label"], "class": nodes[n]["cls"],
                          "pagerank": round(nodes[n]["pagerank"], 4), "degree": nodes[n]["degree"]}
                         for n in central],
    }


def metrics_quads(metrics: dict) -> list[ox.Quad]:
    """The metrics as quads (``kg:degree``, ``kg:pageRank``...) of the named graph ``ANALYSIS_GRAPH``."""
    graph = ox.NamedNode(str(ANALYSIS_GRAPH))
    degree, pagerank, betweenness, component, community = (
        ox.NamedNode(str(term)) for term in (KG.degree, KG.pageRank, KG.betweenness, KG.component, KG.community))
    quads = []
    for node in sorted(metrics["nodes"]):
        values, iri = metrics["nodes"][node], ox.NamedNode(node)
        quads += [ox.Quad(iri, community, integer(values["community"]), graph),
                  ox.Quad(iri, component, integer(values["component"]), graph),
                  ox.Quad(iri, betweenness, decimal(f"{values['betweenness']:.6f}"), graph),
                  ox.Quad(iri, degree, integer(values["degree"]), graph),
                  ox.Quad(iri, pagerank, decimal(f"{values['pagerank']:.6f}"), graph)]
    return quads
