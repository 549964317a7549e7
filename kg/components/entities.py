"""``kg_entities``: the entities of an article, labelled with ontology classes.

Combines the statistical NER (and the entity ruler placed before it) with rules kept in
``kg/data/titles.json``: quoted titles, titles after or before cue words ("the movie X",
"an X sequel"), "Title: Subtitle" and "Franchise: Title" forms.  It trims possessives and
stray punctuation, drops junk (``kg/data/junk.json``), types works by their context, keeps
only body-confirmed names in headlines, and finds every further occurrence of a name.
The result is ``doc.ents`` labelled ``Person``, ``Film``, ... and ``doc._.kg_rules``,
mapping each entity's character span to the rule that found it and a confidence.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .. import resources
from .quotes import DEFINITE_ARTICLES, quoted_spans, title_end

WORK_CLASSES = ("CreativeWork", "Film", "TVSeries", "Franchise")
PERSON_LABELS = ("PER", "PERSON")
NICKNAME_NEIGHBOUR_LABELS = {*PERSON_LABELS, "", "WORK_OF_ART", "MISC"}  # the NER often reads "Monk” Ellison" as a title
SCREEN_CLASSES = ("Film", "TVSeries")  # the classes a title's mentions vote between
# NER labels of names that are no title ("Swedish director X", "Netflix series X")
NAMED_NOT_WORK = {"NORP", "PERSON", "PER", "GPE", "LOC", "ORG", "FAC", "Person", "Organization", "Place"}
TITLE_RULES = {"quote", "cue-before", "cue-after", "colon-title", "possessive-title", "owner-work"}
CAREER_SPAN = {"en": ({"from"}, {"to"}), "fr": ({"de", "des", "du", "d’", "d'"}, {"à", "au", "aux"})}  # "X, de A à B"
OPENER_PREPOSITIONS = {"par", "dans", "en", "pour", "sur", "avec", "by", "in", "on", "with", "for"}
JOINERS_AND_CONNECTORS = {"and", "et", "&", "or", "ou", "de", "du", "des", "of", "the", "le", "la", "les"}
OWNER_LABELS = {"PERSON", "PER", "ORG", "Person", "Organization"}  # NER and ruler labels of a possessive's owner
NAME_CLASSES = {"Person", "Organization", "Place"}
MODIFIER_TAGS = {"JJ", "JJR", "JJS", "CC", "CD", "RB", "HYPH"}  # (the English model sets no POS)
MODIFIER_POS = {"ADJ", "CCONJ", "NUM", "ADV"}
MAX_DESCRIPTION_REACH = 12  # tokens of the next sentence searched for "the film", "la série"
INDEFINITE_DETERMINERS = {"a", "an", "un", "une"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "nsubj:pass"}
CLAUSE_BREAKS = {",", ";", ":", "—", "–", "(", ")", "."}
SURNAME_PARTICLES = {"del", "della", "di", "da", "van", "von", "der", "dos", "das", "bin", "al", "el"}  # never a function word
NAME_PARTICLES = {"de", "da", "del", "della", "di", "du", "des", "van", "von", "der", "den", "le", "la", "bin", "al", "el", "y", "dos", "das"}
DASHES = {"—", "–", "|"}
FRENCH_OF = {"de", "d’", "d'"}  # "Inferno de Ron Howard"
LIST_JOINERS = {",", "and", "et", "&"}  # "A, B and C", "A, B et C"
NAME_POS = {"PROPN", "NOUN", "NUM", "X"}
POSSESSIVES = {"'s", "’s", "‘s", "'", "’", "s'"}
POSSESSIVE_DETERMINERS = {"his", "her", "their", "its", "son", "sa", "leur"}  # "his novel", "son roman"
OPEN_PUNCT = set("“«‘\"„‹'([{-–—:;,")
CLOSE_PUNCT = set("”»’\"›')]}-–—:;,.!?")
# rule -> (priority when spans overlap, confidence)
RULES = {
    "ruler": (7, 0.95),
    "quote": (6, 0.9),
    "cue-before": (5, 0.85),
    "cue-after": (4, 0.75),
    "colon-title": (4, 0.7),
    "possessive-title": (4, 0.7),
    "owner-work": (4, 0.65),
    "appositive": (2, 0.7),
    "sentence-title": (4, 0.6),
    "headline-title": (5, 0.7),
    "ner": (3, 0.8),
    "list": (3, 0.7),
    "gazetteer": (1, 0.85),
    "surname": (0, 0.75),
}


DEFAULT_TYPE_PENALTY = 0.6  # a work typed by the default class, with no cue, counts less in class votes
# rules that read a class from the text (a domain list, quotes, cue words): they outweigh the NER in class votes
TYPING_RULES = frozenset(resources.data("resolution")["typing_rules"])
TYPING_RULE_WEIGHT = resources.data("resolution")["typing_rule_weight"]


@dataclass
class Candidate:
    start: int  # token indices, end exclusive
    end: int
    cls: str | None
    rule: str
    typed_by_default: bool = False
    typed_by_cue: bool = False  # a NER name retyped by a context cue: it weighs as a typing rule in class votes

    @property
    def priority(self) -> int:
        return RULES[self.rule][0]


@Language.factory("kg_entities", requires=["doc.ents", "token.is_sent_start"], assigns=["doc.ents", "doc._.kg_rules"])
def make_entity_recognizer(nlp: Language, name: str):
    if not Doc.has_extension("kg_rules"):
        Doc.set_extension("kg_rules", default=None)
    return EntityRecognizer(nlp.lang, nlp.tokenizer)


class EntityRecognizer:
    def __init__(self, lang: str, tokenizer):
        self.tokenizer = tokenizer
        titles = resources.data("titles")
        labels = resources.data("ner_labels")
        junk = resources.data("junk")
        self.lang = lang
        self.label_map = {**labels.get(lang, {}), **labels["any"]}
        self.dropped_labels = set(labels["dropped"])
        self.closing = {o: c for o, c in titles["quotes"]}
        self.speech_verbs = frozenset(titles["speech_verbs"].get(lang, []))
        self.max_tokens = titles["max_title_tokens"]
        self.connectors = set(titles["connectors"].get(lang, []))
        self.determiners = set(titles["determiners"].get(lang, []))
        self.cues_before = titles["cues_before"].get(lang, {})
        self.cues_after = titles["cues_after"].get(lang, {})
        self.context = {cls: set(words) for cls, words in titles["context"].get(lang, {}).items()}
        self.work_list_openers = set(titles["work_lists"]["openers"].get(lang, []))
        self.work_list_nouns = titles["work_lists"]["nouns"].get(lang, {})
        self.title_articles = set(titles["possessive_title_articles"].get(lang, []))
        self.person_agents = set(titles["person_agents"].get(lang, []))
        self.agent_markers = set(titles["person_agents"]["agent_markers"])
        self.name_prepositions = set(titles["name_prepositions"].get(lang, []))
        self.franchise_after = set(titles["franchise_after"].get(lang, []))
        self.possessive_window = titles["possessive_window"]
        self.work_slots = {prep: set(words) for prep, words in titles["work_slots"].get(lang, {}).items()}
        self.company_nouns = set(titles["company_nouns"].get(lang, []))
        self.company_slots = {prep: set(words) for prep, words in titles["company_slots"].get(lang, {}).items()}
        self.company_slot_modifiers = set(titles["company_slots"]["modifiers"].get(lang, []))
        self.short_company_names = set(titles["short_company_names"]["names"])
        given = resources.data("given_names")
        self.given_names, self.not_last_names = set(given["names"]), set(given["not_last"])
        self.name_suffixes = set(given["suffixes"])
        characters = resources.data("characters")
        self.character_cues = {key: set(value.get(lang, [])) for key, value in characters.items() if key != "_doc"}
        self.appositive_openers = set(titles["appositive_openers"].get(lang, []))
        self.company_appositions = set(titles["company_appositions"].get(lang, []))
        self.work_participles = set(titles["work_participles"].get(lang, []))
        self.cast_verbs = set(titles["cast_verbs"].get(lang, []))
        self.next_sentence_descriptions = titles["next_sentence_descriptions"].get(lang, {})
        self.list_breakers = self.agent_markers | set(titles["work_lists"]["breakers"].get(lang, []))
        self.title_last_words = titles["title_last_words"].get(lang, {})
        self.franchise_reach = titles["context"]["franchise_reach"]
        self.name_articles = set(titles["capitalised_articles"]["articles"])
        self.company_last_words = set(titles["capitalised_articles"]["company_last_words"])
        self.source_cues = [cue.split() for cue in titles["source_cues"].get(lang, [])]
        self.source_skip = titles["source_cues"]["skip_words"]
        self.source_cue_ends = {cue[-1] for cue in self.source_cues}
        sentence_case = titles["sentence_case_titles"]
        self.sentence_case = (set(sentence_case["openers"].get(lang, [])), set(sentence_case["stops"].get(lang, [])),
                              set(sentence_case["trailing"].get(lang, [])), sentence_case["max_tokens"])
        headline = titles["headline_titles"]
        self.headline_separators, self.headline_max_words = tuple(headline["separators"].get(lang, [])), headline["max_words"]
        self.default_work = titles["default_work_class"]
        self.junk = {fold(w) for w in junk["words"]}
        self.demonyms = {fold(w) for w in junk["demonyms"]}
        self.min_letters = junk["min_letters"]
        self.award_words = set(junk["award_words"])

    # -- pipeline entry point -------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        self._sentences = SentenceIndex(doc)  # for this call: ``token.sent`` rescans the Doc each time
        self._text = doc.text
        self._networks = {ent.end for ent in doc.ents if ent.ent_id_ == "network"}  # TV networks (domain list)
        self._positions = None  # token text -> indices, built on first use (named_mid_sentence)
        self.article_default = self.prevailing_work_class(doc)
        headings = self._headings = self.heading_tokens(doc)
        self._nicknamed: list[tuple[int, int]] = []  # 'Carmen “Carmy” Berzatto' spans (quoted_titles)
        quoted = self.quoted_titles(doc)
        names = self.with_nicknames(self.with_given_names(doc, join_hyphenated(doc, self.ner_candidates(doc))))
        candidates = (names + quoted + self.cue_titles(doc) + self.colon_titles(doc)
                      + self.possessive_titles(doc) + self.owner_works(doc) + self.sentence_case_titles(doc)
                      + self.headline_titles(doc))
        candidates = [c for c in (self.clean(doc, c) for c in candidates) if c is not None
                      and not self.is_capitalised_opener(doc, c)]
        accepted = select_non_overlapping(candidates)
        accepted = [c for c in accepted if not (headings & set(range(c.start, c.end)))
                    or c.rule in ("ruler", "quote", "headline-title")]
        for cand in accepted:
            cand.cls = self.final_class(doc, cand, accepted)
            if cand.cls in WORK_CLASSES and cand.start > 0 and doc[cand.start - 1].lower_ in DEFINITE_ARTICLES \
                    and doc[cand.start - 1].text[:1].isupper() and cand.start - 1 not in taken_by(accepted):
                cand.start -= 1  # "The Crown": the article is part of the title
        self.retype_surnames(doc, accepted)
        accepted = [c for c in accepted if c.cls is not None]
        characters: set[str] = set()
        played_ends: set[int] = set()  # where a character's name ends: "as Morticia and Gomez Addams"
        for cand in sorted(accepted, key=lambda c: c.start):
            if self.is_character(doc, cand, accepted, played_ends):
                characters.add(fold(doc[cand.start:cand.end].text))
                played_ends.add(cand.end)
        played = lambda c: (c.rule in ("ner", "gazetteer") and c.cls in NAME_CLASSES  # noqa: E731
                            and fold(doc[c.start:c.end].text) in characters)
        accepted = [c for c in accepted if not played(c)]
        real_surnames = {fold(doc[c.start:c.end].text).split()[-1] for c in accepted
                         if c.cls == "Person" and " " in fold(doc[c.start:c.end].text)}
        characters |= {name.split()[-1] for name in characters if " " in name} - real_surnames  # "Gomez Addams", then "Addams"
        found = self.gazetteer(doc, accepted) + self.surname_mentions(doc, accepted)
        accepted = select_non_overlapping(accepted + [c for c in found if not played(c)])
        harmonise_work_classes(doc, accepted)
        harmonise_name_families(doc, accepted)
        spans = [Span(doc, c.start, c.end, label=c.cls) for c in sorted(accepted, key=lambda c: c.start)]
        doc.ents = spans
        doc._.kg_rules = {(s.start_char, s.end_char): (c.rule, RULES[c.rule][1] * (DEFAULT_TYPE_PENALTY if c.typed_by_default else 1))
                          for s, c in zip(spans, sorted(accepted, key=lambda c: c.start))}
        return doc

    # -- candidate sources ----------------------------------------------------------
    def ner_candidates(self, doc: Doc) -> list[Candidate]:
        out = []
        for ent in doc.ents:
            if ent.label_ in self.dropped_labels or any(t.text in self.award_words for t in ent):
                continue  # ("the People’s Choice Award": no entity, no owner)
            rule = "ruler" if ent.ent_id_ else "ner"
            if ent.ent_id_ == "company-suffix" and ent.start in self._headings:
                ent = self.body_form(doc, ent)
            cls = self.label_map.get(ent.label_)
            inner = [t.i for t in ent[1:-1] if t.lower_ in POSSESSIVES and t.lower_ not in {"'", "’"}]
            author = author_split(ent) if rule == "ner" and ent.label_ in ("MISC", "PER") else None
            if author is not None:  # "Les Linceuls de David Cronenberg": a work, then its author
                out.append(Candidate(ent.start, author - 1, "CreativeWork", "owner-work"))
                out.append(Candidate(author, ent.end, "Person", rule))
            elif inner and rule == "ner":  # "Greta Gerwig’s Barbie": the owner, then a name typed by context
                colon = max((t.i for t in ent[:inner[0] - ent.start] if t.text == ":"), default=None)
                owner_start = ent.start if colon is None else colon + 1  # "Box Office: Bong Joon Ho’s"
                out.append(Candidate(owner_start, inner[0], None if cls in WORK_CLASSES else cls, rule))
                out.append(Candidate(inner[0] + 1, ent.end, "CreativeWork", rule))
            else:
                out.append(Candidate(ent.start, ent.end, cls, rule))
        return out

    def body_form(self, doc: Doc, ent: Span) -> Span:
        """A company name a headline's capitalised words run into ("Peter Safran Unveil
        First DC Studios") cut to its longest tail that the article repeats more often."""
        count = self._text.count(ent.text)
        for start in range(ent.start + 1, ent.end - 1):
            if self._text.count(doc[start:ent.end].text) > count:
                return Span(doc, start, ent.end, label=ent.label_, span_id=ent.id_)
        return ent

    def with_given_names(self, doc: Doc, candidates: list[Candidate]) -> list[Candidate]:
        """A person's name the NER began after its given name ("stars Margot [Robbie]")
        takes the known given name (``given_names.json``) right before it back; so does a
        one-word company or place the NER found there ("Walker [Scobell] returns"), then a person."""
        for cand in candidates:
            before = doc[cand.start - 1] if cand.start > 0 else None
            if cand.cls in ("Person", "Organization", "Place") and cand.rule == "ner" and cand.end - cand.start == 1 \
                    and before is not None and not before.ent_type_ and doc[cand.start].is_title \
                    and before.text in self.given_names and before.is_alpha and before.whitespace_:
                cand.start -= 1
                cand.cls = "Person"
        return candidates

    def with_nicknames(self, candidates: list[Candidate]) -> list[Candidate]:
        """One person's name for each name with a quoted nickname, in place of the NER's
        pieces of it (it reads "Monk” Ellison" as a title)."""
        if not self._nicknamed:
            return candidates
        kept = [c for c in candidates if not any(c.start < end and start < c.end for start, end in self._nicknamed)]
        return kept + [Candidate(start, end, "Person", "ner") for start, end in self._nicknamed]

    def quoted_titles(self, doc: Doc) -> list[Candidate]:
        out = []
        for open_i, close_i in quoted_spans(doc, self.closing, self.speech_verbs):
            start, end = open_i + 1, title_end(doc, open_i + 1, close_i)
            inner = doc[start:end]
            if not inner.text.strip() or len(inner) > self.max_tokens or inner[-1].text in {",", ".", "!", "?", "…"}:
                continue
            if end - start == 1 and self.is_nickname(doc, open_i, close_i):
                self._nicknamed.append((open_i - 1, close_i + 2))
                continue  # 'Carmen “Carmy” Berzatto': a nickname between a given name and a surname
            if len(inner.text.split()) >= 4 and open_i >= 2 and doc[open_i - 1].text == ":" \
                    and doc[open_i - 2].ent_type_ in PERSON_LABELS:
                continue  # "Joël Dicker : « Je n’écris jamais avec un plan »": a person's words
            out.append(Candidate(start, end, "CreativeWork", "quote"))
        return out

    def is_nickname(self, doc: Doc, open_i: int, close_i: int) -> bool:
        """Whether the one-word quotation ``doc[open_i+1]`` sits between a given name and a
        surname: a known given name before it ('Carmen “Carmy” Berzatto'), or, outside a
        headline, two bare proper nouns around it ('Thelonious “Monk” Ellison')."""
        if " " in doc[open_i + 1].text or open_i == 0 or close_i + 1 >= len(doc):
            return False
        before, after = doc[open_i - 1], doc[close_i + 1]
        if not (is_capitalised(after) and before.is_alpha and before.is_title):
            return False
        if before.text in self.given_names:
            return True
        return (open_i - 1 not in self._headings and (not before.is_sent_start or before.tag_ == "NNP")
                and before.ent_type_ in NICKNAME_NEIGHBOUR_LABELS and after.ent_type_ in NICKNAME_NEIGHBOUR_LABELS
                and after.tag_ in ("NNP", "PROPN") and after.is_title)

    def cue_titles(self, doc: Doc) -> list[Candidate]:
        out = []
        surnames = {ent[-1].text for ent in doc.ents if ent.label_ in PERSON_LABELS and len(ent) >= 2}
        hyphens = {t.i for t in doc if t.text == "-"}
        for token in doc:
            # "the spin-off X", "X spin-off": the tokenizer split the cue word
            lower = hyphenated_word(doc, token.i, ending=True) if token.i - 1 in hyphens else token.lower_
            if lower in self.cues_before and token.i + 1 < len(doc) and not inside_name(doc, token.i, before=True):
                end = self.cut_before_name(doc, token.i + 1, self.title_run_forward(doc, token.i + 1), second_title=False)
                if self.cues_before[lower] == "Organization" and (doc[token.i + 1].ent_type_ in PERSON_LABELS
                                                                  or doc[token.i + 1].text in surnames):
                    continue  # "the company Nina Falk founded": a person follows the cue
                if end > token.i + 1:
                    out.append(Candidate(token.i + 1, end, self.cues_before[lower], "cue-before"))
                elif doc[token.i + 1].text == ",":
                    start = token.i + 2
                    end = self.title_run_forward(doc, start)
                    if end > start and self.is_apposition_of(doc, token, start, end):
                        out.append(Candidate(start, end, self.cues_before[lower], "cue-before"))
            if token.text == "," and token.i > 0:
                cls = self.appositive_class(doc, Candidate(token.i, token.i, None, "appositive"))
                start = self.title_run_backward(doc, token.i) if cls else token.i
                if start < token.i and (not doc[start].is_sent_start or self.named_mid_sentence(doc, start, token.i)) \
                        and not (start > 0 and doc[start - 1].text in SURNAME_PARTICLES):  # ("by del Toro, the film")
                    out.append(Candidate(start, token.i, cls, "appositive"))
            lower = hyphenated_word(doc, token.i, ending=False) if token.i + 1 in hyphens else token.lower_
            if lower in self.cues_after and token.i > 0 and not inside_name(doc, token.i, before=False):
                start = self.title_run_backward(doc, token.i)
                if start == token.i - 1 and doc[start].is_sent_start and doc[start].pos_ not in NAME_POS:
                    continue  # "Additional cast members": a capitalised first word is no title
                if start < token.i and not any(t.ent_type_ in NAMED_NOT_WORK for t in doc[start:token.i]) \
                        and not self.names_the_title_after(doc, token.i):
                    out.append(Candidate(start, token.i, self.cues_after[lower], "cue-after"))
        return out

    @staticmethod
    def names_the_title_after(doc: Doc, cue: int) -> bool:
        """Whether a quoted title follows the cue noun, so names the work ("the next Bond film,
        “X”": Bond qualifies X, it is not the film)."""
        i = cue + 1
        if i < len(doc) and doc[i].text == ",":
            i += 1
        return i + 1 < len(doc) and doc[i].is_quote and doc[i + 1].text[:1].isupper()

    def named_mid_sentence(self, doc: Doc, start: int, end: int) -> bool:
        """Whether the words of ``doc[start:end]``, which open a sentence, occur capitalised
        in the middle of another one: a name, not a sentence opener ("Overseas, the film...",
        "In September, the season...")."""
        if self._positions is None:
            self._positions = {}
            for token in doc:
                self._positions.setdefault(token.text, []).append(token.i)
        words = [t.text for t in doc[start:end]]
        return any(i != start and not doc[i].is_sent_start and [t.text for t in doc[i:i + len(words)]] == words
                   for i in self._positions.get(words[0], ()))

    @staticmethod
    def is_apposition_of(doc: Doc, cue, start: int, end: int) -> bool:
        """``his latest film, Oppenheimer, won``: the run is set off by commas and the parse
        attaches it to the cue word (``appos``, or ``conj`` in the French model)."""
        closed = end >= len(doc) or doc[end].text in {",", ".", ";", "(", "!", "?"} or doc[end].is_sent_start
        return closed and any(t.head.i == cue.i and t.dep_ in {"appos", "conj"} for t in doc[start:end])

    def sentence_case_titles(self, doc: Doc) -> list[Candidate]:
        """``dirigé dans La Loi du marché et En guerre``: a French title, capitalised on its
        first word only, opened in mid-sentence by a capitalised article or preposition
        outside any name (``sentence_case_titles`` in ``titles.json``)."""
        openers, stops, trailing, max_tokens = self.sentence_case
        if not openers:
            return []
        people = [ent.text for ent in doc.ents if ent.label_ in PERSON_LABELS and len(ent) >= 2]
        out = []
        for token in doc:
            if token.text not in openers or token.is_sent_start or token.ent_type_ not in ("", "MISC") or token.i < 2 \
                    or doc[token.i - 1].is_punct or doc[token.i - 1].is_space or self.is_heading_line(self.sent_of(doc, token.i)):
                continue
            if doc[token.i - 1].lower_ in self.name_prepositions | {"de", "du"} and doc[token.i - 2].text[:1].isupper():
                continue  # "Alexandre de La Patellière": a name particle
            end = token.i + 1
            while end < len(doc) and end - token.i < max_tokens:
                nxt = doc[end]
                if nxt.is_punct or nxt.is_space or nxt.lower_ in stops or nxt.is_sent_start:
                    break
                if nxt.lower_ == "en" and end + 1 < len(doc) and doc[end + 1].like_num:
                    break  # "Un prophète en 2009"
                if nxt.lower_ in ("de", "d’", "d'") and end + 2 < len(doc) and is_capitalised(doc[end + 1]) \
                        and is_capitalised(doc[end + 2]):
                    break  # "La Vie d’Adèle d’Abdellatif Kechiche": the author's full name follows
                if nxt.ent_type_ not in ("", "MISC") and nxt.ent_iob_ == "B":
                    break  # another name
                end += 1
            while end > token.i + 1 and doc[end - 1].lower_ in trailing:
                end -= 1
            if end - token.i >= 2 and not any(doc[token.i:end].text in person for person in people):  # ("de La Patellière")
                out.append(Candidate(token.i, end, "CreativeWork", "sentence-title"))
        return out

    def colon_titles(self, doc: Doc) -> list[Candidate]:
        out = []
        for token in doc:
            if token.text != ":" or token.i == 0 or token.i + 1 >= len(doc):
                continue
            left, right = doc[token.i - 1], doc[token.i + 1]
            spaced = bool(doc[token.i - 1].whitespace_)  # French typography: "Titre : Sous-titre"
            if not (is_capitalised(left) and is_capitalised(right)) or (spaced and doc.lang_ != "fr"):
                continue
            start = self.title_run_backward(doc, token.i, max_tokens=4)
            end = self.title_run_forward(doc, token.i + 1)
            end = self.cut_before_name(doc, token.i + 1, end)
            if start < token.i and end > token.i + 1 and not self.is_heading_line(self.sent_of(doc, start)) \
                    and not is_heading_text(line_at(self._text, token.idx)):
                # unquoted, "Avatar: The Way of Water" is one title; only a quoted one is split
                out.append(Candidate(start, end, "CreativeWork", "colon-title"))
        return out

    def headline_titles(self, doc: Doc) -> list[Candidate]:
        """``J’ai perdu mon corps : Jérémy Clapin signe ...``: the unquoted words opening the
        headline before its separator are a title when they recur, in the same case, in the
        body; every occurrence is a candidate (``headline_titles`` in ``titles.json``)."""
        headline = self._text.split("\n", 1)[0]
        cut = min((i for i in (headline.find(sep) for sep in self.headline_separators) if i > 0), default=-1)
        title = headline[:cut].strip()
        if cut < 0 or not title[:1].isupper() or len(title.split()) > self.headline_max_words \
                or any(ch.isdigit() or ch in ",;«»“”‘\"" for ch in title) or self.is_junk(title):
            return []
        out, in_body = [], False
        for match in re.finditer(rf"(?<!\w){re.escape(title)}(?!\w)", self._text):
            span = doc.char_span(match.start(), match.end())
            if span is None or any(t.ent_type_ in NAMED_NOT_WORK for t in span):
                return []  # a person's, company's or place's name, not a title
            in_body = match.start() > len(headline)
            if in_body and self._text.startswith(self.headline_separators, match.end()):
                return []  # "Astérix & Obélix : Mission Cléopâtre": a franchise before its subtitles
            out.append(Candidate(span.start, span.end, "CreativeWork", "headline-title"))
        return out if in_body else []

    def possessive_titles(self, doc: Doc) -> list[Candidate]:
        """``The Queen's Gambit``: "The", capitalised words, a possessive and one capitalised
        word that no further name follows (``The Crown's Olivia Colman`` is a possessive)."""
        out = []
        for token in doc:
            i = token.i
            if token.lower_ not in POSSESSIVES or i < 2 or i + 1 >= len(doc) or not is_capitalised(doc[i + 1]):
                continue
            if i + 2 < len(doc) and (is_capitalised(doc[i + 2]) or doc[i + 2].lower_ in POSSESSIVES):
                continue
            start = self.title_run_backward(doc, i, max_tokens=4)
            if start < i and doc[start].text in self.title_articles:
                out.append(Candidate(start, i + 2, "CreativeWork", "possessive-title"))
        return out

    def cut_before_name(self, doc: Doc, start: int, end: int, second_title: bool = True) -> int:
        """A title-case run ends before "de Guillaume Canet", "with Ben Stiller", "and Ridley
        Scott's" or "et Les Trois...": a person (for the NER, by a known given name, or as
        the owner of a possessive), or a second title (``second_title``: not after a cue word,
        "l’album Astérix et le Combat des chefs"), after a connector."""
        for token in doc[start + 1:end]:
            following = doc[token.i + 1] if token.i + 1 < end else None
            if token.lower_ in self.connectors and following is not None and (
                    following.ent_type_ in PERSON_LABELS
                    or self.is_person_name(doc[token.i + 1:min(end, token.i + 3)].text)
                    or (second_title and token.lower_ in ("et", "and") and following.lower_ in self.determiners)
                    or (end < len(doc) and doc[end].lower_ in POSSESSIVES and end - token.i <= 4)):
                return token.i  # (the last: "A's Licorice Pizza and Ridley Scott's X", another owner)
        return end

    def owner_works(self, doc: Doc) -> list[Candidate]:
        """``Martin Scorsese’s The Irishman``, ``Disney’s live-action Aladdin``: after a person's
        or company's possessive (and at most two lower-case words), a title-case run that
        the NER does not call a name is a work."""
        out = []
        for ent in doc.ents:
            if ent.label_ not in OWNER_LABELS or ent.end + 1 >= len(doc):
                continue
            if ent[-1].lower_ in POSSESSIVES:  # the NER took the "’s" in: "Martin Scorsese’s"
                start = ent.end
            elif doc[ent.end].lower_ in POSSESSIVES:
                start = ent.end + 1
            else:
                continue
            while start < min(len(doc), ent.end + 3) and doc[start].is_lower and not doc[start].is_punct:
                start += 1
            first = doc[start] if start < len(doc) else None
            if first is None or not is_capitalised(first) or first.is_quote or first.is_sent_start \
                    or (first.ent_type_ in OWNER_LABELS and first.ent_iob_ == "B"):
                continue
            end = self.cut_before_name(doc, start, self.title_run_forward(doc, start))
            if end > start and not names_a_quoted_title(doc, end):
                out.append(Candidate(start, end, "CreativeWork", "owner-work"))
        return out + self.works_before_author(doc) + self.career_span_titles(doc)

    def career_span_titles(self, doc: Doc) -> list[Candidate]:
        """``Zoe Saldaña, des Gardiens de la Galaxie à Star Trek``, ``Fassbender: from Hunger
        to The Killer``: the two title-case runs of a span after a person's name are works."""
        openers, closers = CAREER_SPAN.get(doc.lang_, ((), ()))
        out = []
        for ent in doc.ents:
            i = ent.end
            if ent.label_ not in PERSON_LABELS or i + 2 >= len(doc) or doc[i].text not in (",", ":") \
                    or doc[i + 1].lower_ not in openers:
                continue
            start = i + 2 + (doc[i + 2].is_quote)
            end = self.title_run_forward(doc, start, max_tokens=8)
            close = end + (end < len(doc) and doc[end].is_quote)
            if end == start or close >= len(doc) or doc[close].lower_ not in closers:
                continue
            second = close + 1 + (close + 1 < len(doc) and doc[close + 1].is_quote)
            second_end = self.title_run_forward(doc, second, max_tokens=8)
            if second_end > second:
                out += [Candidate(start, end, "CreativeWork", "owner-work"), Candidate(second, second_end, "CreativeWork", "owner-work")]
        return out

    def works_before_author(self, doc: Doc) -> list[Candidate]:
        """``Les Linceuls de David Cronenberg``: in French, a title-case run that the NER
        does not call a name, then "de" and a person, is a work."""
        if doc.lang_ != "fr":
            return []
        out = []
        for ent in doc.ents:
            of = ent.start - 1
            if ent.label_ not in PERSON_LABELS or of < 1 or doc[of].lower_ not in ("de", "d’", "d'"):
                continue
            start = self.title_run_backward(doc, of, max_tokens=6)
            before = doc[of - 1]
            if start == of and before.ent_type_ == "MISC":  # "Illusions perdues de Xavier Giannoli"
                start = next(e.start for e in doc.ents if e.start <= before.i < e.end)
            for token in doc[start:of]:  # "A de B et Parthenope de C": the title after the last "et"
                if token.i + 1 < of and (token.lower_ == "et" or (token.lower_ == "de" and doc[token.i + 1].ent_type_ in PERSON_LABELS)):
                    start = token.i + 1
            named = [t for t in doc[start:of] if t.ent_type_ in NAMED_NOT_WORK and t.ent_type_ != "MISC"
                     and doc[of].ent_iob_ != "I"]  # "Parthenope de" tagged a person: the NER slipped
            if start < of and not doc[start].is_sent_start and not named:
                out.append(Candidate(start, of, "CreativeWork", "owner-work"))
        return out

    # -- title-case runs ------------------------------------------------------------
    def title_run_forward(self, doc: Doc, start: int, max_tokens: int | None = None) -> int:
        """End (exclusive) of the title-case run starting at ``start``, or ``start``."""
        limit = min(len(doc), start + (max_tokens or self.max_tokens))
        if start >= len(doc) or not (is_capitalised(doc[start]) or doc[start].text[:1].isdigit()):
            return start
        end = start + 1
        i = start + 1
        while i < limit:
            token = doc[i]
            if token.is_sent_start or token.is_space:
                break
            if is_capitalised(token) or (token.text[:1].isdigit() and i == end):
                end = i + 1
            elif token.lower_ in self.connectors or token.text in {":", "-", "&"}:
                pass  # allowed inside, kept only if a capitalised word follows
            else:
                break
            i += 1
        last = doc[end - 1]
        if last.ent_iob_ in ("B", "I") and last.ent_type_ in ("MISC", "WORK_OF_ART"):
            entity = next(e for e in doc.ents if e.start <= last.i < e.end)
            if entity.start >= start:  # "Le Combat des chefs": the NER sees the lower-case end of a title
                end = max(end, entity.end)
        return end

    def title_run_backward(self, doc: Doc, end: int, max_tokens: int | None = None) -> int:
        """Start of the title-case run ending just before ``end``, or ``end``."""
        limit = max(0, end - (max_tokens or self.max_tokens))
        start = end
        if end == 0 or not (is_capitalised(doc[end - 1]) or doc[end - 1].text[:1].isdigit()):
            return end  # "X is a sequel": the cue must follow the title directly
        i = end - 1
        while i >= limit:
            token = doc[i]
            if token.is_space:
                break
            if is_capitalised(token) or token.text[:1].isdigit():
                start = i
            elif token.lower_ in self.connectors or token.text in {":", "-", "&"}:
                pass
            else:
                break
            if token.is_sent_start:
                break
            i -= 1
        if start < end and doc[start].lower_ in self.determiners and doc[start].text[:1].isupper() and doc[start].lower_ not in DEFINITE_ARTICLES:
            start += 1  # "A Blue Harbor sequel": the article belongs to the cue
        return start

    # -- cleaning and typing --------------------------------------------------------
    def clean(self, doc: Doc, cand: Candidate) -> Candidate | None:
        start, end = cand.start, cand.end
        while start < end and (doc[start].is_space or doc[start].text in OPEN_PUNCT or doc[start].text in CLOSE_PUNCT):
            start += 1
        while end > start and (doc[end - 1].is_space or doc[end - 1].text in CLOSE_PUNCT or doc[end - 1].text in OPEN_PUNCT
                               or doc[end - 1].lower_ in POSSESSIVES):
            end -= 1
        if start >= end:
            return None
        if end - start > 1 and doc[start].lower_ in self.determiners and doc[start].text[:1].islower():
            start += 1  # "the Harry Potter films": a lower-case article is no part of a name
        if cand.cls in NAME_CLASSES:
            dash = next((t.i for t in doc[start + 1:end] if t.text in DASHES), None)
            end = dash if dash is not None else end  # "Julie Morel — Publié le": the name ends at the dash
            while end - start > 1 and doc[end - 1].text[-1:] in "’'" and len(doc[end - 1].text) <= 3:
                end -= 1  # "Assane Diop n’a": the elided word belongs to the verb
            while end - start > 1 and (doc[start].lower_ in self.name_prepositions
                                       or (doc[start].text[-1:] in "’'" and doc[start].text[:1].islower())):
                start += 1  # "de France", "qu’Antoine Gouy"
            if end - start > 1 and start > 0 and fold(doc[start].text) in self.demonyms \
                    and (doc[start - 1].is_lower or doc[start - 1].lower_ in self.determiners) \
                    and (cand.cls == "Person" or self.is_person_name(doc[start + 1:end].text)):
                start += 1  # "la Britannique Lynne Ramsay": a people, then a person's name ("la société American Zoetrope" stays)
        cand = Candidate(start, end, cand.cls, cand.rule)
        first = doc[start]
        if cand.cls == "Person" and first.lower_ in self.determiners and first.text[:1].isupper() and end - start > 1:
            cand.cls = None  # "The Crown" is no person: a work, typed by context
        elif cand.cls == "Person" and start > 0 and doc[start - 1].text in {"The", "Le", "La"}:
            cand.start, cand.cls = start - 1, None
        elif (article := self.capitalised_article(doc, cand)) is not None:  # "for The Brutalist", "joined The Directors Company"
            cand.start = article
            cand.cls = "Organization" if doc[cand.end - 1].text in self.company_last_words else "CreativeWork"
        elif cand.cls in ("Organization", "Place") and first.lower_ in self.determiners and end - start > 1 \
                and cand.rule != "ruler":
            cand.start += 1  # (a domain-list name keeps its article: "Le Pacte", "The CW")
        text = doc[cand.start:cand.end].text
        if self.is_junk(text, quoted=cand.rule == "quote"):
            return None
        return cand

    def capitalised_article(self, doc: Doc, cand: Candidate) -> int | None:
        """Where the capitalised article of a name the NER took for a company or place stands,
        mid-sentence, inside the name or right before it: it belongs to the name, which is a
        work unless a company word ends it ("the 2020 fantasy The Old Guard", "followed it
        with The Lighthouse", but "joined The Directors Company")."""
        if cand.rule != "ner" or cand.cls not in ("Organization", "Place"):
            return None
        article = cand.start if cand.end - cand.start > 1 and doc[cand.start].text in self.name_articles else cand.start - 1
        if article < 1 or doc[article].text not in self.name_articles or doc[article].is_sent_start or doc[article - 1].is_space:
            return None
        return article

    def is_junk(self, text: str, quoted: bool = False) -> bool:
        """Whether a span is never an entity; a title in quotes may be a junk word
        ("‘Wednesday’ Season 2")."""
        folded = fold(text)
        letters = sum(ch.isalnum() for ch in text) if any(ch.isalpha() for ch in text) else 0  # "A24", "M6"
        has_capital = any(ch.isupper() or ch.isdigit() for ch in text)
        return ((folded in self.junk or folded in self.demonyms) and not quoted) or letters < self.min_letters \
            or not has_capital or "\n" in text

    def final_class(self, doc: Doc, cand: Candidate, accepted: list[Candidate]) -> str | None:
        before = cand.start - 1
        while before >= 0 and doc[before].is_quote:
            before -= 1
        if cand.cls == "Book" or (before >= 0 and self.cues_before.get(doc[before].lower_) == "Book") \
                or (cand.cls in (*WORK_CLASSES, None) and cand.rule != "ruler" and self.book_apposition(doc, cand, before)):
            return "CreativeWork"  # "the novel X", "the novel “X”": a work, but no film or series
        if self.is_short_company_name(doc, cand):
            return "Organization"  # "released by Universal", "HBO and Max" (a surname of the article: retype_surnames)
        if cand.cls in WORK_CLASSES and cand.cls != "CreativeWork":
            return cand.cls
        if cand.end - cand.start > 1 and doc[cand.end - 1].text in self.title_last_words and cand.rule != "ruler":
            return self.title_last_words[doc[cand.end - 1].text]  # "The Super Mario Bros. Movie"
        if cand.cls in ("Organization", None) and cand.end < len(doc) and doc[cand.end].lower_ in self.franchise_after:
            return "Franchise"
        after_agent = cand.start > 1 and doc[cand.start - 1].lower_ in self.agent_markers
        if after_agent and cand.rule == "ner" and cand.cls in ("Organization", None) \
                and doc[cand.start - 2].lower_ in self.person_agents:
            return "Person"  # "directed by X": a person, whatever the NER said
        if after_agent and cand.cls in ("Organization", "Place"):
            if cand.rule == "ner" and self.is_person_name(doc[cand.start:cand.end].text):
                return "Person"  # "created by Misha Green": a given name first
            return cand.cls  # "released by X, the movie...": an agent is no work
        owner = self.possessive_owner(doc, cand, accepted) if cand.cls in NAME_CLASSES and cand.rule == "ner" else None
        if owner is not None and not self.is_person_name(doc[cand.start:cand.end].text) and (
                (owner == "Person" and cand.cls != "Organization")  # "James Wan's Atomic Monster" is his company
                or (owner == "Organization" and (cand.cls != "Person" or cand.end - cand.start > 1))):
            return self.context_class(doc, cand) or ("Film" if owner == "Person" else self.article_default)  # "the streamer's Squid Game", "Nolan's Oppenheimer"
        if cand.cls in ("Organization", "Place") and cand.rule == "ner" and cand.end - cand.start >= 2 \
                and self.list_class(doc, cand, accepted) == "Person":
            return "Person"  # "A, B et Selena Gomez": a name in a list of people, whatever the NER said
        if cand.cls == "Person" and cand.rule == "ner" and self.in_company_slot(doc, cand) \
                and not self.is_person_name(doc[cand.start:cand.end].text):
            return "Organization"  # "directeur général de Banijay"
        if cand.cls in NAME_CLASSES and cand.rule == "ner" and cand.end - cand.start == 1 and self.in_work_slot(doc, cand):
            return self.context_class(doc, cand) or self.article_default  # "the director of Hereditary"
        if cand.cls in ("Organization", "Place", None) and cand.rule == "ner" and self.is_person_name(doc[cand.start:cand.end].text):
            return "Person"  # "Jean-Luc Godard's Breathless": a given name first, whatever the NER said
        if cand.cls in ("Person", "Organization", "Place") and cand.rule == "ner" and self.stars_a_person(doc, cand):
            cand.typed_by_cue = True
            return self.context_class(doc, cand) or self.article_default  # "Nosferatu stars Bill Skarsgård"
        if cand.cls in ("Person", "Place", None) and cand.rule == "ner" and self.before_its_director(doc, cand):
            return self.context_class(doc, cand) or self.article_default  # "Dans Chocolat, de Roschdy Zem"
        if cand.cls in ("Person", "Organization", "Place", None) and cand.rule == "ner":
            listed = self.listed_work_class(doc, cand)
            if listed is not None:
                return listed  # "releases such as Roma, The Irishman and Marriage Story"
        if cand.cls in ("Person", "Organization", "Place"):
            if cand.rule == "ruler":
                return cand.cls  # a name from a domain list ("Netflix's films" keeps Netflix a company)
            work = self.possessive_work_class(doc, cand) or (cand.cls != "Person" and cand.rule == "ner"
                                                             and self.appositive_class(doc, cand))
            if cand.cls == "Person" and cand.rule == "ner" and not self.is_person_name(doc[cand.start:cand.end].text):
                return (self.appositive_head_class(doc, cand)  # "Beetlejuice Beetlejuice, the sequel to..."
                        or ("Organization" if self.appositive_class(doc, cand) == "Organization" else cand.cls))
            return work if work and cand.cls != "Person" else cand.cls
        if cand.cls == "CreativeWork":
            found = self.possessive_work_class(doc, cand) or self.network_work_class(doc, cand)
            if found is None and self.after_source_cue(doc, cand):
                return "CreativeWork"  # "adapted from Sapkowski's The Last Wish": the source, no film
            if found is None and self.person_owned(doc, cand, accepted):
                cand.typed_by_default = True  # (a weak vote: a cue at another mention outweighs it)
                return self.nearest_cue(self.own_clause(doc, cand), cand.start, skip=range(cand.start, cand.end)) or "Film"
            found = found or self.context_class(doc, cand) or self.next_description_class(doc, cand)
            cand.typed_by_default = found is None
            return found or self.article_default
        # untyped (MISC, DATE, "The X" persons...): typed only by strong evidence
        return (self.possessive_work_class(doc, cand) or self.appositive_class(doc, cand)
                or self.list_class(doc, cand, accepted))

    def book_apposition(self, doc: Doc, cand: Candidate, before: int) -> bool:
        """Whether a book noun stands in apposition to the name, before it or after it:
        "his sixth novel, “X”", "« X », le roman d’Aidan Chambers"."""
        is_book = lambda token: self.cues_before.get(token.lower_) == "Book"  # noqa: E731
        if before >= 1 and doc[before].text == "," and any(is_book(t) for t in _noun_phrase_heads(doc[before - 1])):
            return True  # ("her debut novel in the series, “X”")
        after = cand.end
        while after < len(doc) and doc[after].is_quote:
            after += 1
        if after >= len(doc) or doc[after].text != ",":
            return False
        if any(t.dep_ == "appos" and cand.start <= t.head.i < cand.end and is_book(t)
               for t in doc[after + 1:min(len(doc), after + 8)]):
            return True  # ("“X,” the fifth and final book of the cycle")
        after += 1
        while after < len(doc) and doc[after].is_quote:
            after += 1  # ("“X,” the novel")
        if after + 1 >= len(doc) or doc[after].lower_ not in self.determiners | POSSESSIVE_DETERMINERS:
            return False
        for k, t in enumerate(doc[after + 1:min(len(doc), after + 6)]):
            if is_book(t):  # (", le roman « Y »" names another title)
                return not (t.i + 1 < len(doc) and (doc[t.i + 1].is_quote or doc[t.i + 1].is_title))
            if k >= 1 and not (t.tag_ in MODIFIER_TAGS or t.pos_ in MODIFIER_POS):
                return False  # (past two words, only modifiers: "the fifth and final book")
        return False

    def is_short_company_name(self, doc: Doc, cand: Candidate) -> bool:
        """Whether the NER found alone a one-word company name that is also a given name or a
        word (``short_company_names``: "Max", "Universal"), not after a character cue ("as Max")."""
        return (cand.rule == "ner" and cand.end - cand.start == 1 and doc[cand.start].text in self.short_company_names
                and not (cand.start > 0 and doc[cand.start - 1].lower_ in self.character_cues["as_words"]))

    def stars_a_person(self, doc: Doc, cand: Candidate) -> bool:
        """Whether a name that reads as no person's is the subject of a cast verb
        (``cast_verbs``) whose object is a person: "Nosferatu, released by Focus Features,
        stars Bill Skarsgård"."""
        head = next((t for t in doc[cand.start:cand.end] if not cand.start <= t.head.i < cand.end), None)
        if head is None or head.dep_ not in ("nsubj", "nsubj:pass") or head.head.lower_ not in self.cast_verbs \
                or self.is_person_name(doc[cand.start:cand.end].text):
            return False
        return any(c.dep_ in ("dobj", "obj") and c.ent_type_ in ("PERSON", "PER", "Person") for c in head.head.children)

    def in_work_slot(self, doc: Doc, cand: Candidate) -> bool:
        """Whether a name stands where only a work fits: "director of X", "starred in X",
        also as a later member of a list there ("director of X and Y")."""
        start = cand.start
        for _ in range(4):
            i = start - 1
            while i >= 0 and doc[i].is_quote:
                i -= 1
            if i >= 1 and doc[i - 1].lower_ in self.work_slots.get(doc[i].lower_, ()):
                return True
            if i < 1 or doc[i].lower_ not in (",", "and", "et", "&") or not doc[i - 1].ent_type_:
                return False
            start = i - 1  # the previous list member: back to its first token
            while start > 0 and doc[start].ent_iob_ == "I":
                start -= 1
        return False

    def in_company_slot(self, doc: Doc, cand: Candidate) -> bool:
        """Whether a name stands where only a company fits (``company_slots``): right after
        an executive's title and its preposition ("directeur général de Banijay", "the
        chief executive of Lionsgate")."""
        i = cand.start - 1
        if i < 1 or doc[i].lower_ not in self.company_slots:
            return False
        j = i - 1
        while j > 0 and i - j <= 2 and doc[j].lower_ in self.company_slot_modifiers:
            j -= 1
        return doc[j].lower_ in self.company_slots[doc[i].lower_]

    def possessive_owner(self, doc: Doc, cand: Candidate, accepted: list[Candidate]) -> str | None:
        """"Organization" when a name follows a company's possessive: a company of the
        domain lists ("HBO's Succession") or a noun for one ("the streamer's Squid Game and
        Stranger Things"); "Person" after a person's ("Maura Delpero's Vermiglio"); also as
        a later member of a list there.  None otherwise."""
        start = cand.start
        for _ in range(4):
            i = start - 1
            if i >= 1 and doc[i].lower_ in POSSESSIVES:
                if doc[i - 1].lower_ in self.company_nouns:
                    return "Organization"
                owner = next((c for c in accepted if c.end == i), None)
                if owner is not None and owner.cls == "Organization" and owner.rule == "ruler":
                    return "Organization"
                return "Person" if owner is not None and owner.cls == "Person" else None
            if i < 1 or doc[i].lower_ not in (",", "and", "&") or not doc[i - 1].ent_type_:
                return None
            start = i - 1
            while start > 0 and doc[start].ent_iob_ == "I":
                start -= 1
        return None

    def person_owned(self, doc: Doc, cand: Candidate, accepted: list[Candidate]) -> bool:
        """Whether a quoted title follows a person's possessive ("Joe Wright's “Darkest
        Hour”"): with no cue beside it, a film (directors own films, creators' series are
        mostly named with a cue in its own clause), whatever the article's prevailing class."""
        start = cand.start
        while start > 0 and doc[start - 1].is_quote:
            start -= 1
        return self.possessive_owner(doc, Candidate(start, cand.end, cand.cls, cand.rule), accepted) == "Person"

    def own_clause(self, doc: Doc, cand: Candidate) -> Span:
        """The name with the three tokens before it and the rest of its clause, up to the next
        comma, dash or bracket: "Gilligan's series “X”", "X's “Y” returns for a fourth season";
        past a comma right after the name only for an apposition ("“X,” the series"), not into
        the main clause ("Spielberg's “X,” has built a career in television")."""
        sent_end = self.sent_of(doc, cand.start).end
        end = cand.end
        if end < sent_end and doc[end].text in CLAUSE_BREAKS:
            after = end + 1
            while after < sent_end and doc[after].is_quote:
                after += 1
            if after < sent_end and doc[after].lower_ in self.determiners | POSSESSIVE_DETERMINERS:
                end = after
        while end < sent_end and doc[end].text not in CLAUSE_BREAKS:
            end += 1
        return doc[max(0, cand.start - 3):end]

    def before_its_director(self, doc: Doc, cand: Candidate) -> bool:
        """Whether a French name that reads as no person's is followed by « de » and a
        person's full name: the work and its director ("Inferno de Ron Howard", "Tirailleurs,
        de Mathieu Vadepied")."""
        if self.lang != "fr" or self.is_person_name(doc[cand.start:cand.end].text):
            return False
        i = cand.end
        while i < len(doc) and (doc[i].is_quote or doc[i].text == ","):
            i += 1
        if i + 1 >= len(doc) or doc[i].lower_ not in FRENCH_OF or doc[i + 1].ent_iob_ != "B":
            return False
        end = i + 2
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        name = doc[i + 1:end]
        return self.is_person_name(name.text) or (doc[i + 1].ent_type_ in PERSON_LABELS and 2 <= len(name) <= 4)

    def is_person_name(self, text: str) -> bool:
        """Whether a name reads as a person's: two to four capitalised words (particles
        aside), a known given name first, no company or place word last.

        The first word alone is weak evidence ("Warner Bros."), hence the last-word check."""
        words = text.split()
        if not 2 <= len(words) <= 4 or words[-1] in self.not_last_names:
            return False
        first = words[0]
        if first not in self.given_names and first.split("-")[0] not in self.given_names:
            return False
        return all(w[:1].isupper() or w in NAME_PARTICLES for w in words) and not any(ch.isdigit() for ch in text)

    def listed_work_class(self, doc: Doc, cand: Candidate) -> str | None:
        """The class of a name in a list of works: "Netflix releases such as A, B and C",
        "whose producing credits include A, B and C" (see ``work_lists`` in titles.json).
        An owner ("Martin Scorsese’s The Irishman") is no work."""
        if (cand.end < len(doc) and doc[cand.end].lower_ in POSSESSIVES) or doc[cand.end - 1].lower_ in POSSESSIVES:
            return None
        i, lower_run = cand.start - 1, 0
        while i >= max(0, cand.start - 40) and not doc[i + 1].is_sent_start:
            token = doc[i]
            two = f"{doc[i - 1].lower_} {token.lower_}" if i > 0 else ""
            opener = two if two in self.work_list_openers else token.lower_ if token.lower_ in self.work_list_openers else None
            if opener is not None:
                before = i - len(opener.split())
                for j in range(before, max(-1, before - 3), -1):
                    if doc[j].lower_ in self.work_list_nouns:
                        return self.work_list_nouns[doc[j].lower_] or self.article_default
                return None
            lower_run = lower_run + 1 if token.is_lower and token.lower_ not in JOINERS_AND_CONNECTORS else 0
            if lower_run > 2 or token.text in ".;:!?" or token.lower_ in self.list_breakers:
                return None  # ("credits include X, starring A and B": A and B are no works)
            i -= 1
        return None

    def retype_surnames(self, doc: Doc, accepted: list[Candidate]) -> None:
        """One-word names the NER got wrong, settled by the rest of the article.

        A lone surname the NER took for a company, a place or a work ("Nolan's first film")
        is the person named in full elsewhere; a one-word "person" that the article names as
        a title in quotes or after a cue word ("Christopher Nolan's Oppenheimer") is that
        work, unless it follows "as" (a character)."""
        titles = {fold(doc[c.start:c.end].text): c.cls for c in accepted
                  if c.rule in TITLE_RULES and c.cls in SCREEN_CLASSES}
        surnames = {doc[c.end - 1].text for c in accepted if c.cls == "Person" and c.end - c.start >= 2}
        surnames |= {doc[c.start].text.split()[-1] for c in accepted
                     if c.cls == "Person" and c.end - c.start == 1 and " " in doc[c.start].text}
        for c in accepted:  # "del Toro" of Guillermo del Toro
            words = doc[c.start:c.end].text.split() if c.cls == "Person" else []
            k = len(words) - 1
            while k > 1 and words[k - 1] in SURNAME_PARTICLES:
                k -= 1
            if k < len(words) - 1:
                surnames.add(" ".join(words[k:]))
        for cand in accepted:
            if cand.rule == "ner" and cand.end - cand.start > 1 and doc[cand.start].lower_ in SURNAME_PARTICLES \
                    and cand.cls in ("Organization", "Place", None) and doc[cand.start:cand.end].text in surnames:
                cand.cls = "Person"  # ("created by del Toro": no place)
            if cand.rule != "ner" or cand.end - cand.start != 1:
                continue
            title = titles.get(fold(doc[cand.start].text))
            if cand.cls in ("Person", "Organization", "Place", None) and title and not (cand.start > 0 and doc[cand.start - 1].lower_ in self.character_cues["as_words"]):
                cand.cls = title
            elif (cand.cls in ("Organization", "Place", None) or (cand.cls in WORK_CLASSES and not title)) \
                    and doc[cand.start].text in surnames:
                cand.cls = "Person"

    def is_character(self, doc: Doc, cand: Candidate, accepted: list[Candidate], played_ends: set[int] = frozenset()) -> bool:
        """Whether a name is a fictional character an actor plays ("X plays Laszlo", "returns
        as Mackintosh", "Tom Cruise as Ethan Hunt", "the role of Joel", "A en Arben"), or is
        coordinated with one ("as Morticia and Gomez Addams": ``played_ends`` holds where the
        characters found before end): no entity of the graph.  Names from the domain lists
        and titles are never characters."""
        if cand.cls not in NAME_CLASSES or cand.rule not in ("ner", "gazetteer"):
            return False
        cues = self.character_cues
        followed_by_role = cand.end < len(doc) and doc[cand.end].lower_ in cues["as_words"] | cues["person_en"]
        if cand.start >= 2 and doc[cand.start - 1].lower_ in ("and", "et", "&") and cand.start - 1 in played_ends \
                and not followed_by_role:  # (not "as Dickens and Oscar Isaac as Jesus")
            return True
        if cand.cls == "Person" and cand.start >= 2 and doc[cand.start - 1].lower_ in POSSESSIVES:
            owner = next((c for c in accepted if c.end == cand.start - 1), None)
            if owner is not None and owner.cls == "Person" and owner.end - owner.start >= 2:
                return True  # "Gwendoline Christie's Principal Weems": an actor's part
        if cand.cls == "Person" and self.relative_of_a_character(doc, cand, accepted, played_ends):
            return True
        i = cand.start - 1
        while i >= 0 and cand.start - i <= 5 and doc[i].lower_ in cues["modifiers"] and not doc[i].ent_type_:
            i -= 1
        if i < 0:
            return False
        word = doc[i].lower_
        inverted = lambda k: k > 0 and doc[k - 1].lower_ in ("qu’", "qu'", "que")  # noqa: E731  ("qu’incarne A": A plays)
        if word in cues["role_verbs"]:
            return not inverted(i)
        j = i
        while j >= 0 and cand.start - j <= 5 and not doc[j].ent_type_ and doc[j].lower_ not in cues["role_verbs"] and (
                doc[j].is_lower and doc[j].lower_ not in cues["not_in_role"] or doc[j].lower_ in cues["modifiers"]):
            j -= 1  # "played real-life aviator Tom Hudner", "plays astronaut John Glenn"
        if j >= 0 and j < i and doc[j].lower_ in cues["role_verbs"]:
            return not inverted(j)
        if word in cues["role_of"] and i > 0 and doc[i - 1].lower_ in cues["role_nouns"]:
            return True
        if word in cues["as_words"]:
            before = [c for c in accepted if c.end == i]
            if before and before[0].cls == "Person":
                return True  # "stars Tom Cruise as Ethan Hunt"
            window = doc[max(self.sent_of(doc, i).start, i - 5):i]
            return any(t.lower_ in cues["cast_verbs"] for t in window)
        if word in cues["person_en"] and cand.cls == "Person":
            before = [c for c in accepted if c.end == i]
            return bool(before) and before[0].cls == "Person"  # "Karim Leklou en Arben"
        return False

    def relative_of_a_character(self, doc: Doc, cand: Candidate, accepted: list[Candidate], played_ends: set[int]) -> bool:
        """"Morticia's mother, Hester Frump", "Wednesday's werewolf roommate Enid Sinclair":
        a relative (``relatives``) of a character or of a work's figure, whose possessive
        owner is no real person's name ("Nolan's wife, Emma Thomas" is real)."""
        i = cand.start - 1
        if i >= 0 and doc[i].text == ",":
            i -= 1
        if i < 0 or doc[i].lower_ not in self.character_cues["relatives"]:
            return False
        j = i - 1
        while j >= 0 and i - j <= 3 and doc[j].lower_ not in POSSESSIVES and doc[j].is_lower:
            j -= 1  # "volatile", "werewolf"
        if j < 1 or doc[j].lower_ not in POSSESSIVES or not doc[j - 1].text[:1].isupper():
            return False
        owner = next((c for c in accepted if c.end == j), None)
        if owner is not None and owner.end in played_ends:
            return True
        people = [c for c in accepted if c.cls == "Person" and c.end - c.start >= 2]
        name = doc[owner.start:owner.end].text if owner is not None else doc[j - 1].text
        return not any(name in (doc[p.start:p.end].text, doc[p.start].text, doc[p.end - 1].text) for p in people)

    def possessive_work_class(self, doc: Doc, cand: Candidate) -> str | None:
        """``X's best episodes`` -> TVSeries; ``X's box office`` -> Film."""
        if cand.end >= len(doc) or not is_possessive(doc, cand):
            return None
        sent_end = self.sent_of(doc, cand.start).end
        window = doc[cand.end + 1 : min(sent_end, cand.end + 1 + self.possessive_window)]
        return self.nearest_cue(window, cand.end)

    def appositive_class(self, doc: Doc, cand: Candidate) -> str | None:
        """``X, which was the year's most-watched film`` -> Film; ``X, starring A`` and ``X, a
        two-hander starring A`` -> a work (``work_participles``); ``X, the indie distributor``
        and ``X, groupe basé à Paris`` -> Organization (``company_appositions``)."""
        if cand.end + 1 >= len(doc) or doc[cand.end].text != "," or doc[cand.end - 1].lower_ in self.work_participles:
            return None  # ("Written, directed and produced by A": no name)
        window = []
        for token in doc[cand.end + 1 : min(len(doc), cand.end + 10)]:
            if token.is_punct and token.text not in {"’s", "'s", "-"}:
                break
            window.append(token)
        if window and window[0].lower_ in self.work_participles:
            return self.nearest_cue(window, cand.end) or self.article_default
        if cand.cls != "Place" and self.is_company_apposition(doc, window, cand.end):
            return "Organization"
        if not window or window[0].lower_ not in self.appositive_openers:
            return None
        found = self.nearest_cue(window, cand.end)
        if found is None and any(t.lower_ in self.work_participles for t in window[1:]) and window[0].lower_ in self.determiners:
            return self.article_default
        return found

    def is_company_apposition(self, doc: Doc, window: list, comma: int) -> bool:
        """Whether the apposition ``window`` after the comma at ``comma`` is headed by a company
        noun (``company_appositions``), after an article or bare: "Xilam, le studio d’animation",
        "Merman, the London-based company", "Pathé, groupe basé à Paris", but not "In the U.K.,
        the company said" (the noun hangs on what follows) or "X, the studio's hit"."""
        if len(window) < 2:
            return False
        nouns = window[1:6] if window[0].lower_ in self.determiners else window[:1]
        return any(t.lower_ in self.company_appositions and t.head.i < comma
                   and not (t.i + 1 < len(doc) and doc[t.i + 1].lower_ in POSSESSIVES | {"-"}) for t in nouns)

    def after_source_cue(self, doc: Doc, cand: Candidate) -> bool:
        """Whether a title follows "adapted from", "based on", "d’après"... (``source_cues``),
        past at most a few words: an owner and a possessive, an article, quotes."""
        for end in range(cand.start, max(0, cand.start - self.source_skip - 1), -1):
            if end >= 1 and doc[end - 1].lower_ in self.source_cue_ends:
                for cue in self.source_cues:
                    if end >= len(cue) and all(doc[end - len(cue) + k].lower_ == word for k, word in enumerate(cue)):
                        # ("based on the film X": a cue word types it)
                        return not any(doc[k].lower_ in self.cues_before for k in range(end, cand.start))
            if end - 1 >= 0 and (doc[end - 1].is_sent_start or doc[end - 1].text in {".", ";", ","}):
                break  # ("adapte, dans « X »": X is the adaptation)
        return False

    def network_work_class(self, doc: Doc, cand: Candidate) -> str | None:
        """``HBO's 'Succession'``, ``FX's The Bear``: a TV network's work is a series."""
        i = cand.start - 1
        while i >= 0 and doc[i].is_quote and doc[i].lower_ not in ("'s", "’s") and i not in self._networks:
            i -= 1  # the opening quote (a lone "'" may also be the possessive: "Paramount+' 'X'")
        if i >= 1 and doc[i].lower_ in POSSESSIVES and i in self._networks:
            return "TVSeries"
        return None

    def appositive_head_class(self, doc: Doc, cand: Candidate) -> str | None:
        """The work class an apposition's head noun names ("X, the long-awaited sequel to...":
        Film), but not a noun it merely holds ("X, the film's star")."""
        if cand.end + 2 >= len(doc) or doc[cand.end].text != ",":
            return None
        head = next((t for t in doc[cand.end + 1:min(len(doc), cand.end + 8)]
                     if t.dep_ == "appos" and t.head.i in range(cand.start, cand.end)), None)
        if head is None:
            return None
        return next((cls for cls, words in self.context.items() if head.lower_ in words), None)

    def prevailing_work_class(self, doc: Doc) -> str:
        """The class a work of no nearby cue takes: the series class in an article whose
        series cues outnumber its film cues, else ``default_work_class``."""
        words = Counter(token.lower_ for token in doc)
        counts = {cls: sum(words[cue] for cue in cues) for cls, cues in self.context.items()}
        return "TVSeries" if counts["TVSeries"] > counts["Film"] else self.default_work

    def context_class(self, doc: Doc, cand: Candidate) -> str | None:
        """The class of the work cue nearest the name in its sentence; a franchise cue only
        right beside it ("the X franchise", "la saga X"), since a farther one names another
        work's franchise ("X, troisième volet de la saga Y")."""
        reach = self.franchise_reach
        beside = set(range(max(0, cand.start - reach), cand.start)) | set(range(cand.end, cand.end + reach))
        return self.nearest_cue(self.sent_of(doc, cand.start), cand.start, skip=range(cand.start, cand.end),
                                franchise_at=beside)

    def next_description_class(self, doc: Doc, cand: Candidate) -> str | None:
        """The class of a work of no cue in its sentence, from a definite description that is a
        subject near the start of the next one, before any other title: "Fox released “X” in
        2010. Directed by A, the film starred B" (X is a film)."""
        sents = self._sentences
        k = sents.index[cand.start] + 1
        if k >= len(sents.spans):
            return None
        tokens = list(sents.spans[k])[:MAX_DESCRIPTION_REACH]
        for prev, token in zip(tokens, tokens[1:]):
            if token.is_quote or (token.is_title and not token.is_sent_start and token.ent_type_ not in PERSON_LABELS):
                return None  # another title, or a name that may be the one meant
            if prev.lower_ in self.determiners and prev.lower_ not in INDEFINITE_DETERMINERS \
                    and token.lower_ in self.next_sentence_descriptions and token.dep_ in SUBJECT_DEPS:
                return self.next_sentence_descriptions[token.lower_]
        return None

    def nearest_cue(self, tokens, anchor: int, skip=(), franchise_at=None) -> str | None:
        best = None
        for token in tokens:
            if token.i in skip:
                continue
            for cls, words in self.context.items():
                if cls == "Franchise" and franchise_at is not None and token.i not in franchise_at:
                    continue
                if token.lower_ in words or (
                        token.i + 1 < len(token.doc) and f"{token.lower_} {token.doc[token.i + 1].lower_}" in words):
                    distance = abs(token.i - anchor)
                    if best is None or distance < best[0]:
                        best = (distance, cls)
        return best[1] if best else None

    def list_class(self, doc: Doc, cand: Candidate, accepted: list[Candidate]) -> str | None:
        """An untyped name in a comma list of people is a person: "A, B, C et D", where both
        neighbours are people, or at least two other members and no fewer than the rest are
        ("Sean Penn, [Benicio del Toro], Regina Hall, Teyana Taylor and newcomer [Chase Infiniti]")."""
        words = doc[cand.start:cand.end]
        if not all(is_capitalised(t) or t.text in NAME_PARTICLES for t in words) or len(words) > 4 \
                or any(t.text in self.not_last_names for t in words[:-1]):
            return None  # ("Festival de Cannes, Isabelle Huppert...")
        before, after = self.list_members(doc, cand, accepted)
        neighbours = before[:1] + after[:1]
        members = before + after
        persons = sum(m.cls == "Person" for m in members)
        if (neighbours and all(n.cls == "Person" for n in neighbours)) or (persons >= 2 and 2 * persons >= len(members)):
            cand.rule = "list"
            return "Person"
        return None

    def list_members(self, doc: Doc, cand: Candidate, accepted: list[Candidate]) -> tuple[list[Candidate], list[Candidate]]:
        """The other names of the list a name is in, before it and after it, nearest first:
        names joined by commas, "and", "et" or "&" (", and" too), a member possibly after one
        lower-case word that ends the list ("and newcomer A.", not "and longtime B collaborator C")."""
        by_start = {c.start: c for c in accepted}
        by_end = {c.end: c for c in accepted}
        is_joiner = lambda t: t.lower_ in LIST_JOINERS  # noqa: E731
        is_role = lambda t: t.is_lower and t.is_alpha and not t.is_stop  # noqa: E731
        ends_phrase = lambda c: c.end >= len(doc) or doc[c.end].is_punct or is_joiner(doc[c.end])  # noqa: E731
        before: list[Candidate] = []
        after: list[Candidate] = []
        current = cand
        while True:  # leftwards
            i = current.start - 1
            if i >= 1 and is_role(doc[i]) and doc[i - 1].lower_ in LIST_JOINERS - {","} and ends_phrase(current):
                i -= 1  # "and newcomer A"
            j = i
            while j >= 0 and j > i - 2 and is_joiner(doc[j]):
                j -= 1
            if j == i or j + 1 not in by_end:
                break
            current = by_end[j + 1]
            before.append(current)
        current = cand
        while True:  # rightwards
            i = current.end
            j = i
            while j < len(doc) and j < i + 2 and is_joiner(doc[j]):
                j += 1
            role = i < j < len(doc) and is_role(doc[j]) and doc[j - 1].lower_ in LIST_JOINERS - {","}
            if role:
                j += 1
            if j == i or j not in by_start or (role and not ends_phrase(by_start[j])):
                break
            current = by_start[j]
            after.append(current)
        return before, after

    # -- headlines and further occurrences -------------------------------------------
    def is_capitalised_opener(self, doc: Doc, cand: Candidate) -> bool:
        """A one-word NER name opening a sentence before a comma or a preposition, and never
        capitalised elsewhere: "Écrite par X", "Révélée dans Y", "Américaine, elle..."."""
        if cand.rule != "ner" or cand.end - cand.start != 1 or cand.end >= len(doc):
            return False
        token, following = doc[cand.start], doc[cand.end]
        if not (token.is_sent_start or (cand.start > 0 and doc[cand.start - 1].is_space)):
            return False
        if following.text != "," and following.lower_ not in self.name_prepositions | OPENER_PREPOSITIONS:
            return False
        return not any(t.text == token.text and t.i != token.i and not t.is_sent_start for t in doc)

    def sent_of(self, doc: Doc, i: int) -> Span:
        """The sentence of token ``i`` (from the index made for this call, else the Doc)."""
        sentences = getattr(self, "_sentences", None)
        return sentences.of(i) if sentences is not None and sentences.doc is doc else doc[i].sent

    def is_heading_line(self, sent: Span) -> bool:
        text = sent.text.strip()
        doc = sent.doc
        ends_line = sent.end >= len(doc) or "\n" in doc[sent.end - 1].text_with_ws or doc[sent.end].is_space and "\n" in doc[sent.end].text
        starts_line = sent.start == 0 or (doc[sent.start - 1].is_space and "\n" in doc[sent.start - 1].text)
        return bool(text) and starts_line and ends_line and len(sent) <= 25 and text[-1] not in ".!?»”\":;,"

    def heading_tokens(self, doc: Doc) -> set[int]:
        tokens = {t.i for sent in self._sentences.spans if self.is_heading_line(sent) for t in sent}
        offset = 0
        for line in self._text.split("\n"):
            if is_heading_text(line):  # a headline the parser cut into several sentences
                span = doc.char_span(offset, offset + len(line), alignment_mode="expand")
                tokens.update(t.i for t in span or () if not t.is_space)
            offset += len(line) + 1
        return tokens

    def gazetteer(self, doc: Doc, accepted: list[Candidate]) -> list[Candidate]:
        """Every further occurrence (exact spelling) of a name found by a rule or the NER."""
        names: dict[str, str] = {}
        for cand in sorted(accepted, key=lambda c: -c.priority):
            names.setdefault(doc[cand.start:cand.end].text, cand.cls)
        if not names:
            return []
        matcher = PhraseMatcher(doc.vocab, attr="ORTH")
        for text, cls in names.items():
            matcher.add(cls, [self.tokenizer(text)])
        found = []
        for match_id, start, end in matcher(doc):
            cand = Candidate(start, end, doc.vocab.strings[match_id], "gazetteer")
            if cand.cls in SCREEN_CLASSES:  # each occurrence votes by its own context
                context = self.context_class(doc, cand)
                cand.typed_by_default = context is None
                cand.cls = context or cand.cls
            elif cand.cls in NAME_CLASSES and self.stars_a_person(doc, cand):
                cand.cls, cand.typed_by_cue = self.context_class(doc, cand) or self.article_default, True
            found.append(cand)
        return found

    def surname_mentions(self, doc: Doc, accepted: list[Candidate]) -> list[Candidate]:
        """A surname alone that the NER missed ("Lindelof co-created the show"), when one
        person of the article bears it in full and no capitalised word stands beside it
        ("Stephen King" is someone else; "King Kong" is no person)."""
        bearers: dict[str, set[str]] = {}
        particles: dict[str, list[str]] = {}  # "Toro": ["del"] (Guillermo del Toro -> "del Toro")
        for cand in accepted:
            if cand.cls != "Person":
                continue
            words = doc[cand.start:cand.end].text.split()
            while len(words) > 2 and words[-1] in self.name_suffixes:
                words.pop()
            surname = words[-1]
            if len(words) >= 2 and len(surname) >= 3 and surname[:1].isupper() \
                    and surname.replace("-", "").isalpha() and surname not in self.given_names:
                bearers.setdefault(surname, set()).add(" ".join(words))
                lead = []
                while len(words) - len(lead) > 2 and words[-2 - len(lead)] in NAME_PARTICLES:
                    lead.insert(0, words[-2 - len(lead)])
                particles[surname] = [w.lower() for w in lead]
        taken = taken_by(accepted)
        found = []
        for token in doc:
            if token.i in taken or len(bearers.get(token.text, ())) != 1:
                continue
            start = token.i
            lead = particles.get(token.text, [])
            if lead and start >= len(lead) and [t.lower_ for t in doc[start - len(lead):start]] == lead \
                    and not taken & set(range(start - len(lead), start)):
                start -= len(lead)  # "del Toro", "Del Toro"
            before = doc[start - 1] if start > 0 and not doc[start].is_sent_start else None
            after = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if not any(t is not None and is_capitalised(t) for t in (before, after)):
                found.append(Candidate(start, token.i + 1, "Person", "surname"))
        return found


def _noun_phrase_heads(token) -> list:
    """``token`` and the nouns the prepositional phrases ending at it hang on: "series" and
    "novel" in "the novel in the series"."""
    heads = [token]
    while token.dep_ == "pobj" and token.head.dep_ == "prep" and token.head.head.i < token.i:
        token = token.head.head
        heads.append(token)
    return heads


def inside_name(doc: Doc, i: int, before: bool) -> bool:
    """Whether the capitalised cue word at ``i`` belongs to a name ("the Venice Film Festival
    on Saturday", "the 78th Cannes Film Festival"): a capitalised word on the side away from
    the title it would cue."""
    if not doc[i].is_title:
        return False
    j = i - 1 if before else i + 1
    return 0 <= j < len(doc) and not doc[j].is_sent_start and not doc[j].is_punct \
        and (doc[j].is_title or doc[j].text[:1].isdigit()) and not (before and j == i - 1 and doc[j].is_sent_start)


def join_hyphenated(doc: Doc, candidates: list[Candidate]) -> list[Candidate]:
    """NER names the tokenizer cut at a hyphen, made whole: "Chi-Fou" + "Mi Productions" is
    "Chi-Fou-Mi Productions" (the class of the name it ends with), "Kim Yoon" + "-seok" is
    "Kim Yoon-seok", "Seong" + "-ho Jang" is "Seong-ho Jang".  A lower-case piece joins a
    person's name only when it is short and no participle (not "Tom Lee-starring")."""
    ordered = sorted(candidates, key=lambda c: c.start)
    out: list[Candidate] = []
    absorbed: set[int] = set()
    for cand in ordered:
        if id(cand) in absorbed:
            continue
        end = cand.end
        while end < len(doc) and not doc[end - 1].whitespace_:
            # the span ends with the hyphen ("Kim Yoon-"), or the hyphen follows it
            hyphen = end - 1 if doc[end - 1].text == "-" else end if doc[end].text == "-" else None
            if hyphen is None or doc[hyphen].whitespace_ or hyphen + 1 >= len(doc):
                break
            piece = doc[hyphen + 1].text
            if not piece[:1].isalpha() or (piece[:1].islower() and not (
                    cand.cls == "Person" and len(piece) <= 6 and not piece.endswith(("ed", "ing")))):
                break
            end = hyphen + 2
        if end > cand.end and doc[end - 1].is_lower and doc[end - 1].whitespace_ and end < len(doc) \
                and is_capitalised(doc[end]) and doc[end].is_alpha and not any(c.start == end for c in ordered):
            end += 1  # "Seong-ho Jang": the NER stopped at the hyphen, before the family name
        if end > cand.end:
            following = next((c for c in ordered if cand.end <= c.start < end), None)
            cls, rule = cand.cls, cand.rule
            if following is not None:  # the name it ends with gives the class (and the rule, if stronger)
                absorbed.add(id(following))
                end, cls = max(end, following.end), following.cls
                rule = max((rule, following.rule), key=lambda r: RULES[r][0])
            cand = Candidate(cand.start, end, cls, rule)
        out.append(cand)
    return out


def harmonise_work_classes(doc: Doc, accepted: list[Candidate]) -> None:
    """Every mention of a title in an article gets the class most of its mentions have
    (a typed mention outweighs one typed by default): "the whodunit series X" does not
    make the film X a series."""
    votes: dict[str, dict[str, float]] = {}
    for cand in accepted:
        if cand.cls in SCREEN_CLASSES:
            key = work_key(doc, cand)
            weight = DEFAULT_TYPE_PENALTY if cand.typed_by_default else 1.0
            votes.setdefault(key, {}).setdefault(cand.cls, 0.0)
            votes[key][cand.cls] += weight
    for cand in accepted:
        if cand.cls in SCREEN_CLASSES:
            ranked = sorted(votes[work_key(doc, cand)].items(), key=lambda kv: -kv[1])
            if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
                cand.cls = ranked[0][0]


def harmonise_name_families(doc: Doc, accepted: list[Candidate]) -> None:
    """A name the article types as two families (person, company, place, work) takes, at
    every mention, the family its mentions weigh most: the rule's confidence, times
    ``TYPING_RULE_WEIGHT`` for a rule or cue that reads the class from the text (quotes,
    cue words, a domain list, "Nosferatu stars A"); a further occurrence that only copies
    a class weighs nothing.  Not a name that is part of a longer
    person's name of the article ("Oppenheimer" the film, beside J. Robert Oppenheimer).
    The relation rules then see one class per name, as resolution will."""
    family = lambda cls: "Work" if cls in WORK_CLASSES else cls  # noqa: E731
    weights: dict[str, dict[str, float]] = {}
    best_class: dict[tuple[str, str], tuple[float, str]] = {}  # (name, family) -> its weightiest class
    person_parts: set[str] = set()
    for cand in accepted:
        name = fold(doc[cand.start:cand.end].text)
        typing = cand.rule in TYPING_RULES or cand.typed_by_cue
        weight = RULES[cand.rule][1] * (TYPING_RULE_WEIGHT if typing else 1) \
            * (DEFAULT_TYPE_PENALTY if cand.typed_by_default else 1)
        if cand.rule == "gazetteer" and not typing and cand.cls not in SCREEN_CLASSES:
            weight = 0.0  # a further occurrence copies a class, it is no more evidence of it
        fam = family(cand.cls)
        weights.setdefault(name, {}).setdefault(fam, 0.0)
        weights[name][fam] += weight
        if weight > best_class.get((name, fam), (-1.0, ""))[0]:
            best_class[name, fam] = (weight, cand.cls)
        words = name.split()
        if cand.cls == "Person" and len(words) > 1:
            person_parts.update(" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)
                                if j - i < len(words))
    for cand in accepted:
        name = fold(doc[cand.start:cand.end].text)
        families = weights[name]
        if len(families) > 1 and name not in person_parts:
            winner = max(sorted(families), key=lambda fam: families[fam])
            if winner != family(cand.cls):
                cand.cls = best_class[name, winner][1]


def work_key(doc: Doc, cand: Candidate) -> str:
    """The title a work mention votes for: its full text ("X: Part One" and "X: Part Two"
    are two works) less a tagline subtitle ("X: A Desert Mystery" is X)."""
    text = doc[cand.start:cand.end].text
    title, _, subtitle = text.partition(":")
    words = subtitle.split()
    return title_key(text) if words and words[0].lower() in INDEFINITE_DETERMINERS else fold(text)


def title_key(text: str) -> str:
    """A title without its subtitle, to count mentions of one work.

    >>> title_key("Glass Onion: A Knives Out Mystery")
    'glass onion'
    """
    return fold(text.split(":")[0]) or fold(text)


def select_non_overlapping(candidates: list[Candidate]) -> list[Candidate]:
    """Keep the best candidates that do not overlap: higher priority, then longer, then earlier."""
    chosen: list[Candidate] = []
    taken: set[int] = set()
    for cand in sorted(candidates, key=lambda c: (-c.priority, -(c.end - c.start), c.start)):
        span = set(range(cand.start, cand.end))
        if span and not span & taken:
            chosen.append(cand)
            taken |= span
    return chosen


def names_a_quoted_title(doc: Doc, end: int, words: int = 2) -> bool:
    """Whether at most ``words`` lower-case words and an opening quote follow ``end``: the
    capitalised run before them qualifies a quoted title ("A24's Iraq War drama “Warfare”")."""
    i = end
    while i < len(doc) and i - end < words and doc[i].is_lower and not doc[i].is_punct:
        i += 1
    return i > end and i < len(doc) and doc[i].is_quote


def is_possessive(doc: Doc, cand: Candidate) -> bool:
    """``X's`` / ``X‘s``, or a bare apostrophe after a final s (``Jones’``), not a closing quote."""
    marker = doc[cand.end].lower_
    if marker in {"'", "’"}:
        return doc[cand.end - 1].text.endswith("s") and not any(t.text in "‘'" for t in doc[max(0, cand.start - 2):cand.start])
    return marker in POSSESSIVES


def taken_by(candidates: list[Candidate]) -> set[int]:
    return {i for c in candidates for i in range(c.start, c.end)}


def author_split(ent: Span) -> int | None:
    """Start of the author in a French span "Title de Firstname Lastname" (two or three
    capitalised words at its end after "de"), or None."""
    tokens = list(ent)
    for k in range(len(tokens) - 3, 0, -1):
        tail = tokens[k + 1:]
        if tokens[k].lower_ == "de" and 2 <= len(tail) <= 3 and all(is_capitalised(t) and t.is_alpha for t in tail) \
                and tail[0].lower_ not in DEFINITE_ARTICLES:  # "Alexandre de La Patellière" is one name
            return tokens[k + 1].i
    return None


class SentenceIndex:
    """The sentences of a Doc and the sentence of each token, computed once."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.spans = list(doc.sents)
        self.index = [0] * len(doc)
        for k, sent in enumerate(self.spans):
            self.index[sent.start:sent.end] = [k] * (sent.end - sent.start)

    def of(self, i: int) -> Span:
        return self.spans[self.index[i]]


def hyphenated_word(doc: Doc, i: int, ending: bool) -> str:
    """The lower-case word at token ``i``, or the hyphenated word the tokenizer split that
    ends (``ending``) or starts there: "spin-off" for "spin", "-", "off"."""
    first, last = (i - 2, i) if ending else (i, i + 2)
    if first < 0 or last >= len(doc) or doc[first + 1].text != "-" or doc[first].whitespace_ or doc[first + 1].whitespace_:
        return doc[i].lower_
    return f"{doc[first].lower_}-{doc[last].lower_}"


def line_at(text: str, offset: int) -> str:
    """The line of ``text`` holding character ``offset``."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start:] if end < 0 else text[start:end]


def is_heading_text(line: str) -> bool:
    """A headline: a line of at most 30 words with no final punctuation.

    >>> is_heading_text("Box Office: A Film Lands at No. 1, But Faces Uphill Climb"), is_heading_text("It is out.")
    (True, False)
    """
    line = line.strip()
    return bool(line) and len(line.split()) <= 30 and line[-1] not in ".!?»”\":;,"


def is_capitalised(token) -> bool:
    return token.text[:1].isupper() and any(ch.isalpha() for ch in token.text)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case-, accent- and apostrophe-insensitive form used to compare names with lists.

    >>> fold("  N’ ")
    'n'
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"[’'`´]", " ", text)
    return " ".join(text.split())
