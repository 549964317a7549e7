"""The data files: every rule is valid and names an ontology property with a compatible domain and range."""

import json

import pytest
import spacy
from spacy.matcher import Matcher

from kg import resources
from kg.namespaces import ENTITY_CLASSES, RELATION_PROPERTIES

RULES = resources.patterns("relations")
GROUPS = resources.data("anaphora")["groups"]


def _class_ok(cls: str, expected: str) -> bool:
    _, supers = resources.ontology_signatures()
    return cls == expected or expected in supers.get(cls, ())


def test_rule_ids_are_unique():
    ids = [r["id"] for r in RULES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("rule", RULES, ids=[r["id"] for r in RULES])
def test_rule_names_property_with_compatible_slots(rule):
    signatures, _ = resources.ontology_signatures()
    assert rule["property"] in RELATION_PROPERTIES
    domain, range_ = signatures[rule["property"]]
    slots = {item["slot"]: item["is"] for item in rule["pattern"] if "slot" in item}
    implicit = {"subject": rule.get("subject") in ("clause", "salient"), "object": rule.get("object") == "salient"}
    assert set(slots) == {name for name, given in implicit.items() if not given}, "each argument once"
    if not implicit["subject"]:
        assert all(_class_ok(c, domain) for c in GROUPS[slots["subject"]]), (slots["subject"], domain)
    if not implicit["object"]:
        assert all(_class_ok(c, range_) for c in GROUPS[slots["object"]]), (slots["object"], range_)
    else:  # the work in focus: a film or series
        assert _class_ok("Film", range_) and _class_ok("TVSeries", range_)
    assert 0 < rule["confidence"] <= 1
    assert rule.get("lang", "en") in ("en", "fr")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_rules_compile_into_a_validating_matcher(lang):
    from kg.nlp import load_pipeline

    nlp = load_pipeline(lang)
    extractor = nlp.get_pipe("kg_relations")
    assert len(extractor.rules) == len([r for r in RULES if r.get("lang", lang) == lang])
    # Matcher(validate=True) raised on any malformed pattern while building the pipeline
    assert isinstance(extractor.matcher, Matcher)


def test_every_group_holds_ontology_classes():
    for group, classes in GROUPS.items():
        assert set(classes) <= set(ENTITY_CLASSES), group


def test_entity_ruler_patterns_are_ontology_classes():
    patterns = resources.patterns("entities")
    assert patterns
    for p in patterns:
        assert p["label"] in ENTITY_CLASSES
        if isinstance(p["pattern"], str):  # a name from a domain list
            assert p["pattern"].strip() == p["pattern"]
        else:  # a token pattern (e.g. "<Title Case words> Productions")
            assert isinstance(p["pattern"], list) and all(isinstance(t, dict) for t in p["pattern"])
        assert p["id"]


def test_ner_label_map_targets_ontology_classes():
    labels = resources.data("ner_labels")
    for lang in ("en", "fr"):
        model_labels = set(spacy.load(__import__("kg.nlp", fromlist=["model_name"]).model_name(lang)).get_pipe("ner").labels)
        assert set(labels[lang]) <= model_labels | {"MISC"}, lang
        for cls in labels[lang].values():
            assert cls is None or cls in ENTITY_CLASSES


def test_title_cue_classes_are_work_classes():
    titles = resources.data("titles")
    for lang, cues in titles["cues_after"].items():
        assert set(cues.values()) <= {"CreativeWork", "Film", "TVSeries", "Franchise"}, lang
    for lang, cues in titles["cues_before"].items():  # "the production company X" names a company
        assert set(cues.values()) <= {"CreativeWork", "Film", "TVSeries", "Franchise", "Organization", "Book"}, lang


def test_data_files_are_json():
    for path in (resources.PACKAGE_DIR / "data").glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))


def test_every_long_skip_rule_has_key_words_to_gate_it():
    from kg.components.relations import LONG_SKIP, key_words

    for rule in RULES:
        if any(spec.get("skip", 0) >= LONG_SKIP for spec in rule["pattern"]):
            sets = key_words(rule)
            assert sets and all(any(ch.isalpha() for w in words for ch in w) for words in sets), rule["id"]


def test_long_skips_do_not_expand_into_optional_tokens():
    """spaCy expands ``{0,N}`` into N optional tokens, whose combinations grow exponentially:
    a skip of 25 took a second per French article. Skips compile to ``*``, bounded after."""
    from kg.components.relations import LONG_SKIP, RelationExtractor
    from kg.nlp import load_pipeline

    extractor = load_pipeline("fr").get_pipe("kg_relations")
    assert isinstance(extractor, RelationExtractor)
    for rule_id, rule in extractor.rules.items():
        pattern, _ = extractor.compile(rule)
        bounds = [int(t["OP"].strip("{}").split(",")[-1]) for t in pattern if str(t.get("OP", "")).startswith("{")]
        assert all(b <= LONG_SKIP for b in bounds), rule_id
        if any("skip" in spec for spec in rule["pattern"]):
            assert rule["max_len"] is not None or any(spec.get("OP") in ("*", "+") or "list_tail" in spec
                                                      for spec in rule["pattern"]), rule_id


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_path_cues_name_properties_with_compatible_argument_groups(lang):
    signatures, _ = resources.ontology_signatures()
    cues = resources.data("path_cues")
    assert cues[lang] and 0 < cues["confidence"] <= 1 and cues["max_between"] >= 1
    for prop, rule in cues[lang].items():
        assert prop in RELATION_PROPERTIES
        domain, range_ = signatures[prop]
        assert all(_class_ok(c, domain) for c in GROUPS[rule["subject"]]), (prop, rule["subject"])
        assert all(_class_ok(c, range_) for c in GROUPS[rule["object"]]), (prop, rule["object"])
        words = rule["nouns"] + rule["verbs"]
        assert words and all(w == w.lower().strip() and " " not in w for w in words), prop
        if rule["subject"] == rule["object"] or set(GROUPS[rule["subject"]]) & set(GROUPS[rule["object"]]):
            assert rule.get("object_under_cue") or rule.get("symmetric"), f"{prop}: two arguments of one class need a direction"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_role_cues_name_properties_a_person_holds_on_a_screen_work(lang):
    signatures, _ = resources.ontology_signatures()
    cues = resources.data("role_cues")
    assert cues[lang] and 0 < cues["confidence"] <= 1 and cues["co_credits"]
    for prop, cue in cues[lang].items():
        assert prop in RELATION_PROPERTIES
        domain, range_ = signatures[prop]
        assert _class_ok("Person", domain) and all(_class_ok(c, range_) for c in GROUPS["Screen"]), prop
        words = cue["active"] + cue["passive"] + cue.get("objects", []) + cue.get("nouns", [])
        assert words and all(w == w.lower().strip() and " " not in w for w in words), prop
        assert all(len(phrase.split()) >= 2 for phrase in cue["phrases"]), prop


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_rules_gated_by_key_words_match_as_one_matcher_over_the_doc(lang):
    """Running each rule only on the sentences holding its key words loses no match."""
    from pathlib import Path

    from kg.components.relations import SentenceIndex
    from kg.corpus import collect_paths, mask_boilerplate, read_document
    from kg.nlp import load_pipeline

    nlp = load_pipeline(lang)
    extractor = nlp.get_pipe("kg_relations")
    every_rule = Matcher(nlp.vocab)
    for rule_id, rule in extractor.rules.items():
        every_rule.add(rule_id, [extractor.compile(rule)[0]])
    documents = [read_document(p) for p in collect_paths([Path(__file__).parent.parent / "seeds"])]
    texts = [mask_boilerplate(d.text)[0] for d in documents if d.lang == lang]
    assert texts
    with nlp.select_pipes(disable=["kg_relations"]):
        docs = list(nlp.pipe(texts))
    for doc in docs:
        codes, sents = extractor.mark(doc), SentenceIndex(doc)
        gated = {(m, s, e) for m, s, e, _ in extractor.match(doc, codes, sents)}
        for i, code in codes.items():
            doc[i].norm_ = code
        whole = {(m, s, e) for m, s, e in every_rule(doc) if sents.index[s] == sents.index[e - 1]}
        assert gated == whole and gated
