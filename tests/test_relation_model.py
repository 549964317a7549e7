"""The learned relation fallback: training, the bundled model, and its use by the pipeline."""

import json

import pytest

from kg import resources
from kg.cli import main
from kg.components.relation_model import RelationModel
from kg.namespaces import RELATION_PROPERTIES
from kg.nlp import load_pipeline
from kg.train import Example, fit

SENTENCE = "Zara Quill frobnicated “Glass Harbor” last spring."


def relations(text, model):
    """Relations of ``text`` with ``model`` in place of the bundled one."""
    nlp = load_pipeline("en")
    extractor = nlp.get_pipe("kg_relations")
    saved = extractor.model
    extractor.model = model
    try:
        doc = nlp(text)
    finally:
        extractor.model = saved
    return {(prop, subj.text, obj.text, rule) for prop, subj, obj, _, _, rule, _ in doc._.kg_relations}


def test_model_relates_a_pair_no_rule_relates():
    assert not relations(SENTENCE, None)  # an unknown verb: no rule, no path cue
    model = RelationModel({"actedIn": {"bias": -2.0, "onpath:frobnicated": 5.0}}, threshold=0.4)
    assert ("actedIn", "Zara Quill", "Glass Harbor", "model.actedIn") in relations(SENTENCE, model)
    below = RelationModel({"actedIn": {"bias": -2.0, "onpath:frobnicated": 1.0}}, threshold=0.4)
    assert not relations(SENTENCE, below)


def test_model_picks_one_antecedent_for_an_anaphor():
    text = ("“Glass Harbor” opens in May. “Salt Road” follows in June. "
            "It frobnicates Zara Quill and Milo Fenn.")
    model = RelationModel({"actedIn": {"bias": -2.0, "onpath:frobnicates": 5.0, "ante:rank:0": 1.0}})
    works = {obj for prop, _, obj, rule in relations(text, model) if rule == "model.actedIn"}
    assert works == {"Salt Road"}  # the latest work, once, though both reach the threshold


def test_a_trained_model_decides_the_pairs_of_the_path_cues():
    text = "“Harbor Lights”, in which Dana Whitfield starred alongside Tom Reyes, ran for six seasons."
    assert ("actedIn", "Dana Whitfield", "Harbor Lights", "path.actedIn") in relations(text, None)
    against = RelationModel({"actedIn": {"bias": -5.0}}, threshold=0.4)
    assert not relations(text, against)  # no path relation behind the model's back
    cue = RelationModel({"actedIn": {"bias": -2.0, "cue:actedIn:onpath": 4.0}}, threshold=0.4)
    assert ("actedIn", "Dana Whitfield", "Harbor Lights", "model.actedIn") in relations(text, cue)


def test_an_unnamed_work_is_read_with_the_words_of_the_clause():
    text = "“Glass Harbor” opens in May. Zara Quill and Milo Fenn are also set to return."
    model = RelationModel({"actedIn": {"bias": -2.0, "salient:clause:return": 4.0}}, threshold=0.4)
    found = {(subj, obj) for prop, subj, obj, rule in relations(text, model) if rule == "model.actedIn"}
    assert found == {("Zara Quill", "Glass Harbor"), ("Milo Fenn", "Glass Harbor")}
    assert not relations(text.replace("return", "travel"), model)


def test_the_model_knows_what_the_rules_found_about_a_name_elsewhere():
    model = RelationModel({"actedIn": {"bias": -2.0, "onpath:frobnicated": 5.0,
                                       "known:subject:subject:directed": -6.0}}, threshold=0.4)
    alone = "Zara Quill frobnicated “Salt Road” last spring."
    assert ("actedIn", "Zara Quill", "Salt Road", "model.actedIn") in relations(alone, model)
    director = "“Glass Harbor” was directed by Zara Quill. " + alone  # a director, seldom cast
    found = relations(director, model)
    assert ("directed", "Zara Quill", "Glass Harbor") in {r[:3] for r in found}
    assert not any(r[0] == "actedIn" for r in found)


def example(prop, features, label, doc):
    return Example(prop, ["bias", *features], label, doc)


def test_fit_learns_a_cue_seen_in_several_articles_and_drops_one_article_words():
    examples = []
    for n in range(6):
        examples += [example("directed", ["onpath:helmed"], 1, f"a{n}"),
                     example("directed", ["onpath:met"], 0, f"a{n}"),
                     example("directed", ["onpath:zorblat"], 1, "only-one")]
    model = fit(examples, min_count=2, min_docs=3)
    assert model.probability("directed", ["bias", "onpath:helmed"]) > 0.7
    assert model.probability("directed", ["bias", "onpath:met"]) < model.threshold
    assert "onpath:zorblat" not in model.weights["directed"]


def test_bundled_model_names_ontology_properties_and_no_seed_words():
    from tests.test_architecture import SEED_NAMES
    import re

    path = resources.PACKAGE_DIR / "data" / "relation_model.json"
    model = RelationModel.load(path)
    assert model.weights and set(model.weights) <= set(RELATION_PROPERTIES)
    assert 0.0 < model.threshold < 1.0
    assert not re.findall(SEED_NAMES.pattern, path.read_text(encoding="utf-8"), re.IGNORECASE)


def write_article(folder, name, text, entities, relations_):
    (folder / name).write_text(text, encoding="utf-8")
    gold = {"doc": name, "lang": "en", "entities": entities, "relations": relations_}
    (folder / name.replace(".txt", ".gold.json")).write_text(json.dumps(gold), encoding="utf-8")


def test_train_relations_command_writes_a_model(tmp_path, capsys):
    cast = ["Zara Quill", "Milo Fenn", "Ada Brook"]
    for n in range(3):
        text = f"{cast[n]} stars in “Glass Harbor {n}”. {cast[n - 1]} met reporters on Monday."
        write_article(tmp_path, f"a{n}.txt", text,
                      [{"label": p, "type": "Person", "aliases": []} for p in cast]
                      + [{"label": f"Glass Harbor {n}", "type": "Film", "aliases": []}],
                      [{"subject": cast[n], "predicate": "actedIn", "object": f"Glass Harbor {n}",
                        "evidence": f"{cast[n]} stars in “Glass Harbor {n}”"}])
    out = tmp_path / "model.json"
    assert main(["train-relations", str(tmp_path), "--out", str(out)]) == 0
    model = RelationModel.load(out)
    assert model.meta["examples"]["actedIn"][0] == 3
    assert "trained on 3 articles" in capsys.readouterr().out


@pytest.mark.parametrize("args, message", [
    (["--threshold", "1.5"], "--threshold must lie between 0 and 1"),
    (["--docs", "nowhere"], "not found"),
])
def test_train_relations_bad_input_is_one_line_error(tmp_path, capsys, args, message):
    gold = {"doc": "missing.txt", "lang": "en", "entities": [], "relations": []}
    (tmp_path / "missing.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    out = tmp_path / "model.json"
    assert main(["train-relations", str(tmp_path), "--out", str(out), *args]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and not out.exists()
