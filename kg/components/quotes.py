"""``kg_quotes``: the first component; sentences end at line breaks and final punctuation only, quoted titles stay whole.

Each short quotation that reads like a title ("‘The Silent Sea’", "«La Mer
silencieuse»") is merged into one token before the statistical components run, so neither
the parser nor the NER can split it ("‘Star Wars: The Book of X’" too: one title, which
:mod:`kg.resolve` joins to "The Book of X").  A quotation of speech is left alone
(:func:`is_reported_speech`).  Tokens that follow a line break start a sentence, and no
sentence starts after a token without final punctuation (the small models' parsers split
"Netflix | a acquis..." and "Produit par X | pour Y"), so the parser chooses among the
remaining boundaries only.
"""

from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .. import resources

MAX_QUOTED_TOKENS = 15
DEFINITE_ARTICLES = frozenset({"the", "le", "la", "les", "l’", "l'"})
SENTENCE_END = (".", "!", "?", "…", ":", ";")
CLOSERS = {"”", "»", "’", "\"", "'", ")", "]", "›"}
QUOTE_END_PUNCT = {",", ".", "!", "?", "…", ";"}
PRONOUNS_BEFORE_VERB = frozenset({"se", "s’", "s'", "me", "m’", "m'", "nous", "lui", "leur", "vous",
                                  "he", "she", "they", "we", "i"})
INVERTED_SUBJECTS = frozenset({"-t", "-il", "-elle", "-ils", "-elles", "-on", "-t-il", "-t-elle", "-t-on"})


START, NOT_START = 1, -1  # SENT_START values (0: unknown, left to the parser)


@Language.factory("kg_quotes", assigns=["token.is_sent_start"])
def make_quote_merger(nlp: Language, name: str):
    titles = resources.data("titles")
    return QuoteMerger(titles["quotes"], titles["speech_verbs"].get(nlp.lang, []))


class QuoteMerger:
    def __init__(self, quotes: list[list[str]], speech_verbs: list[str] = ()):
        self.closing = {open_: close for open_, close in quotes}
        self.speech_verbs = frozenset(speech_verbs)

    def __call__(self, doc: Doc) -> Doc:
        with doc.retokenize() as retokenizer:
            for open_i, close_i in quoted_spans(doc, self.closing, self.speech_verbs):
                span = title_span(doc, open_i + 1, close_i)
                if span is not None and span[1] - span[0] > 1:
                    retokenizer.merge(doc[span[0]:span[1]])
        # Sentence starts are set in one array: each ``token.is_sent_start = ...`` checks the
        # whole Doc for a parse, which made this loop quadratic in the article's length.
        starts = doc.to_array([SENT_START]).astype(numpy.int64)  # (uint64 holds -1 wrapped)
        for open_i, close_i in quoted_spans(doc, self.closing, self.speech_verbs):
            if close_i - open_i <= 4:  # a merged title: no sentence starts inside it or at its closing quote
                starts[open_i + 1:close_i + 1] = NOT_START
        after_newline, after_stop = False, False
        previous = None
        for token in doc:
            if token.is_space:
                after_newline = after_newline or "\n" in token.text
                continue
            if after_newline:
                starts[token.i] = START
            elif previous is not None and not after_stop:
                starts[token.i] = NOT_START
            after_stop = ends_sentence(token, after_stop)
            after_newline, previous = False, token
        doc.from_array([SENT_START], starts.astype(numpy.uint64))
        return doc


def title_span(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """The token range to merge for the quotation ``doc[start:end]``, or None if no title."""
    end = title_end(doc, start, end)
    inner = doc[start:end]
    if not inner.text.strip() or end == start or inner[-1].text in QUOTE_END_PUNCT or any(t.is_space for t in inner):
        return None
    return start, end


def title_end(doc: Doc, start: int, end: int) -> int:
    """End of the title inside a quotation: American style puts a comma or period inside the
    quotes (“Pearl,”), which belongs to the sentence when the rest is in title case; a
    quotation of speech (“We are thrilled,”) keeps its punctuation and is no title."""
    if end - start >= 2 and doc[end - 1].text in {",", "."}:
        words = [t for t in doc[start:end - 1] if any(ch.isalpha() for ch in t.text)]
        capitalised = [t for t in words if t.text[:1].isupper()]
        if words and words[0].text[:1].isupper() and len(capitalised) * 2 > len(words):
            return end - 1
    return end


def ends_sentence(token, after_stop: bool) -> bool:
    """Whether a sentence may start after ``token``: it ends with final punctuation
    ("Bros." too: the parser decides), or closes a quote or bracket right after one."""
    return token.text.endswith(SENTENCE_END) or (after_stop and token.text in CLOSERS)


def quoted_spans(doc: Doc, closing: dict[str, str], speech_verbs: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """Token indices (open, close) of short quotations that start with a capital or digit,
    less those a verb of saying follows (:func:`is_reported_speech`)."""
    spans = []
    i = 0
    while i < len(doc):
        close = closing.get(doc[i].text)
        if close is None or not _opens(doc, i):
            i += 1
            continue
        for j in range(i + 1, min(len(doc), i + MAX_QUOTED_TOKENS + 2)):
            if "\n" in doc[j].text:
                break
            if doc[j].text == close and j > i + 1 and _closes(doc, j):
                if not is_reported_speech(doc, j, speech_verbs):
                    spans.append((i, j))
                i = j
                break
        i += 1
    return spans


def is_reported_speech(doc: Doc, close: int, speech_verbs: frozenset[str]) -> bool:
    """Whether the quotation closing at ``close`` is speech: a comma, then a verb of saying
    (maybe after a pronoun) or an inverted subject within three words ("« Ce film, je le
    devais », confie-t-il", "« … », se souvient un membre de l’équipe", "‘…’, she says").
    French and British typography put the comma outside the quotes; American puts it
    inside (see :func:`title_end`)."""
    after = [t.lower_ for t in doc[close + 1:close + 5] if not t.is_space]
    if len(after) < 2 or after[0] not in {",", "—", "–"}:
        return False
    verb = after[2] if after[1] in PRONOUNS_BEFORE_VERB and len(after) > 2 else after[1]
    return verb in speech_verbs or any(word in INVERTED_SUBJECTS for word in after[1:4])


def _opens(doc: Doc, i: int) -> bool:
    nxt = next((t for t in doc[i + 1 : i + 3] if not t.is_space), None)
    return nxt is not None and (nxt.text[:1].isupper() or nxt.text[:1].isdigit())


def _closes(doc: Doc, j: int) -> bool:
    # a closing quote glued to a following letter is an apostrophe ("he’s")
    return not (doc[j].whitespace_ == "" and j + 1 < len(doc) and doc[j + 1].text[:1].isalpha())
