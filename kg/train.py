"""Train the relation model (:mod:`kg.components.relation_model`) on gold annotations.

Every candidate pair the relation component proposes in a gold article is a training
example: positive when the gold file holds its triple and the triple's evidence lies in
the pair's sentence, negative when the gold holds no such triple; a gold triple stated in
another sentence, or an optional one, is left out.  One L2-regularised logistic regression
per property is fitted with L-BFGS (scipy).  The library raises; ``kg train-relations``
turns errors into one-line messages.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.optimize import minimize

from . import resources
from .components.relation_model import RelationModel
from .corpus import mask_boilerplate, read_document
from .errors import EvaluationError
from .evaluate import load_gold, normalize_name
from .export import write_atomically
from .namespaces import SYMMETRIC_PROPERTIES
from .nlp import load_pipeline

log = logging.getLogger(__name__)
MODEL_PATH = resources.PACKAGE_DIR / "data" / "relation_model.json"  #: the model the builder uses


@dataclass
class Example:
    prop: str
    features: list[str]
    label: int
    doc: str


def article_path(gold_file_dir: Path, doc_name: str, doc_dirs: Iterable[Path]) -> Path:
    """The article a gold file annotates: beside the gold file, else in one of ``doc_dirs``."""
    for folder in (gold_file_dir, *doc_dirs):
        if (folder / doc_name).is_file():
            return folder / doc_name
    raise EvaluationError(f"article {doc_name!r} of the gold in {gold_file_dir} not found (use --docs)")


def examples_of(gold: dict, path: Path) -> list[Example]:
    """The labelled candidate pairs of one gold article."""
    document = read_document(path, gold.get("lang"))
    nlp = load_pipeline(document.lang)
    doc = nlp(mask_boilerplate(document.text)[0])
    names: dict[str, str] = {}
    for entity in gold["entities"]:
        for name in (entity["label"], *entity.get("aliases", [])):
            names.setdefault(normalize_name(name), entity["label"])
    evidence: dict[tuple, list[tuple[int, int]]] = {}
    optional: set[tuple] = set()
    for rel in gold["relations"]:
        triples = [(rel["subject"], rel["predicate"], rel["object"])]
        if rel["predicate"] in SYMMETRIC_PROPERTIES:
            triples.append((rel["object"], rel["predicate"], rel["subject"]))
        if rel.get("optional"):
            optional.update(triples)
            continue
        spans = []
        start = document.text.find(rel["evidence"])
        while start >= 0:
            spans.append((start, start + len(rel["evidence"])))
            start = document.text.find(rel["evidence"], start + 1)
        for triple in triples:
            evidence.setdefault(triple, []).extend(spans)
    examples = []
    for prop, subj, obj, sent, (base, extra), _ in nlp.get_pipe("kg_relations").candidates(doc):
        triple = (names.get(normalize_name(subj.text)), prop, names.get(normalize_name(obj.text)))
        if triple in optional:
            continue
        if triple in evidence:
            if not any(start < sent.end_char and sent.start_char < end for start, end in evidence[triple]):
                continue  # stated elsewhere: this sentence may or may not say it
            label = 1
        else:
            label = 0
        examples.append(Example(prop, [*base, *extra], label, str(path)))
    return examples


def collect_examples(gold_paths: Iterable[str | Path], doc_dirs: Iterable[Path] = (),
                     on_done: Callable[[str], None] | None = None) -> list[Example]:
    """The labelled examples of every gold article under ``gold_paths``."""
    examples = []
    doc_dirs = [Path(d) for d in doc_dirs]
    for gold_path in gold_paths:
        gold_path = Path(gold_path)
        for gold in load_gold([gold_path]).documents:
            folder = gold_path if gold_path.is_dir() else gold_path.parent
            examples += examples_of(gold, article_path(folder, gold["doc"], doc_dirs))
            if on_done is not None:
                on_done(gold["doc"])
    return examples


def fit(examples: list[Example], l2: float = 1.0, min_count: int = 3, min_docs: int = 3,
        threshold: float = 0.4, prune: float = 0.02) -> RelationModel:
    """One logistic regression per property over the examples' features.

    A feature is used when it occurs in ``min_count`` examples from ``min_docs`` articles
    at least: a word seen in fewer articles (a name the NER missed) is no general cue, and
    must not end up in the model.  Weights under ``prune`` are dropped.
    """
    weights: dict[str, dict[str, float]] = {}
    by_prop: dict[str, list[Example]] = {}
    for example in examples:
        by_prop.setdefault(example.prop, []).append(example)
    counts = {}
    for prop, items in sorted(by_prop.items()):
        positives = sum(e.label for e in items)
        counts[prop] = [positives, len(items) - positives]
        if positives < 3:
            continue  # too few to learn from
        frequency = Counter(f for e in items for f in set(e.features))
        documents: dict[str, set[str]] = {}
        for example in items:
            for feature in example.features:
                documents.setdefault(feature, set()).add(example.doc)
        vocabulary = sorted(f for f, n in frequency.items() if n >= min_count and len(documents[f]) >= min_docs)
        column = {f: n for n, f in enumerate(vocabulary)}
        rows, cols = [], []
        for row, example in enumerate(items):
            present = sorted({column[f] for f in example.features if f in column})
            rows += [row] * len(present)
            cols += present
        matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(items), len(vocabulary)))
        sign = np.array([1.0 if e.label else -1.0 for e in items])
        penalty = np.full(len(vocabulary), l2)
        penalty[column["bias"]] = 0.0

        def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
            margin = sign * (matrix @ w)
            value = np.logaddexp(0.0, -margin).sum() + 0.5 * (penalty * w * w).sum()
            gradient = matrix.T @ (-sign * 0.5 * (1.0 - np.tanh(margin / 2.0))) + penalty * w
            return value, gradient

        result = minimize(loss, np.zeros(len(vocabulary)), jac=True, method="L-BFGS-B",
                          options={"maxiter": 500})
        weights[prop] = {f: round(float(w), 4) for f, w in zip(vocabulary, result.x) if abs(w) >= prune}
    meta = {"examples": counts, "l2": l2, "min_count": min_count, "min_docs": min_docs, "prune": prune,
            "confidence_scale": 0.6}
    return RelationModel(weights, threshold, meta)


def train(gold_paths: Iterable[str | Path], out: Path = MODEL_PATH, doc_dirs: Iterable[Path] = (),
          on_done: Callable[[str], None] | None = None, **params) -> RelationModel:
    """Fit the relation model on the gold articles and write it to ``out`` atomically."""
    gold_paths = list(gold_paths)
    examples = collect_examples(gold_paths, doc_dirs, on_done)
    if not any(e.label for e in examples):
        raise EvaluationError("no gold relation found between the entities the pipeline recognises: nothing to learn")
    model = fit(examples, **params)
    model.meta["trained_on"] = sorted({Path(e.doc).parent.name for e in examples})
    write_atomically(Path(out), model.to_json().encode("utf-8") + b"\n")
    return model
