"""What an incremental build remembers: a manifest of the articles read and their extractions.

``DIR/manifest.json`` lists every article of the built corpus (path, id, language, content
hash) with a fingerprint of the extraction code and data; ``DIR/cache/`` holds one JSON
file of records per article, named from its id, language and content hash.  An article
whose file and fingerprint are unchanged is not read by spaCy again.  Cache files are
immutable, so they are written before the manifest that refers to them; files no
manifest refers to are removed after a successful build.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

from .records import Document, Extraction, Mention, RelationMention

MANIFEST = "manifest.json"
CACHE_DIR = "cache"
FORMAT = 1


@dataclass(frozen=True)
class ArticleEntry:
    """One article of a built corpus, as the manifest records it."""

    path: str
    doc_id: str
    lang: str
    content_hash: str

    @property
    def cache_name(self) -> str:
        key = f"{self.doc_id}\n{self.lang}\n{self.content_hash}".encode("utf-8")
        return hashlib.sha256(key).hexdigest()[:40] + ".json"


@dataclass(frozen=True)
class Manifest:
    fingerprint: str
    articles: dict[str, ArticleEntry] = field(default_factory=dict)  #: by path

    def to_json(self) -> str:
        articles = [vars(a) for a in sorted(self.articles.values(), key=lambda a: a.path)]
        return json.dumps({"format": FORMAT, "fingerprint": self.fingerprint, "articles": articles},
                          indent=1, ensure_ascii=False) + "\n"


@cache
def fingerprint() -> str:
    """Hash of everything extraction depends on: kg and spaCy versions, models, rules and word lists."""
    from . import __version__
    from .nlp import MODELS, model_name

    digest = hashlib.sha256(f"kg {__version__}; format {FORMAT}".encode())
    for package in ["spacy", *sorted({name for names in MODELS.values() for name in names})]:
        try:
            digest.update(f"{package} {metadata.version(package)};".encode())
        except metadata.PackageNotFoundError:
            continue
    for lang in sorted(MODELS):
        try:
            digest.update(model_name(lang).encode())
        except Exception:  # a missing model fails later, with a clear message, when it is needed
            pass
    code = Path(__file__).resolve().parent
    files = sorted([*(code / "data").glob("*.json"), *(code / "patterns").glob("*.jsonl"),
                    *(code / "components").glob("*.py"), code / "corpus.py", code / "extract.py", code / "nlp.py"])
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def load_manifest(out_dir: Path) -> Manifest | None:
    """The manifest of the build in ``out_dir``, or None (no build, another kg version, unreadable)."""
    path = Path(out_dir) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        articles = {a["path"]: ArticleEntry(a["path"], a["doc_id"], a["lang"], a["content_hash"])
                    for a in data["articles"]}
        return Manifest(data["fingerprint"], articles)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def load_extraction(out_dir: Path, entry: ArticleEntry) -> Extraction | None:
    """The cached extraction of an article, or None when it is missing or unreadable."""
    try:
        data = json.loads((Path(out_dir) / CACHE_DIR / entry.cache_name).read_text(encoding="utf-8"))
        return extraction_from_dict(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_extraction(out_dir: Path, entry: ArticleEntry, extraction: Extraction) -> None:
    """Write one article's records into the cache (atomically; an existing file is kept)."""
    folder = Path(out_dir) / CACHE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / entry.cache_name
    if target.exists():
        return
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(extraction_to_dict(extraction), handle, ensure_ascii=False, separators=(",", ":"))
    os.replace(tmp, target)


def prune_cache(out_dir: Path, manifest: Manifest) -> None:
    """Remove cache files the manifest no longer refers to."""
    folder = Path(out_dir) / CACHE_DIR
    keep = {entry.cache_name for entry in manifest.articles.values()}
    if folder.is_dir():
        for path in folder.iterdir():
            if path.name not in keep:
                path.unlink(missing_ok=True)


def extraction_to_dict(extraction: Extraction) -> dict:
    """Plain JSON data of an extraction (mentions listed once, relations refer to them by index).

    >>> doc = Document("a", "a.txt", "Ana directed Dune.", "en", "a", "h")
    >>> ana = Mention("a", 0, 3, "Ana", "Person", 0, 18)
    >>> film = Mention("a", 13, 17, "Dune", "Film", 0, 18)
    >>> ex = Extraction(doc, (ana, film), (RelationMention("a", "directed", ana, film, 0, 18, "r", 0.9),))
    >>> extraction_from_dict(json.loads(json.dumps(extraction_to_dict(ex)))) == ex
    True
    """
    mentions = list(extraction.mentions)
    index = {m: i for i, m in enumerate(mentions)}
    extra = [m for r in extraction.relations for m in (r.subject, r.object) if m not in index]
    for m in extra:
        index.setdefault(m, len(mentions))
        if index[m] == len(mentions):
            mentions.append(m)
    return {
        "document": _fields(extraction.document),
        "mentions": [_fields(m) for m in mentions],
        "shown": len(extraction.mentions),
        "relations": [{**{k: v for k, v in _fields(r).items() if k not in ("subject", "object")},
                       "subject": index[r.subject], "object": index[r.object]} for r in extraction.relations],
        "warnings": list(extraction.warnings),
    }


def extraction_from_dict(data: dict) -> Extraction:
    mentions = [Mention(**m) for m in data["mentions"]]
    relations = tuple(RelationMention(**{**r, "subject": mentions[r["subject"]], "object": mentions[r["object"]]})
                      for r in data["relations"])
    return Extraction(Document(**data["document"]), tuple(mentions[:data["shown"]]), relations,
                      tuple(data["warnings"]))


def _fields(record) -> dict:
    return {name: getattr(record, name) for name in record.__slots__}
