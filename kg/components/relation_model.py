"""A learned fallback for relations no rule found: a linear model over pair features.

For two arguments of one sentence (entities, or anaphors resolved to an entity) whose
classes fit a property's domain and range, :func:`pair_features` lists what a reader would
look at: the dependency path between them and the words on it, the words between them, each
one's syntactic role and head, their classes and order.  ``kg/data/relation_model.json``
holds one logistic-regression weight per feature and property, trained on hand-made gold
annotations by ``kg train-relations`` (:mod:`kg.train`); a pair is related when the
probability reaches the model's threshold.  The features name words and dependency labels,
never entities, so the model carries no names from the articles it was trained on.

>>> import spacy
>>> nlp = spacy.blank("en")
>>> doc = nlp("Ann directed Zed")
>>> doc.ents = [doc.char_span(0, 3, "Person"), doc.char_span(13, 16, "Film")]
>>> [f for f in pair_features(doc[0], doc[2], classes={0: "Person", 2: "Film"}) if f.startswith("betw")]
['between:directed', 'between_all:directed']
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Token

from .dependency_paths import ancestors, clause_root

MAX_PATH = 5  #: longer dependency paths give no lexical path feature
MAX_BETWEEN = 8  #: more words between the two give no bag-of-words feature


def _word(token: Token, classes: dict[int, str]) -> str:
    """A token as a feature word: entities and anaphors by class, numbers as '0'."""
    cls = classes.get(token.i)
    if cls:
        return f"<{cls}>"
    return "0" if token.like_num else token.lower_


def cue_features(tokens, cues: dict[str, set[str]], where: str) -> list[str]:
    """``cue:<property>:<where>`` for each cue word (``kg/data/path_cues.json``,
    ``role_cues.json``) among ``tokens``: what carries the rules' knowledge into the model."""
    return sorted({f"cue:{prop}:{where}" for t in tokens for prop in cues.get(t.lower_, ())})


def _length(token: Token) -> str:
    return str(min(len(token.text.split()), 3)) if token.ent_type_ else "anaphor"


def argument_classes(doc) -> dict[int, str]:
    """The class of each argument token of a Doc: entity type, else anaphor group."""
    return {t.i: t.ent_type_ or t._.kg_class for t in doc if t.ent_type_ or t._.kg_class.startswith("~")}


def pair_features(subj: Token, obj: Token, cues: dict[str, set[str]] | None = None,
                  classes: dict[int, str] | None = None) -> list[str]:
    """The features of a (subject, object) pair of tokens of one sentence; ``cues`` maps
    cue words to the properties they signal, ``classes`` argument tokens to their class
    (:func:`argument_classes`)."""
    cues = cues or {}
    classes = argument_classes(subj.doc) if classes is None else classes
    word = lambda t: _word(t, classes)  # noqa: E731
    feats = ["bias", f"class:{classes.get(subj.i, '')}>{classes.get(obj.i, '')}",
             f"words:{_length(subj)}>{_length(obj)}",
             f"order:{'so' if subj.i < obj.i else 'os'}",
             f"subj:{subj.dep_}:{word(subj.head)}", f"obj:{obj.dep_}:{word(obj.head)}",
             f"subjdep:{subj.dep_}", f"objdep:{obj.dep_}"]
    first, last = sorted((subj, obj), key=lambda t: t.i)
    doc = subj.doc
    if first.i > 0:
        feats.append(f"before:{word(doc[first.i - 1])}")
    if last.i + 1 < len(doc):
        feats.append(f"after:{word(doc[last.i + 1])}")
    between = doc[first.i + 1:last.i]
    if len(between) <= MAX_BETWEEN:
        feats += [f"between:{word(t)}" for t in between if not t.is_punct] or ["between:none"]
        feats += cue_features(between, cues, "between")
        feats.append("between_all:" + " ".join(word(t) for t in between))
    else:
        feats.append("between:far")
    feats.append(f"entities_between:{min(sum(1 for t in between if t.i in classes), 3)}")
    up_subj, up_obj = ancestors(subj), ancestors(obj)
    index_obj = {t.i: n for n, t in enumerate(up_obj)}
    top = next((n for n, t in enumerate(up_subj) if t.i in index_obj), None)
    if top is None:
        feats.append("path:none")
        return feats
    rising, falling = up_subj[:top], up_obj[:index_obj[up_subj[top].i]]
    head = up_subj[top]
    deps = "<".join(t.dep_ for t in rising) + "|" + ">".join(t.dep_ for t in reversed(falling))
    feats.append(f"pathdeps:{deps}")
    feats.append(f"top:{word(head)}")
    inner = rising[1:] + ([head] if head.i not in (subj.i, obj.i) else []) + falling[1:]
    feats += [f"onpath:{word(t)}" for t in inner]
    feats += cue_features(inner, cues, "onpath")
    if len(inner) <= MAX_PATH:
        feats.append(f"path:{deps}:{word(head)}")
    else:
        feats.append("path:long")
    return feats


def salient_features(token: Token, side: str, cues: dict[str, set[str]] | None = None,
                     classes: dict[int, str] | None = None) -> list[str]:
    """The features of a pair whose other argument is a work not named in the sentence:
    ``side`` says whether that work is the ``subject`` or the ``object``.  Beside the
    token's role and heads, the content words of its clause ("are also set to return")."""
    doc = token.doc
    classes = argument_classes(doc) if classes is None else classes
    word = lambda t: _word(t, classes)  # noqa: E731
    feats = ["bias", f"salient:{side}", f"salient:class:{classes.get(token.i, '')}", f"salient:words:{_length(token)}",
             f"salient:dep:{token.dep_}:{word(token.head)}", f"salient:dep:{token.dep_}",
             f"salient:root:{word(clause_root(token))}"]
    if token.i > 0:
        feats.append(f"salient:before:{word(doc[token.i - 1])}")
    if token.i + 1 < len(doc):
        feats.append(f"salient:after:{word(doc[token.i + 1])}")
    up = ancestors(token)[1:MAX_PATH + 1]
    feats += [f"salient:up:{word(t)}" for t in up]
    feats += cue_features(up, cues or {}, "salient_up")
    clause = [t for t in clause_root(token).subtree if t.is_alpha and not t.is_stop and t.i not in classes]
    feats += sorted({f"salient:clause:{t.lower_}" for t in clause})
    feats += cue_features(clause, cues or {}, "salient_clause")
    sent = token.sent
    if any(i for i, cls in classes.items() if sent.start <= i < sent.end and cls.startswith("~")):
        feats.append("salient:anaphor_in_sentence")
    return feats


@dataclass
class RelationModel:
    """Per-property logistic-regression weights and the probability a pair must reach."""

    weights: dict[str, dict[str, float]] = field(default_factory=dict)
    threshold: float = 0.5
    meta: dict = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> "RelationModel":
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(data["weights"], data["threshold"], data.get("meta", {}))

    def to_json(self) -> str:
        return json.dumps({"meta": self.meta, "threshold": self.threshold, "weights": self.weights},
                          ensure_ascii=False, indent=1, sort_keys=True)

    def score(self, prop: str, features) -> float:
        """The summed weights of ``features`` for ``prop``."""
        weights = self.weights.get(prop, {})
        return sum(weights.get(f, 0.0) for f in features)

    def probability(self, prop: str, features, partial: float = 0.0) -> float:
        """The probability that ``prop`` holds for a pair with these features (plus a
        ``partial`` score of more features).

        >>> RelationModel({"directed": {"bias": -1.0, "between:directed": 3.0}}).probability(
        ...     "directed", ["bias", "between:directed"]) > 0.8
        True
        """
        if not self.weights.get(prop):
            return 0.0
        score = self.score(prop, features) + partial
        return 1.0 / (1.0 + math.exp(-max(min(score, 30.0), -30.0)))
