"""Tests for kg.evaluate, on small hand-made datasets."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from kg.errors import GraphNotFoundError
from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from kg.evaluate import (
    KG,
    EvaluationError,
    GoldSet,
    check_merges,
    evaluate,
    format_table,
    load_dataset,
    load_gold,
    normalize_name,
)

ROOT = Path(__file__).resolve().parent.parent
E = Namespace("https://example.org/entity/")
A = Namespace("https://example.org/article/")


def _relation(subject, predicate, obj, optional=False):
    item = {"subject": subject, "predicate": predicate, "object": obj, "evidence": "..."}
    return {**item, "optional": True} if optional else item


GOLD_A = {
    "doc": "001_a.txt",
    "lang": "fr",
    "entities": [
        {"label": "Robert Rodriguez", "type": "Person", "aliases": ["Rodríguez"]},
        {"label": "We Can Be Heroes", "type": "Film", "aliases": ["Nous pouvons être des héros"]},
        {"label": "Netflix", "type": "Organization", "aliases": []},
        {"label": "Star Wars", "type": "Franchise", "aliases": [], "optional": True},
        {"label": "Spy Kids", "type": "Film", "aliases": [], "alt_types": ["Franchise"]},
    ],
    "relations": [
        _relation("Robert Rodriguez", "directed", "We Can Be Heroes"),
        _relation("Nous pouvons être des héros", "distributedBy", "Netflix"),
        _relation("Spy Kids", "partOfFranchise", "Star Wars", optional=True),
    ],
}
GOLD_B = {
    "doc": "002_b.txt",
    "lang": "en",
    "entities": [
        {"label": "Robert Rodriguez", "type": "Person", "aliases": ["Rodriguez"]},
        {"label": "Jon Favreau", "type": "Person", "aliases": []},
        {"label": "The Mandalorian", "type": "TVSeries", "aliases": ["Mandalorian"]},
    ],
    "relations": [
        _relation("Robert Rodriguez", "collaboratedWith", "Jon Favreau"),
        _relation("Robert Rodriguez", "directed", "The Mandalorian"),
    ],
}
MERGES = [
    {"label": "Robert Rodriguez", "aliases": ["Rodríguez"]},
    {"label": "Netflix", "aliases": []},
]

#: key -> (class, rdfs:label, skos:altLabels)
ENTITIES = {
    "rr": ("Person", "Robert Rodriguez", ["Rodriguez"]),
    "heroes": ("Film", "We Can Be Heroes", []),
    "netflix": ("Organization", "Netflix", []),
    "spykids": ("Film", "Spy Kids", []),
    "favreau": ("Person", "Jon Favreau", []),
    "mando": ("TVSeries", "The Mandalorian", []),
}
#: source file -> (mentioned entity keys, asserted relations)
ARTICLES = {
    "seeds/001_a.txt": (
        ["rr", "heroes", "netflix", "spykids"],
        [("rr", "directed", "heroes"), ("heroes", "distributedBy", "netflix")],
    ),
    "seeds/002_b.txt": (
        ["rr", "favreau", "mando"],
        [("rr", "collaboratedWith", "favreau"), ("rr", "directed", "mando")],
    ),
}


def make_dataset(entities=ENTITIES, articles=ARTICLES) -> Dataset:
    """Entities in the default graph, one named graph per article, as the builder writes them."""
    ds = Dataset()
    default = ds.default_graph
    for key, (cls, label, alt_labels) in entities.items():
        default.add((E[key], RDF.type, KG[cls]))
        default.add((E[key], RDFS.label, Literal(label)))
        for alt in alt_labels:
            default.add((E[key], SKOS.altLabel, Literal(alt)))
    for number, (source, (mentioned, relations)) in enumerate(articles.items()):
        article = A[f"a{number}"]
        graph = ds.graph(URIRef(f"{article}/graph"))
        graph.add((article, RDF.type, KG.Article))
        graph.add((article, KG.sourceFile, Literal(source)))
        graph.add((article, DCTERMS.title, Literal(source)))
        graph.add((article, DCTERMS.language, Literal("fr")))
        for index, key in enumerate(mentioned):
            mention = URIRef(f"{article}/m{index}")
            graph.add((mention, RDF.type, KG.Mention))
            graph.add((mention, KG.refersTo, E[key]))
            graph.add((mention, KG.inArticle, article))
            graph.add((mention, KG.surfaceText, Literal(entities[key][1])))
        for index, (s, prop, o) in enumerate(relations):
            assertion = URIRef(f"{article}/r{index}")
            graph.add((assertion, RDF.type, KG.RelationAssertion))
            graph.add((assertion, RDF.subject, E[s]))
            graph.add((assertion, RDF.predicate, KG[prop]))
            graph.add((assertion, RDF.object, E[o]))
            graph.add((assertion, KG.inArticle, article))
            graph.add((assertion, KG.sentence, Literal("...")))
            graph.add((assertion, KG.confidence, Literal(0.9)))
    return ds


def variant(entities=None, a=None, b=None):
    """Copies of ENTITIES and ARTICLES with some parts replaced."""
    articles = copy.deepcopy(ARTICLES)
    if a is not None:
        articles["seeds/001_a.txt"] = a
    if b is not None:
        articles["seeds/002_b.txt"] = b
    return {**ENTITIES, **(entities or {})}, articles


def score(entities=ENTITIES, articles=ARTICLES, gold=(GOLD_A, GOLD_B)) -> dict:
    """Per-document results keyed by doc name."""
    result = evaluate(make_dataset(entities, articles), GoldSet(documents=list(gold)))
    return {doc["doc"]: doc for doc in result["documents"]}


A_MENTIONS, A_RELATIONS = ARTICLES["seeds/001_a.txt"]
PERFECT = {"precision": 1.0, "recall": 1.0, "f1": 1.0}


# ----------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Robert Rodríguez", "robert rodriguez"),
        ("‘Star Wars: Le livre de Boba Fett’", "star wars le livre de boba fett"),
        ("«Nous pouvons être des héros»", "nous pouvons etre des heros"),
        ("“Spider-Man”", "spider man"),
        ("L'Été  meurtrier", "l ete meurtrier"),
        ("Œuvre ﬁnale", "œuvre finale"),
        ("Disney+", "disney plus"),  # another company than Disney
    ],
)
def test_normalize_name(text, expected):
    assert normalize_name(text) == expected


# ----------------------------------------------------------------------- scoring


def test_perfect_match():
    result = evaluate(make_dataset(), GoldSet(documents=[GOLD_B, GOLD_A]))
    assert [d["doc"] for d in result["documents"]] == ["001_a.txt", "002_b.txt"]
    doc = result["documents"][0]
    assert doc["lang"] == "fr"
    assert doc["entities"] == {"tp": 4, "fp": 0, "fn": 0, **PERFECT, "matched": 4}
    assert doc["types"] == {"correct": 4, "total": 4, "accuracy": 1.0}
    assert doc["duplicates"] == {"count": 0, "items": []}
    assert doc["relations"] == {"tp": 2, "fp": 0, "fn": 0, **PERFECT}
    for key in ("missed_entities", "spurious_entities", "missed_relations", "spurious_relations"):
        assert doc[key] == []
    overall = result["overall"]
    assert overall["entities"] == {"tp": 7, "fp": 0, "fn": 0, **PERFECT, "matched": 7}
    assert overall["types"]["accuracy"] == 1.0
    assert overall["relations"] == {"tp": 4, "fp": 0, "fn": 0, **PERFECT}
    assert result["merges"] is None


def test_missing_entity_lowers_recall():
    doc = score(*variant(a=(["rr", "heroes", "netflix"], A_RELATIONS)))["001_a.txt"]
    assert doc["entities"] == {
        "tp": 3, "fp": 0, "fn": 1, "precision": 1.0, "recall": 0.75, "f1": 0.8571, "matched": 3
    }  # fmt: skip
    assert doc["missed_entities"] == ["Spy Kids"]


def test_spurious_node_lowers_precision():
    entities, articles = variant(
        entities={"ted": ("Person", "Ted Sarandos", [])},
        a=([*A_MENTIONS, "ted"], [*A_RELATIONS, ("ted", "employedBy", "netflix")]),
    )
    doc = score(entities, articles)["001_a.txt"]
    assert doc["entities"]["fp"] == 1
    assert doc["entities"]["precision"] == 0.8
    assert doc["entities"]["recall"] == 1.0
    assert doc["spurious_entities"] == ["Ted Sarandos (Person)"]
    assert doc["relations"] == {
        "tp": 2, "fp": 1, "fn": 0, "precision": 0.6667, "recall": 1.0, "f1": 0.8
    }  # fmt: skip
    assert doc["spurious_relations"] == ["Ted Sarandos -employedBy-> Netflix"]


def test_wrong_and_missed_relations():
    relations = [("rr", "produced", "heroes"), ("heroes", "distributedBy", "netflix")]
    doc = score(*variant(a=(A_MENTIONS, relations)))["001_a.txt"]
    assert doc["relations"] == {
        "tp": 1, "fp": 1, "fn": 1, "precision": 0.5, "recall": 0.5, "f1": 0.5
    }  # fmt: skip
    assert doc["missed_relations"] == ["Robert Rodriguez -directed-> We Can Be Heroes"]
    assert doc["spurious_relations"] == ["Robert Rodriguez -produced-> We Can Be Heroes"]


def test_matching_ignores_accents_case_and_punctuation_via_aliases():
    entities, articles = variant(
        entities={
            "rr": ("Person", "RODRÍGUEZ", []),  # only the alias "Rodríguez" matches
            "heroes": ("Film", "Heroes (film)", ["«Nous pouvons-être des héros!»"]),
            "netflix": ("Organization", "netflix.", []),
        }
    )
    doc = score(entities, articles)["001_a.txt"]
    assert doc["entities"]["f1"] == 1.0
    assert doc["relations"]["f1"] == 1.0


def test_type_accuracy_accepts_alt_types():
    entities, articles = variant(
        entities={
            "spykids": ("Franchise", "Spy Kids", []),  # an accepted alt_type
            "netflix": ("Person", "Netflix", []),  # wrong
        }
    )
    doc = score(entities, articles)["001_a.txt"]
    assert doc["types"] == {"correct": 3, "total": 4, "accuracy": 0.75}
    assert doc["entities"]["f1"] == 1.0


def test_duplicates_are_counted_not_penalised_as_spurious():
    entities, articles = variant(
        entities={
            "rr2": ("Person", "Rodríguez", []),
            "sw1": ("Franchise", "Star Wars", []),
            "sw2": ("Franchise", "star-wars", []),
        },
        a=(
            [*A_MENTIONS, "rr2", "sw1", "sw2"],
            [*A_RELATIONS, ("rr2", "directed", "heroes")],
        ),
    )
    doc = score(entities, articles)["001_a.txt"]
    assert doc["duplicates"] == {
        "count": 2,
        "items": [
            {"label": "Robert Rodriguez", "nodes": [str(E.rr), str(E.rr2)]},
            {"label": "Star Wars", "nodes": [str(E.sw1), str(E.sw2)]},
        ],
    }
    assert doc["entities"] == {"tp": 4, "fp": 0, "fn": 0, **PERFECT, "matched": 5}
    assert doc["relations"] == {"tp": 2, "fp": 0, "fn": 0, **PERFECT}


def test_optional_items_are_neither_hits_nor_errors():
    entities, articles = variant(
        entities={"sw": ("Franchise", "Star Wars", [])},
        a=([*A_MENTIONS, "sw"], [*A_RELATIONS, ("spykids", "partOfFranchise", "sw")]),
    )
    with_optional = score(entities, articles)["001_a.txt"]
    without = score()["001_a.txt"]  # neither node nor relation: nothing missed
    for doc in (with_optional, without):
        assert doc["entities"] == {"tp": 4, "fp": 0, "fn": 0, **PERFECT, "matched": 4}
        assert doc["relations"] == {"tp": 2, "fp": 0, "fn": 0, **PERFECT}


def test_a_node_is_assigned_to_the_first_required_entity():
    entities, articles = variant(
        entities={
            # "Star Wars" (optional) comes first in gold order, "Spy Kids" wins
            "spykids": ("Film", "Star Wars", ["Spy Kids"]),
            # one node for two required entities: only the first one is found
            "rr": ("Person", "Robert Rodriguez", ["Netflix"]),
        },
        a=(["rr", "heroes", "spykids"], [("rr", "directed", "heroes")]),
    )
    doc = score(entities, articles)["001_a.txt"]
    assert doc["missed_entities"] == ["Netflix"]
    assert doc["entities"]["tp"] == 3
    assert doc["missed_relations"] == ["We Can Be Heroes -distributedBy-> Netflix"]


@pytest.mark.parametrize(
    "relations",
    [
        [("favreau", "collaboratedWith", "rr")],
        [("rr", "collaboratedWith", "favreau"), ("favreau", "collaboratedWith", "rr")],
    ],
)
def test_collaborated_with_is_symmetric(relations):
    articles = variant(b=(["rr", "favreau", "mando"], [*relations, ("rr", "directed", "mando")]))
    doc = score(*articles)["002_b.txt"]
    assert doc["relations"] == {"tp": 2, "fp": 0, "fn": 0, **PERFECT}


def test_other_relations_are_directed():
    doc = score(*variant(b=(["rr", "mando"], [("mando", "directed", "rr")])))["002_b.txt"]
    assert doc["relations"]["tp"] == 0
    assert doc["spurious_relations"] == ["The Mandalorian -directed-> Robert Rodriguez"]


def test_scores_are_restricted_to_the_document_article():
    # Netflix and the distributedBy relation appear only in article B
    entities, articles = variant(
        a=(["rr", "heroes", "spykids"], [("rr", "directed", "heroes")]),
        b=(
            ["rr", "favreau", "mando", "netflix"],
            [*ARTICLES["seeds/002_b.txt"][1], ("heroes", "distributedBy", "netflix")],
        ),
    )
    docs = score(entities, articles)
    assert docs["001_a.txt"]["missed_entities"] == ["Netflix"]
    assert docs["001_a.txt"]["relations"]["fn"] == 1
    assert docs["002_b.txt"]["spurious_entities"] == ["Netflix (Organization)"]
    assert docs["002_b.txt"]["relations"]["fp"] == 1


def test_empty_document_scores_one_and_empty_prediction_zero():
    empty_gold = {"doc": "001_a.txt", "lang": "fr", "entities": [], "relations": []}
    doc = score(*variant(a=([], [])), gold=[empty_gold])["001_a.txt"]
    assert doc["entities"] == {"tp": 0, "fp": 0, "fn": 0, **PERFECT, "matched": 0}
    assert doc["types"]["accuracy"] == 1.0
    doc = score(*variant(a=([], [])), gold=[GOLD_A])["001_a.txt"]
    assert doc["entities"] == {
        "tp": 0, "fp": 0, "fn": 4, "precision": 0.0, "recall": 0.0, "f1": 0.0, "matched": 0
    }  # fmt: skip
    assert doc["types"]["accuracy"] == 0.0


def test_unknown_document_names_the_articles_present():
    gold = {**GOLD_A, "doc": "999_missing.txt"}
    with pytest.raises(EvaluationError, match=r"999_missing\.txt.*001_a\.txt, 002_b\.txt"):
        score(gold=[gold])


# ------------------------------------------------------------------------ merges


def test_check_merges_ok():
    result = check_merges(make_dataset(), MERGES)
    assert result["ok"] is True
    assert [(i["label"], i["count"]) for i in result["items"]] == [
        ("Robert Rodriguez", 1),
        ("Netflix", 1),
    ]
    assert result["failures"] == []


def test_check_merges_failing():
    entities = {k: v for k, v in ENTITIES.items() if k != "netflix"}
    entities["rr2"] = ("Person", "Robert Rodríguez", [])
    articles = {"seeds/001_a.txt": (["rr", "heroes"], []), "seeds/002_b.txt": (["rr2"], [])}
    result = check_merges(make_dataset(entities, articles), MERGES)
    assert result["ok"] is False
    assert [(f["label"], f["count"]) for f in result["failures"]] == [
        ("Robert Rodriguez", 2),
        ("Netflix", 0),
    ]
    assert result["failures"][0]["nodes"] == [str(E.rr), str(E.rr2)]


# ------------------------------------------------------------------------ report


def test_format_table():
    result = evaluate(make_dataset(), GoldSet(documents=[GOLD_A, GOLD_B], merges=MERGES))
    table = format_table(result)
    lines = table.splitlines()
    assert lines[0].split() == [
        "doc", "ent", "P", "ent", "R", "ent", "F1", "type", "acc", "dups", "rel", "P", "rel", "R",
        "rel", "F1",
    ]  # fmt: skip
    assert lines[2].startswith("001_a.txt") and lines[3].startswith("002_b.txt")
    assert lines[5].split() == ["overall", *["1.000"] * 4, "0", *["1.000"] * 3]
    assert lines[-1] == "merges: 2/2 single nodes"
    assert max(map(len, lines)) <= 100

    result["merges"] = check_merges(make_dataset(), [*MERGES, {"label": "Disney", "aliases": []}])
    assert format_table(result).endswith("merges: 2/3 single nodes; not single: Disney (0 nodes)")


# --------------------------------------------------------------------- gold files


def _write(tmp_path: Path, name: str, content) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def test_load_gold_separates_documents_and_merges(tmp_path):
    _write(tmp_path, "a.gold.json", GOLD_A)
    _write(tmp_path, "b.gold.json", GOLD_B)
    _write(tmp_path, "corpus.merge.json", {"merged": MERGES})
    gold = load_gold([tmp_path])
    assert [d["doc"] for d in gold.documents] == ["001_a.txt", "002_b.txt"]
    assert gold.merges == MERGES


def _broken(**changes):
    return {**copy.deepcopy(GOLD_A), **changes}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not a readable JSON file"),
        ([GOLD_A], "top level must be a JSON object"),
        ({k: v for k, v in GOLD_A.items() if k != "doc"}, 'missing or malformed "doc"'),
        ({k: v for k, v in GOLD_A.items() if k != "entities"}, 'missing or malformed "entities"'),
        ({k: v for k, v in GOLD_A.items() if k != "relations"}, 'missing or malformed "relations"'),
        (_broken(entities=[{"type": "Person"}]), "entity 1 has no label"),
        (_broken(entities=[{"label": "X"}]), r"entity 1 \(X\): type"),
        (_broken(entities=[{"label": "X", "type": "Human"}]), r"entity 1 \(X\): type"),
        (_broken(entities=[{"label": "X", "type": "Film", "alt_types": ["Show"]}]), "alt_types"),
        (_broken(entities=[{"label": "X", "type": "Film", "aliases": "Y"}]), "aliases"),
        (
            _broken(entities=[*GOLD_A["entities"], {"label": "Netflix!", "type": "Other"}]),
            "'netflix' belongs to both 'Netflix' and 'Netflix!'",
        ),
        (
            _broken(relations=[_relation("Robert Rodriguez", "directed", "Desperado")]),
            "relation 1: object 'Desperado' is not an entity label or alias",
        ),
        (
            _broken(relations=[_relation("Robert Rodriguez", "helmed", "We Can Be Heroes")]),
            "relation 1: unknown predicate 'helmed'",
        ),
        ({"merged": {"label": "X"}}, '"merged" must be a list'),
        ({"merged": [{"aliases": []}]}, "merged item 1 has no label"),
    ],
)
def test_load_gold_rejects_bad_files(tmp_path, content, message):
    path = _write(tmp_path, "bad.gold.json", content)
    with pytest.raises(EvaluationError, match=message) as error:
        load_gold([path])
    assert str(error.value).startswith(str(path))


def test_load_gold_rejects_two_files_for_one_document(tmp_path):
    paths = [_write(tmp_path, name, GOLD_A) for name in ("a.gold.json", "b.gold.json")]
    with pytest.raises(EvaluationError, match="second gold file for '001_a.txt'"):
        load_gold(paths)


def test_evaluate_validates_gold():
    gold = _broken(relations=[_relation("Nobody", "directed", "Netflix")])
    with pytest.raises(EvaluationError, match="subject 'Nobody'"):
        score(gold=[gold])


def test_real_gold_files_validate():
    gold_dir = ROOT / "tests" / "gold"
    gold = load_gold(sorted(gold_dir.glob("*.json")))
    assert len(gold.documents) == len(list(gold_dir.glob("*.gold.json"))) >= 2
    assert gold.merges and all(item["label"] for item in gold.merges)
    for doc in gold.documents:
        assert (ROOT / "seeds" / doc["doc"]).is_file(), doc["doc"]


# -------------------------------------------------------------------------- TriG


def test_trig_round_trip(tmp_path):
    dataset = make_dataset()
    (tmp_path / "graph.trig").write_text(dataset.serialize(format="trig"), encoding="utf-8")
    reloaded = load_dataset(tmp_path)
    # entities stay in the default graph, provenance in the per-article graphs
    assert (E.rr, RDFS.label, Literal("Robert Rodriguez")) in reloaded.default_graph
    article_graph = reloaded.graph(URIRef(f"{A.a0}/graph"))
    assert (A.a0, KG.sourceFile, Literal("seeds/001_a.txt")) in article_graph
    assert (E.rr, RDFS.label, None) not in article_graph
    gold = GoldSet(documents=[GOLD_A, GOLD_B], merges=MERGES)
    assert evaluate(reloaded, gold) == evaluate(dataset, gold)


def test_load_dataset_errors(tmp_path):
    with pytest.raises(GraphNotFoundError, match="run `kg build"):
        load_dataset(tmp_path)
    (tmp_path / "graph.trig").write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(GraphNotFoundError, match="not a readable TriG"):
        load_dataset(tmp_path)
