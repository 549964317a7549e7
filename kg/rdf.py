"""Records -> an rdflib Dataset under the kg ontology, with provenance per article.

The default graph holds the entities (type, label, other spellings) and the relations
between them as direct triples.  Each article has its own named graph holding the
article, every mention (surface text, offsets, sentence) and every relation assertion
(an ``rdf:Statement``: sentence, offsets, rule, confidence).  IRIs are minted from stable
keys, never blank nodes, so building twice gives the same graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from urllib.parse import quote

from rdflib import RDF, RDFS, SKOS, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from .namespaces import KG, KGID
from .records import Document, Mention, Relation, RelationMention, Resolution

PREFIXES = {"kg": KG._NS, "kgid": KGID, "skos": SKOS, "dcterms": DCTERMS, "rdfs": RDFS}


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


def build_dataset(documents: Sequence[Document], resolution: Resolution) -> Dataset:
    """The knowledge graph of ``documents`` as a Dataset (default graph + one graph per article)."""
    dataset = new_dataset()
    add_entities(dataset.default_graph, resolution)
    mentions, evidence = by_article(resolution)
    for document in documents:
        graph = dataset.graph(article_graph_iri(document.doc_id))
        add_article(graph, document, mentions.get(document.doc_id, []), evidence.get(document.doc_id, []))
    return dataset


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


def add_entities(graph: Graph, resolution: Resolution) -> None:
    for entity in resolution.entities:
        node = entity_iri(entity.key)
        graph.add((node, RDF.type, KG[entity.cls]))
        graph.add((node, RDFS.label, Literal(entity.label)))
        for alt in entity.alt_labels:
            graph.add((node, SKOS.altLabel, Literal(alt)))
    for relation in resolution.relations:
        graph.add((entity_iri(relation.subject), KG[relation.prop], entity_iri(relation.object)))


def add_article(graph: Graph, document: Document, mentions: Sequence[tuple[Mention, str]],
                evidence: Sequence[tuple[Relation, RelationMention]]) -> None:
    """The article, its mentions and its relation assertions, into its named graph."""
    article = article_iri(document.doc_id)
    text = document.text
    graph.add((article, RDF.type, KG.Article))
    graph.add((article, DCTERMS.title, Literal(document.title)))
    graph.add((article, DCTERMS.language, Literal(document.lang)))
    graph.add((article, KG.sourceFile, Literal(document.path)))
    graph.add((article, KG.contentHash, Literal(document.content_hash)))
    if document.date:
        graph.add((article, DCTERMS.date, Literal(document.date)))
    for m, key in mentions:
        node = mention_iri(m)
        graph.add((node, RDF.type, KG.Mention))
        graph.add((node, KG.refersTo, entity_iri(key)))
        graph.add((node, KG.inArticle, article))
        graph.add((node, KG.surfaceText, Literal(m.text)))
        _add_span(graph, node, m.start, m.end, text[m.sent_start:m.sent_end], m.rule, m.confidence)
    for relation, rm in evidence:
        node = URIRef(f"{article}/assertion/{rm.prop}/{rm.subject.start}-{rm.subject.end}/{rm.object.start}-{rm.object.end}")
        graph.add((node, RDF.type, KG.RelationAssertion))
        graph.add((node, RDF.subject, entity_iri(relation.subject)))
        graph.add((node, RDF.predicate, KG[relation.prop]))
        graph.add((node, RDF.object, entity_iri(relation.object)))
        graph.add((node, KG.inArticle, article))
        graph.add((node, KG.subjectMention, mention_iri(rm.subject)))
        graph.add((node, KG.objectMention, mention_iri(rm.object)))
        _add_span(graph, node, rm.sent_start, rm.sent_end, text[rm.sent_start:rm.sent_end], rm.rule, rm.confidence)


def _add_span(graph: Graph, node: URIRef, start: int, end: int, sentence: str, rule: str, confidence: float) -> None:
    graph.add((node, KG.startOffset, Literal(start, datatype=XSD.integer)))
    graph.add((node, KG.endOffset, Literal(end, datatype=XSD.integer)))
    graph.add((node, KG.sentence, Literal(sentence)))
    graph.add((node, KG.extractedBy, Literal(rule)))
    graph.add((node, KG.confidence, Literal(Decimal(str(round(confidence, 3))), datatype=XSD.decimal)))


def entity_graph(dataset: Dataset) -> Graph:
    """The default graph alone: entities and direct relations (what ``graph.ttl`` holds)."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for triple in dataset.default_graph:
        graph.add(triple)
    return graph
