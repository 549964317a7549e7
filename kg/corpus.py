"""Read articles from disk into :class:`~kg.records.Document` records.

Handles encodings (UTF-8 with or without BOM), binary and empty files, language
detection, headlines and publication-date lines.  It also masks web-page furniture
(menus, "Exit mobile version", date lines) with spaces, keeping every character offset
valid, so the NLP stage never sees it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from . import resources
from .errors import InputError
from .records import Document

ARTICLE_SUFFIXES = (".txt", ".md")
LANGUAGES = ("en", "fr")
_BINARY_SAMPLE = 8192


def collect_paths(inputs: list[str | Path]) -> list[Path]:
    """Expand files and folders into a sorted list of article paths.

    Raises :class:`InputError` for a missing path, an unsupported file or a folder
    with no ``.txt``/``.md`` article.
    """
    found: set[Path] = set()
    for raw in inputs:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"no such file or folder: {path}")
        if path.is_dir():
            articles = [p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
                        and not any(part.startswith(".") for part in p.relative_to(path).parts)]
            if not articles:
                raise InputError(f"folder {path} holds no .txt or .md article")
            found.update(articles)
        elif path.suffix.lower() in ARTICLE_SUFFIXES:
            found.add(path)
        else:
            raise InputError(f"{path} is not an article: expected a .txt or .md file")
    if not found:
        raise InputError("no input given: name article files or folders")
    return sorted(found, key=lambda p: p.as_posix())


def decode_article(raw: bytes, name: str) -> str:
    """Decode article bytes as UTF-8 (BOM optional) with ``\\n`` newlines.

    >>> decode_article("\\ufeffCafé\\r\\n".encode("utf-8"), "a.txt")
    'Café\\n'
    """
    sample = raw[:_BINARY_SAMPLE]
    if b"\x00" in sample:
        raise InputError(f"{name} is a binary file, not a text article")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not UTF-8 text (invalid byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "re-save it as UTF-8") from None
    controls = sum(1 for ch in text[:_BINARY_SAMPLE] if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls > max(8, len(text[:_BINARY_SAMPLE]) // 20):
        raise InputError(f"{name} looks like a binary file (control characters), not a text article")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def detect_language(text: str) -> str | None:
    """Return ``"en"`` or ``"fr"`` from function-word counts, or None when undecidable.

    >>> detect_language("Le film est disponible sur la plateforme depuis une semaine.")
    'fr'
    >>> detect_language("The film has been available on the platform for a week.")
    'en'
    """
    words = re.findall(r"[a-zàâçéèêëîïôûùüÿœ]+", text.lower())
    cues = resources.data("language")
    scores = {lang: sum(1 for w in words if w in set(cues[lang])) for lang in LANGUAGES}
    best = max(LANGUAGES, key=lambda lang: scores[lang])
    return best if scores[best] > 0 else None


def mask_boilerplate(text: str) -> tuple[str, str | None]:
    """Blank out menu lines, boilerplate lines and date prefixes; return (masked text, date).

    The masked text has the same length as ``text``, so offsets stay valid.

    >>> masked, date = mask_boilerplate("date 2021-01 Le film.\\nHome Movies\\nFin.")
    >>> masked.split("\\n"), date
    (['             Le film.', '           ', 'Fin.'], '2021-01')
    >>> mask_boilerplate("Lire aussi : Le film de l’année")[0]
    '             Le film de l’année'
    """
    spec = resources.data("boilerplate")
    lines_set = {_fold(line) for line in spec["lines"]}
    nav = {_fold(word) for word in spec["nav_words"]}
    date = None
    out = []
    for line in text.split("\n"):
        for prefix in spec["metadata_prefixes"]:
            match = re.match(prefix, line, flags=re.IGNORECASE)
            if match:
                date = date or match.group("date")
                line = " " * match.end() + line[match.end():]
        for prefix in spec.get("link_prefixes", ()):
            match = re.match(prefix, line, flags=re.IGNORECASE)
            if match:  # "Lire aussi : Title of another article": the title stays
                line = " " * match.end() + line[match.end():]
        folded = _fold(line)
        words = folded.split()
        if folded in lines_set or (words and len(words) <= spec["nav_max_words"] and all(w in nav for w in words)):
            line = " " * len(line)
        else:
            line = _mask_glued_menu(line, nav, spec["nav_max_words"])
        out.append(line)
    return "\n".join(out), date


def _mask_glued_menu(line: str, nav: set[str], max_words: int) -> str:
    """Blank a menu glued to the end of a sentence, as in ``"on Netflix.Home Movies"``."""
    match = re.search(r"(?<=[.!?»”])([A-Z][^\s.!?]*(?: [A-Za-z][^\s.!?]*){0,%d})\s*$" % (max_words - 1), line)
    if match and all(_fold(w) in nav for w in match.group(1).split()):
        return line[: match.start(1)] + " " * (len(line) - match.start(1))
    return line


def _fold(text: str) -> str:
    return " ".join(text.casefold().strip().split())


def find_title(masked: str, fallback: str) -> str:
    """The headline: the first line when it reads like one (short, no final full stop)."""
    for line in masked.split("\n"):
        line = line.strip()
        if not line:
            continue
        if len(line.split()) <= 20 and not line.endswith((".", "!", "?", "»", "”", '"')):
            return line
        break
    return fallback


def read_document(path: Path, lang: str | None = None) -> Document:
    """Read one article; ``lang`` overrides language detection.

    An empty article is returned with empty text (the build records it with no entity);
    it is the caller's choice to refuse it.
    """
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror}") from None
    text = decode_article(raw, name)
    if lang is not None and lang not in LANGUAGES:
        raise InputError(f"unsupported language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    masked, date = mask_boilerplate(text)
    detected = lang or detect_language(masked) or "en"
    return Document(
        doc_id=path.stem,
        path=path.as_posix(),
        text=text,
        lang=detected,
        title=find_title(masked, path.stem),
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        date=date,
    )
