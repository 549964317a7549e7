"""Records -> RDF quads under the kg ontology, with provenance per article.

The default graph holds the entities (type, label, other spellings) and the relations
between them as direct triples.  Each article has its own named graph holding the
article, every mention (surface text, offsets, sentence) and every relation assertion
(an ``rdf:Statement``: sentence, offsets, rule, confidence).  IRIs are minted from stable
keys, never blank nodes, so building twice gives the same graph.

A build makes pyoxigraph quads straight from the records, in a canonical order (default
graph first, then named graphs by IRI, each subject's statements together): they are
written, loaded into the store and serialized without an rdflib object in between, which
at a million statements saves tens of seconds.  :func:`to_dataset` gives an rdflib
Dataset of them for users of the Python API.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import marshal
import operator
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import RDF, RDFS, SKOS, BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS, XSD

from .namespaces import KG, KGID
from .records import Document, Mention, Relation, RelationMention, Resolution

PREFIXES = {"kg": KG._NS, "kgid": KGID, "skos": SKOS, "dcterms": DCTERMS, "rdfs": RDFS}
#: Prefixes written into graph.ttl and graph.trig: ``kgid:`` is left out, as its local names hold slashes.
FILE_PREFIXES = dict(sorted({"rdf": str(RDF), **{p: str(ns) for p, ns in PREFIXES.items() if p != "kgid"}}.items()))

DEFAULT_GRAPH = ox.DefaultGraph()
_KGID = str(KGID)
_XSD_STRING = str(XSD.string)


def entity_iri(key: str) -> URIRef:
    return KGID[key]


def article_iri(doc_id: str) -> URIRef:
    return KGID[f"article/{quote(doc_id, safe='-_.~')}"]


def article_graph_iri(doc_id: str) -> URIRef:
    return KGID[f"graph/{quote(doc_id, safe='-_.~')}"]


def mention_iri(m: Mention) -> URIRef:
    return URIRef(f"{article_iri(m.doc_id)}/mention/{m.start}-{m.end}")


def new_dataset() -> Dataset:
    dataset = Dataset(default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    return dataset


class _Terms:
    """pyoxigraph terms of the vocabulary, made once (attribute access by local name)."""

    def __getattr__(self, name: str) -> ox.NamedNode:
        node = ox.NamedNode(str(KG[name]))
        self.__dict__[name] = node
        return node


_KG = _Terms()
_TYPE = ox.NamedNode(str(RDF.type))
_SUBJECT, _PREDICATE, _OBJECT = (ox.NamedNode(str(t)) for t in (RDF.subject, RDF.predicate, RDF.object))
_LABEL = ox.NamedNode(str(RDFS.label))
_ALT_LABEL = ox.NamedNode(str(SKOS.altLabel))
_TITLE, _LANGUAGE, _DATE = (ox.NamedNode(str(t)) for t in (DCTERMS.title, DCTERMS.language, DCTERMS.date))
_INTEGER = ox.NamedNode(str(XSD.integer))
_DECIMAL = ox.NamedNode(str(XSD.decimal))


def integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_INTEGER)


def decimal(lexical: str) -> ox.Literal:
    return ox.Literal(lexical, datatype=_DECIMAL)


def confidence(value: float) -> ox.Literal:
    """A confidence rounded to 3 decimals, written as short as it goes (``0.8``, ``0.875``)."""
    return decimal(format(Decimal(str(round(value, 3))), "f"))


class _EntityNodes(dict):
    """Entity key -> its IRI as a pyoxigraph NamedNode, each made once."""

    def __missing__(self, key: str) -> ox.NamedNode:
        node = self[key] = ox.NamedNode(_KGID + key)
        return node


@dataclass(frozen=True)
class NamedGraph:
    """One graph of a build: the default graph, an article's graph or the analysis graph.

    ``name`` is the graph IRI (None for the default graph).  ``key`` is a digest of the
    records the graph was made from, when known (see :func:`article_key`).  ``quads`` is
    None when an earlier build made the graph of this name from the same records: it is
    then reused from that build's outputs instead of being made again.
    """

    name: str | None
    quads: Sequence[ox.Quad] | None
    key: str | None = None


def dataset_quads(documents: Sequence[Document], resolution: Resolution) -> list[ox.Quad]:
    """The knowledge graph of ``documents`` as quads: default graph, then one graph per article.

    The order is canonical: default graph first, then the article graphs by IRI, each
    subject's statements together, so the same records always give the same list; there
    are no duplicate quads.  (A build appends the analysis graph.)
    """
    return [quad for graph in named_graphs(documents, resolution) for quad in graph.quads]


def named_graphs(documents: Sequence[Document], resolution: Resolution,
                 known: Mapping[str | None, str | None] | None = None) -> list[NamedGraph]:
    """The graphs of :func:`dataset_quads`, in the same order, each article's with its key.

    ``known`` maps graph IRIs to the keys of the graphs an earlier build made: an article
    graph whose key is there gets no quads (``quads=None``), as it would be the same.
    """
    known = known or {}
    nodes = _EntityNodes()
    graphs = [NamedGraph(None, entity_quads(resolution, nodes))]
    mentions, evidence = by_article(resolution)
    for document in sorted(documents, key=lambda d: str(article_graph_iri(d.doc_id))):
        name = str(article_graph_iri(document.doc_id))
        items = mentions.get(document.doc_id, []), evidence.get(document.doc_id, [])
        key = article_key(document, *items)
        quads = None if known.get(name) == key else article_quads(document, *items, nodes)
        graphs.append(NamedGraph(name, quads, key))
    return graphs


def article_key(document: Document, mentions: Sequence[tuple[Mention, str]],
                evidence: Sequence[tuple[Relation, RelationMention]]) -> str:
    """A digest of everything :func:`article_quads` reads: equal keys give equal graphs.

    >>> doc = Document("a", "a.txt", "Ana.", "en", "a", "h")
    >>> ana = Mention("a", 0, 3, "Ana", "Person", 0, 4)
    >>> article_key(doc, [(ana, "person/ana")], []) == article_key(doc, [(ana, "person/ana-2")], [])
    False
    >>> article_key(doc, [(ana, "person/ana")], []) == article_key(doc, [(ana, "".join(["person/", "ana"]))], [])
    True
    """
    ordered = sorted(mentions, key=lambda item: (item[0].start, item[0].end, item[1]))  # as article_quads reads them
    data = (_DOCUMENT_FIELDS(document), [(_MENTION_FIELDS(m), key) for m, key in ordered],
            [(r.subject, r.prop, r.object, _RELATION_MENTION_FIELDS(rm), _MENTION_FIELDS(rm.subject),
              _MENTION_FIELDS(rm.object)) for r, rm in evidence])
    # (marshal's version 2 writes plain values the same way whatever their objects: no references, no interning)
    return hashlib.sha256(marshal.dumps(data, 2)).hexdigest()[:32]


_DOCUMENT_FIELDS = operator.attrgetter(*Document.__slots__)
_MENTION_FIELDS = operator.attrgetter(*Mention.__slots__)
_RELATION_MENTION_FIELDS = operator.attrgetter(*(f for f in RelationMention.__slots__ if f not in ("subject", "object")))


def split_graphs(quads: Sequence[ox.Quad]) -> list[NamedGraph]:
    """``quads`` as the run of graphs they hold, in their order (a graph's quads must be together).

    >>> a, g = ox.NamedNode("urn:a"), ox.NamedNode("urn:g")
    >>> [(graph.name, len(graph.quads)) for graph in split_graphs([ox.Quad(a, a, a), ox.Quad(a, a, a, g)])]
    [(None, 1), ('urn:g', 1)]
    """
    graphs = []
    for name, group in itertools.groupby(quads, key=lambda q: q.graph_name):
        graphs.append(NamedGraph(None if name == DEFAULT_GRAPH else name.value, list(group)))
    if len({graph.name for graph in graphs}) < len(graphs):
        raise ValueError("the quads of a graph are not together")
    return graphs


def by_article(resolution: Resolution) -> tuple[dict[str, list[tuple[Mention, str]]],
                                                 dict[str, list[tuple[Relation, RelationMention]]]]:
    """Mentions (with their entity key) and relation evidence of each article, in one pass."""
    mentions: dict[str, list] = defaultdict(list)
    evidence: dict[str, list] = defaultdict(list)
    for entity in resolution.entities:
        for m in entity.mentions:
            mentions[m.doc_id].append((m, entity.key))
    for relation in resolution.relations:
        for rm in relation.evidence:
            evidence[rm.doc_id].append((relation, rm))
    return mentions, evidence


def entity_quads(resolution: Resolution, nodes: _EntityNodes | None = None) -> list[ox.Quad]:
    """The default graph: each entity's type, label, other spellings and relations, by entity IRI."""
    outgoing = defaultdict(set)
    for relation in resolution.relations:
        outgoing[relation.subject].add((relation.prop, relation.object))
    nodes = _EntityNodes() if nodes is None else nodes
    quads = []
    for entity in sorted(resolution.entities, key=lambda e: e.key):  # (the IRI is a fixed prefix + the key)
        node = nodes[entity.key]
        quads.append(ox.Quad(node, _TYPE, getattr(_KG, entity.cls)))
        quads.append(ox.Quad(node, _LABEL, ox.Literal(entity.label)))
        for alt in sorted(set(entity.alt_labels)):
            quads.append(ox.Quad(node, _ALT_LABEL, ox.Literal(alt)))
        for prop, target in sorted(outgoing.pop(entity.key, ())):
            quads.append(ox.Quad(node, getattr(_KG, prop), nodes[target]))
    for subject in sorted(outgoing):  # relations of an entity not in the list (not made by resolve())
        for prop, target in sorted(outgoing[subject]):
            quads.append(ox.Quad(nodes[subject], getattr(_KG, prop), nodes[target]))
    return quads


def article_quads(document: Document, mentions: Sequence[tuple[Mention, str]],
                  evidence: Sequence[tuple[Relation, RelationMention]], nodes: _EntityNodes | None = None) -> list[ox.Quad]:
    """The article, its mentions and its relation assertions, in its named graph."""
    nodes = _EntityNodes() if nodes is None else nodes
    graph = ox.NamedNode(str(article_graph_iri(document.doc_id)))
    article_str = str(article_iri(document.doc_id))
    article = ox.NamedNode(article_str)
    text = document.text
    triples = [(article, _TYPE, _KG.Article), (article, _TITLE, ox.Literal(document.title)),
               (article, _LANGUAGE, ox.Literal(document.lang)),
               (article, _KG.sourceFile, ox.Literal(document.path)),
               (article, _KG.contentHash, ox.Literal(document.content_hash))]
    if document.date:
        triples.append((article, _DATE, ox.Literal(document.date)))
    by_node: dict[str, list] = {}
    for m, key in sorted(mentions, key=lambda item: (item[0].start, item[0].end, item[1])):
        iri = f"{article_str}/mention/{m.start}-{m.end}"
        node = ox.NamedNode(iri)
        statements = by_node.setdefault(iri, [])
        statements += [(node, _TYPE, _KG.Mention), (node, _KG.refersTo, nodes[key]),
                       (node, _KG.inArticle, article), (node, _KG.surfaceText, ox.Literal(m.text))]
        statements += _span(node, m.start, m.end, text[m.sent_start:m.sent_end], m.rule, m.confidence)
    for relation, rm in evidence:
        iri = (f"{article_str}/assertion/{rm.prop}/{rm.subject.start}-{rm.subject.end}/"
               f"{rm.object.start}-{rm.object.end}")
        node = ox.NamedNode(iri)
        statements = by_node.setdefault(iri, [])
        statements += [(node, _TYPE, _KG.RelationAssertion),
                       (node, _SUBJECT, nodes[relation.subject]),
                       (node, _PREDICATE, getattr(_KG, relation.prop)),
                       (node, _OBJECT, nodes[relation.object]),
                       (node, _KG.inArticle, article),
                       (node, _KG.subjectMention, ox.NamedNode(f"{article_str}/mention/{rm.subject.start}-{rm.subject.end}")),
                       (node, _KG.objectMention, ox.NamedNode(f"{article_str}/mention/{rm.object.start}-{rm.object.end}"))]
        statements += _span(node, rm.sent_start, rm.sent_end, text[rm.sent_start:rm.sent_end], rm.rule, rm.confidence)
    for iri in sorted(by_node):
        triples.extend(dict.fromkeys(by_node[iri]))  # a span named twice states its node once
    return [ox.Quad(s, p, o, graph) for s, p, o in triples]


def _span(node: ox.NamedNode, start: int, end: int, sentence: str, rule: str, value: float) -> list[tuple]:
    return [(node, _KG.startOffset, integer(start)), (node, _KG.endOffset, integer(end)),
            (node, _KG.sentence, ox.Literal(sentence)), (node, _KG.extractedBy, ox.Literal(rule)),
            (node, _KG.confidence, confidence(value))]


def default_graph_quads(quads: Sequence[ox.Quad]) -> Sequence[ox.Quad]:
    """The leading quads of the default graph in ``quads`` in canonical order (what ``graph.ttl`` holds).

    >>> a, g = ox.NamedNode("urn:a"), ox.NamedNode("urn:g")
    >>> len(default_graph_quads([ox.Quad(a, a, a), ox.Quad(a, a, a, g), ox.Quad(a, a, g, g)]))
    1
    """
    return quads[:bisect.bisect_left(quads, True, key=lambda q: q.graph_name != DEFAULT_GRAPH)]


# --- rdflib <-> pyoxigraph -----------------------------------------------------------------------

def to_dataset(quads: Iterable[ox.Quad]) -> Dataset:
    """An rdflib Dataset (union default graph, kg prefixes bound) holding ``quads``."""
    dataset = new_dataset()
    graphs = {}
    for quad in quads:
        name = quad.graph_name
        key = None if name == DEFAULT_GRAPH else name.value
        graph = graphs.get(key)
        if graph is None:
            graph = graphs[key] = dataset.default_graph if key is None else dataset.graph(URIRef(key))
        graph.add((_rdflib_term(quad.subject), _rdflib_term(quad.predicate), _rdflib_term(quad.object)))
    return dataset


def sorted_quads(dataset: Dataset) -> list[ox.Quad]:
    """Every quad of an rdflib ``dataset`` as a pyoxigraph Quad, default graph first, then by graph and terms."""
    quads = [ox.Quad(_ox_term(s), _ox_term(p), _ox_term(o), _ox_graph(g)) for s, p, o, g in dataset.quads()]
    return sorted(set(quads), key=lambda q: (q.graph_name != DEFAULT_GRAPH, str(q.graph_name),
                                              str(q.subject), str(q.predicate), str(q.object)))


def _rdflib_term(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))
    return BNode(term.value)


def _ox_term(term):
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    return ox.NamedNode(str(term))


def _ox_graph(graph):
    identifier = getattr(graph, "identifier", graph)
    if identifier is None or identifier == DATASET_DEFAULT_GRAPH_ID:
        return DEFAULT_GRAPH
    return _ox_term(identifier)
