"""``kg_quotes``: the first component; sentences end at line breaks and final punctuation only, quoted titles stay whole.

Each short quotation that reads like a title ("‘The Silent Sea’", "«La Mer
silencieuse»") is merged into one token before the statistical components run, so neither
the parser nor the NER can split it; a "Franchise: The Title" quotation becomes two
tokens around the colon.  Tokens that follow a line break start a sentence, and no
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


START, NOT_START = 1, -1  # SENT_START values (0: unknown, left to the parser)


@Language.factory("kg_quotes", assigns=["token.is_sent_start"])
def make_quote_merger(nlp: Language, name: str):
    titles = resources.data("titles")
    return QuoteMerger(titles["quotes"], titles["determiners"].get(nlp.lang, []))


class QuoteMerger:
    def __init__(self, quotes: list[list[str]], determiners: list[str]):
        self.closing = {open_: close for open_, close in quotes}
        self.determiners = set(determiners)

    def __call__(self, doc: Doc) -> Doc:
        with doc.retokenize() as retokenizer:
            for open_i, close_i in quoted_spans(doc, self.closing):
                for start, end in self.title_parts(doc, open_i + 1, close_i):
                    if end - start > 1:
                        retokenizer.merge(doc[start:end])
        # Sentence starts are set in one array: each ``token.is_sent_start = ...`` checks the
        # whole Doc for a parse, which made this loop quadratic in the article's length.
        starts = doc.to_array([SENT_START]).astype(numpy.int64)  # (uint64 holds -1 wrapped)
        for open_i, close_i in quoted_spans(doc, self.closing):
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

    def title_parts(self, doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
        """Token ranges to merge for the quotation ``doc[start:end]``: none if no title."""
        end = title_end(doc, start, end)
        inner = doc[start:end]
        if not inner.text.strip() or end == start or inner[-1].text in QUOTE_END_PUNCT or any(t.is_space for t in inner):
            return []
        colon = split_point(doc, start, end, self.determiners)
        return [(start, colon), (colon + 1, end)] if colon is not None else [(start, end)]


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


def split_point(doc: Doc, start: int, end: int, determiners: set[str]) -> int | None:
    """Index of the colon of "Franchise: The Title", whose right part opens with a definite
    article ("Solo: A Star Wars Story" is one title, named after its franchise)."""
    for token in doc[start:end]:
        if token.text == ":" and start < token.i < end - 1:
            following = doc[token.i + 1].lower_.split()
            # the title after the colon has two words or more: as tokens, or merged into one
            several_words = end - token.i > 2 or len(following) > 1
            if following and following[0] in determiners & DEFINITE_ARTICLES and several_words:
                return token.i
    return None


def quoted_spans(doc: Doc, closing: dict[str, str]) -> list[tuple[int, int]]:
    """Token indices (open, close) of short quotations that start with a capital or digit."""
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
                spans.append((i, j))
                i = j
                break
        i += 1
    return spans


def _opens(doc: Doc, i: int) -> bool:
    nxt = next((t for t in doc[i + 1 : i + 3] if not t.is_space), None)
    return nxt is not None and (nxt.text[:1].isupper() or nxt.text[:1].isdigit())


def _closes(doc: Doc, j: int) -> bool:
    # a closing quote glued to a following letter is an apostrophe ("he’s")
    return not (doc[j].whitespace_ == "" and j + 1 < len(doc) and doc[j + 1].text[:1].isalpha())
