"""Leave-one-set-out cross-validation of the relation model (``kg train-relations``).

For each fold (a dev set), the model is fitted on the gold of the other sets (the seeds
included) and the fold is built and scored with it, in memory: the shipped model
(``kg/data/relation_model.json``) is not touched.  Prints each fold's entity F1 and relation
precision, recall and F1, the micro average over the folds, and with ``--misses`` how the
missed gold relations split: an entity the builder missed, evidence naming only one end
(an anaphor, the work in focus), or both names in the evidence.  Run from the repository root:

    .venv/bin/python benchmarks/crossval.py
    .venv/bin/python benchmarks/crossval.py --folds devset6 --misses
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from kg.corpus import collect_paths, read_document
from kg.evaluate import evaluate, load_gold, normalize_name
from kg.extract import extract
from kg.nlp import load_pipeline
from kg.rdf import dataset_quads, to_dataset
from kg.resolve import resolve
from kg.train import collect_examples, fit

ROOT = Path(__file__).resolve().parent.parent
SETS = ("seeds", "devset", "devset2", "devset3", "devset4", "devset5", "devset6", "devset7", "devset8", "devset9",
        "devset10", "devset11", "devset12", "devset13", "devset14", "devset15", "devset16", "devset17")
FOLDS = ("devset4", "devset5", "devset6", "devset7", "devset8", "devset9", "devset10", "devset11", "devset12",
         "devset13", "devset14", "devset15", "devset16", "devset17")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Leave-one-set-out cross-validation of the relation model.")
    parser.add_argument("--sets", default=",".join(SETS),
                        help="comma-separated training sets: 'seeds' (tests/gold) or names under benchmarks/ "
                             f"(default: {','.join(SETS)})")
    parser.add_argument("--folds", default=",".join(FOLDS),
                        help=f"comma-separated sets to leave out in turn (default: {','.join(FOLDS)})")
    parser.add_argument("--threshold", type=float, default=0.4, help="decision threshold (default: 0.4)")
    parser.add_argument("--l2", type=float, default=1.0, help="L2 regularisation (default: 1.0)")
    parser.add_argument("--misses", action="store_true", help="also split the missed gold relations by cause")
    return parser.parse_args(argv)


def gold_and_docs(name: str) -> tuple[Path, Path]:
    """The gold folder of a set and the folder of its articles."""
    if name == "seeds":
        return ROOT / "tests" / "gold", ROOT / "seeds"
    return ROOT / "benchmarks" / name, ROOT / "benchmarks" / name


def miss_causes(report: dict, gold_dir: Path) -> Counter:
    """How the missed gold relations of a scored fold split by cause."""
    causes: Counter = Counter()
    for document in report["documents"]:
        gold = json.loads((gold_dir / document["doc"].replace(".txt", ".gold.json")).read_text(encoding="utf-8"))
        names = {e["label"]: [e["label"], *e.get("aliases", [])] for e in gold["entities"]}
        by_key = {}
        for rel in gold["relations"]:
            by_key[f"{rel['subject']} -{rel['predicate']}-> {rel['object']}"] = rel
            by_key[f"{rel['object']} -{rel['predicate']}-> {rel['subject']}"] = rel
        missed_entities = set(document["missed_entities"])
        for missed in document["missed_relations"]:
            rel = by_key[missed]
            evidence = normalize_name(rel["evidence"])
            named = [any(normalize_name(n) in evidence for n in names[end]) for end in (rel["subject"], rel["object"])]
            if {rel["subject"], rel["object"]} & missed_entities:
                causes["an entity missed"] += 1
            elif all(named):
                causes["both names in the evidence"] += 1
            else:
                causes["one end not named in the evidence"] += 1
    return causes


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sets, folds = args.sets.split(","), args.folds.split(",")
    examples = {}
    for name in dict.fromkeys(sets + folds):
        gold_dir, docs_dir = gold_and_docs(name)
        if not gold_dir.is_dir():
            print(f"crossval: no set {name!r} ({gold_dir} is not a folder)", file=sys.stderr)
            return 2
        examples[name] = collect_examples([gold_dir], [docs_dir])
    totals, causes = Counter(), Counter()
    for fold in folds:
        model = fit([e for name in sets if name != fold for e in examples[name]], l2=args.l2, threshold=args.threshold)
        for lang in ("en", "fr"):
            load_pipeline(lang).get_pipe("kg_relations").model = model
        gold_dir, docs_dir = gold_and_docs(fold)
        documents = [read_document(p) for p in collect_paths([docs_dir])]
        report = evaluate(to_dataset(dataset_quads(documents, resolve(extract(documents)))), load_gold([gold_dir]))
        overall = report["overall"]
        relations = overall["relations"]
        totals.update({k: relations[k] for k in ("tp", "fp", "fn")})
        print(f"{fold:<10} entity F1 {overall['entities']['f1']:.3f}   relations P {relations['precision']:.3f} "
              f"R {relations['recall']:.3f} F1 {relations['f1']:.3f}")
        if args.misses:
            causes += miss_causes(report, gold_dir)
    precision = totals["tp"] / max(totals["tp"] + totals["fp"], 1)
    recall = totals["tp"] / max(totals["tp"] + totals["fn"], 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    print(f"{'micro':<10} relations P {precision:.3f} R {recall:.3f} F1 {f1:.3f} "
          f"(trained on {', '.join(sets)} less each fold; threshold {args.threshold}, l2 {args.l2})")
    if args.misses:
        total = sum(causes.values())
        for cause, count in causes.most_common():
            print(f"  missed, {cause}: {count} ({count / max(total, 1):.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
