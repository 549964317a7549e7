"""Plain, immutable records passed between the stages of a build.

spaCy objects never leave the NLP stage and rdflib objects first appear in the RDF
stage; everything in between is one of these frozen dataclasses, so resolution and
RDF building can be tested with plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Document:
    """One article as read from disk."""

    doc_id: str  #: stable identifier: the file name without its extension
    path: str  #: source path as given (relative paths stay relative)
    text: str  #: full text, BOM removed, newlines normalised to ``\\n``
    lang: str  #: ``"en"`` or ``"fr"``
    title: str  #: the headline, or the file name when the article has none
    content_hash: str  #: SHA-256 of ``text``
    date: str | None = None  #: publication date when the article states one


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of an article that names an entity."""

    doc_id: str
    start: int  #: character offset into ``Document.text``
    end: int
    text: str  #: surface form, exactly ``Document.text[start:end]``
    cls: str  #: ontology class local name: Person, Organization, Film, ...
    sent_start: int  #: offsets of the sentence that contains the mention
    sent_end: int
    rule: str = "ner"  #: which rule proposed it
    confidence: float = 0.8


@dataclass(frozen=True, slots=True)
class RelationMention:
    """One statement of a relation in one sentence."""

    doc_id: str
    prop: str  #: ontology property local name, subject first: ``directed``, ...
    subject: Mention
    object: Mention
    sent_start: int
    sent_end: int
    rule: str  #: identifier of the rule in ``kg/patterns/relations.jsonl``
    confidence: float


@dataclass(frozen=True, slots=True)
class Extraction:
    """What the NLP stage found in one article."""

    document: Document
    mentions: tuple[Mention, ...] = ()
    relations: tuple[RelationMention, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Entity:
    """A real-world entity after resolution across mentions and articles."""

    key: str  #: stable key ``"<class>/<slug>"``; the entity IRI is minted from it
    cls: str
    label: str  #: canonical name
    alt_labels: tuple[str, ...] = ()  #: every other spelling seen, sorted
    mentions: tuple[Mention, ...] = field(default=(), repr=False)


@dataclass(frozen=True, slots=True)
class Relation:
    """A direct relation between two resolved entities, with its evidence."""

    subject: str  #: ``Entity.key``
    prop: str
    object: str  #: ``Entity.key``
    evidence: tuple[RelationMention, ...] = field(default=(), repr=False)


@dataclass(frozen=True, slots=True)
class Resolution:
    """Entities and relations of a corpus, and the entity each mention resolved to."""

    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...]
    mention_entity: dict = field(default_factory=dict, repr=False, hash=False, compare=False)
