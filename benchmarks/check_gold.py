"""Validate the gold files of a dev set: python3 benchmarks/check_gold.py DIR [doc ...]

Checks the devset gold format: JSON layout, entity types, labels, aliases found in the text
outside a longer form, argument types of each predicate, evidence verbatim in the text, no
duplicate relation, 450-550 words.  Each devset's ``check.py`` calls it on its own folder.
"""
import json, re, sys
from pathlib import Path
if len(sys.argv) < 2 or not Path(sys.argv[1]).is_dir():
    sys.exit("usage: check_gold.py DIR [doc ...]  (DIR: a devset folder of <doc>.txt and <doc>.gold.json)")
HERE = Path(sys.argv[1])
TYPES = {"Person", "Organization", "Film", "TVSeries", "Franchise", "Place", "Other"}
WORK = {"Film", "TVSeries"}
SIG = {"directed": ({"Person"}, WORK), "produced": ({"Person", "Organization"}, WORK),
       "wrote": ({"Person"}, WORK | {"Other"}), "actedIn": ({"Person"}, WORK),
       "distributedBy": (WORK, {"Organization"}), "employedBy": ({"Person"}, {"Organization"}),
       "founded": ({"Person"}, {"Organization"}), "collaboratedWith": ({"Person"}, {"Person"}),
       "sequelOf": (WORK, WORK), "spinoffOf": (WORK | {"Other"}, WORK | {"Other"}),
       "adaptedFrom": (WORK | {"Other"}, WORK | {"Other"}), "partOfFranchise": (WORK, {"Franchise"}),
       "basedIn": ({"Organization"}, {"Place"})}
def occurs_alone(text, alias, longer):
    """Whether some occurrence of alias lies inside no occurrence of a longer form."""
    covered = [(m.start(), m.end()) for l in longer for m in re.finditer(re.escape(l), text)]
    return any(not any(a <= m.start() and m.end() <= b for a, b in covered)
               for m in re.finditer(re.escape(alias), text))
errors = warnings = notes = 0
docs = sys.argv[2:] or sorted(p.name[:-10] for p in HERE.glob("*.gold.json"))
for doc in docs:
    def err(msg):
        global errors; errors += 1; print(f"ERROR {doc}: {msg}")
    gp, tp = HERE / f"{doc}.gold.json", HERE / f"{doc}.txt"
    if not tp.exists(): err("no text"); continue
    text = tp.read_text(encoding="utf-8")
    try: g = json.loads(gp.read_text(encoding="utf-8"))
    except Exception as e: err(f"bad JSON {e}"); continue
    if list(g) != ["doc", "lang", "entities", "relations"]: err(f"key order {list(g)}")
    if g.get("doc") != f"{doc}.txt": err("doc field (must be the text file name, e.g. en01.txt)")
    if g.get("lang") != doc[:2]: err("lang field")
    labels = {}
    for e in g["entities"]:
        keys = [k for k in e if k != "optional"]
        if keys != ["label", "type", "aliases"]: err(f"entity keys {list(e)}")
        if e.get("optional", True) is not True: err(f"optional must be true when present: {e['label']}")
        if e["type"] not in TYPES: err(f"type {e['type']} of {e['label']}")
        if e["label"] in labels: err(f"duplicate label {e['label']}")
        labels[e["label"]] = e["type"]
        forms = [e["label"]] + e["aliases"]
        if not any(f in text for f in forms): warnings += 1; print(f"WARN {doc}: {e['label']} not in text")
        for a in e["aliases"]:
            if a not in text: err(f"alias {a!r} of {e['label']} not in text")
            elif not occurs_alone(text, a, [f for f in forms if a in f and f != a]): err(f"alias {a!r} only inside a longer form")
    seen = set()
    for r in g["relations"]:
        keys = [k for k in r if k != "optional"]
        if keys != ["subject", "predicate", "object", "evidence"]: err(f"relation keys {list(r)}")
        s, p, o = r["subject"], r["predicate"], r["object"]
        if s not in labels or o not in labels: err(f"unknown argument {s} / {o}"); continue
        if p not in SIG: err(f"predicate {p}"); continue
        if labels[s] not in SIG[p][0] or labels[o] not in SIG[p][1]: err(f"types {s}:{labels[s]} {p} {o}:{labels[o]}")
        if r["evidence"] not in text: err(f"evidence not in text: {r['evidence'][:60]!r}")
        key = (frozenset((s, o)), p) if p == "collaboratedWith" else (s, p, o)
        if key in seen: err(f"duplicate relation {s} {p} {o}")
        seen.add(key)
    n = len(text.split())
    if not 450 <= n <= 550: err(f"word count {n}")
    raw = gp.read_text(encoding="utf-8")
    if raw != json.dumps(g, ensure_ascii=False, indent=1) + "\n": err("layout: use json.dumps(..., ensure_ascii=False, indent=1) + newline")
print(f"{len(docs)} files, {errors} errors, {warnings} warnings")
sys.exit(1 if errors else 0)
