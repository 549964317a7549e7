"""Relations read off the dependency path between two entities of a sentence.

The fallback after the surface rules of ``kg/patterns/relations.jsonl`` when no relation
model is trained (with one, the model weighs these pairs, its features holding the same
cue words): two entities of one
sentence whose shortest dependency path is short, crosses no other entity and holds a cue
word of a property (``kg/data/path_cues.json``) are related by it: in "Peter Kay voiced
Mackintosh in The Curse" the path Kay <- voiced -> in -> The Curse holds "voiced", so Kay
acted in The Curse.  A coordinated entity may reach its cue through the entities it is
listed after ("starring A, B and C").

:func:`role_holders` reads the people a clause credits without naming the work ("A and B
produced", "helmed by A"; verbs in ``kg/data/role_cues.json``): the relation component
gives them the role on the work in focus.  Works here on a Doc whose entities are single
tokens (after ``merge_entities``).
"""

from __future__ import annotations

from spacy.tokens import Token

MAX_DEPTH = 40
PREPOSITION_DEPS = {"prep", "agent", "dative", "case", "mark"}
CLAUSE_DEPS = {"relcl", "advcl", "ccomp", "parataxis", "acl", "acl:relcl", "advcl:cleft"}


def ancestors(token: Token) -> list[Token]:
    """``token`` and its heads up to the root of its sentence."""
    chain = [token]
    chain.extend(token.ancestors)  # (spaCy walks the heads in C: faster than following .head)
    return chain[:MAX_DEPTH]


def clause_root(token: Token) -> Token:
    """The head of the clause holding ``token``: the first of its heads (itself included)
    that heads a subordinate clause or the sentence."""
    for head in ancestors(token):
        if head.dep_ in CLAUSE_DEPS:
            return head
    return ancestors(token)[-1]


def path_between(a: Token, b: Token) -> tuple[list[Token], Token] | None:
    """The tokens strictly between ``a`` and ``b`` on their dependency path, and the
    lowest common head; None if they share no root."""
    up_a, up_b = ancestors(a), ancestors(b)
    index_b = {t.i: n for n, t in enumerate(up_b)}
    for n, token in enumerate(up_a):
        if token.i in index_b:
            between = up_a[1:n] + up_b[1:index_b[token.i]][::-1]
            if token.i not in (a.i, b.i):
                between.append(token)
            return between, token
    return None


def conj_chain(token: Token) -> set[int]:
    """Indices of the entities ``token`` is coordinated under ("C" in "A, B and C": A, B)."""
    chain = set()
    while token.dep_ == "conj" and token.head.i != token.i and token.head.ent_type_:
        token = token.head
        chain.add(token.i)
    return chain


def names_holder(side: list[Token], subj: Token, copulas: set[str]) -> bool:
    """Whether a noun cue ("director", "star") names the subject: next to it on the path,
    or through a copula ("X is a former Y executive")."""
    if not side:
        return True
    neighbour = side[-1]
    if neighbour.i == subj.i or neighbour.i in conj_chain(subj):
        return True
    chain = conj_chain(subj)  # "X is the director of Y", "A and B are the producers of Y"
    return neighbour.lower_ in copulas and all(t.i in chain for t in side[:-1])


def argument_of(verb: Token, side: list[Token], arg: Token, verbs: set[str]) -> bool:
    """Whether an entity is an argument of a verb cue, ``side`` being the path between them:
    prepositions, the entity's coordination, verbs the cue completes ("is set to direct")
    other cue verbs ("co-wrote and co-directed X") and at most one noun ("played the
    inventor in X"), but no other clause."""
    chain = conj_chain(arg)
    following = side[1:] + [verb]
    nouns = 0
    for token, nxt in zip(side, following):
        if token.dep_ in PREPOSITION_DEPS or token.i in chain or nxt.dep_ == "xcomp" or token.lower_ in verbs:
            continue
        if token.dep_ in CLAUSE_DEPS or token.dep_ in ("ROOT", "conj") or nouns:
            return False
        nouns += 1
    return True


NOT_AGENT_DEPS = {"dobj", "obj", "iobj"}
NOT_AGENT_PREPOSITIONS = {"for", "pour", "with", "avec", "starring"}


def governed_otherwise(verb: Token, subj: Token) -> bool:
    """Whether the would-be holder of a verb cue is its object or hangs under "for"/"with"
    ("il dirige Jean Reno dans Léon": Reno is directed; "produced for Netflix": Netflix
    commissioned it), so holds no role of the verb."""
    head = subj
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head
    if head.head.i == verb.i and head.dep_ in NOT_AGENT_DEPS:
        return True
    link = head.head if head.dep_ in ("pobj", "obl", "nmod") else None
    case = next((c for c in head.children if c.dep_ == "case"), None)
    word = (link.lower_ if link is not None and link.dep_ == "prep" else "") or (case.lower_ if case is not None else "")
    return word in NOT_AGENT_PREPOSITIONS and verb.i in {t.i for t in ancestors(head)}


def path_relations(sent, properties: dict[str, dict], max_between: int, copulas: set[str]) -> list[tuple[str, Token, Token]]:
    """(property, subject, object) triples read off the dependency paths of one sentence.

    ``properties`` maps each property to its cue words (``nouns``, ``verbs``), the classes of
    its subject and object (``subject_classes``, ``object_classes``), ``object_under_cue`` and
    ``symmetric`` (found once, in text order); ``copulas`` are the forms of "be" through which
    a noun cue may name its subject.  The path may cross the entities a coordinated argument
    hangs under ("starring A, B and C") but no other, and at most one clause boundary.
    """
    entities = [t for t in sent if t.ent_type_]
    if len(entities) < 2:
        return []
    found = []
    for prop, rule in properties.items():
        subjects = [t for t in entities if t.ent_type_ in rule["subject_classes"]]
        objects = [t for t in entities if t.ent_type_ in rule["object_classes"]]
        for subj in subjects:
            for obj in objects:
                if subj.i == obj.i or (rule["symmetric"] and (
                        subj.i > obj.i or subj.text.split()[-1] == obj.text.split()[-1])):
                    continue  # a symmetric pair once; "Lars Knudsen" and "Knudsen" are one person
                path = path_between(subj, obj)
                if path is None:
                    continue
                between, top = path
                allowed = set() if rule["symmetric"] else conj_chain(subj) | conj_chain(obj)
                inner = [t for t in between if t.i not in allowed]
                if len(inner) > max_between or any(t.ent_type_ for t in inner):
                    continue
                if sum(t.dep_ in CLAUSE_DEPS for t in between + [subj, obj] if t.i != top.i) > 1:
                    continue
                order = _ordered(subj, obj, between)
                cues = []
                for n, token in enumerate(order):
                    word = token.lower_.rsplit(" ", 1)[-1]  # "the director": an anaphor merged into one token
                    if ((word in rule["nouns"] or _compound_cue(token, rule["nouns"]))
                            and names_holder(order[:n], subj, copulas)) or \
                            (word in rule["verbs"] and argument_of(token, order[n + 1:][::-1], obj, rule["verbs"])
                             and not governed_otherwise(token, subj)):
                        cues.append(token)
                if not cues:
                    continue
                if rule.get("object_under_cue"):
                    below = [c for c in cues if c.i in {t.i for t in ancestors(obj)} and c.i not in {t.i for t in ancestors(subj)}]
                    if not below:
                        continue
                found.append((prop, subj, obj))
    return found


def _compound_cue(token: Token, nouns) -> bool:
    """Whether a noun carries a cue as its modifier: "a prequel series to X", "a spinoff show"."""
    return not token.ent_type_ and any(
        child.dep_ in ("compound", "amod") and child.i < token.i and child.lower_ in nouns for child in token.children)


def _ordered(subj: Token, obj: Token, between: list[Token]) -> list[Token]:
    """The path's inner tokens from the subject's side to the object's."""
    up = {t.i for t in ancestors(subj)}
    rising = [t for t in between if t.i in up]
    falling = [t for t in between if t.i not in up]
    return rising + falling


AGENT_WORDS = {"by", "par"}
DESCRIBING_DEPS = {"relcl", "acl", "acl:relcl"}


def role_holders(sent, cues: dict[str, dict], places: set[str],
                 character_words: set[str]) -> list[tuple[str, Token, Token]]:
    """(property, person, verb or credit noun) for each Person entity of ``sent`` named as
    the holder of a role by a verb of ``cues`` (``kg/data/role_cues.json``): its
    subject ("A and B produced", "A co-wrote it with B"), a credit noun's complement or
    apposition ("a screenplay by A", "Co-creators A and B"),
    its agent ("helmed by A", "réalisé par A"), or the subject of a phrase's words ("A is
    back as", "A tient le rôle"); or followed by the name of a character it plays, which is
    no entity ("A as Joe", "A en Arben": ``character_words``), an actor.  The role is on a
    work the sentence leaves unnamed; not when the verb says where it was (a preposition
    of ``places``: "in", "dans"), takes another object ("produced his debut"), or is in a
    clause describing a noun ("the series created by A") other than an anaphor of the work in
    focus ("the film, which A directed").
    """
    found = []
    for person in sent:
        if person.ent_type_ != "Person":
            continue
        if _names_character(person, sent, character_words):
            found.append(("actedIn", person, person))
            continue
        head = person
        while head.dep_ == "conj" and head.head.ent_type_ == "Person" and head.head.i != head.i:
            head = head.head
        credit = next((c for c in head.children if c.dep_ in ("compound", "appos")
                       and any(c.lower_ in cue.get("nouns", ()) for cue in cues.values())), None)
        if credit is not None:  # "Co-creators A and B"
            verb, kind = credit, "nouns"
        elif head.dep_ in ("pobj", "nmod") and (noun := _credit_noun(head, cues)) is not None:
            verb, kind = noun, "nouns"  # "a screenplay by A and B", "un scénario de A et B"
        elif head.dep_ == "nsubj" or (head.dep_ == "compound" and head.head.dep_ == "ROOT" and head.i < head.head.i):
            verb, kind = head.head, "active"  # (the small parser may make a subject a "compound" of its verb)
        elif head.dep_ == "pobj" and head.head.lower_ in AGENT_WORDS:
            verb, kind = head.head.head, "passive"
        elif any(c.dep_ == "case" and c.lower_ in AGENT_WORDS for c in head.children):
            verb, kind = head.head, "passive"
        elif head.dep_ == "pobj" and head.head.lower_ in CO_WORDS:
            verb, kind = _co_verb(head.head), "active"  # "A co-wrote it with B": B shares A's verb
        else:
            continue
        if verb.dep_ in DESCRIBING_DEPS and not names_a_work_anaphor(verb.head):
            continue  # "X, which A directed": the role is on X; on the work in focus for "the film, which A directed"
        if kind == "passive" and any(t.ent_type_ for t in person.doc[verb.i + 1:head.i]):
            continue  # "coproduit par A, la société fondée par B": B's verb is not "coproduit"
        for prop, cue in cues.items():
            if kind == "nouns":
                if verb.lower_ in cue.get("nouns", ()):
                    found.append((prop, person, verb))
            elif any((v.lower_ in cue[kind] or (kind == "active" and _says_phrase(v, cue["phrases"])))
                     and not _places_role(v, places) and not _has_other_object(v, cue["objects"])
                     for v in _verb_chain(verb)):
                found.append((prop, person, verb))
    return found


def names_a_work_anaphor(token: Token) -> bool:
    """Whether ``token`` is an anaphor of a film or series ("the film", "la série"), by its
    ``_.kg_class`` code (groups of ``kg/data/anaphora.json``)."""
    code = token._.kg_class
    return code.startswith("~") and set(code[1:].split("+")) <= WORK_ANAPHOR_GROUPS


WORK_ANAPHOR_GROUPS = {"Film", "Series", "Screen", "Work"}
CO_WORDS = {"with", "avec"}
RELATIVE_PRONOUNS = {"which", "that", "whom", "que", "qu’", "qu'"}  #: an object standing for the noun described


def _credit_noun(head: Token, cues: dict[str, dict]) -> Token | None:
    """The credit noun ("screenplay", "scénario") a person's "by"/"de" phrase hangs under."""
    noun = head.head.head if head.dep_ == "pobj" else head.head
    link = head.head if head.dep_ == "pobj" else next((c for c in head.children if c.dep_ == "case"), None)
    if link is None or link.lower_ not in AGENT_WORDS | {"de", "d’", "d'", "of"}:
        return None
    return noun if any(noun.lower_ in cue.get("nouns", ()) for cue in cues.values()) else None


def _co_verb(with_: Token) -> Token:
    """The verb a "with" phrase shares ("A co-wrote the pilot with B"): its head, or the
    head of the object it hangs under (the parse may attach it there)."""
    head = with_.head
    return head.head if head.dep_ in ("dobj", "obj") else head  # (the role cues check it is a verb)


def _names_character(person: Token, sent, words: set[str]) -> bool:
    """Whether a character's name (capitalised, no entity) follows ``person`` after one of
    ``words``: "Alice Belaïdi en Alyson"."""
    i = person.i + 1
    return i + 1 < sent.end and person.doc[i].lower_ in words and person.doc[i + 1].is_title \
        and not person.doc[i + 1].ent_type_ and not person.doc[i + 1].is_sent_start


def _has_other_object(verb: Token, objects: set[str] | None) -> bool:
    """Whether the verb takes a direct object other than the words of ``objects`` ("wrote
    the script" is a role on the article's work, "produced his debut" names another work);
    ``objects`` None: any object is fine ("plays the handyman")."""
    return objects is not None and any(c.dep_ in ("dobj", "obj") and c.lower_ not in objects | RELATIVE_PRONOUNS
                                       and not c._.kg_class.startswith("~") for c in verb.children)  # ("directing the film")


def _places_role(verb: Token, places: set[str]) -> bool:
    """Whether a verb says where the role was ("played him in the original films",
    "joue dans le premier film"): a work the sentence may not name as an entity."""
    return any(c.lower_ in places or any(g.dep_ == "case" and g.lower_ in places for g in c.children)
               for c in verb.children)


def _verb_chain(verb: Token) -> list[Token]:
    """The verb, the verbs it governs through ``xcomp`` ("is set to direct") and the verbs
    coordinated with it that have no subject of their own ("wrote and directed")."""
    chain = [verb]
    for token in chain:
        chain += [c for c in token.children if c.dep_ == "xcomp" or (
            c.dep_ == "conj" and not c.ent_type_ and not any(g.dep_.startswith("nsubj") for g in c.children))]
        if len(chain) > 6:
            break
    return chain


def _says_phrase(verb: Token, phrases: list[list[str]]) -> bool:
    """Whether the verb and the words just below it hold every word of one phrase."""
    words = {verb.lower_} | {c.lower_ for c in verb.children} | {g.lower_ for c in verb.children for g in c.children}
    return any(words.issuperset(phrase) for phrase in phrases)


def co_credited(holders: list[tuple[str, Token, Token]], properties: set[str]) -> list[tuple[Token, Token]]:
    """Pairs of people credited together by one verb or credit noun of ``properties``
    ("written and directed by A and B", "Réalisé par A et B", "A co-wrote it with B"):
    collaborators, in text order, once per pair.  ``holders``: (property, person, verb)."""
    groups: dict[tuple[str, int], list[Token]] = {}
    for prop, person, verb in holders:
        if prop in properties:
            groups.setdefault((prop, verb.i), []).append(person)
    pairs = {}
    for members in groups.values():
        members = sorted(members, key=lambda t: t.i)
        for n, a in enumerate(members):
            for b in members[n + 1:]:
                if a.text != b.text:
                    pairs.setdefault((a.i, b.i), (a, b))
    return list(pairs.values())
