"""Graph analysis: project the RDF graph onto networkx, compute centrality and communities.

The projection keeps entities as nodes and ontology relations as edges (labels, types and
provenance become attributes, not nodes).  Metrics are plain dicts keyed by entity IRI, and
:func:`metrics_graph` writes them back as RDF so SPARQL can ask for the most central films.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import networkx as nx
from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import XSD

from .namespaces import ENTITY_CLASSES, KG, KGID, RELATION_PROPERTIES

#: Named graph holding the analysis results.
ANALYSIS_GRAPH = KGID["graph/analysis"]
#: Above this many nodes betweenness is estimated from a seeded sample of source nodes,
#: as many as fit a budget of node and edge visits (at most 500, at least 32).
EXACT_BETWEENNESS_LIMIT = 2000
BETWEENNESS_BUDGET = 3_000_000
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
        weights = defaultdict(int)
        for members in sentences.values():
            ordered = sorted(members)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1:]:
                    weights[(a, b)] += 1
        for (a, b), weight in sorted(weights.items()):
            result.add_edge(a, b, key=CO_MENTION, prop=CO_MENTION, weight=weight, evidence=[])
    return result


def _article_id(article: URIRef) -> str:
    return str(article).rsplit("/", 1)[-1]


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


def relation_graph(projection: nx.MultiDiGraph) -> nx.Graph:
    """The undirected weighted graph of relations (co-mentions included if projected).

    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("a", "f", key="directed", prop="directed")
    'directed'
    >>> g.add_edge("a", "f", key="produced", prop="produced")
    'produced'
    >>> relation_graph(g).edges(data="weight")
    EdgeDataView([('a', 'f', 2)])
    """
    undirected = nx.Graph()
    undirected.add_nodes_from(sorted(projection.nodes))
    for s, o, data in sorted(projection.edges(data=True), key=lambda e: (e[0], e[1], e[2].get("prop", ""))):
        if s == o:
            continue
        weight = data.get("weight", 1)
        if undirected.has_edge(s, o):
            undirected[s][o]["weight"] += weight
        else:
            undirected.add_edge(s, o, weight=weight)
    return undirected


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
    relations = projection.copy()
    relations.remove_edges_from([(s, o, k) for s, o, k in projection.edges(keys=True) if k == CO_MENTION])
    undirected = relation_graph(relations)
    weighted = relation_graph(projection)
    n = undirected.number_of_nodes()
    pagerank = nx.pagerank(weighted, weight="weight") if n else {}
    sampled = n > EXACT_BETWEENNESS_LIMIT
    sources = min(n, 500, max(32, BETWEENNESS_BUDGET // (n + undirected.number_of_edges()))) if sampled else None
    betweenness = nx.betweenness_centrality(undirected, k=sources, seed=seed, normalized=True)
    components = _numbered(nx.connected_components(undirected))
    communities = _numbered(nx.community.louvain_communities(weighted, weight="weight", seed=seed)) if n else {}
    modularity = (nx.community.modularity(weighted, _groups(communities), weight="weight")
                  if weighted.number_of_edges() else 0.0)
    nodes = {node: {"label": projection.nodes[node].get("label", node),
                    "cls": projection.nodes[node].get("cls", ""),
                    "degree": relations.degree(node),
                    "pagerank": pagerank.get(node, 0.0),
                    "betweenness": betweenness.get(node, 0.0),
                    "component": components[node],
                    "community": communities.get(node, 0)}
             for node in sorted(projection.nodes)}
    return {"nodes": nodes, "summary": summarise(nodes, undirected, modularity, sampled)}


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


def metrics_graph(metrics: dict) -> Graph:
    """The metrics as RDF triples (``kg:degree``, ``kg:pageRank``...) for the analysis graph."""
    graph = Graph(identifier=ANALYSIS_GRAPH)
    for node, values in metrics["nodes"].items():
        iri = URIRef(node)
        graph.add((iri, KG.degree, Literal(values["degree"], datatype=XSD.integer)))
        graph.add((iri, KG.pageRank, _decimal(values["pagerank"])))
        graph.add((iri, KG.betweenness, _decimal(values["betweenness"])))
        graph.add((iri, KG.component, Literal(values["component"], datatype=XSD.integer)))
        graph.add((iri, KG.community, Literal(values["community"], datatype=XSD.integer)))
    return graph


def _decimal(value: float) -> Literal:
    return Literal(Decimal(f"{value:.6f}"), datatype=XSD.decimal)
