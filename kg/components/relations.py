"""``kg_relations``: relations between entities, from rules in ``kg/patterns/relations.jsonl``.

Runs after ``merge_entities``, so every entity is one token whose ``_.kg_class`` is its
ontology class.  Anaphors ("he", "the film", "il", "le réalisateur", from
``kg/data/anaphora.json``) are merged into one token too, with ``_.kg_class`` ``~Person``,
``~Work``, ``~Person+Work``...  A rule is a spaCy ``Matcher`` pattern whose slot tokens
name the subject and object; ``"list": true`` extends a slot over a coordination
("A, B et C"); ``"subject": "clause"`` takes the subject from the dependency parse (the
subject of the clause holding the rule's first token; ``"salient"``, the entity of its class
in focus: "the Cupertino-based company"); ``"object": "salient"`` takes the
film or series in focus ("the ensemble includes A and B").  Anaphors resolve to the most
salient earlier entity of the class the property expects.  Results go to
``doc._.kg_relations`` as plain tuples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Token

from .. import resources
from ..namespaces import SYMMETRIC_PROPERTIES
from .entities import POSSESSIVES, SentenceIndex, fold, title_key
from .dependency_paths import ancestors, clause_root, co_credited, path_relations, role_holders
from .relation_model import RelationModel, argument_classes, pair_features, salient_features

JOINERS = {",", "and", "et", "&"}
JOINER_CODE = "kg:joiner"
ANAPHOR_PENALTY = 0.85
PRECEDING_WINDOW = 8  #: tokens before a match that a rule's "not_preceded_by" words are looked for in
LONG_SKIP = 6  # the longest bounded repeat ("gap") a rule compiles to; a longer "skip" compiles to "*" (tests check both)
SUBJECT_DEPS = {"nsubj", "nsubj:pass", "nsubjpass", "csubj"}
SCREEN_CLASSES = {"Film", "TVSeries"}
MAX_PAIR_DISTANCE = 40  #: tokens; farther pairs of a sentence are no model candidates
NAMING_DEPS = {"appos", "compound", "nmod", "flat", "flat:name", "npadvmod", "dep"}
CREW_PROPERTIES = {"directed", "wrote", "produced"}
TOPIC_BONUS = 2
PARAGRAPH_BONUS = 1


@dataclass(frozen=True, slots=True)
class Arg:
    """One resolved relation argument: the character span of the entity mention."""

    start: int
    end: int
    text: str
    cls: str


@Language.factory("kg_relations", requires=["doc.ents"], assigns=["doc._.kg_relations"])
def make_relation_extractor(nlp: Language, name: str):
    if not Doc.has_extension("kg_relations"):
        Doc.set_extension("kg_relations", default=None)
    for ext in ("kg_class", "kg_list"):
        if not Token.has_extension(ext):
            Token.set_extension(ext, default="")
    return RelationExtractor(nlp)


class RelationExtractor:
    def __init__(self, nlp: Language):
        spec = resources.data("anaphora")
        self.groups: dict[str, list[str]] = spec["groups"]
        self.anaphors = {phrase: sorted(_as_list(groups)) for phrase, groups in spec.get(nlp.lang, {}).items()}
        modifiers = spec.get("modifiers", {}).get(nlp.lang, [])
        self.complements = set(spec.get("complements", {}).get(nlp.lang, []))
        self.work_classes = set(self.groups["Work"])
        self.work_nouns = {phrase.rsplit(" ", 1)[-1] for phrase, groups in self.anaphors.items()
                           if " " in phrase and set(groups) <= {"Film", "Series", "Work"}}  # film, série...
        for phrase, groups in list(self.anaphors.items()):
            article, _, noun = phrase.partition(" ")
            if noun:  # a definite description: "the film" -> "the new film", "le prochain film"
                for modifier in modifiers:
                    self.anaphors.setdefault(f"{article} {modifier} {noun}", groups)
        self.anaphor_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for phrase, groups in self.anaphors.items():
            self.anaphor_matcher.add("~" + "+".join(groups), [nlp.make_doc(phrase)])
        self.codes = sorted({"~" + "+".join(g) for g in self.anaphors.values()})
        self.signatures, self.supers = resources.ontology_signatures()
        self.path_cues, self.path_confidence, self.path_max_between, self.copulas = self.load_path_cues(nlp.lang)
        (self.role_cues, self.role_places, self.character_words, self.co_credits,
         self.role_confidence) = self.load_role_cues(nlp.lang)
        self.cue_words: dict[str, set[str]] = {}  # cue word -> properties, for the model's features
        for prop, cue in self.path_cues.items():
            for word in cue["nouns"] | cue["verbs"]:
                self.cue_words.setdefault(word, set()).add(prop)
        for prop, cue in self.role_cues.items():
            for word in cue["active"] | cue["passive"]:
                self.cue_words.setdefault(word, set()).add(prop)
        self._between: dict[tuple[str, str], list[str]] = {}  # caches of the model candidates' properties
        self._of: dict[tuple[str, str], list[tuple[str, str]]] = {}
        model_path = resources.PACKAGE_DIR / "data" / "relation_model.json"
        self.model = RelationModel.load(model_path) if model_path.exists() else None
        self.rules: dict[str, dict] = {}
        self.matcher = Matcher(nlp.vocab, validate=True)  # the rules without key words, run on the Doc
        # the rules with key words, by key word sets; each Matcher runs on the sentences holding them
        self.gated: dict[tuple[frozenset[str], ...], Matcher] = {}
        self.hyphenated: set[str] = set()  # "co-wrote": words of the rules the tokenizer splits
        for rule in resources.patterns("relations"):
            if rule.get("lang", nlp.lang) != nlp.lang:
                continue
            pattern, slots = self.compile(rule)
            not_after = {n: set(spec["not_after"]) for n, spec in enumerate(rule["pattern"]) if "not_after" in spec}
            self.rules[rule["id"]] = {**rule, "slots": slots, "max_len": max_length(rule), "not_after": not_after,
                                      "not_preceded_by": set(rule.get("not_preceded_by", ()))}
            self.hyphenated |= {word for word in [*(w for spec in rule["pattern"] for w in _words(spec)),
                                                  *rule.get("not_preceded_by", ())]
                                if "-" in word.strip("-") and len(nlp.make_doc(word)) == 3}
            keys = key_words(rule)
            if keys:
                self.gated.setdefault(keys, Matcher(nlp.vocab, validate=True)).add(rule["id"], [pattern])
            else:
                self.matcher.add(rule["id"], [pattern])
        self.order = {nlp.vocab.strings.add(rule_id): n for n, rule_id in enumerate(self.rules)}

    def load_path_cues(self, lang: str) -> tuple[dict[str, dict], float, int, set[str]]:
        """The dependency-path cues of ``lang`` (``kg/data/path_cues.json``), with the
        argument groups expanded to classes."""
        spec = resources.data("path_cues")
        properties = {}
        for prop, rule in spec.get(lang, {}).items():
            properties[prop] = {"nouns": set(rule["nouns"]), "verbs": set(rule["verbs"]),
                                "object_under_cue": rule.get("object_under_cue", False),
                                "symmetric": rule.get("symmetric", False),
                                "subject_classes": set(self.classes(rule["subject"])),
                                "object_classes": set(self.classes(rule["object"]))}
        return properties, spec["confidence"], spec["max_between"], set(spec["copulas"].get(lang, []))

    @staticmethod
    def load_role_cues(lang: str) -> tuple[dict[str, dict], set[str], set[str], set[str], float]:
        """The role verbs and phrases of ``lang`` (``kg/data/role_cues.json``)."""
        spec = resources.data("role_cues")
        cues = {prop: {"active": set(cue["active"]), "passive": set(cue["passive"]), "nouns": set(cue.get("nouns", ())),
                       "objects": set(cue["objects"]) if "objects" in cue else None,
                       "phrases": [phrase.split() for phrase in cue["phrases"]]}
                for prop, cue in spec.get(lang, {}).items()}
        characters = resources.data("characters")  # "A as Joe", "A en Arben": the words before a played name
        character_words = set(characters["as_words"].get(lang, [])) | set(characters["person_en"].get(lang, []))
        return cues, set(spec["places"].get(lang, [])), character_words, set(spec["co_credits"]), spec["confidence"]

    # -- compiling rules ----------------------------------------------------------------
    def compile(self, rule: dict) -> tuple[list[dict], dict[int, dict]]:
        """Matcher pattern of a rule and its slot specs by pattern position."""
        pattern, slots = [], {}
        for spec in rule["pattern"]:
            if "slot" in spec:
                slots[len(pattern)] = spec
                allowed = self.classes(spec["is"])
                if spec.get("anaphor", True):
                    allowed += [c for c in self.codes if self.anaphor_classes(c) & set(self.classes(spec["is"]))]
                token = {"NORM": {"IN": [_code(c) for c in allowed]}}
                if "studio" in spec:  # "Pixar's X" is its producer's work, "Netflix's X" its distributor's
                    token["TEXT"] = {"REGEX": studio_regex(spec["studio"])}
                pattern.append(token)
            elif "gap" in spec:
                pattern.append({"ENT_TYPE": "", "IS_SENT_START": False, "OP": f"{{0,{spec['gap']}}}"})
            elif "list_tail" in spec:  # ", B and C" after a list slot
                pattern.append({"NORM": {"IN": [_code(c) for c in self.classes(spec["list_tail"])] + [JOINER_CODE]},
                                "OP": "*"})
            elif "skip" in spec:  # "*", not "{0,N}": spaCy expands that into N optional tokens,
                pattern.append({"IS_SENT_START": False, "OP": "*"})  # exponential; N is checked on the match
            elif "quote" in spec:
                pattern.append({"IS_QUOTE": True, "OP": "?"})
            elif "not_after" in spec:  # a word that must not follow one of these (checked on the match)
                pattern.append({k: v for k, v in spec.items() if k != "not_after"})
            elif "class" in spec:
                token = {"NORM": {"IN": [_code(c) for c in self.classes(spec["class"])]}}
                pattern.append({**token, "OP": spec["OP"]} if "OP" in spec else token)
            else:
                pattern.append(spec)
        return pattern, slots

    def classes(self, group: str) -> list[str]:
        return list(self.groups.get(group, [group]))

    def anaphor_classes(self, code: str) -> set[str]:
        """The classes an anaphor code (``~Person+Work``) may refer to."""
        return {cls for group in code[1:].split("+") for cls in self.classes(group)}

    # -- running -----------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        codes = self.mark(doc)
        doc._.kg_relations = []
        if not self.rules or not doc.ents:
            return doc
        sents = SentenceIndex(doc)
        salience = Salience(doc, sents)
        found: dict[tuple, tuple] = {}
        shadowed: set[tuple] = set()  # (property, subject, object) a "shadows" rule's match holds inside it
        for match_id, start, end, alignment in self.match(doc, codes, sents):
            if sents.index[start] != sents.index[end - 1]:
                continue
            rule = self.rules[doc.vocab.strings[match_id]]
            if rule["max_len"] is not None and end - start > rule["max_len"]:
                continue  # a skip longer than its N
            if rule["not_after"] and any(position in rule["not_after"] and token.i > 0
                                         and doc[token.i - 1].lower_ in rule["not_after"][position]
                                         for token, position in zip(doc[start:end], alignment)):
                continue  # "returning stars A and B": "stars" is a noun there
            if rule["not_preceded_by"] and any(
                    token.lower_ in rule["not_preceded_by"]
                    for token in doc[max(start - PRECEDING_WINDOW, sents.of(start).start):start]):
                continue  # "co-wrote X with B": B is a co-writer, not in X's cast
            for relation in self.apply(doc, rule, start, end, alignment, salience, sents):
                key = relation[:3]
                if key not in found or found[key][-1] < relation[-1]:
                    found[key] = relation
                if rule.get("shadows"):  # "X, the Y prequel created by A": A created X, not Y
                    shadowed |= {(key[0], key[1], _arg(t)) for t in doc[start + 1:end]
                                 if t.ent_type_ and t.idx > key[2].start and t.idx < key[1].start}
        if self.path_cues and self.model is None:  # with a model, its cue features weigh these pairs
            for sent in sents.spans:
                for prop, subj, obj in path_relations(sent, self.path_cues, self.path_max_between, self.copulas):
                    key = (prop, _arg(subj), _arg(obj))
                    if key not in found and key not in shadowed and fold(subj.text) != fold(obj.text):
                        found[key] = (prop, key[1], key[2], sent.start_char, sent.end_char, f"path.{prop}",
                                      self.path_confidence)
        for key in shadowed:
            found.pop(key, None)
        for sent in sents.spans:
            if self.role_cues:
                holders = role_holders(sent, self.role_cues, self.role_places, self.character_words)
                for subj, obj in co_credited(holders, self.co_credits):
                    key = ("collaboratedWith", _arg(subj), _arg(obj))
                    if key not in found:
                        found[key] = (*key, sent.start_char, sent.end_char, "role.collaboratedWith",
                                      self.role_confidence)
                for prop, person, _ in holders:
                    if names_a_screen_work(sent, person):
                        continue
                    work = salience.resolve(person, self.signatures[prop][1], self.supers,
                                            self.anaphor_classes("~Film+Series"), near=True)
                    key = (prop, _arg(person), work)
                    if work is not None and key not in found:
                        found[key] = (prop, key[1], work, sent.start_char, sent.end_char, f"role.{prop}",
                                      self.role_confidence)
        if self.model is not None:
            best: dict[object, tuple[float, tuple]] = {}
            base_scores: dict[tuple[str, int], float] = {}  # shared feature lists (cached, so alive), scored once
            related = {_names(subj, obj) for _, subj, obj in found}
            # a name a rule already gave a property in a sentence gets no other argument of it there
            done = {(prop, arg, start) for prop, subj, obj, start, *_ in found.values() for arg in (subj, obj)}
            # a person a rule credited behind the camera in a sentence is no cast member there
            crew = {(subj, start) for prop, subj, obj, start, *_ in found.values() if prop in CREW_PROPERTIES}
            classes = {i: code[len(_code("")):] for i, code in codes.items() if code != JOINER_CODE}
            known = known_roles(found.values())
            for prop, subj, obj, sent, (base, extra), group in self.candidates(doc, sents, salience, related, classes,
                                                                               known):
                if group is not None and (prop, _arg(doc[group[1]]), sent.start_char) in done:
                    continue
                if group is None and (prop, subj, sent.start_char) in done and (prop, obj, sent.start_char) in done:
                    continue  # "X, de A, et Y, de B": each already has its own
                if prop == "actedIn" and (subj, sent.start_char) in crew:
                    continue
                if (prop, id(base)) not in base_scores:
                    base_scores[prop, id(base)] = self.model.score(prop, base)
                probability = self.model.probability(prop, extra, base_scores[prop, id(base)])
                if probability < self.model.threshold:
                    continue
                group = group or (prop, subj, obj)
                if group not in best or best[group][0] < probability:
                    best[group] = (probability, (prop, subj, obj, sent.start_char, sent.end_char))
            by_pair: dict[frozenset, tuple[float, tuple]] = {}  # one property per pair of names: the likeliest
            for probability, relation in best.values():
                pair = _names(*relation[1:3])
                if pair not in related and (pair not in by_pair or by_pair[pair][0] < probability):
                    by_pair[pair] = (probability, relation)
            for probability, (prop, subj, obj, start, end) in by_pair.values():
                found[prop, subj, obj] = (prop, subj, obj, start, end, f"model.{prop}",
                                          round(probability * self.model.meta.get("confidence_scale", 0.6), 3))
        doc._.kg_relations = sorted(found.values(), key=lambda r: (r[3], r[1].start, r[2].start, r[0]))
        return doc

    def candidates(self, doc: Doc, sents: "SentenceIndex | None" = None, salience: "Salience | None" = None,
                   related: set[frozenset[str]] = frozenset(), classes: dict[int, str] | None = None,
                   known: "dict[str, list[tuple[str, str, str]]] | None" = None):
        """(property, subject, object, sentence, (features, more features), group) for every pair of
        arguments of one sentence whose classes fit the property, and for every entity with
        a work named before ("A and B round out the cast").  An anaphor, or the unnamed
        work, stands for each of its likely antecedents (:meth:`Salience.antecedents`) in
        turn: those candidates share a ``group``, of which the model keeps the likeliest.
        Plain pairs have group None, and are left out when their names are in ``related``
        (:func:`_names` of the pairs a rule related).  ``classes``: the argument classes by
        token (default :func:`argument_classes`); ``known``: what the rules found about each
        name elsewhere in the document (:func:`known_roles`, default: of the Doc's relations
        that are neither the model's nor the path fallback's, which runs only without a
        model).  The learned model scores these (:mod:`.relation_model`)."""
        sents = sents or SentenceIndex(doc)
        salience = salience or Salience(doc, sents)
        classes = argument_classes(doc) if classes is None else classes
        if known is None:
            known = known_roles(r for r in doc._.kg_relations or () if not r[5].startswith(("model.", "path.")))
        known_of = cache_by_key(lambda key: known_features(*key, known))
        args = {i: _arg(doc[i]) for i in classes if doc[i].ent_type_}
        folded = {i: fold(arg.text) for i, arg in args.items()}
        pair_features_of = cache_by_key(lambda key: pair_features(doc[key[0]], doc[key[1]], self.cue_words, classes))
        antecedents_of = cache_by_key(lambda key: salience.antecedents(
            doc[key[0]], key[1], self.supers, self.anaphor_classes(key[2])))
        salient_of = cache_by_key(lambda key: salient_features(doc[key[0]], key[1], self.cue_words, classes))
        for sent in sents.spans:
            indices = [i for i in classes if sent.start <= i < sent.end]
            for s in indices:
                for o in indices:
                    if o == s or abs(o - s) > MAX_PAIR_DISTANCE:
                        continue
                    if s in args and o in args:
                        if folded[s] == folded[o] or frozenset((folded[s], folded[o])) in related:
                            continue
                        for prop in self.properties_between(classes[s], classes[o]):
                            if prop not in SYMMETRIC_PROPERTIES or s < o:
                                yield (prop, args[s], args[o], sent,
                                       (pair_features_of((s, o)), known_of((folded[s], folded[o]))), None)
                        continue
                    if s not in args and o not in args:
                        continue
                    entity, anaphor = (s, o) if s in args else (o, s)
                    side = "subject" if entity == s else "object"
                    for prop, other in self.properties_of(classes[entity], side):
                        for arg, ante in antecedents_of((anaphor, other, classes[anaphor])):
                            name = fold(arg.text)
                            if name == folded[entity] or not self.admits(
                                    prop, "object" if side == "subject" else "subject", arg.cls):
                                continue
                            pair = (args[entity], arg) if side == "subject" else (arg, args[entity])
                            names = (folded[entity], name) if side == "subject" else (name, folded[entity])
                            extra = [*ante, *known_of(names)]
                            yield prop, *pair, sent, (pair_features_of((s, o)), extra), (prop, entity, anaphor)
            for i in indices:  # "A, B and C round out the cast": of a work named before
                if i not in args or classes[i] in SCREEN_CLASSES or names_a_screen_work(sent, doc[i]):
                    continue  # "A stars in Z": the clause names its own work
                for side in ("subject", "object"):
                    work_side = "object" if side == "subject" else "subject"
                    for prop, other in self.properties_of(classes[i], side):
                        if not any(self.compatible(c, other) for c in SCREEN_CLASSES):
                            continue
                        for work, ante in antecedents_of((i, other, "~Film+Series")):
                            if not self.admits(prop, work_side, work.cls):
                                continue
                            pair = (args[i], work) if side == "subject" else (work, args[i])
                            name = fold(work.text)
                            extra = [*ante, *known_of((folded[i], name) if side == "subject" else (name, folded[i]))]
                            yield prop, *pair, sent, (salient_of((i, work_side)), extra), (prop, i, work_side)

    def admits(self, prop: str, side: str, cls: str) -> bool:
        """Whether a model candidate of ``prop`` may have an argument of class ``cls`` on
        ``side``: the argument groups of the property's path cue (``path_cues.json``: a
        film, not a book, is directed), else the ontology's domain or range."""
        cue = self.path_cues.get(prop)
        if cue is not None:
            return cls in cue["subject_classes" if side == "subject" else "object_classes"]
        domain, range_ = self.signatures[prop]
        return self.compatible(cls, domain if side == "subject" else range_)

    def properties_between(self, subject_class: str, object_class: str) -> list[str]:
        """The properties a model candidate of these two classes may have (cached)."""
        key = (subject_class, object_class)
        if key not in self._between:
            self._between[key] = [prop for prop in self.signatures
                                  if self.admits(prop, "subject", subject_class) and self.admits(prop, "object", object_class)]
        return self._between[key]

    def properties_of(self, cls: str, side: str) -> list[tuple[str, str]]:
        """(property, class expected on the other side) for each property admitting ``cls``
        as its ``side`` ("subject" or "object")."""
        key = (cls, side)
        if key not in self._of:
            self._of[key] = [(prop, range_ if side == "subject" else domain)
                             for prop, (domain, range_) in self.signatures.items() if self.admits(prop, side, cls)]
        return self._of[key]

    def match(self, doc: Doc, codes: dict[int, str], sents: "SentenceIndex") -> list[tuple]:
        """Matcher results in rule order, with class codes in ``NORM`` while it runs.

        The Matcher tests native attributes in C but custom ``_`` attributes through Python
        calls, which made it the slowest kg step; so each marked token's class code (or
        joiner code, ``codes`` from :meth:`mark`) is written into ``NORM`` for the match and
        the original norms are put back.  A Matcher's cost grows with its patterns times the
        tokens it reads, so a rule with key words runs only on the sentences that hold them.
        """
        saved = {i: doc[i].norm_ for i in codes}
        for i, code in codes.items():
            doc[i].norm_ = code
        try:
            found = self.matcher(doc, with_alignments=True) if len(self.matcher) else []
            for sent in sents.spans:
                words = {token.lower_ for token in sent}
                for keys, matcher in self.gated.items():
                    if all(accepted & words for accepted in keys):
                        found += [(match_id, sent.start + start, sent.start + end, alignment)
                                  for match_id, start, end, alignment in matcher(sent, with_alignments=True)]
            return sorted(found, key=lambda m: (m[1], m[2], self.order[m[0]]))
        finally:
            for i, norm in saved.items():
                doc[i].norm_ = norm

    def mark(self, doc: Doc) -> dict[int, str]:
        """Give entity and anaphor tokens their ``_.kg_class``; merge multi-word anaphors, and
        hyphenated words the rules name ("co-wrote", "spin-off": the tokenizers split them).
        Returns the ``NORM`` code of each marked token (class or joiner) by index."""
        found = [(s, e, doc.vocab.strings[m]) for m, s, e in self.anaphor_matcher(doc)] if self.anaphors else []
        found = [(s, e, code) for s, e, code in found
                 if not any(t.ent_type_ for t in doc[s:e]) and not self.names_its_referent(doc, s, e)]
        chosen, taken = [], set()
        for start, end, code in sorted(found, key=lambda f: (-(f[1] - f[0]), f[0])):
            if not taken & set(range(start, end)):
                chosen.append((doc[start].idx, doc[start:end], code))
                taken |= set(range(start, end))
        hyphenated = [doc[t.i - 1:t.i + 2] for t in doc if t.text == "-" and 0 < t.i < len(doc) - 1
                      and not doc[t.i - 1].whitespace_ and not t.whitespace_
                      and f"{doc[t.i - 1].lower_}-{doc[t.i + 1].lower_}" in self.hyphenated
                      and not taken & {t.i - 1, t.i, t.i + 1} and not any(x.ent_type_ for x in doc[t.i - 1:t.i + 2])]
        with doc.retokenize() as retokenizer:
            for _, span, _ in chosen:
                if len(span) > 1:
                    retokenizer.merge(span)
            for span in hyphenated:
                retokenizer.merge(span)
        by_offset = {idx: code for idx, _, code in chosen}
        codes = {}
        for token in doc:  # set only where not empty: a custom attribute costs a dict write
            cls = token.ent_type_ or by_offset.get(token.idx, "")
            if cls:
                token._.kg_class = cls
                if token.ent_type_:
                    token._.kg_list = token.ent_type_
                codes[token.i] = _code(cls)
            elif token.lower_ in JOINERS:
                token._.kg_list = "joiner"
                codes[token.i] = JOINER_CODE
        return codes

    def names_its_referent(self, doc: Doc, start: int, end: int) -> bool:
        """Whether the description ``doc[start:end]`` is followed by a complement naming a work:
        "the sequel to 'Y'", "the director of Y", "la suite de « Y »", "the spinoff series of Y"
        are no anaphors."""
        if end - start >= 2 and end + 1 < len(doc) and doc[end].lower_ in self.work_nouns:
            end += 1  # "the sequel film to Y"
        if end - start < 2 or end >= len(doc) or doc[end].lower_ not in self.complements:
            return False
        for token in doc[end + 1:end + 5]:  # "the sequel to 2017's 'Y'"
            if token.ent_type_:
                return token.ent_type_ in self.work_classes
            if not (token.is_quote or token.is_punct or token.is_stop or token.like_num or token.lower_ in POSSESSIVES):
                return False
        return False

    def apply(self, doc: Doc, rule: dict, start: int, end: int, alignment: list[int], salience: "Salience",
              sents: "SentenceIndex"):
        prop = rule["property"]
        domain, range_ = self.signatures[prop]
        slot_tokens: dict[str, list[Token]] = {}
        for token, position in zip(doc[start:end], alignment):
            spec = rule["slots"].get(position)
            if spec is not None:
                tokens = self.expand_list(doc, token, set(self.classes(spec["is"])), sents) if spec.get("list") else [token]
                slot_tokens.setdefault(spec["slot"], []).extend(tokens)
        if rule.get("subject") == "clause":
            subject = clause_subject(doc[start])
            if subject is None or not (subject.ent_type_ or subject._.kg_class):
                # a parse with no subject: the first entity of the sentence that fits
                subject = next((t for t in doc[sents.of(start).start:start]
                                if t.ent_type_ and self.compatible(t.ent_type_, domain)), None)
            slot_tokens["subject"] = [subject] if subject is not None else []
        penalty = 1.0
        resolved: dict[str, list[Arg]] = {}
        for name, expected in (("subject", domain), ("object", range_)):
            args = []
            for token in slot_tokens.get(name, []):
                token = title_after_franchise(token) if prop != "partOfFranchise" else token
                if token._.kg_class.startswith("~"):
                    named = apposed_name(token, self.anaphor_classes(token._.kg_class))
                    arg = _arg(named) if named is not None else \
                        salience.resolve(token, expected, self.supers, self.anaphor_classes(token._.kg_class))
                    penalty = ANAPHOR_PENALTY
                elif token.ent_type_:
                    arg = _arg(token)
                else:
                    arg = None
                if arg is not None and self.compatible(arg.cls, expected):
                    args.append(arg)
            resolved[name] = args
        if rule.get("subject") == "salient":  # "the Cupertino-based company": the company in focus
            arg = salience.resolve(doc[start], domain, self.supers, self.anaphor_classes("~" + domain))
            resolved["subject"] = [arg] if arg is not None else []
            penalty = ANAPHOR_PENALTY
        if rule.get("object") == "salient":  # "the cast includes A and B": of the work in focus
            if names_a_screen_work(sents.of(start), appositions=False):
                return  # "X stars as Y in Z": the sentence names its work, a rule with a slot finds it
            arg = salience.resolve(doc[start], range_, self.supers, self.anaphor_classes("~Film+Series"))
            resolved["object"] = [arg] if arg is not None else []
            penalty = ANAPHOR_PENALTY
        sent = sents.of(start)
        confidence = round(rule.get("confidence", 0.7) * penalty, 3)
        for subj in resolved["subject"]:
            for obj in resolved["object"]:
                if fold(subj.text) != fold(obj.text):
                    yield (prop, subj, obj, sent.start_char, sent.end_char, rule["id"], confidence)

    def compatible(self, cls: str, expected: str) -> bool:
        return cls == expected or expected in self.supers.get(cls, ())

    def expand_list(self, doc: Doc, token: Token, allowed: set[str], sents: "SentenceIndex") -> list[Token]:
        """The slot token plus its coordinated neighbours of the same kind, or of a class the
        slot ``allowed``: "A, B et C", "produced by Harbor Media and Nina Falk"."""
        tokens = [token]
        for step in (1, -1):
            i = token.i
            while True:
                j = i + step
                while 0 <= j < len(doc) and (doc[j].lower_ in JOINERS or doc[j].is_quote):
                    j += step
                if j == i + step or not (0 <= j < len(doc)) or sents.index[j] != sents.index[token.i]:
                    break
                if not token.ent_type_ or (doc[j].ent_type_ != token.ent_type_ and doc[j].ent_type_ not in allowed):
                    break
                if step == 1 and doc[j].head.i > j and doc[j].dep_ in SUBJECT_DEPS | {"npadvmod"}:
                    break  # "Z, B reimagines ...": B opens the next clause
                tokens.append(doc[j])
                i = j
        return tokens


def studio_regex(is_studio: bool) -> str:
    """Regular expression an organization's text matches if it is (or is not) a production studio.

    >>> import re
    >>> bool(re.search(studio_regex(True), "Marvel Studios")), bool(re.search(studio_regex(False), "Netflix"))
    (True, True)
    >>> bool(re.search(studio_regex(True), "Netflix")), bool(re.search(studio_regex(False), "Pixar"))
    (False, False)
    """
    spec = resources.data("studios")
    endings = "|".join(map(re.escape, spec["endings"]))
    names = "|".join(map(re.escape, spec["names"]))
    if is_studio:
        return f"({endings})$|^({names})$"
    return f"^(?!.*({endings})$)(?!({names})$)"


def max_length(rule: dict) -> int | None:
    """The most tokens a match of a rule with a ``skip`` may span (None: no skip, or no bound).

    >>> max_length({"pattern": [{"LOWER": "au"}, {"skip": 5}, {"slot": "subject", "is": "Person"}]})
    7
    """
    if not any("skip" in spec for spec in rule["pattern"]):
        return None
    total = 0
    for spec in rule["pattern"]:
        op = spec.get("OP", "1")
        if "list_tail" in spec or op in ("*", "+"):
            return None
        width = spec.get("skip", spec.get("gap", 1))
        if isinstance(op, str) and op.startswith("{"):
            width = int(op.strip("{}").split(",")[-1])
        total += width
    return total


def key_words(rule: dict) -> tuple[frozenset[str], ...]:
    """Key words of a rule: for each of its required word tokens, the words it accepts.

    A sentence without one word of each set cannot match, so the rule runs only on the
    sentences that hold them (:meth:`RelationExtractor.match`).

    >>> key_words({"pattern": [{"LOWER": {"IN": ["au"]}}, {"LOWER": "casting"}, {"skip": 9}]})
    (frozenset({'au'}), frozenset({'casting'}))
    >>> key_words({"pattern": [{"slot": "subject", "is": "Person"}, {"LOWER": "'s", "OP": "?"}]})
    ()
    """
    sets = []
    for spec in rule["pattern"]:
        words = frozenset(_words(spec)) if spec.get("OP", "1") == "1" else frozenset()
        if any(ch.isalpha() for word in words for ch in word) and words not in sets:
            sets.append(words)
    return tuple(sets)


def title_after_franchise(token: Token) -> Token:
    """In "Franchise: The Title" the argument is the title, not the franchise."""
    doc = token.doc
    if token.ent_type_ == "Franchise" and token.i + 2 < len(doc) and doc[token.i + 1].text == ":" \
            and doc[token.i + 2].ent_type_ and doc[token.i + 2].ent_type_ != "Franchise":
        return doc[token.i + 2]
    return token


def named_by(noun: Token) -> Token:
    """The entity a common noun introduces ("the series “Night Shift”"), else the noun."""
    if noun.ent_type_ or noun._.kg_class:
        return noun
    return next((child for child in noun.children if child.ent_type_ and child.dep_ in NAMING_DEPS), noun)


def apposed_name(anaphor: Token, classes: set[str]) -> Token | None:
    """The entity a description stands in apposition to, if any: "Mandarin" for "Mandarin,
    la société fondée par A", "Blumhouse, the company founded by A"."""
    i = anaphor.i
    if i < 2 or anaphor.doc[i - 1].text != "," or anaphor.doc[i - 2].ent_type_ not in classes:
        return None
    return anaphor.doc[i - 2]


def names_a_screen_work(sent, token: Token | None = None, appositions: bool = True) -> bool:
    """Whether the sentence, or the clause of ``token``, names a film or series (not
    through an anaphor).

    A work named in another clause of the sentence does not count: in "A returns as Joe,
    the officer he voiced in Z", Z is the work of the relative clause, not of "returns".
    With ``appositions`` False, nor does one inside an apposition ("B, the director of Z,
    joins returning stars...").
    """
    outside_appositions = (lambda t: appositions or not any(a.dep_ == "appos" for a in ancestors(t)[:-1]))  # noqa: E731
    if token is None:
        return any(t.ent_type_ in SCREEN_CLASSES and outside_appositions(t) for t in sent)
    root = clause_root(token)
    if root.dep_ in ("acl", "relcl", "acl:relcl"):
        described = root.head  # "Z, co-produced by A"; "Z, le film réalisé par A"
        if described.ent_type_ in SCREEN_CLASSES or (
                described.dep_ == "appos" and described.head.ent_type_ in SCREEN_CLASSES):
            return True  # the clause is about the work it hangs on
    return any(t.ent_type_ in SCREEN_CLASSES and clause_root(t).i == root.i and outside_appositions(t) for t in sent)


def clause_subject(token: Token) -> Token | None:
    """The subject of the clause governing ``token``, following coordinated verbs;
    for a noun in apposition ("X, founder of Y"), the entity it stands beside; for a
    subject noun naming an entity ("the series Night Shift premieres"), that entity."""
    node = token
    for _ in range(12):
        if node.dep_ == "appos" and node.head.ent_type_:
            return node.head
        for child in node.children:
            if child.dep_ in SUBJECT_DEPS:
                return named_by(child)
        if node.dep_ == "conj" and node.head.i != node.i:
            for child in node.head.children:
                if child.dep_ in SUBJECT_DEPS:
                    return named_by(child)
        if node.head.i == node.i:
            return None
        node = node.head
    return None


class Salience:
    """Entities seen so far in a document, to resolve anaphors to the most salient one."""

    def __init__(self, doc: Doc, sents: "SentenceIndex"):
        self.sents = sents
        self.text = doc.text  # (Doc.text joins every token anew on each use)
        self.mentions: list[tuple[int, str, Arg, bool]] = []  # (token index, key, arg, is subject)
        full_names: dict[str, str] = {}
        for ent in doc.ents:
            key = fold(ent.text) if ent.label_ == "Person" else title_key(ent.text)
            if ent.label_ == "Person":
                if " " in key:
                    full_names[key.split()[-1]] = key
                else:
                    key = full_names.get(key, key)
            is_subject = doc[ent.start].dep_ in SUBJECT_DEPS
            self.mentions.append((ent.start, key, Arg(ent.start_char, ent.end_char, ent.text, ent.label_), is_subject))
        first_sentence = sents.spans[0] if sents.spans else None
        self.topic = next((key for i, key, arg, _ in self.mentions
                           if arg.cls in SCREEN_CLASSES and first_sentence is not None and i < first_sentence.end), None)

    def resolve(self, token: Token, expected: str, supers: dict[str, frozenset[str]], classes: set[str],
                near: bool = False) -> Arg | None:
        """The most mentioned earlier entity of the expected class, among the ``classes``
        the anaphor may name ("the series" is no film); the latest wins ties.  The first
        film or series of the headline, the article's topic, counts ``TOPIC_BONUS`` more,
        and one named in the anaphor's paragraph ``PARAGRAPH_BONUS`` more.

        An entity named in the anaphor's own sentence other than as its subject is a
        co-argument ("She cast X in her film": her != X) and is chosen only when no
        other entity fits.  ``near``: only the topic or an entity of the paragraph.
        """
        sent_start = self.sents.of(token.i).start
        eligible = [(i, key, arg, subject) for i, key, arg, subject in self.mentions if i < token.i
                    and arg.cls in classes and (arg.cls == expected or expected in supers.get(arg.cls, ()))]
        paragraph_start = self.text.rfind("\n\n", 0, token.idx)
        if near:
            eligible = [e for e in eligible if e[2].start > paragraph_start or e[1] == self.topic]
        preferred = [e for e in eligible if e[0] < sent_start or e[3]]
        for pool in (preferred, eligible):
            counts: dict[str, list] = {}
            in_paragraph = {key for _, key, arg, _ in pool if arg.start > paragraph_start}
            for index, key, arg, _ in pool:
                bonus = (TOPIC_BONUS if key == self.topic else 0) + (PARAGRAPH_BONUS if key in in_paragraph else 0)
                entry = counts.setdefault(key, [bonus, 0, arg])
                entry[0] += 1
                entry[1] = index
                if len(arg.text) >= len(entry[2].text):
                    entry[2] = arg
            if counts:
                return max(counts.values(), key=lambda e: (e[0], e[1]))[2]
        return None


    def antecedents(self, token: Token, expected: str, supers: dict[str, frozenset[str]], classes: set[str],
                    limit: int = 3) -> list[tuple[Arg, list[str]]]:
        """The entities an anaphor (or an unnamed work) at ``token`` may stand for, each
        with features saying how it was mentioned: the ``limit`` latest, the topic and the
        choice of :meth:`resolve`.  The relation model weighs these features."""
        eligible = [(i, key, arg, subject) for i, key, arg, subject in self.mentions if i < token.i
                    and arg.cls in classes and (arg.cls == expected or expected in supers.get(arg.cls, ()))]
        if not eligible:
            return []
        here = self.sents.index[token.i]
        paragraph_start = self.text.rfind("\n\n", 0, token.idx)
        latest: dict[str, list] = {}  # key -> [last index, longest arg, count, subject of the previous sentence]
        for i, key, arg, subject in eligible:
            entry = latest.setdefault(key, [i, arg, 0, False])
            entry[0] = i
            entry[2] += 1
            if len(arg.text) >= len(entry[1].text):
                entry[1] = arg
            if subject and self.sents.index[i] == here - 1:
                entry[3] = True
        order = sorted(latest, key=lambda k: -latest[k][0])
        chosen = self.resolve(token, expected, supers, classes)
        chosen_key = next((key for i, key, arg, _ in eligible if chosen is not None and arg == chosen), None)
        keys = list(dict.fromkeys(order[:limit] + [k for k in (self.topic, chosen_key) if k in latest]))
        result = []
        for key in keys:
            index, arg, count, previous_subject = latest[key]
            distance = here - self.sents.index[index]
            feats = [f"ante:rank:{min(order.index(key), 3)}", f"ante:sentences:{min(distance, 3)}",
                     f"ante:count:{min(count, 3)}"]
            feats += [name for name, on in (("ante:topic", key == self.topic), ("ante:resolved", key == chosen_key),
                                             ("ante:previous_subject", previous_subject),
                                             ("ante:paragraph", arg.start > paragraph_start or any(
                                                 a.start > paragraph_start for i, k, a, _ in eligible if k == key)))
                      if on]
            result.append((arg, feats))
        return result


def known_roles(relations) -> dict[str, list[tuple[str, str, str]]]:
    """For each folded name, the (property, side, other folded name) of the relations the
    rules found about it in the document: what the model may know of a name beyond its
    sentence ("directed" as subject: a director, seldom cast)."""
    known: dict[str, list[tuple[str, str, str]]] = {}
    for prop, subj, obj, *_ in relations:
        known.setdefault(fold(subj.text), []).append((prop, "subject", fold(obj.text)))
        known.setdefault(fold(obj.text), []).append((prop, "object", fold(subj.text)))
    return known


def known_features(subject: str, object_: str, known: dict[str, list[tuple[str, str, str]]]) -> list[str]:
    """``known:<argument>:<side>:<property>`` for what the rules found about each folded
    name of a pair with other names than the pair's own."""
    feats = set()
    for name, other, where in ((subject, object_, "subject"), (object_, subject, "object")):
        for prop, side, with_name in known.get(name, ()):
            if with_name != other:
                feats.add(f"known:{where}:{side}:{prop}")
    return sorted(feats)


def cache_by_key(compute):
    """``compute`` remembering its result for each key."""
    results: dict = {}

    def cached(key):
        if key not in results:
            results[key] = compute(key)
        return results[key]
    return cached


def _names(subj: Arg, obj: Arg) -> frozenset[str]:
    """The folded names of a pair, in either order."""
    return frozenset((fold(subj.text), fold(obj.text)))


def _arg(token: Token) -> Arg:
    """The argument an entity token stands for."""
    return Arg(token.idx, token.idx + len(token.text), token.text, token.ent_type_)


def _words(spec: dict) -> list[str]:
    """The words a pattern token accepts by ``LOWER`` ("IN" list or one word)."""
    lower = spec.get("LOWER")
    return lower.get("IN", []) if isinstance(lower, dict) else [lower] if isinstance(lower, str) else []


def _code(cls: str) -> str:
    """The ``NORM`` value standing for an argument class while matching (not a word)."""
    return f"kg:{cls}"


def _as_list(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)
