"""Score a built graph against hand-made gold files.

A gold file (``tests/gold/*.gold.json``) lists, for one article, the entities and
relations a perfect build would extract; a merge file (``corpus.merge.json``) lists
the entities that must end up as one node when several articles are built together.
Names are compared after :func:`normalize_name`, so accents, case and punctuation
never make a difference.  Items marked ``"optional": true`` are neither required
nor penalised.

Matching rules, per gold document:

* a node matches a gold entity when one of its ``rdfs:label``/``skos:altLabel``
  normalises equal to the entity's label or one of its aliases; a node is
  *assigned* to the first entity it matches (required entities before optional
  ones), and every count below uses that assignment;
* a relation is identified by its predicate and the gold labels of its two ends
  (unassigned ends keep their node), ``collaboratedWith`` in either direction.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import rdflib
from rdflib.namespace import RDF, RDFS, SKOS

from .errors import EvaluationError
from .namespaces import ENTITY_CLASSES as _CLASSES
from .namespaces import KG as _KG
from .namespaces import RELATION_PROPERTIES, SYMMETRIC_PROPERTIES
from .store import load_dataset  # noqa: F401  (re-exported for the CLI and notebooks)

KG = rdflib.Namespace(str(_KG._NS))  # open namespace: string prefix tests need a str

#: Types a gold entity may have.
GOLD_TYPES = frozenset("Person Organization Film TVSeries Franchise Place Other".split())
#: Classes of the entity nodes the builder writes.
ENTITY_CLASSES = list(_CLASSES)
#: Relation properties a gold relation may use.
PROPERTIES = frozenset(RELATION_PROPERTIES)


def normalize_name(text: str) -> str:
    """Reduce a name to the form used for matching.

    Accents, case, punctuation and symbols are dropped and whitespace collapsed.

    >>> normalize_name("Star Trek: Le livre de Spock")
    'star trek le livre de spock'
    >>> normalize_name("  «Les Quatre Cents Coups»")
    'les quatre cents coups'
    >>> normalize_name("L’Évadé d'Alcatraz") == normalize_name("l evade d alcatraz")
    True
    >>> normalize_name("Disney+") == normalize_name("Disney Plus") != normalize_name("Disney")
    True
    """
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    folded = re.sub(r"(?<=\w)\s?\+", " plus", folded)  # Disney+ and Disney are two companies
    spaced = "".join(" " if unicodedata.category(c)[0] in "PS" else c for c in folded)
    return " ".join(spaced.split())


# --------------------------------------------------------------------------- gold


@dataclass
class GoldSet:
    """Validated gold data: one dict per gold document, and the merged entities."""

    documents: list[dict] = field(default_factory=list)
    merges: list[dict] = field(default_factory=list)  #: items of every ``"merged"`` list


@dataclass
class _Gold:
    """A gold document indexed for matching."""

    data: dict
    rank: list[tuple[bool, int]]  #: sort key of each entity for assignment: required first
    names: dict[str, int]  #: normalised name -> entity index
    relations: dict[tuple[str, str, str], bool]  #: relation key -> optional

    def assign(self, names: Iterable[str]) -> int | None:
        """Index of the entity a node with these normalised names is assigned to."""
        hits = {self.names[n] for n in names if n in self.names}
        return min(hits, key=self.rank.__getitem__, default=None)


def load_gold(paths: Iterable[str | Path]) -> GoldSet:
    """Read and validate gold files; a directory stands for the ``*.json`` files in it."""
    gold = GoldSet()
    seen: set[str] = set()
    for path in _expand(paths):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise EvaluationError(f"{path}: not a readable JSON file: {exc}") from exc
        if isinstance(data, dict) and "merged" in data:
            gold.merges.extend(_check_merge_file(data, str(path)))
            continue
        _compile(data, str(path))
        if data["doc"] in seen:
            raise EvaluationError(f"{path}: a second gold file for {data['doc']!r}")
        seen.add(data["doc"])
        gold.documents.append(data)
    return gold


def _expand(paths: Iterable[str | Path]) -> list[Path]:
    files: list[Path] = []
    for path in map(Path, paths):
        files.extend(sorted(path.glob("*.json")) if path.is_dir() else [path])
    return files


def _require(condition: bool, source: str, message: str) -> None:
    if not condition:
        raise EvaluationError(f"{source}: {message}")


def _is_str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _check_named(item: object, where: str, source: str) -> None:
    """Check the ``label`` and ``aliases`` shared by gold entities and merge items."""
    _require(isinstance(item, dict), source, f"{where} is not an object")
    label = item.get("label")
    _require(isinstance(label, str) and normalize_name(label), source, f"{where} has no label")
    aliases = item.get("aliases", [])
    _require(_is_str_list(aliases), source, f"{where} ({label}): aliases must be a list of strings")


def _check_merge_file(data: dict, source: str) -> list[dict]:
    items = data["merged"]
    _require(isinstance(items, list), source, '"merged" must be a list')
    for number, item in enumerate(items, 1):
        _check_named(item, f"merged item {number}", source)
    return items


def _compile(data: object, source: str) -> _Gold:
    """Validate one gold document and index it; raise :class:`EvaluationError` if invalid."""
    _require(isinstance(data, dict), source, "the top level must be a JSON object")
    for key, kind in (("doc", str), ("entities", list), ("relations", list)):
        _require(isinstance(data.get(key), kind), source, f'missing or malformed "{key}"')
    _require(isinstance(data.get("lang", ""), str), source, '"lang" must be a string')

    entities = data["entities"]
    names: dict[str, int] = {}
    for index, entity in enumerate(entities):
        where = f"entity {index + 1}"
        _check_named(entity, where, source)
        label = entity["label"]
        alt_types = entity.get("alt_types", [])
        types_ok = entity.get("type") in GOLD_TYPES and _is_str_list(alt_types)
        _require(types_ok and GOLD_TYPES.issuperset(alt_types), source,
                 f"{where} ({label}): type and alt_types must be among {sorted(GOLD_TYPES)}")
        for name in {normalize_name(n) for n in [label, *entity.get("aliases", [])]}:
            other = names.setdefault(name, index)
            _require(other == index, source,
                     f"name {name!r} belongs to both {entities[other]['label']!r} and {label!r}")
    rank = [(bool(entity.get("optional")), index) for index, entity in enumerate(entities)]

    relations: dict[tuple[str, str, str], bool] = {}
    for number, relation in enumerate(data["relations"], 1):
        where = f"relation {number}"
        _require(isinstance(relation, dict), source, f"{where} is not an object")
        prop = relation.get("predicate")
        known = isinstance(prop, str) and prop in PROPERTIES
        _require(known, source, f"{where}: unknown predicate {prop!r}")
        ends = []
        for role in ("subject", "object"):
            value = relation.get(role)
            index = names.get(normalize_name(value)) if isinstance(value, str) else None
            _require(index is not None, source,
                     f"{where}: {role} {value!r} is not an entity label or alias")
            ends.append(entities[index]["label"])
        key = _relation_key(ends[0], prop, ends[1])
        relations[key] = relations.get(key, True) and bool(relation.get("optional"))
    return _Gold(data, rank, names, relations)


def _relation_key(subject: str, prop: str, obj: str) -> tuple[str, str, str]:
    if prop in SYMMETRIC_PROPERTIES and obj < subject:
        subject, obj = obj, subject
    return subject, prop, obj


# -------------------------------------------------------------------------- graph


class _View:
    """The union of every graph of a dataset, with the lookups scoring needs."""

    def __init__(self, dataset: rdflib.Dataset):
        self.graph = rdflib.Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            self.graph.add((s, p, o))
        typed = {s for cls in ENTITY_CLASSES for s in self.graph.subjects(RDF.type, KG[cls])}
        self.entities = typed | set(self.graph.objects(None, KG.refersTo))
        self._names: dict[rdflib.term.Node, frozenset[str]] = {}

    def names(self, node) -> frozenset[str]:
        """Normalised ``rdfs:label`` and ``skos:altLabel`` values of a node."""
        if node not in self._names:
            objects = self.graph.objects
            labels = chain(objects(node, RDFS.label), objects(node, SKOS.altLabel))
            self._names[node] = frozenset(normalize_name(str(label)) for label in labels)
        return self._names[node]

    def label(self, node) -> str:
        """The node's ``rdfs:label``, or its IRI when it has none."""
        labels = (str(label) for label in self.graph.objects(node, RDFS.label))
        return min(labels, default=str(node))

    def types(self, node) -> list[str]:
        """Local names of the ontology classes of a node."""
        types = (str(t) for t in self.graph.objects(node, RDF.type))
        return sorted(t.removeprefix(str(KG)) for t in types if t.startswith(KG))

    def articles(self, doc: str) -> list:
        """Article nodes whose source file has ``doc`` as its base name."""
        found = [a for a, f in self.graph.subject_objects(KG.sourceFile) if _basename(f) == doc]
        if not found:
            present = sorted({_basename(f) for f in self.graph.objects(None, KG.sourceFile)})
            listed = ", ".join(present[:20]) or "none"
            if len(present) > 20:
                listed += f" and {len(present) - 20} more"
            raise EvaluationError(
                f"gold document {doc!r} matches no article; articles present: {listed}"
            )
        return found

    def mentioned(self, articles: list) -> set:
        """Entity nodes referred to by mentions in these articles."""
        return {
            entity
            for article in articles
            for mention in self.graph.subjects(KG.inArticle, article)
            for entity in self.graph.objects(mention, KG.refersTo)
        }

    def asserted(self, articles: list) -> set[tuple]:
        """Distinct (subject, property local name, object) asserted in these articles."""
        found = set()
        for article in articles:
            for node in self.graph.subjects(KG.inArticle, article):
                if (node, RDF.type, KG.RelationAssertion) not in self.graph:
                    continue
                terms = (RDF.subject, RDF.predicate, RDF.object)
                s, p, o = (self.graph.value(node, term) for term in terms)
                if None not in (s, p, o):
                    found.add((s, str(p).removeprefix(str(KG)), o))
        return found


def _basename(path: object) -> str:
    return str(path).replace("\\", "/").rsplit("/", 1)[-1]


# ------------------------------------------------------------------------ scoring


def _ratio(numerator: int, denominator: int, empty: bool) -> float:
    """``numerator / denominator``; 0/0 is 1.0 when there was nothing to find, else 0.0."""
    return numerator / denominator if denominator else float(empty)


def _prf(tp: int, fp: int, fn: int, matched: int | None = None) -> dict:
    """Counts with precision, recall and F1.

    ``matched`` counts the predictions that hit the gold (default ``tp``): several
    duplicate nodes may hit one gold entity.
    """
    matched = tp if matched is None else matched
    empty = matched + fp == 0 and tp + fn == 0
    precision = _ratio(matched, matched + fp, empty)
    recall = _ratio(tp, tp + fn, empty)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    scores = {"precision": precision, "recall": recall, "f1": f1}
    return {"tp": tp, "fp": fp, "fn": fn, **{k: round(v, 4) for k, v in scores.items()}}


def _types(correct: int, total: int, entities: dict) -> dict:
    """Type accuracy; 0/0 follows the entity scores (1.0 only when nothing was to be found)."""
    empty = entities["tp"] + entities["fn"] + entities["fp"] == 0
    return {"correct": correct, "total": total, "accuracy": round(_ratio(correct, total, empty), 4)}


def _score_document(view: _View, gold: _Gold) -> dict:
    articles = view.articles(gold.data["doc"])
    entities = gold.data["entities"]

    assigned: dict[int, list] = {}
    spurious = []
    for node in view.mentioned(articles):
        index = gold.assign(view.names(node))
        if index is None:
            spurious.append(node)
        else:
            assigned.setdefault(index, []).append(node)
    required = [i for i, e in enumerate(entities) if not e.get("optional")]
    found = [i for i in required if i in assigned]
    matched = sum(len(assigned[i]) for i in found)
    entity_scores = {
        **_prf(len(found), len(spurious), len(required) - len(found), matched),
        "matched": matched,
    }
    correct = sum(
        any(_type_ok(entities[i], view.types(node)) for node in assigned[i]) for i in found
    )
    duplicates = [
        {"label": entities[i]["label"], "nodes": sorted(map(str, assigned[i]))}
        for i in sorted(assigned, key=lambda i: entities[i]["label"])
        if len(assigned[i]) > 1
    ]

    def end(node) -> tuple[str, str]:
        """Relation-key part and display label of a relation end."""
        index = gold.assign(view.names(node))
        if index is None:
            return str(node), view.label(node)
        return entities[index]["label"], entities[index]["label"]

    predicted: dict[tuple[str, str, str], str] = {}
    asserted = sorted(view.asserted(articles), key=lambda t: (str(t[0]), t[1], str(t[2])))
    for s, prop, o in asserted:
        (s_key, s_label), (o_key, o_label) = end(s), end(o)
        predicted.setdefault(_relation_key(s_key, prop, o_key), f"{s_label} -{prop}-> {o_label}")
    hits = [k for k in predicted if k in gold.relations]
    tp = sum(not gold.relations[k] for k in hits)
    missed = [k for k, optional in gold.relations.items() if not optional and k not in predicted]

    return {
        "doc": gold.data["doc"],
        "lang": gold.data.get("lang"),
        "entities": entity_scores,
        "types": _types(correct, len(found), entity_scores),
        "duplicates": {"count": sum(len(d["nodes"]) - 1 for d in duplicates), "items": duplicates},
        "relations": _prf(tp, len(predicted) - len(hits), len(missed)),
        "missed_entities": sorted(entities[i]["label"] for i in required if i not in assigned),
        "spurious_entities": sorted(
            f"{view.label(n)} ({'/'.join(view.types(n)) or 'untyped'})" for n in spurious
        ),
        "missed_relations": sorted(f"{s} -{p}-> {o}" for s, p, o in missed),
        "spurious_relations": sorted(
            label for key, label in predicted.items() if key not in gold.relations
        ),
    }


def _overall(documents: list[dict]) -> dict:
    """Micro-averages: sum the counts of every document, then recompute the ratios."""

    def total(section: str, key: str) -> int:
        return sum(d[section][key] for d in documents)

    counts = {key: total("entities", key) for key in ("tp", "fp", "fn", "matched")}
    entities = {**_prf(**counts), "matched": counts["matched"]}
    return {
        "entities": entities,
        "types": _types(total("types", "correct"), total("types", "total"), entities),
        "duplicates": {"count": total("duplicates", "count")},
        "relations": _prf(*(total("relations", key) for key in ("tp", "fp", "fn"))),
    }


def _type_ok(entity: dict, types: list[str]) -> bool:
    """Whether a node's classes hold the gold type; "Other" is any class outside the six
    named types (a novel is a kg:CreativeWork)."""
    found = {t if t in GOLD_TYPES else "Other" for t in types}
    return bool({entity["type"], *entity.get("alt_types", [])} & found)


def check_merges(dataset: rdflib.Dataset, merge_spec: list[dict]) -> dict:
    """Count the entity nodes of the whole graph matching each merged item.

    ``merge_spec`` is ``GoldSet.merges``; ``ok`` is true when every item matches
    exactly one node, and ``failures`` lists the items that do not.
    """
    return _check_merges(_View(dataset), merge_spec)


def _check_merges(view: _View, merge_spec: list[dict]) -> dict:
    items = []
    for item in merge_spec:
        wanted = {normalize_name(n) for n in [item["label"], *item.get("aliases", [])]}
        nodes = sorted(str(n) for n in view.entities if view.names(n) & wanted)
        items.append({"label": item["label"], "count": len(nodes), "nodes": nodes})
    failures = [i for i in items if i["count"] != 1]
    return {
        "ok": not failures,
        "total": len(items),
        "single": len(items) - len(failures),
        "items": items,
        "failures": failures,
    }


def evaluate(dataset: rdflib.Dataset, gold: GoldSet) -> dict:
    """Score ``dataset`` against every gold document, and check the merges if any.

    ``entities`` carries an extra count, ``matched``: the predicted nodes assigned to a
    required gold entity (duplicates included), the numerator of entity precision.
    """
    view = _View(dataset)
    compiled = [_compile(doc, f"gold document {doc.get('doc')!r}") for doc in gold.documents]
    documents = sorted((_score_document(view, g) for g in compiled), key=lambda d: d["doc"])
    return {
        "documents": documents,
        "overall": _overall(documents),
        "merges": _check_merges(view, gold.merges) if gold.merges else None,
    }


# ------------------------------------------------------------------------- report

_COLUMNS = (
    ("ent P", "entities", "precision"),
    ("ent R", "entities", "recall"),
    ("ent F1", "entities", "f1"),
    ("type acc", "types", "accuracy"),
    ("dups", "duplicates", "count"),
    ("rel P", "relations", "precision"),
    ("rel R", "relations", "recall"),
    ("rel F1", "relations", "f1"),
)
_DOC_WIDTH = 32


def format_table(result: dict) -> str:
    """Render an :func:`evaluate` result as a plain-text table (fits 100 columns)."""
    rows = [(d["doc"], d) for d in result["documents"]] + [("overall", result["overall"])]
    width = min(_DOC_WIDTH, max(len(name) for name, _ in rows))

    def line(name: str, cells: list[str]) -> str:
        name = name if len(name) <= width else name[: width - 1] + "…"
        widths = (max(6, len(h)) for h, _, _ in _COLUMNS)
        return "  ".join([name.ljust(width), *(c.rjust(w) for c, w in zip(cells, widths))])

    def cell(value: float | int) -> str:
        return str(value) if isinstance(value, int) else f"{value:.3f}"

    header = line("doc", [h for h, _, _ in _COLUMNS])
    body = [line(name, [cell(scores[s][k]) for _, s, k in _COLUMNS]) for name, scores in rows]
    rule = "-" * len(header)
    return "\n".join([header, rule, *body[:-1], rule, body[-1], "", _merge_line(result["merges"])])


def _merge_line(merges: dict | None) -> str:
    if merges is None:
        return "merges: not checked (no merge file)"
    text = f"merges: {merges['single']}/{merges['total']} single nodes"
    if merges["failures"]:
        failed = (f"{f['label']} ({f['count']} nodes)" for f in merges["failures"])
        text += "; not single: " + ", ".join(failed)
    return text
