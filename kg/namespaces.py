"""RDF namespaces of the knowledge graph.

``KG`` is closed: it declares exactly the terms of ``ontology/kg.ttl`` (a test
checks both directions), so a misspelt term fails at once instead of minting a
stray IRI.

>>> KG.Film
rdflib.term.URIRef('https://w3id.org/kg-news/ontology#Film')
>>> KG.film
Traceback (most recent call last):
    ...
AttributeError: term 'film' not in namespace 'https://w3id.org/kg-news/ontology#'
"""

# No ``from __future__ import annotations``: DefinedNamespace inspects the
# annotations below at run time and needs them to be real classes.
# DefinedNamespace is reached through its module so that the open base class is
# not a global here: pytest's doctest finder probes globals for ``_mock_name``,
# which makes the base class emit a warning.

from rdflib import namespace as _rdfns
from rdflib.namespace import Namespace
from rdflib.term import URIRef

__all__ = [
    "ENTITY_CLASSES",
    "KG",
    "KGID",
    "KGSH",
    "RELATION_PROPERTIES",
    "SYMMETRIC_PROPERTIES",
    "SCHEMA",
    "WD",
    "WDT",
]


class KG(_rdfns.DefinedNamespace):
    """Terms of the film-news ontology, ``https://w3id.org/kg-news/ontology#``."""

    _fail = True

    # Entity classes
    NamedEntity: URIRef  # abstract superclass of Person, Organization, Place, CreativeWork
    Agent: URIRef  # abstract superclass of Person and Organization
    Person: URIRef
    Organization: URIRef
    Place: URIRef
    CreativeWork: URIRef
    Film: URIRef  # subclass of CreativeWork
    TVSeries: URIRef  # subclass of CreativeWork
    Franchise: URIRef  # subclass of CreativeWork

    # Provenance classes
    Article: URIRef  # a news article that was read
    Mention: URIRef  # a span of an article naming an entity
    RelationAssertion: URIRef  # one statement of a relation in one sentence (an rdf:Statement)

    # Relations between entities, subject first; all sub-properties of relatedTo
    relatedTo: URIRef  # abstract: NamedEntity -> NamedEntity
    directed: URIRef  # Person -> CreativeWork
    wrote: URIRef  # Person -> CreativeWork
    produced: URIRef  # Agent (Person or Organization) -> CreativeWork
    actedIn: URIRef  # Person -> CreativeWork
    distributedBy: URIRef  # CreativeWork -> Organization
    partOfFranchise: URIRef  # CreativeWork -> Franchise
    sequelOf: URIRef  # CreativeWork -> CreativeWork
    spinoffOf: URIRef  # CreativeWork -> CreativeWork
    adaptedFrom: URIRef  # CreativeWork -> CreativeWork
    employedBy: URIRef  # Person -> Organization
    founded: URIRef  # Person -> Organization
    collaboratedWith: URIRef  # Person -> Person, symmetric
    basedIn: URIRef  # Organization -> Place

    # Provenance: object properties
    inArticle: URIRef  # Mention or RelationAssertion -> Article
    refersTo: URIRef  # Mention -> NamedEntity
    subjectMention: URIRef  # RelationAssertion -> Mention
    objectMention: URIRef  # RelationAssertion -> Mention

    # Provenance: datatype properties
    surfaceText: URIRef  # Mention -> xsd:string
    startOffset: URIRef  # Mention or RelationAssertion -> xsd:integer
    endOffset: URIRef  # Mention or RelationAssertion -> xsd:integer (exclusive)
    sentence: URIRef  # Mention or RelationAssertion -> xsd:string
    extractedBy: URIRef  # Mention or RelationAssertion -> xsd:string (rule identifier)
    confidence: URIRef  # Mention or RelationAssertion -> xsd:decimal in [0, 1]
    sourceFile: URIRef  # Article -> xsd:string
    contentHash: URIRef  # Article -> xsd:string (SHA-256, lowercase hex)

    # Graph analysis
    degree: URIRef  # NamedEntity -> xsd:integer
    pageRank: URIRef  # NamedEntity -> xsd:decimal
    betweenness: URIRef  # NamedEntity -> xsd:decimal
    component: URIRef  # NamedEntity -> xsd:integer
    community: URIRef  # NamedEntity -> xsd:integer

    _NS = Namespace("https://w3id.org/kg-news/ontology#")


#: SHACL shapes of ``ontology/shapes.ttl``.
KGSH = Namespace("https://w3id.org/kg-news/shapes#")
#: Base of the IRIs minted for entities and articles.
KGID = Namespace("https://w3id.org/kg-news/id/")
SCHEMA = Namespace("https://schema.org/")
#: Wikidata items.
WD = Namespace("http://www.wikidata.org/entity/")
#: Wikidata direct ("truthy") properties.
WDT = Namespace("http://www.wikidata.org/prop/direct/")

#: Local names of the concrete entity classes.
ENTITY_CLASSES: tuple[str, ...] = (
    "Person",
    "Organization",
    "Place",
    "CreativeWork",
    "Film",
    "TVSeries",
    "Franchise",
)

#: Local names of the relations between entities, subject first.
RELATION_PROPERTIES: tuple[str, ...] = (
    "directed",
    "wrote",
    "produced",
    "actedIn",
    "distributedBy",
    "partOfFranchise",
    "sequelOf",
    "spinoffOf",
    "adaptedFrom",
    "employedBy",
    "founded",
    "collaboratedWith",
    "basedIn",
)
#: The relations that hold both ways (``owl:SymmetricProperty`` in ``ontology/kg.ttl``).
SYMMETRIC_PROPERTIES: frozenset[str] = frozenset({"collaboratedWith"})
