"""Merge mentions into entities, within and across articles and languages.  Pure functions.

Mentions of the same kind (person, organisation, place, work) join one entity when their
names agree once accents, case, punctuation and a leading article are ignored; a surname
or shorter form joins the one full name that contains it (same article first, then the
corpus); a "Franchise: Title" form joins its title; and a French title joins an English one
only when every word aligns by translation or spelling ("Le livre de X" / "The Book of X").
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from difflib import SequenceMatcher
from functools import lru_cache

from . import resources
from .namespaces import SYMMETRIC_PROPERTIES
from .records import Entity, Extraction, Mention, Relation, RelationMention, Resolution

WORK_CLASSES = frozenset({"CreativeWork", "Film", "TVSeries", "Franchise"})
LEADING_ARTICLES = ("the", "a", "an", "le", "la", "les", "l", "un", "une")
INDEFINITE_ARTICLES = ("a", "an", "un", "une")
# entity rules whose class comes from the text itself, not from the statistical NER, and their weight in class votes
TYPING_RULES = frozenset(resources.data("resolution")["typing_rules"])
TYPING_RULE_WEIGHT = resources.data("resolution")["typing_rule_weight"]


def normalize(text: str) -> str:
    """Accent-, case- and punctuation-free form of a name (memoized: a corpus repeats its names).

    >>> normalize("Ana López’s")
    'ana lopez'
    >>> normalize("« Star Wars: Le livre »")
    'star wars le livre'
    >>> normalize("Canal+"), normalize("Apple TV +")
    ('canal plus', 'apple tv plus')
    """
    return _normalize(text)


_POSSESSIVE = re.compile(r"[’'‘`´]s\b")
_PLUS = re.compile(r"(?<=\w)\s?\+")  # "Disney+" is no "Disney": "Disney Plus"
_NOT_ALNUM = re.compile(r"[\W_]")  # exactly the characters for which str.isalnum() is false


@lru_cache(maxsize=1 << 16)
def _normalize(text: str) -> str:
    if not text.isascii():  # (NFKD leaves ASCII as it is)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _PLUS.sub(" plus", _POSSESSIVE.sub("", text.casefold()))
    return " ".join(_NOT_ALNUM.sub(" ", text).split())


def family(cls: str) -> str:
    return "Work" if cls in WORK_CLASSES else cls


def name_key(mention: Mention) -> str:
    """Key under which mentions of one entity meet: a work's title loses its leading article."""
    return _node(mention.text, mention.cls)[1]


@lru_cache(maxsize=1 << 16)
def _node(text: str, cls: str) -> tuple[str, str]:
    """The union-find node of a mention: (family, name key)."""
    words = normalize(text).split()
    if family(cls) == "Work" and len(words) > 1 and words[0] in LEADING_ARTICLES:
        words = words[1:]
    return family(cls), " ".join(words)


def slug(text: str) -> str:
    """IRI-safe slug of a name.

    >>> slug("Dune: Part Two")
    'dune-part-two'
    """
    value = re.sub(r"[^a-z0-9]+", "-", normalize(text)).strip("-")
    return value or "x" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


class _Clusters:
    """Union-find over (family, key) nodes."""

    def __init__(self):
        self.parent: dict[tuple[str, str], tuple[str, str]] = {}

    def add(self, node):
        self.parent.setdefault(node, node)

    def find(self, node):
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def resolve(extractions: Sequence[Extraction]) -> Resolution:
    """Entities and relations of a corpus from the mentions of its articles."""
    mentions = [m for ex in extractions for m in ex.mentions]
    langs = {ex.document.doc_id: ex.document.lang for ex in extractions}
    nodes = _one_family_per_name(mentions)  # nodes[i]: the node of mentions[i]
    clusters = _Clusters()
    for node in nodes:
        clusters.add(node)
    # (each merge depends only on the names it compares, so each name is looked at once;
    # the clusters do not depend on the order of the unions)
    _merge_short_person_names(mentions, nodes, clusters)
    _merge_short_company_names(mentions, nodes, clusters)
    sources = _source_works(mentions, nodes)
    _merge_franchise_prefixed_titles(set(nodes), clusters, sources)
    _merge_tagline_subtitles({(m.text, node) for m, node in zip(mentions, nodes) if node[0] == "Work"}, clusters, sources)
    _merge_translated_titles(mentions, clusters, langs)

    members: dict[tuple, list[Mention]] = defaultdict(list)
    for m, node in zip(mentions, nodes):
        members[clusters.find(node)].append(m)
    entities, entity_of, used_keys = [], {}, set()
    for root in sorted(members):
        group = sorted(members[root], key=lambda m: (m.doc_id, m.start))
        texts, classes = {m.text.strip() for m in group}, {m.cls for m in group}
        label = next(iter(texts)) if len(texts) == 1 else _canonical_label(group, langs)  # (the same, sooner)
        # (a mention retyped by _one_family_per_name does not vote)
        cls = next(iter(classes)) if len(classes) == 1 else _vote_class(
            [m for m in group if family(m.cls) == root[0]] or group)
        key = f"{cls.lower()}/{slug(label)}"
        while key in used_keys:
            key += "-2"
        used_keys.add(key)
        alt = sorted(texts - {label})
        entities.append(Entity(key, cls, label, tuple(alt), tuple(group)))
        for m in group:
            entity_of[m] = key
    class_of = {e.key: e.cls for e in entities}
    relations = _relations([r for ex in extractions for r in ex.relations], entity_of,
                           lambda prop, subject, object_: _fits(prop, class_of[subject], class_of[object_]))
    return Resolution(tuple(sorted(entities, key=lambda e: e.key)), relations, entity_of)


def _one_family_per_name(mentions) -> list[tuple[str, str]]:
    """The node of each mention, where a name an article types two ways ("Universal" a
    company here and a person there) takes, throughout that article, the family its
    mentions weigh most: their confidence, times ``TYPING_RULE_WEIGHT`` for a rule that
    reads the class from the text (a domain list, quotes, a cue word).  Not a name that is also part of a longer
    person's name of the article ("Oppenheimer" the film, beside J. Robert Oppenheimer).

    >>> from kg.records import Mention
    >>> ms = [Mention("a", 0, 1, "Rideback", cls, 0, 1, confidence=c) for cls, c in
    ...       (("Organization", 0.8), ("Place", 0.8), ("Organization", 0.95))]
    >>> sorted(set(_one_family_per_name(ms)))
    [('Organization', 'rideback')]
    """
    nodes = [_node(m.text, m.cls) for m in mentions]
    weights: dict[tuple[str, str], Counter] = defaultdict(Counter)  # (article, name) -> family -> weight
    person_words: dict[str, set[str]] = defaultdict(set)
    for m, (fam, key) in zip(mentions, nodes):
        weights[m.doc_id, normalize(m.text)][fam] += m.confidence * (TYPING_RULE_WEIGHT if m.rule in TYPING_RULES else 1)
        if fam == "Person" and " " in key:
            words = key.split()
            person_words[m.doc_id].update(" ".join(words[i:j]) for i in range(len(words))
                                          for j in range(i + 1, len(words) + 1) if j - i < len(words))
    for i, m in enumerate(mentions):
        name = normalize(m.text)
        families = weights[m.doc_id, name]
        if len(families) > 1 and name not in person_words[m.doc_id]:
            best = max(sorted(families), key=lambda fam: families[fam])
            if best != nodes[i][0]:
                nodes[i] = _node(m.text, best if best != "Work" else "CreativeWork")
    return nodes


def _merge_short_person_names(mentions, nodes, clusters) -> None:
    """"López" or "Ana María" joins the single longer name that contains it (in its article,
    else in the corpus); a given name alone ("Greta made a film") joins the name that begins
    with it, when each article where it stands alone names that one person so."""
    names_by_doc: dict[str, set[str]] = defaultdict(set)
    for m, (fam, key) in zip(mentions, nodes):
        if fam == "Person":
            names_by_doc[m.doc_id].add(key)
    corpus = NameIndex(set().union(*names_by_doc.values()))
    in_corpus: dict[str, set[str]] = {}
    given: dict[str, set[frozenset[str]]] = defaultdict(set)  # one-word name -> the names beginning with it, by article
    for names in names_by_doc.values():
        in_article = NameIndex(names)
        for short in names:
            longest = in_article.longest(short)
            if not longest and " " not in short:
                beginning = frozenset(name for name in names if name.startswith(short + " "))
                given[short].add(beginning)
                if beginning:
                    continue
            if not longest:
                if short not in in_corpus:
                    in_corpus[short] = corpus.longest(short)
                longest = in_corpus[short]
            if len(longest) == 1:  # (two or more: ambiguous, two different people carry that name)
                clusters.union(("Person", short), ("Person", next(iter(longest))))
    for short, readings in given.items():  # the same one person wherever it stands alone
        if len(readings) == 1 and len(reading := next(iter(readings))) == 1:
            clusters.union(("Person", short), ("Person", next(iter(reading))))


def _merge_short_company_names(mentions, nodes, clusters) -> None:
    """"Universal" joins "Universal Pictures": a company name joins the one longer company
    name that adds only company words to it (``company_suffixes`` in ``resolution.json``),
    when it is the only longer name beginning with it in the articles naming it ("Sony"
    beside "Sony Pictures" and "Sony Pictures Television" stays apart).

    >>> from kg.records import Mention
    >>> names = ["Universal Pictures", "Universal", "Sony", "Sony Pictures", "Sony Pictures Television"]
    >>> mentions = [Mention("a", 0, 1, n, "Organization", 0, 1) for n in names]
    >>> clusters = _Clusters()
    >>> nodes = [_node(m.text, m.cls) for m in mentions]
    >>> for node in nodes: clusters.add(node)
    >>> _merge_short_company_names(mentions, nodes, clusters)
    >>> clusters.find(("Organization", "universal")), clusters.find(("Organization", "sony"))
    (('Organization', 'universal'), ('Organization', 'sony'))
    >>> clusters.find(("Organization", "universal pictures")), clusters.find(("Organization", "sony pictures"))
    (('Organization', 'universal'), ('Organization', 'sony pictures'))
    """
    suffixes = set(resources.data("resolution")["company_suffixes"])
    names_by_doc: dict[str, set[str]] = defaultdict(set)
    for m, (fam, key) in zip(mentions, nodes):
        if fam == "Organization":
            names_by_doc[m.doc_id].add(key)
    longer: dict[str, set[str]] = defaultdict(set)  # short name -> the longer names of its articles
    for names in names_by_doc.values():
        for name in names:
            words = name.split()
            for cut in range(1, len(words)):
                if " ".join(words[:cut]) in names:
                    longer[" ".join(words[:cut])].add(name)
    for short, full in longer.items():
        if len(full) == 1 and set(next(iter(full)).split()[len(short.split()):]) <= suffixes:
            clusters.union(("Organization", short), ("Organization", next(iter(full))))


class NameIndex:
    """Names by the shorter names they contain: their last word, or their first or last two words or more.

    >>> index = NameIndex({"ana maria lopez", "maria lopez", "jorge lopez", "lopez"})
    >>> sorted(index.containing["lopez"]), sorted(index.longest("lopez")), sorted(index.longest("ana lopez"))
    (['ana maria lopez', 'jorge lopez', 'maria lopez'], ['ana maria lopez', 'jorge lopez'], [])
    >>> sorted(index.longest("ana maria")), sorted(index.longest("maria lopez"))
    (['ana maria lopez'], ['ana maria lopez'])
    """

    def __init__(self, names: set[str]):
        self.containing: dict[str, set[str]] = defaultdict(set)
        for name in names:
            words = name.split()
            if len(words) > 1:
                self.containing[words[-1]].add(name)
            for k in range(2, len(words)):
                self.containing[" ".join(words[:k])].add(name)
                self.containing[" ".join(words[-k:])].add(name)

    def longest(self, short: str) -> set[str]:
        """The names that contain ``short`` and are contained in no other such name."""
        longer = self.containing.get(short, set())
        return {full for full in longer if longer.isdisjoint(self.containing.get(full, ()))}


def _source_works(mentions, nodes) -> set[tuple[str, str]]:
    """The work nodes named only as source works (novels, comics: ``CreativeWork``) that
    have no film or series mention.

    >>> from kg.records import Mention
    >>> ms = [Mention("a", 0, 1, text, cls, 0, 1) for text, cls in
    ...       (("The Long Walk", "CreativeWork"), ("Saga: The Long Walk", "Film"))]
    >>> _source_works(ms, [_node(m.text, m.cls) for m in ms])
    {('Work', 'long walk')}
    """
    classes: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m, node in zip(mentions, nodes):
        if node[0] == "Work":
            classes[node].add(m.cls)
    return {node for node, found in classes.items() if found == {"CreativeWork"}}


def _one_source(a, b, sources) -> bool:
    """Whether exactly one of two work nodes is a source work: "The Lightning Thief" the
    novel and "Percy Jackson: The Lightning Thief" its film stay two entities."""
    return (a in sources) != (b in sources)


def _merge_franchise_prefixed_titles(nodes, clusters, sources=frozenset()) -> None:
    """"Star Wars: The Book of X" joins "Book of X" when that title is known on its own
    (and is not the novel the other one adapts: ``sources``)."""
    works = {key for fam, key in nodes if fam == "Work"}
    for title in works:
        words = title.split()
        for cut in range(1, len(words) - 1):
            rest = words[cut:]
            if rest[0] in LEADING_ARTICLES:
                rest = rest[1:]
            if len(rest) >= 2 and " ".join(rest) in works and " ".join(rest) != title \
                    and not _one_source(("Work", title), ("Work", " ".join(rest)), sources):
                clusters.union(("Work", title), ("Work", " ".join(rest)))
                break


def _merge_tagline_subtitles(works, clusters, sources=frozenset()) -> None:
    """"Glass Onion: A Knives Out Mystery" joins "Glass Onion": a subtitle opening with an
    indefinite article is a tagline ("Dune: Part Two" is another film and stays apart).
    "Avengers: Doomsday" joins "Doomsday": a one-word subtitle is the film's short title.
    ``works`` holds the (text, node) of each work mention."""
    titles = {node[1] for _, node in works}
    for text, node in works:
        if ":" not in text:
            continue
        left, right = text.split(":", 1)
        words = normalize(right).split()
        short = " ".join(w for i, w in enumerate(normalize(left).split()) if i or w not in LEADING_ARTICLES)
        if words and words[0] in INDEFINITE_ARTICLES and short in titles and short != node[1] \
                and not _one_source(node, ("Work", short), sources):
            clusters.union(node, ("Work", short))
        elif len(words) == 1 and len(words[0]) >= 4 and not words[0].isdigit() and words[0] in titles \
                and not _one_source(node, ("Work", words[0]), sources):
            clusters.union(node, ("Work", words[0]))


def _merge_translated_titles(mentions, clusters, langs) -> None:
    """Join a French and an English title when every word aligns, or the subtitle of one
    ("Star Wars: Le livre de X") with the other."""
    spec = resources.data("translation")
    pairs = {(en, fr) for en, fr in spec["pairs"]}
    titles: dict[str, set[str]] = defaultdict(set)
    key_of: dict[str, str] = {}  # a title as aligned -> the key of its node
    subtitles: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for lang, text in {(langs.get(m.doc_id, "en"), m.text) for m in mentions if family(m.cls) == "Work"}:
        full = normalize(text)
        titles[lang].add(full)
        key_of[full] = _key(full)
        subtitle = normalize(text.split(":", 1)[1]) if ":" in text else ""
        if len(subtitle.split()) >= 2:  # "Star Wars: Le livre de X" aligns by "Le livre de X"
            subtitles[lang].append((subtitle, key_of[full]))
    for lang, pairs_of_lang in subtitles.items():
        for subtitle, key in sorted(pairs_of_lang):  # a title named on its own keeps its own key
            titles[lang].add(subtitle)
            key_of.setdefault(subtitle, key)
    candidates = titles["fr"] | titles["en"]
    # blocking: every content word of the French title must meet a word of the other title
    # (the same, its translation, or a cognate, which starts alike), so only titles holding
    # a word with a matching two-letter start for each of them are aligned in full
    by_start: dict[str, set[str]] = defaultdict(set)
    for title in candidates:
        for word in title.split():
            by_start[word[:2]].add(title)
    translations: dict[str, set[str]] = defaultdict(set)
    for en, fr in pairs:
        translations[fr].add(en[:2])
    droppable = set(LEADING_ARTICLES) | {"des", "du", "de"}
    for fr_title in sorted(titles["fr"]):
        content = [w for w in fr_title.split() if w not in droppable]
        if len(content) < 2:
            continue
        pool = None
        for word in content:
            meeting = set().union(*(by_start.get(start, set()) for start in {word[:2], *translations.get(word, ())}))
            pool = meeting if pool is None else pool & meeting
        for en_title in sorted(pool or ()):
            if en_title != fr_title and titles_align(en_title, fr_title, pairs, spec):
                clusters.union(("Work", key_of[fr_title]), ("Work", key_of[en_title]))


def _key(normalized: str) -> str:
    words = normalized.split()
    return " ".join(words[1:]) if len(words) > 1 and words[0] in LEADING_ARTICLES else normalized


def titles_align(en: str, fr: str, pairs: set[tuple[str, str]], spec: dict) -> bool:
    """True when the normalised titles align word by word (articles may drop).

    >>> titles_align("the book of x", "le livre de x", {("the", "le"), ("book", "livre"), ("of", "de")},
    ...              {"cognate_min_length": 4, "cognate_similarity": 0.75})
    True
    """
    a, b = en.split(), fr.split()
    if not a or not b or abs(len(a) - len(b)) > 2:
        return False
    droppable = set(LEADING_ARTICLES) | {"des", "du", "de"}

    def word_match(x: str, y: str) -> bool:
        if x == y or (x, y) in pairs:
            return True
        return (min(len(x), len(y)) >= spec["cognate_min_length"]
                and SequenceMatcher(None, x, y).ratio() >= spec["cognate_similarity"])

    # dynamic programming alignment allowing dropped function words on either side
    n, m = len(a), len(b)
    reach = [[False] * (m + 1) for _ in range(n + 1)]
    reach[0][0] = True
    for i in range(n + 1):
        for j in range(m + 1):
            if not reach[i][j]:
                continue
            if i < n and j < m and word_match(a[i], b[j]):
                reach[i + 1][j + 1] = True
            if i < n and a[i] in droppable:
                reach[i + 1][j] = True
            if j < m and b[j] in droppable:
                reach[i][j + 1] = True
    content = [w for w in a if w not in droppable]
    return reach[n][m] and len(content) >= 2


def _canonical_label(group: list[Mention], langs: dict[str, str]) -> str:
    """The most frequent full spelling; English forms win ties (titles are often English)."""
    counts = Counter(m.text.strip() for m in group)
    longest = max(len(normalize(t).split()) for t in counts)
    english = {m.text.strip() for m in group if langs.get(m.doc_id) == "en"}
    is_person = any(m.cls == "Person" for m in group)
    full = [t for t in counts if not is_person or len(normalize(t).split()) == longest]  # a person: the full name
    return max(full, key=lambda t: (counts[t], t in english, len(t), t))


def _vote_class(group: list[Mention]) -> str:
    """Class with the most weight; a specific work class beats the generic CreativeWork."""
    weights: Counter = Counter()
    for m in group:
        weights[m.cls] += m.confidence
    if len(weights) > 1 and "CreativeWork" in weights:
        del weights["CreativeWork"]
    return max(sorted(weights), key=lambda cls: weights[cls])


def _fits(prop: str, subject_class: str, object_class: str) -> bool:
    """Whether an entity of each class may stand on its side of ``prop`` (the ontology's
    domain and range): a name retyped by the article's other mentions may no longer fit."""
    signatures, supers = resources.ontology_signatures()
    if prop not in signatures:
        return True
    domain, range_ = signatures[prop]
    return all(cls == expected or expected in supers.get(cls, ())
               for cls, expected in ((subject_class, domain), (object_class, range_)))


def _relations(mentions: list[RelationMention], entity_of: dict[Mention, str], fits) -> tuple[Relation, ...]:
    """The relations between entities that the relation mentions state, when ``fits(prop,
    subject key, object key)``."""
    grouped: dict[tuple[str, str, str], list[RelationMention]] = defaultdict(list)
    for rm in mentions:
        subject, object_ = entity_of.get(rm.subject), entity_of.get(rm.object)
        if subject is None or object_ is None or subject == object_ or not fits(rm.prop, subject, object_):
            continue
        if rm.prop in SYMMETRIC_PROPERTIES and object_ < subject:
            subject, object_ = object_, subject
        grouped[(subject, rm.prop, object_)].append(rm)
    return tuple(Relation(s, p, o, tuple(sorted(ev, key=lambda r: (r.doc_id, r.sent_start, r.rule))))
                 for (s, p, o), ev in sorted(grouped.items()))
