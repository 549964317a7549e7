"""How two entities connect: find entities by any spelling, and the shortest chain of relations."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from .analysis import CO_MENTION
from .errors import EntityNotFoundError, NoPathError
from .resolve import normalize


@dataclass(frozen=True, slots=True)
class Hop:
    """One relation of a path: ``subject prop object``, with the evidence that states it."""

    subject: str
    prop: str
    object: str
    evidence: tuple[dict, ...]


def find_entity(projection: nx.MultiDiGraph, name: str) -> str:
    """The node whose label or other spelling matches ``name`` (ignoring case, accents, punctuation).

    A name that matches no spelling exactly may still name one entity by a whole-word part of
    its label ("López" for "Ana López"); an ambiguous name raises with the candidates.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("urn:p", label="Ana López", alt_labels=("A. López",))
    >>> g.add_node("urn:f", label="The Long Night", alt_labels=())
    >>> find_entity(g, "ana lopez"), find_entity(g, "López"), find_entity(g, "long night")
    ('urn:p', 'urn:p', 'urn:f')
    """
    wanted = normalize(name)
    if not wanted:
        raise EntityNotFoundError(f"empty entity name {name!r}")
    spellings = {node: {normalize(data.get("label", node)), *(normalize(a) for a in data.get("alt_labels", ()))}
                 for node, data in projection.nodes(data=True)}
    exact = sorted(node for node, forms in spellings.items() if wanted in forms)
    if not exact:
        exact = sorted(node for node, forms in spellings.items()
                       if any(f" {wanted} " in f" {form} " for form in forms))
    if len(exact) == 1:
        return exact[0]
    if not exact:
        raise EntityNotFoundError(f"no entity named {name!r} in the graph: try `kg query` to list labels")
    labels = ", ".join(f"{projection.nodes[n].get('label')} ({projection.nodes[n].get('cls')})" for n in exact[:5])
    raise EntityNotFoundError(f"{name!r} names {len(exact)} entities ({labels}): give the full name")


def shortest_path(projection: nx.MultiDiGraph, source: str, target: str) -> list[Hop]:
    """The fewest relations linking ``source`` to ``target``, followed in either direction.

    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("actor", "film", key="actedIn", prop="actedIn", evidence=[])
    'actedIn'
    >>> g.add_edge("director", "film", key="directed", prop="directed", evidence=[])
    'directed'
    >>> [(h.subject, h.prop, h.object) for h in shortest_path(g, "actor", "director")]
    [('actor', 'actedIn', 'film'), ('director', 'directed', 'film')]
    """
    undirected = nx.Graph()
    undirected.add_nodes_from(projection.nodes)
    undirected.add_edges_from((s, o) for s, o, k in projection.edges(keys=True) if k != CO_MENTION and s != o)
    try:
        nodes = nx.shortest_path(undirected, source, target)
    except nx.NetworkXNoPath:
        raise NoPathError(f"no chain of relations links {_label(projection, source)} and "
                          f"{_label(projection, target)}") from None
    hops = []
    for a, b in zip(nodes, nodes[1:]):
        edges = [(a, b, k, d) for k, d in projection.get_edge_data(a, b, default={}).items() if k != CO_MENTION]
        edges += [(b, a, k, d) for k, d in projection.get_edge_data(b, a, default={}).items() if k != CO_MENTION]
        s, o, prop, data = sorted(edges, key=lambda e: (-len(e[3].get("evidence", [])), e[2]))[0]
        hops.append(Hop(s, prop, o, tuple(data.get("evidence", ()))))
    return hops


def _label(projection: nx.MultiDiGraph, node: str) -> str:
    return repr(projection.nodes[node].get("label", node))


def format_path(projection: nx.MultiDiGraph, hops: list[Hop]) -> str:
    """The path as text, one hop per line followed by the sentence(s) that state it."""
    if not hops:
        return "the two names are the same entity"
    label = lambda n: projection.nodes[n].get("label", n)  # noqa: E731
    lines = []
    for i, hop in enumerate(hops, 1):
        lines.append(f"{i}. {label(hop.subject)} --{hop.prop}--> {label(hop.object)}")
        for evidence in hop.evidence:
            sentence = " ".join(evidence["sentence"].split())
            lines.append(f"     “{sentence}”")
            lines.append(f"     ({evidence['article']}, chars {evidence['start']}-{evidence['end']}, "
                         f"rule {evidence['rule']}, confidence {evidence['confidence']:.2f})")
    return "\n".join(lines)
