"""Project rules that keep the code general and legible."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED_NAMES = re.compile(r"Rodr[ií]guez|Sarandos|Pedro Pascal|Holb?d?rook|Chopra|Barraza|Vivien Blair|Favreau|"
                        r"Heroes|Sharkboy|Boba Fett|Mandalorian|Mariachi|Alita|Spy Kids|365 Days")
# stages may import only these lower layers (plus the standard library and third parties)
ALLOWED = {
    "records": set(), "errors": set(), "namespaces": set(), "resources": {"errors", "namespaces"},
    "corpus": {"resources", "errors", "records"},
    "nlp": {"resources", "errors", "components"},
    "extract": {"corpus", "errors", "nlp", "records"},
    "resolve": {"resources", "records", "namespaces"},
    "rdf": {"namespaces", "records"},
    "store": {"errors", "rdf"},
    "query": {"errors", "namespaces", "rdf", "resources", "store"},
    "export": {"errors", "query", "store"},
    "validate": {"resources"},
    "evaluate": {"errors", "namespaces", "store"},
    "analysis": {"namespaces", "rdf", "records"},
    "paths": {"analysis", "errors", "resolve"},
    "viz": {"analysis", "errors", "namespaces", "resources"},
    "cache": {"nlp", "records"},
    "executors": {"errors", "extract", "records"},
    "build": {"analysis", "cache", "corpus", "errors", "executors", "rdf", "records", "resolve", "store", "viz"},
    "guard": {"errors"},
    "train": {"components", "corpus", "errors", "evaluate", "export", "namespaces", "nlp", "resources"},
    "results": {"errors"},
    "runner": {"errors", "results"},
    "push": {"errors", "namespaces"},
    "serve": {"errors", "guard", "push", "query", "results", "runner"},
}


def test_no_seed_names_in_package_or_ontology():
    for folder in ("kg", "ontology"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in {".py", ".json", ".jsonl", ".ttl", ".rq"}:
                hits = SEED_NAMES.findall(path.read_text(encoding="utf-8"))
                assert not hits, f"{path.relative_to(ROOT)} names seed entities {hits}: write a general rule"


def test_imports_flow_one_way():
    for module, allowed in ALLOWED.items():
        tree = ast.parse((ROOT / "kg" / f"{module}.py").read_text(encoding="utf-8"))
        imported = {node.module.split(".")[0] for node in ast.walk(tree)
                    if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module}
        assert imported <= allowed, f"kg/{module}.py imports {imported - allowed}"


def test_no_remote_scripts_or_styles_in_package():
    for path in (ROOT / "kg").rglob("*"):
        if path.is_file() and path.suffix in {".py", ".html", ".js", ".css"}:
            assert not re.search(r'(src|href)="https?://', path.read_text(encoding="utf-8")), path
