"""The ontology, the SHACL shapes and the ``KG`` namespace agree with each other."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

from kg.namespaces import ENTITY_CLASSES, KG, KGID, RELATION_PROPERTIES, SCHEMA, SYMMETRIC_PROPERTIES, WD, WDT

ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "kg.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
ONTOLOGY_IRI = URIRef("https://w3id.org/kg-news/ontology")
KG_NS = str(KG._NS)
# A plain Namespace, not rdflib's XSD DefinedNamespace: that one warns when
# pytest's doctest collection probes this module's globals for odd attributes.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
ALIGNMENT_PREDICATES = (
    OWL.equivalentClass,
    OWL.equivalentProperty,
    OWL.inverseOf,
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    SKOS.exactMatch,
    SKOS.closeMatch,
    SKOS.broadMatch,
    SKOS.narrowMatch,
    SKOS.relatedMatch,
)
WIKIDATA_PREFIXES = (str(WD), str(WDT))
# schema.org has no property for sequels or spin-offs; none is invented.
NO_SCHEMA_ORG_TERM = {"sequelOf", "spinoffOf"}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


def declared_terms(g: Graph) -> set[URIRef]:
    return {
        s
        for t in TERM_TYPES
        for s in g.subjects(RDF.type, t)
        if isinstance(s, URIRef) and s.startswith(KG_NS)
    }


def declared_properties(g: Graph) -> set[URIRef]:
    return {s for t in PROPERTY_TYPES for s in g.subjects(RDF.type, t) if s.startswith(KG_NS)}


def lang_literals(g: Graph, s: URIRef, p: URIRef, lang: str) -> list[Literal]:
    return [o for o in g.objects(s, p) if isinstance(o, Literal) and o.language == lang]


def class_members(g: Graph, node) -> set:
    """A named class as {itself}; an owl:unionOf class expression as its members."""
    if isinstance(node, URIRef):
        return {node}
    union = g.value(node, OWL.unionOf)
    assert union is not None, f"anonymous class without owl:unionOf: {node}"
    return set(Collection(g, union))


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("path", [ONTOLOGY_FILE, SHAPES_FILE], ids=lambda p: p.name)
def test_parses_with_rdflib_and_pyoxigraph_alike(path: Path) -> None:
    g = Graph().parse(path, format="turtle")
    quads = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(g) > 100
    assert len(quads) == len(g)


def test_every_kg_iri_used_is_declared(ontology: Graph, shapes: Graph) -> None:
    declared = declared_terms(ontology)
    for name, g in (("kg.ttl", ontology), ("shapes.ttl", shapes)):
        used = {
            term
            for triple in g
            for term in triple
            if isinstance(term, URIRef) and term.startswith(KG_NS)
        }
        assert used - declared == set(), f"undeclared kg: terms used in {name}"


# --------------------------------------------------------------------------- header


def test_single_ontology_header(ontology: Graph) -> None:
    assert list(ontology.subjects(RDF.type, OWL.Ontology)) == [ONTOLOGY_IRI]
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(
        "https://w3id.org/kg-news/ontology/0.1.0"
    )
    assert str(ontology.value(ONTOLOGY_IRI, OWL.versionInfo)) == "0.1.0"
    for p in (DCTERMS.title, RDFS.comment):
        for lang in ("en", "fr"):
            assert len(lang_literals(ontology, ONTOLOGY_IRI, p, lang)) == 1, (p, lang)
    assert isinstance(ontology.value(ONTOLOGY_IRI, DCTERMS.license), URIRef)
    assert str(ontology.value(ONTOLOGY_IRI, DCTERMS.created)) == "2026-11-21"


# --------------------------------------------------------------------------- expected terms

CLASSES = {
    # local name: direct kg: superclass (None for the roots)
    "NamedEntity": None,
    "Agent": "NamedEntity",
    "Person": "Agent",
    "Organization": "Agent",
    "Place": "NamedEntity",
    "CreativeWork": "NamedEntity",
    "Film": "CreativeWork",
    "TVSeries": "CreativeWork",
    "Franchise": "CreativeWork",
    "Article": None,
    "Mention": None,
    "RelationAssertion": None,
}

MENTION_OR_ASSERTION = ("Mention", "RelationAssertion")
PROPERTIES = [
    # (local name, OWL type, domain (a tuple is a union), range: kg local name or XSD IRI)
    ("relatedTo", OWL.ObjectProperty, "NamedEntity", "NamedEntity"),
    ("directed", OWL.ObjectProperty, "Person", "CreativeWork"),
    ("wrote", OWL.ObjectProperty, "Person", "CreativeWork"),
    ("produced", OWL.ObjectProperty, "Agent", "CreativeWork"),
    ("actedIn", OWL.ObjectProperty, "Person", "CreativeWork"),
    ("distributedBy", OWL.ObjectProperty, "CreativeWork", "Organization"),
    ("partOfFranchise", OWL.ObjectProperty, "CreativeWork", "Franchise"),
    ("sequelOf", OWL.ObjectProperty, "CreativeWork", "CreativeWork"),
    ("spinoffOf", OWL.ObjectProperty, "CreativeWork", "CreativeWork"),
    ("adaptedFrom", OWL.ObjectProperty, "CreativeWork", "CreativeWork"),
    ("employedBy", OWL.ObjectProperty, "Person", "Organization"),
    ("founded", OWL.ObjectProperty, "Person", "Organization"),
    ("collaboratedWith", OWL.ObjectProperty, "Person", "Person"),
    ("basedIn", OWL.ObjectProperty, "Organization", "Place"),
    ("inArticle", OWL.ObjectProperty, MENTION_OR_ASSERTION, "Article"),
    ("refersTo", OWL.ObjectProperty, "Mention", "NamedEntity"),
    ("subjectMention", OWL.ObjectProperty, "RelationAssertion", "Mention"),
    ("objectMention", OWL.ObjectProperty, "RelationAssertion", "Mention"),
    ("surfaceText", OWL.DatatypeProperty, "Mention", XSD.string),
    ("startOffset", OWL.DatatypeProperty, MENTION_OR_ASSERTION, XSD.integer),
    ("endOffset", OWL.DatatypeProperty, MENTION_OR_ASSERTION, XSD.integer),
    ("sentence", OWL.DatatypeProperty, MENTION_OR_ASSERTION, XSD.string),
    ("extractedBy", OWL.DatatypeProperty, MENTION_OR_ASSERTION, XSD.string),
    ("confidence", OWL.DatatypeProperty, MENTION_OR_ASSERTION, XSD.decimal),
    ("sourceFile", OWL.DatatypeProperty, "Article", XSD.string),
    ("contentHash", OWL.DatatypeProperty, "Article", XSD.string),
    ("degree", OWL.DatatypeProperty, "NamedEntity", XSD.integer),
    ("pageRank", OWL.DatatypeProperty, "NamedEntity", XSD.decimal),
    ("betweenness", OWL.DatatypeProperty, "NamedEntity", XSD.decimal),
    ("component", OWL.DatatypeProperty, "NamedEntity", XSD.integer),
    ("community", OWL.DatatypeProperty, "NamedEntity", XSD.integer),
]


# --------------------------------------------------------------------------- documentation


def test_every_term_is_labelled_and_commented_in_english_and_french(ontology: Graph) -> None:
    terms = declared_terms(ontology)
    assert len(terms) == len(CLASSES) + len(PROPERTIES)
    for term in sorted(terms):
        for lang in ("en", "fr"):
            labels = lang_literals(ontology, term, RDFS.label, lang)
            assert len(labels) == 1 and str(labels[0]).strip(), (term, lang, "label")
            comments = lang_literals(ontology, term, RDFS.comment, lang)
            assert len(comments) == 1 and str(comments[0]).strip(), (term, lang, "comment")
        assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in ontology, term


def test_every_property_has_one_domain_and_one_range(ontology: Graph) -> None:
    props = declared_properties(ontology)
    assert len(props) == len(PROPERTIES)
    for prop in sorted(props):
        assert len(list(ontology.objects(prop, RDFS.domain))) == 1, prop
        assert len(list(ontology.objects(prop, RDFS.range))) == 1, prop


# --------------------------------------------------------------------------- structure


def test_declared_terms_are_exactly_the_expected_ones(ontology: Graph) -> None:
    expected = {KG[c] for c in CLASSES} | {KG[p[0]] for p in PROPERTIES}
    assert declared_terms(ontology) == expected


@pytest.mark.parametrize("name", list(CLASSES))
def test_class(ontology: Graph, name: str) -> None:
    cls = KG[name]
    assert (cls, RDF.type, OWL.Class) in ontology
    supers = {o for o in ontology.objects(cls, RDFS.subClassOf) if o.startswith(KG_NS)}
    parent = CLASSES[name]
    assert supers == ({KG[parent]} if parent else set())


@pytest.mark.parametrize("name,kind,domain,range_", PROPERTIES, ids=[p[0] for p in PROPERTIES])
def test_property(ontology: Graph, name: str, kind: URIRef, domain, range_) -> None:
    prop = KG[name]
    assert (prop, RDF.type, kind) in ontology
    expected_domain = {KG[d] for d in domain} if isinstance(domain, tuple) else {KG[domain]}
    assert class_members(ontology, ontology.value(prop, RDFS.domain)) == expected_domain
    expected_range = range_ if isinstance(range_, URIRef) else KG[range_]
    assert ontology.value(prop, RDFS.range) == expected_range


def test_relation_properties_are_exactly_the_sub_properties_of_related_to(ontology: Graph) -> None:
    subs = {s for s in ontology.subjects(RDFS.subPropertyOf, KG.relatedTo)}
    assert subs == {KG[p] for p in RELATION_PROPERTIES}
    assert len(RELATION_PROPERTIES) == 13


def test_entity_classes_are_the_named_entity_subclasses(ontology: Graph) -> None:
    subclasses = set(ontology.transitive_subjects(RDFS.subClassOf, KG.NamedEntity))
    # kg:Agent is abstract, as kg:NamedEntity: the domain of kg:produced, no entity's class
    assert subclasses - {KG.NamedEntity, KG.Agent} == {KG[c] for c in ENTITY_CLASSES}


def test_kinds_of_creative_work(ontology: Graph) -> None:
    for name in ("Film", "TVSeries", "Franchise"):
        assert (KG[name], RDFS.subClassOf, KG.CreativeWork) in ontology


def disjoint(g: Graph, a: URIRef, b: URIRef) -> bool:
    return (a, OWL.disjointWith, b) in g or (b, OWL.disjointWith, a) in g


@pytest.mark.parametrize(
    "group",
    [
        ("Person", "Organization", "Place", "CreativeWork"),
        ("Film", "TVSeries", "Franchise"),
        ("NamedEntity", "Article", "Mention", "RelationAssertion"),
    ],
)
def test_pairwise_disjoint(ontology: Graph, group: tuple[str, ...]) -> None:
    for i, a in enumerate(group):
        for b in group[i + 1 :]:
            assert disjoint(ontology, KG[a], KG[b]), (a, b)


def test_relation_assertion_is_a_reified_statement(ontology: Graph) -> None:
    supers = set(ontology.objects(KG.RelationAssertion, RDFS.subClassOf))
    assert {RDF.Statement, URIRef("http://www.w3.org/ns/prov#Entity")} <= supers


def test_collaborated_with_is_symmetric(ontology: Graph) -> None:
    assert (KG.collaboratedWith, RDF.type, OWL.SymmetricProperty) in ontology
    symmetric = set(ontology.subjects(RDF.type, OWL.SymmetricProperty))
    assert symmetric == {KG.collaboratedWith}


def test_acted_in_is_inverse_of_schema_actor_and_cast_member(ontology: Graph) -> None:
    assert set(ontology.objects(KG.actedIn, OWL.inverseOf)) == {SCHEMA.actor, WDT.P161}


@pytest.mark.parametrize(
    "name,wikidata",
    [
        ("Person", WD.Q5),
        ("Organization", WD.Q43229),
        ("Place", WD.Q2221906),
        ("CreativeWork", WD.Q17537576),
        ("Film", WD.Q11424),
        ("TVSeries", WD.Q5398426),
        ("Franchise", WD.Q196600),
        ("Article", WD.Q5707594),
    ],
)
def test_class_wikidata_item(ontology: Graph, name: str, wikidata: URIRef) -> None:
    matches = set(ontology.objects(KG[name], SKOS.exactMatch)) | set(
        ontology.objects(KG[name], SKOS.closeMatch)
    )
    assert wikidata in matches


def alignments(g: Graph, term: URIRef) -> set[URIRef]:
    return {o for p in ALIGNMENT_PREDICATES for o in g.objects(term, p) if isinstance(o, URIRef)}


@pytest.mark.parametrize("name", [*ENTITY_CLASSES, "Article", *RELATION_PROPERTIES])
def test_aligned_with_schema_org_and_wikidata(ontology: Graph, name: str) -> None:
    targets = alignments(ontology, KG[name])
    # str(): rdflib terms override startswith and do not accept a tuple
    assert any(str(t).startswith(WIKIDATA_PREFIXES) for t in targets), "no Wikidata alignment"
    if name not in NO_SCHEMA_ORG_TERM:
        assert any(t.startswith(str(SCHEMA)) for t in targets), "no schema.org alignment"


# --------------------------------------------------------------------------- KG namespace


def test_kg_namespace_matches_the_ontology_both_ways(ontology: Graph) -> None:
    in_python = set(dir(KG))
    in_ontology = declared_terms(ontology)
    assert in_ontology - in_python == set(), "declared in kg.ttl but missing from KG"
    assert in_python - in_ontology == set(), "in KG but not declared in kg.ttl"


def test_kg_namespace_is_closed() -> None:
    assert KG.Film == URIRef(KG_NS + "Film")
    with pytest.raises(AttributeError):
        KG.foo  # noqa: B018
    with pytest.raises(AttributeError):
        KG.film  # noqa: B018


# --------------------------------------------------------------------------- shapes


def test_every_shape_is_labelled_with_a_message(shapes: Graph) -> None:
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert len(node_shapes) == 1 + 13 + 3
    for shape in node_shapes:
        assert lang_literals(shapes, shape, RDFS.label, "en"), shape
        assert lang_literals(shapes, shape, SH.message, "en"), shape
    property_shapes = set(shapes.objects(None, SH.property))
    assert property_shapes
    for shape in property_shapes:
        assert lang_literals(shapes, shape, SH.message, "en"), shapes.value(shape, SH.path)


def test_relation_shapes_match_the_ontology(ontology: Graph, shapes: Graph) -> None:
    for name in RELATION_PROPERTIES:
        prop = KG[name]
        (shape,) = shapes.subjects(SH.targetSubjectsOf, prop)
        assert shapes.value(shape, SH["class"]) == ontology.value(prop, RDFS.domain), name
        (pshape,) = shapes.objects(shape, SH.property)
        assert shapes.value(pshape, SH.path) == prop
        assert shapes.value(pshape, SH["class"]) == ontology.value(prop, RDFS.range), name
        assert shapes.value(pshape, SH.nodeKind) == SH.IRI


def test_assertable_predicates_are_the_relation_properties(shapes: Graph) -> None:
    (pshape,) = shapes.subjects(SH.path, RDF.predicate)
    allowed = list(Collection(shapes, shapes.value(pshape, SH["in"])))
    assert allowed == [KG[p] for p in RELATION_PROPERTIES]


def test_entity_shape_targets_every_entity_class(shapes: Graph) -> None:
    (shape,) = shapes.subjects(SH.targetClass, KG.Person)
    assert set(shapes.objects(shape, SH.targetClass)) == {KG[c] for c in ENTITY_CLASSES}


# --------------------------------------------------------------------------- validation

HASH = "0123456789abcdef" * 4
ART = KGID["article/000_demo"]
NOLAN = KGID["Person/christopher-nolan"]
HATHAWAY = KGID["Person/anne-hathaway"]
FILM = KGID["Film/interstellar"]
SERIES = KGID["TVSeries/the-bear"]
FRANCHISE = KGID["Franchise/dc-universe"]
STUDIO = KGID["Organization/warner-bros"]
CITY = KGID["Place/burbank"]
M_NOLAN = KGID["mention/000_demo/0-17"]
M_FILM = KGID["mention/000_demo/27-38"]
ASSERTION = KGID["assertion/000_demo/0"]
SENTENCE = "Christopher Nolan directed Interstellar."


def valid_graph() -> Graph:
    g = Graph()
    for node, cls, label in [
        (NOLAN, KG.Person, "Christopher Nolan"),
        (HATHAWAY, KG.Person, "Anne Hathaway"),
        (FILM, KG.Film, "Interstellar"),
        (SERIES, KG.TVSeries, "The Bear"),
        (FRANCHISE, KG.Franchise, "DC Universe"),
        (STUDIO, KG.Organization, "Warner Bros."),
        (CITY, KG.Place, "Burbank"),
    ]:
        g.add((node, RDF.type, cls))
        g.add((node, RDFS.label, Literal(label)))
    g.add((STUDIO, SKOS.altLabel, Literal("Warner Bros")))
    g.add((STUDIO, SKOS.altLabel, Literal("Warner")))
    for triple in [
        (NOLAN, KG.directed, FILM),
        (HATHAWAY, KG.actedIn, FILM),
        (FILM, KG.distributedBy, STUDIO),
        (STUDIO, KG.basedIn, CITY),
        (NOLAN, KG.collaboratedWith, HATHAWAY),
        (NOLAN, KG.employedBy, STUDIO),
        (FILM, KG.partOfFranchise, FRANCHISE),
        (SERIES, KG.adaptedFrom, FILM),
    ]:
        g.add(triple)

    g.add((ART, RDF.type, KG.Article))
    g.add((ART, DCTERMS.title, Literal("Nolan is back")))
    g.add((ART, DCTERMS.language, Literal("en")))
    g.add((ART, DCTERMS.date, Literal("2024-05-01", datatype=XSD.date)))
    g.add((ART, KG.sourceFile, Literal("seeds/000_demo.txt")))
    g.add((ART, KG.contentHash, Literal(HASH)))

    for mention, entity, start, end in [(M_NOLAN, NOLAN, 0, 17), (M_FILM, FILM, 27, 39)]:
        g.add((mention, RDF.type, KG.Mention))
        g.add((mention, KG.refersTo, entity))
        g.add((mention, KG.inArticle, ART))
        g.add((mention, KG.surfaceText, Literal(SENTENCE[start:end])))
        g.add((mention, KG.startOffset, Literal(start)))
        g.add((mention, KG.endOffset, Literal(end)))
        g.add((mention, KG.sentence, Literal(SENTENCE)))
        g.add((mention, KG.extractedBy, Literal("ner")))
        g.add((mention, KG.confidence, Literal(Decimal("0.8"))))

    g.add((ASSERTION, RDF.type, KG.RelationAssertion))
    g.add((ASSERTION, RDF.subject, NOLAN))
    g.add((ASSERTION, RDF.predicate, KG.directed))
    g.add((ASSERTION, RDF.object, FILM))
    g.add((ASSERTION, KG.inArticle, ART))
    g.add((ASSERTION, KG.sentence, Literal(SENTENCE)))
    g.add((ASSERTION, KG.startOffset, Literal(0)))
    g.add((ASSERTION, KG.endOffset, Literal(len(SENTENCE))))
    g.add((ASSERTION, KG.extractedBy, Literal("en.directed.1")))
    g.add((ASSERTION, KG.confidence, Literal(Decimal("0.9"))))
    g.add((ASSERTION, KG.subjectMention, M_NOLAN))
    g.add((ASSERTION, KG.objectMention, M_FILM))
    return g


def validate(data: Graph, shapes: Graph, ontology: Graph) -> tuple[bool, Graph, str]:
    conforms, report, text = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True
    )
    return conforms, report, text


def results(report: Graph) -> set[tuple]:
    """(focus node, result path, constraint component local name) of each result."""
    found = set()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        component = report.value(r, SH.sourceConstraintComponent)
        found.add(
            (
                report.value(r, SH.focusNode),
                report.value(r, SH.resultPath),
                str(component).rsplit("#", 1)[-1],
            )
        )
    return found


def test_valid_graph_conforms(shapes: Graph, ontology: Graph) -> None:
    conforms, _, text = validate(valid_graph(), shapes, ontology)
    assert conforms, text


def _set(s, p, o) -> Callable[[Graph], None]:
    return lambda g: g.set((s, p, o))


def _add(s, p, o) -> Callable[[Graph], None]:
    return lambda g: g.add((s, p, o))


def _remove(s, p) -> Callable[[Graph], None]:
    return lambda g: g.remove((s, p, None))


INVALID = [
    # (id, change to the valid graph, expected (focus, path, constraint component))
    (
        "person-with-two-labels",
        _add(NOLAN, RDFS.label, Literal("Chris Nolan")),
        (NOLAN, RDFS.label, "MaxCountConstraintComponent"),
    ),
    (
        "film-without-label",
        _remove(FILM, RDFS.label),
        (FILM, RDFS.label, "MinCountConstraintComponent"),
    ),
    (
        "empty-label",
        _set(CITY, RDFS.label, Literal("")),
        (CITY, RDFS.label, "MinLengthConstraintComponent"),
    ),
    (
        "language-tagged-label",
        _set(CITY, RDFS.label, Literal("Burbank", lang="en")),
        (CITY, RDFS.label, "DatatypeConstraintComponent"),
    ),
    (
        "acted-in-from-a-film",
        _add(FILM, KG.actedIn, HATHAWAY),
        (FILM, None, "ClassConstraintComponent"),
    ),
    (
        "acted-in-a-person",
        _add(HATHAWAY, KG.actedIn, NOLAN),
        (HATHAWAY, KG.actedIn, "ClassConstraintComponent"),
    ),
    (
        "relation-to-a-literal",
        _add(STUDIO, KG.basedIn, Literal("Burbank")),
        (STUDIO, KG.basedIn, "NodeKindConstraintComponent"),
    ),
    (
        "mention-start-equals-end",
        _set(M_NOLAN, KG.startOffset, Literal(17)),
        (M_NOLAN, KG.startOffset, "LessThanConstraintComponent"),
    ),
    (
        "mention-start-after-end",
        _set(M_NOLAN, KG.startOffset, Literal(20)),
        (M_NOLAN, KG.startOffset, "LessThanConstraintComponent"),
    ),
    (
        "mention-negative-offset",
        _set(M_FILM, KG.startOffset, Literal(-1)),
        (M_FILM, KG.startOffset, "MinInclusiveConstraintComponent"),
    ),
    (
        "mention-of-nothing",
        _remove(M_FILM, KG.refersTo),
        (M_FILM, KG.refersTo, "MinCountConstraintComponent"),
    ),
    (
        "mention-of-an-article",
        _set(M_FILM, KG.refersTo, ART),
        (M_FILM, KG.refersTo, "ClassConstraintComponent"),
    ),
    (
        "assertion-confidence-above-one",
        _set(ASSERTION, KG.confidence, Literal(Decimal("1.5"))),
        (ASSERTION, KG.confidence, "MaxInclusiveConstraintComponent"),
    ),
    (
        "assertion-confidence-as-double",
        _set(ASSERTION, KG.confidence, Literal(0.9)),
        (ASSERTION, KG.confidence, "DatatypeConstraintComponent"),
    ),
    (
        "assertion-of-abstract-related-to",
        _set(ASSERTION, RDF.predicate, KG.relatedTo),
        (ASSERTION, RDF.predicate, "InConstraintComponent"),
    ),
    (
        "assertion-subject-outside-domain",
        _set(ASSERTION, RDF.subject, STUDIO),
        (ASSERTION, None, "SPARQLConstraintComponent"),
    ),
    (
        "assertion-without-article",
        _remove(ASSERTION, KG.inArticle),
        (ASSERTION, KG.inArticle, "MinCountConstraintComponent"),
    ),
    (
        "assertion-subject-mention-not-a-mention",
        _set(ASSERTION, KG.subjectMention, NOLAN),
        (ASSERTION, KG.subjectMention, "ClassConstraintComponent"),
    ),
    (
        "article-in-german",
        _set(ART, DCTERMS.language, Literal("de")),
        (ART, DCTERMS.language, "InConstraintComponent"),
    ),
    (
        "article-hash-in-uppercase",
        _set(ART, KG.contentHash, Literal(HASH.upper())),
        (ART, KG.contentHash, "PatternConstraintComponent"),
    ),
    (
        "article-without-title",
        _remove(ART, DCTERMS.title),
        (ART, DCTERMS.title, "MinCountConstraintComponent"),
    ),
    (
        "blank-node-entity",
        lambda g: g.add((BNode("anon"), RDF.type, KG.Place)),
        (BNode("anon"), None, "NodeKindConstraintComponent"),
    ),
]


@pytest.mark.parametrize("change,expected", [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
def test_invalid_graph_does_not_conform(
    shapes: Graph, ontology: Graph, change: Callable[[Graph], None], expected: tuple
) -> None:
    data = valid_graph()
    change(data)
    conforms, report, text = validate(data, shapes, ontology)
    assert not conforms
    assert expected in results(report), text


def test_symmetric_properties_are_the_ontology_s(ontology: Graph) -> None:
    declared = {str(p).removeprefix(str(KG._NS)) for p in ontology.subjects(RDF.type, OWL.SymmetricProperty)}
    assert declared == SYMMETRIC_PROPERTIES
