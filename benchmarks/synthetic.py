"""Synthetic film-news articles and graphs for the scale benchmarks.

Articles
    English and French news-like articles of about 300-600 words, in the style of
    ``seeds/``: a headline, then short paragraphs mixing sentences that state who directed,
    wrote, produced or stars in an invented film or series, where it streams, which studio
    distributes it, who runs the company, what it is a sequel to..., and filler sentences
    (viewing figures, reviews, release plans).  Names are invented: first names from a list
    combined with made-up surnames, invented titles; streaming services, studios and
    cities are real.  Entities are drawn with a heavy-tailed (Zipf-like) popularity, so a
    few people, works and companies recur in many articles and most appear once or twice,
    as in a real news corpus.  Every article depends only on ``(seed, index)``: the first N
    articles of a corpus are the same whatever its size, and article N+1 is always the same
    "next" article.  Some articles carry web-page furniture (a ``date`` line, "Exit mobile
    version") that the builder masks.

Graphs
    :func:`synthetic_graph` simulates the same articles without writing them and returns
    the graph a perfect extraction would give, shaped exactly like
    :func:`kg.analysis.project` (``co_mentions=True``): a ``networkx.MultiDiGraph`` whose
    nodes are entity IRIs with ``label``, ``cls``, ``alt_labels`` and ``articles``, whose
    relation edges have key = property, ``prop`` and ``evidence`` (article, sentence,
    offsets, rule, confidence), plus ``coMention`` edges weighted by shared sentences.
    :func:`resolution_from_graph` turns such a graph into :class:`kg.records.Resolution`
    records, for the RDF writers.

Write a corpus (from the repository root)::

    .venv/bin/python benchmarks/synthetic.py --articles 200 --out /tmp/kg-synth
    .venv/bin/python benchmarks/synthetic.py --articles 1000 --out DIR --seed 3 --fr-share 0.4
    .venv/bin/python benchmarks/synthetic.py --graph 10000     # statistics of a synthetic graph
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import networkx as nx

KGID = "https://w3id.org/kg-news/id/"
CO_MENTION = "coMention"  # kg.analysis.CO_MENTION (not imported: this module runs without kg)

# --- names ------------------------------------------------------------------------------------

FIRST_NAMES = (
    "Maria", "Tom", "Emma", "Daniel", "Olivia", "James", "Sofia", "Lucas", "Hannah", "Noah", "Chloe", "Ethan",
    "Grace", "Oliver", "Ava", "Samuel", "Ruby", "Isaac", "Nora", "Caleb", "Ivy", "Owen", "Lena", "Miles", "Clara",
    "Felix", "Maya", "Adrian", "Stella", "Julian", "Leah", "Rowan", "Zoe", "Victor", "Iris", "Elliot", "Naomi",
    "Hugo", "Alice", "Simon", "Jean", "Léa", "Camille", "Julien", "Manon", "Antoine", "Chloé", "Mathieu", "Élodie",
    "Nicolas", "Inès", "Baptiste", "Margaux", "Théo", "Juliette", "Louis", "Anaïs", "Pierre", "Sarah", "Hélène",
    "Rémi", "Céline", "Olivier", "Agathe", "Vincent", "Pauline", "Guillaume", "Aurélie", "Étienne", "Lucie",
)
SURNAME_HEADS = ("Ash", "Bel", "Cal", "Dun", "Har", "Mor", "Ros", "Wel", "Kes", "Lan", "Var", "Fen", "Gal", "Hol",
                 "Iver", "Jor", "Kel", "Lind", "Mar", "Nor", "Pen", "Quill", "Rad", "Sel", "Thorn", "Ul", "Vance",
                 "Wex", "Yar", "Zell", "Brun", "Cor", "Dal", "Elm", "Fair", "Gar", "Hart", "Kin", "Lor", "Mont")
SURNAME_MIDDLES = ("", "en", "a", "el", "er", "o", "is", "an", "ow", "ing")
SURNAME_TAILS = ("ford", "mere", "ton", "wick", "ley", "den", "court", "by", "holm", "stead", "well", "field", "ridge",
                 "worth", "gate", "mont", "ard", "ier", "ault", "elle", "on", "ot", "quist", "berg", "strom", "sen",
                 "ova", "ez", "etti", "ani")
PERSONS = len(FIRST_NAMES) * len(SURNAME_HEADS) * len(SURNAME_MIDDLES) * len(SURNAME_TAILS)  # 840,000

EN_ADJECTIVES = ("Silent", "Last", "Broken", "Hidden", "Golden", "Crimson", "Endless", "Quiet", "Burning", "Frozen",
                 "Wild", "Hollow", "Distant", "Bright", "Lost", "Secret", "Savage", "Gentle", "Restless", "Fading",
                 "Iron", "Velvet", "Northern", "Southern", "Midnight", "Sleeping", "Shattered", "Forgotten", "Rising",
                 "Falling", "Electric", "Paper", "Glass", "Stone", "Scarlet", "Silver", "Empty", "Long", "Final",
                 "Second", "Little", "Great", "Dark", "Pale", "Bitter", "Sweet", "Lonely", "Brave", "Strange", "Open")
EN_NOUNS = ("Harbor", "Winter", "Kingdom", "River", "Garden", "Signal", "Season", "Promise", "Frontier", "Island",
            "Mirror", "Horizon", "Witness", "Empire", "Orchard", "Tide", "Lantern", "Crown", "Valley", "Shore",
            "Storm", "Summer", "Road", "Station", "Letter", "Hunter", "Shadow", "Bridge", "Tower", "Circle",
            "Machine", "Voyage", "Archive", "Sister", "Brother", "Stranger", "Heart", "Forest", "Desert", "Ocean",
            "Citadel", "Echo", "Compass", "Hourglass", "Theory", "Verdict", "Harvest", "Parade", "Ritual", "Doorway",
            "Canyon", "Meadow", "Outpost", "Colony", "Lighthouse", "Carnival", "Sanctuary", "Labyrinth", "Covenant",
            "Gambit")
EN_PLACES = ("Avalon", "Ashgrove", "Blackwater", "Cold Harbor", "Dunmore", "Eastfield", "Fairhaven", "Glenrock",
             "Highmoor", "Ironbridge", "Kingsport", "Lakeview", "Marrow Bay", "Northwood", "Oakridge", "Pinecrest",
             "Redcliff", "Stonehill", "Thornbury", "Westmarch", "Yellowpine", "Bellmoor", "Crowfield", "Drywell",
             "Elderglen", "Foxhollow", "Greywater", "Hallowmere", "Ivybridge", "Juniper Falls", "Kestrel Point",
             "Larkspur", "Millbrook", "Nettlecombe", "Oldcastle", "Port Ellis", "Quarry Hill", "Ravenhurst",
             "Silverlake", "Tallowmere")
FR_NOUNS = (("Nuit", "f"), ("Rivière", "f"), ("Maison", "f"), ("Promesse", "f"), ("Saison", "f"), ("Mémoire", "f"),
            ("Chambre", "f"), ("Frontière", "f"), ("Route", "f"), ("Lumière", "f"), ("Vallée", "f"), ("Tempête", "f"),
            ("Jardin", "m"), ("Silence", "m"), ("Voyage", "m"), ("Secret", "m"), ("Royaume", "m"), ("Rivage", "m"),
            ("Phare", "m"), ("Chemin", "m"), ("Miroir", "m"), ("Serment", "m"), ("Village", "m"), ("Dimanche", "m"))
FR_ADJECTIVES = (("dernier", "dernière"), ("grand", "grande"), ("petit", "petite"), ("long", "longue"),
                 ("noir", "noire"), ("lointain", "lointaine"), ("blanc", "blanche"), ("perdu", "perdue"),
                 ("secret", "secrète"), ("sauvage", "sauvage"), ("froid", "froide"), ("brûlant", "brûlante"),
                 ("oublié", "oubliée"), ("doux", "douce"), ("étrange", "étrange"), ("profond", "profonde"))
FR_PLACES = ("Brest", "Carnac", "Dieppe", "Étretat", "Grasse", "Honfleur", "Menton", "Morlaix", "Nérac", "Quimper",
             "Rocamadour", "Sarlat", "Sète", "Vannes", "Vézelay", "Annecy")

SERVICES = ("Netflix", "Prime Video", "Disney+", "HBO Max", "Apple TV+", "Hulu", "Paramount+", "Peacock", "Canal+",
            "Starz", "Showtime", "MUBI", "Crunchyroll", "OCS", "Shudder", "AMC+")
STUDIOS = ("Warner Bros.", "Universal Pictures", "Paramount Pictures", "Sony Pictures", "Lionsgate", "A24",
           "Blumhouse", "Lucasfilm", "Focus Features", "Searchlight Pictures", "Gaumont", "Pathé", "StudioCanal",
           "Legendary Entertainment", "Amazon Studios", "Miramax", "EuropaCorp", "Wild Bunch", "Le Pacte",
           "New Line Cinema", "DreamWorks Animation", "Annapurna Pictures", "Skydance", "Bad Robot")
COMPANY_WORDS = ("Pictures", "Films", "Productions", "Studios", "Entertainment", "Media")
CITIES = ("Los Angeles", "London", "Paris", "Lyon", "Marseille", "Toronto", "Vancouver", "Atlanta", "New York",
          "Berlin", "Madrid", "Rome", "Montreal", "Brussels", "Dublin", "Sydney", "Tokyo", "Seoul", "Budapest",
          "Prague", "Lisbon", "Bordeaux", "Nantes", "Lille", "Chicago", "Austin", "Geneva", "Copenhagen")
FRANCHISE_HEADS = ("Star", "Iron", "Moon", "Storm", "Shadow", "Sun", "Frost", "Ember", "Night", "Sky", "Steel", "Ash")
FRANCHISE_TAILS = ("fall", "veil", "rise", "gate", "bound", "forge", "crest", "born", "reach", "wake", "fire", "hold")

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre")
ORDINALS_EN = ("second", "third", "fourth", "fifth", "sixth")
ORDINALS_FR = ("deuxième", "troisième", "quatrième", "cinquième", "sixième")


def _zipf(rng: random.Random, size: int, flat: int = 40) -> int:
    """An index in [0, size) with probability about 1/(i + flat): a few are common, most are rare."""
    low, high = math.log(flat), math.log(size + flat)
    return min(int(math.exp(low + rng.random() * (high - low))) - flat, size - 1)


def _scramble(i: int, size: int) -> int:
    """A fixed permutation of [0, size), so that popular indices do not share their first word."""
    step = 7919 if math.gcd(7919, size) == 1 else 1
    return (i * step + 104729) % size


def person_name(i: int) -> str:
    i = _scramble(i, PERSONS)
    i, first = divmod(i, len(FIRST_NAMES))
    i, head = divmod(i, len(SURNAME_HEADS))
    tail, middle = divmod(i, len(SURNAME_MIDDLES))
    return f"{FIRST_NAMES[first]} {SURNAME_HEADS[head]}{SURNAME_MIDDLES[middle]}{SURNAME_TAILS[tail]}"


_A, _N, _P = len(EN_ADJECTIVES), len(EN_NOUNS), len(EN_PLACES)
_EN_BLOCKS = (_A * _N, _N * _P, _A * _N * _P, _A * _N * _P)
EN_WORKS = sum(_EN_BLOCKS)
_FN, _FA, _FP = len(FR_NOUNS), len(FR_ADJECTIVES), len(FR_PLACES)
FR_WORKS = _FN * _FA * (1 + _FP)


def en_title(i: int) -> str:
    i = _scramble(i, EN_WORKS)
    if i < _EN_BLOCKS[0]:
        a, n = divmod(i, _N)
        return f"The {EN_ADJECTIVES[a]} {EN_NOUNS[n]}"
    i -= _EN_BLOCKS[0]
    if i < _EN_BLOCKS[1]:
        n, p = divmod(i, _P)
        return f"{EN_NOUNS[n]} of {EN_PLACES[p]}"
    i -= _EN_BLOCKS[1]
    if i < _EN_BLOCKS[2]:
        a, rest = divmod(i, _N * _P)
        n, p = divmod(rest, _P)
        return f"The {EN_ADJECTIVES[a]} {EN_NOUNS[n]} of {EN_PLACES[p]}"
    i -= _EN_BLOCKS[2]
    a, rest = divmod(i, _N * _P)
    n, p = divmod(rest, _P)
    return f"{EN_ADJECTIVES[a]} {EN_NOUNS[n]} in {EN_PLACES[p]}"


def fr_title(i: int) -> str:
    i = _scramble(i, FR_WORKS)
    rest, n = divmod(i, _FN)
    p, a = divmod(rest, _FA)
    noun, gender = FR_NOUNS[n]
    adjective = FR_ADJECTIVES[a][gender == "f"]
    article = "L’" if noun[0] in "AEIOUÉÎH" else ("La " if gender == "f" else "Le ")
    title = f"{article}{noun} {adjective}"
    return title if p == 0 else f"{title} de {FR_PLACES[p - 1]}"


def company_name(i: int) -> str:
    i, word = divmod(i, len(COMPANY_WORDS))
    i, head = divmod(i, len(SURNAME_HEADS))
    tail = i % len(SURNAME_TAILS)
    return f"{SURNAME_HEADS[head]}{SURNAME_TAILS[tail]} {COMPANY_WORDS[word]}"


COMPANIES = len(COMPANY_WORDS) * len(SURNAME_HEADS) * len(SURNAME_TAILS)


def franchise_name(i: int) -> str:
    head, tail = divmod(i % (len(FRANCHISE_HEADS) * len(FRANCHISE_TAILS)), len(FRANCHISE_TAILS))
    return f"{FRANCHISE_HEADS[head]}{FRANCHISE_TAILS[tail]}"


def slug(text: str) -> str:
    """Like kg.resolve.slug: accent-, case- and punctuation-free, words joined by hyphens."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


# --- entities of one article ----------------------------------------------------------------------


@dataclass(frozen=True)
class Ent:
    cls: str
    label: str
    short: str = ""  #: another spelling used in the text (a person's surname)

    @property
    def key(self) -> str:
        return entity_key(self.cls, self.label)


@lru_cache(maxsize=1 << 18)
def entity_key(cls: str, label: str) -> str:
    """The entity key kg.resolve would mint: ``<class>/<slug>``, a work's leading article dropped."""
    title = label
    if cls in ("Film", "TVSeries", "Franchise"):
        words = title.split()
        if len(words) > 1 and words[0].lower() in ("the", "le", "la", "les"):
            title = " ".join(words[1:])
        title = title.replace("L’", "", 1) if title.startswith("L’") else title
    return f"{cls.lower()}/{slug(title)}"


def _person(rng: random.Random) -> Ent:
    name = person_name(_zipf(rng, PERSONS))
    return Ent("Person", name, name.split()[-1])


def _work(rng: random.Random, cls: str | None = None) -> Ent:
    if rng.random() < 0.25:
        i = _zipf(rng, FR_WORKS)
        title, number = fr_title(i), i
    else:
        i = _zipf(rng, EN_WORKS)
        title, number = en_title(i), i
    cls = cls or ("TVSeries" if (number * 2654435761) % 4 == 0 else "Film")
    return Ent(cls, title)


def _organization(rng: random.Random, kind: str) -> Ent:
    if kind == "service":
        return Ent("Organization", SERVICES[min(_zipf(rng, len(SERVICES), flat=2), len(SERVICES) - 1)])
    if kind == "studio" and rng.random() < 0.6:
        return Ent("Organization", STUDIOS[_zipf(rng, len(STUDIOS), flat=4)])
    return Ent("Organization", company_name(_zipf(rng, COMPANIES)))


def cast(rng: random.Random) -> dict[str, object]:
    """The entities of one article, by role."""
    roles: dict[str, object] = {}
    focus = _work(rng)
    roles["F"] = focus
    taken = {focus.key}
    for name in ("F2", "F3", "F4"):
        work = _work(rng)
        while work.key in taken:
            work = _work(rng)
        taken.add(work.key)
        roles[name] = work
    people: set[str] = set()

    def person() -> Ent:
        p = _person(rng)
        while p.key in people or p.short in {q.split()[-1] for q in people}:
            p = _person(rng)
        people.add(p.label)
        return p

    for name in ("D", "W", "P", "X"):
        roles[name] = person()
    roles["A"] = [person() for _ in range(rng.randint(2, 4))]
    roles["S"] = _organization(rng, "service")
    roles["ST"] = _organization(rng, "studio")
    while roles["ST"].label == roles["S"].label:
        roles["ST"] = _organization(rng, "studio")
    roles["CO"] = Ent("Organization", company_name(_zipf(rng, COMPANIES)))
    while roles["CO"].label in (roles["ST"].label,):
        roles["CO"] = Ent("Organization", company_name(_zipf(rng, COMPANIES)))
    roles["XO"] = roles["S"] if rng.random() < 0.5 else roles["ST"]
    roles["FR"] = Ent("Franchise", franchise_name(_zipf(rng, 144, flat=10)))
    roles["PL"] = Ent("Place", CITIES[_zipf(rng, len(CITIES), flat=3)])
    return roles


# --- sentence templates ---------------------------------------------------------------------------
# Each template: (text, relations).  In the text, {R} is the name of role R, {R.short} another
# spelling of it, {R*} the list of role R ("A, B and C"), {{n}} etc. numbers filled at random.
# Titles are quoted as in the seeds.  Relations are (subject role, property, object role); a
# list role stands for each of its members.

EN_HEADLINES = (
    "{D} Confirms Sequel To {F}", "{F} Breaks Streaming Records On {S}", "First Look At {A1} In {F}",
    "{S} Sets Release Date For {F}", "Everything We Know About {F} So Far", "{D} Reacts To {F} Success On {S}",
)
FR_HEADLINES = (
    "{S} confirme la suite de {F}", "{D} dévoile les premières images de {F}", "{A1} rejoint le casting de {F}",
    "{F} bat des records sur {S}", "Tout ce que l’on sait sur {F}",
)
EN_CORE = (
    ("{D} directed the film “{F}”, which {S} will release on {month} {day}.", [("D", "directed", "F")]),
    ("“{F}” stars {A*}.", [("A", "actedIn", "F")]),
    ("The film was written by {W} and produced by {P}.", [("W", "wrote", "F"), ("P", "produced", "F")]),
    ("“{F}” is now available on {S}.", [("F", "distributedBy", "S")]),
    ("{D.short} previously directed “{F2}”, which was distributed by {ST}.",
     [("D", "directed", "F2"), ("F2", "distributedBy", "ST")]),
    ("{XO} chief content officer {X} called the project “a bold new chapter” for the company.",
     [("X", "employedBy", "XO")]),
    ("“{F}” is a sequel to “{F3}”, which {D.short} also directed in {year}.",
     [("F", "sequelOf", "F3"), ("D", "directed", "F3")]),
    ("“{F}” is the {ordinal} installment in the {FR} franchise.", [("F", "partOfFranchise", "FR")]),
    ("{CO}, based in {PL}, produced the project alongside {ST}.", [("CO", "basedIn", "PL")]),
    ("{A1} also starred in “{F4}” on {S}.", [("A1", "actedIn", "F4")]),
    ("{D} collaborated with {W} on the script after the two met on the set of “{F2}”.",
     [("D", "collaboratedWith", "W")]),
    ("“{F}” was distributed by {ST} in theaters before landing on {S}.", [("F", "distributedBy", "ST")]),
    ("{A1} plays a retired detective who returns to {PL} to investigate her sister’s disappearance.", []),
    ("“We wanted to make something that felt personal and epic at the same time,” {D.short} said in an interview.",
     []),
    ("According to {XO}, the film reached {n} million households in its first {k} days.", []),
)
FR_CORE = (
    ("« {F} », réalisé par {D}, sera disponible sur {S} le {day} {month}.",
     [("D", "directed", "F"), ("F", "distributedBy", "S")]),
    ("Le film met en vedette {A*}.", [("A", "actedIn", "F")]),
    ("« {F} » a été écrit par {W} et produit par {P}.", [("W", "wrote", "F"), ("P", "produced", "F")]),
    ("{D.short} a déjà réalisé « {F2} », distribué par {ST}.",
     [("D", "directed", "F2"), ("F2", "distributedBy", "ST")]),
    ("{X}, directrice des contenus de {XO}, a salué « un nouveau chapitre audacieux » pour la société.",
     [("X", "employedBy", "XO")]),
    ("« {F} » est la suite de « {F3} », que {D.short} avait réalisé en {year}.",
     [("F", "sequelOf", "F3"), ("D", "directed", "F3")]),
    ("{A1} joue également dans « {F4} », disponible sur {S}.",
     [("A1", "actedIn", "F4"), ("F4", "distributedBy", "S")]),
    ("La société {CO}, basée à {PL}, coproduit le film avec {ST}.", [("CO", "basedIn", "PL")]),
    ("« {F} » est le {ordinal} volet de la franchise {FR}.", [("F", "partOfFranchise", "FR")]),
    ("{D} a collaboré avec {W} sur le scénario.", [("D", "collaboratedWith", "W")]),
    ("« Nous voulions faire un film à la fois intime et spectaculaire », a déclaré {D.short}.", []),
    ("Selon {XO}, le long métrage a atteint {n} millions de foyers au cours des {k} premiers jours.", []),
    ("{A1} incarne une ancienne policière qui revient à {PL} pour enquêter sur la disparition de sa sœur.", []),
)
EN_FILLER = (
    "The project has been in development for {k} years, according to people familiar with the production.",
    "Early reactions from test screenings have been mostly positive, with particular praise for the soundtrack.",
    "Viewers logged more than {n} million hours in the first week, making it one of the most-watched titles of "
    "the season.",
    "No release date has been announced for the next chapter yet, but production is expected to start in the {season}.",
    "Critics have been divided, with some praising its ambition and others finding the pacing uneven.",
    "The film spent {k} weeks in the top ten of the platform, a rare feat for an original production.",
    "Fans have already started to speculate about what the ending means for the rest of the story.",
    "The budget was reported to be around {n} million dollars, most of it spent on location shooting.",
    "It is not the first time that a streaming hit has been turned into a franchise, and it will not be the last.",
    "Box office analysts expect the theatrical run to be short, as audiences increasingly wait for streaming.",
    "The trailer was viewed more than {n} million times in its first {k} days online.",
    "Shooting took place over {k} months, mostly at night, which the crew described as exhausting but rewarding.",
    "The soundtrack, composed for the film, has also climbed the charts since the release.",
    "Several scenes were reportedly rewritten during production after early screenings.",
    "The studio has not commented on rumors of a spin-off centered on a supporting character.",
    "A wider release in other territories is planned for the {season}, subtitled and dubbed in {k} languages.",
    "Industry observers see the deal as part of a broader push to secure exclusive franchises.",
    "The cast reunited at a premiere event last week, where they answered questions from fans.",
    "Most reviews singled out the cinematography and the lead performances as the highlights.",
    "Ratings for the premiere episode were the highest the platform has recorded this year.",
    "For many in the audience the story felt familiar, yet the execution managed to surprise.",
    "The production also faced delays, first because of the weather and then because of scheduling conflicts.",
)
FR_FILLER = (
    "Le projet était en développement depuis {k} ans, selon des sources proches de la production.",
    "Les premières projections tests ont été plutôt positives, avec une mention particulière pour la musique.",
    "Les spectateurs ont cumulé plus de {n} millions d’heures de visionnage au cours de la première semaine.",
    "Aucune date de sortie n’a encore été annoncée pour la suite, mais le tournage devrait commencer {season}.",
    "La critique est partagée : certains saluent son ambition, d’autres regrettent un rythme inégal.",
    "Le long métrage est resté {k} semaines dans le top dix de la plateforme, un exploit pour une production "
    "originale.",
    "Les fans spéculent déjà sur ce que la fin signifie pour la suite de l’histoire.",
    "Le budget serait d’environ {n} millions de dollars, dépensés en grande partie en tournage en extérieur.",
    "Ce n’est pas la première fois qu’un succès du streaming devient une franchise, et ce ne sera pas la dernière.",
    "Les analystes du box-office s’attendent à une exploitation courte en salles, le public attendant le streaming.",
    "La bande-annonce a été vue plus de {n} millions de fois au cours de ses {k} premiers jours en ligne.",
    "Le tournage s’est étalé sur {k} mois, principalement de nuit, ce que l’équipe a décrit comme épuisant.",
    "La bande originale, composée pour le film, grimpe elle aussi dans les classements depuis la sortie.",
    "Plusieurs scènes auraient été réécrites pendant la production après les premières projections.",
    "Le studio n’a pas commenté les rumeurs d’un spin-off centré sur un personnage secondaire.",
    "Une sortie dans d’autres pays est prévue {season}, sous-titrée et doublée en {k} langues.",
    "Les observateurs du secteur y voient une volonté plus large de s’assurer des franchises exclusives.",
    "Les acteurs se sont retrouvés lors d’une avant-première la semaine dernière pour répondre aux fans.",
    "La plupart des critiques ont souligné la photographie et l’interprétation des rôles principaux.",
    "Les audiences du premier épisode sont les plus élevées enregistrées par la plateforme cette année.",
)
SEASONS = {"en": ("spring", "summer", "fall", "winter"), "fr": ("au printemps", "en été", "à l’automne", "en hiver")}
RULES = {"directed": "directed", "actedIn": "starring", "wrote": "written.by", "produced": "produced.by",
         "distributedBy": "available.on", "employedBy": "org.role.person", "sequelOf": "sequel.to",
         "partOfFranchise": "franchise.entry", "basedIn": "based.in", "collaboratedWith": "collaborated.with"}
_SLOT = re.compile(r"\{([A-Z]+[0-9]?)(\*|\.short)?\}|\{(month|day|year|ordinal|n|k|season)\}")


# --- articles -------------------------------------------------------------------------------------


@dataclass
class Article:
    """One synthetic article and what a perfect extraction would find in it."""

    doc_id: str
    lang: str
    text: str
    title: str
    entities: dict[str, Ent] = field(default_factory=dict)  #: by key
    #: (entity key, start, end, sentence start, sentence end) of every entity name in the text
    mentions: list[tuple[str, int, int, int, int]] = field(default_factory=list)
    #: (subject key, property, object key, sentence start, sentence end)
    relations: list[tuple[str, str, str, int, int]] = field(default_factory=list)
    sentences: list[tuple[int, int, frozenset[str]]] = field(default_factory=list)  #: with the keys they mention

    @property
    def words(self) -> int:
        return len(self.text.split())


class _Writer:
    """Appends sentences to an article, recording entity offsets."""

    def __init__(self, rng: random.Random, lang: str, roles: dict, article: Article):
        self.rng, self.lang, self.roles, self.article = rng, lang, roles, article
        self.parts: list[str] = []
        self.length = 0
        self.words = 0

    def _value(self, match: re.Match) -> tuple[str, list[Ent]]:
        role, suffix, number = match.groups()
        rng = self.rng
        if number:
            if number == "month":
                return rng.choice(MONTHS_EN if self.lang == "en" else MONTHS_FR), []
            if number == "day":
                return str(rng.randint(1, 28)), []
            if number == "year":
                return str(rng.randint(1998, 2022)), []
            if number == "ordinal":
                return rng.choice(ORDINALS_EN if self.lang == "en" else ORDINALS_FR), []
            if number == "n":
                return str(rng.randint(2, 180)), []
            if number == "k":
                return str(rng.randint(2, 12)), []
            return rng.choice(SEASONS[self.lang]), []
        if role == "A1":
            ent = self.roles["A"][0]
        else:
            ent = self.roles[role]
        if suffix == "*":
            return "", list(ent)
        if suffix == ".short":
            return ent.short or ent.label, [ent]
        return ent.label, [ent]

    def add(self, template: str, relations=(), separator: str = " ") -> None:
        if self.parts:
            self.parts.append(separator)
            self.length += len(separator)
        sent_start = self.length
        pieces, spans = [], []
        position, offset = 0, sent_start
        for match in _SLOT.finditer(template):
            literal = template[position:match.start()]
            pieces.append(literal)
            offset += len(literal)
            text, ents = self._value(match)
            if match.group(2) == "*":
                names = [e.label for e in ents]
                for i, ent in enumerate(ents):
                    if i:
                        joint = " and " if self.lang == "en" and i == len(ents) - 1 else \
                            " et " if i == len(ents) - 1 else ", "
                        pieces.append(joint)
                        offset += len(joint)
                    pieces.append(ent.label)
                    spans.append((ent, offset, offset + len(ent.label)))
                    offset += len(ent.label)
                del names
            else:
                pieces.append(text)
                if ents:
                    spans.append((ents[0], offset, offset + len(text)))
                offset += len(text)
            position = match.end()
        pieces.append(template[position:])
        text = "".join(pieces)
        text = text[0].upper() + text[1:]
        self.parts.append(text)
        self.length += len(text)
        self.words += len(text.split())
        sent_end = self.length
        article = self.article
        keys = set()
        for ent, start, end in spans:
            article.entities.setdefault(ent.key, ent)
            article.mentions.append((ent.key, start, end, sent_start, sent_end))
            keys.add(ent.key)
        article.sentences.append((sent_start, sent_end, frozenset(keys)))
        for subject, prop, obj in relations:
            subjects = self._members(subject)
            for s in subjects:
                for o in self._members(obj):
                    article.relations.append((s.key, prop, o.key, sent_start, sent_end))

    def _members(self, role: str) -> list[Ent]:
        if role == "A1":
            return [self.roles["A"][0]]
        value = self.roles[role]
        return list(value) if isinstance(value, list) else [value]

    def raw(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)
        self.words += len(text.split())

    def text(self) -> str:
        return "".join(self.parts)


def make_article(index: int, seed: int = 0, fr_share: float = 0.4) -> Article:
    """Article number ``index`` of the corpus of ``seed`` (the same whatever the corpus size)."""
    rng = random.Random(f"kg-synthetic:{seed}:{index}")
    lang = "fr" if rng.random() < fr_share else "en"
    roles = cast(rng)
    doc_id = f"synth_{index:06d}"
    article = Article(doc_id, lang, "", "")
    writer = _Writer(rng, lang, roles, article)
    quote_open, quote_close = ("« ", " »") if lang == "fr" else ("", "")
    headline = rng.choice(EN_HEADLINES if lang == "en" else FR_HEADLINES)
    # the headline names the focus work without quotes in English, between guillemets in French
    writer.add(headline.replace("{F}", quote_open + "{F}" + quote_close))
    article.title = writer.text()
    if rng.random() < 0.3:
        writer.raw(f"\n\ndate {rng.randint(2019, 2024)}-{rng.randint(1, 12):02d} ")
        first_separator = ""
    else:
        first_separator = "\n\n"
    core = list(EN_CORE if lang == "en" else FR_CORE)
    opening, rest = core[0], core[1:]
    rng.shuffle(rest)
    chosen = [opening] + rest[:rng.randint(len(rest) * 2 // 3, len(rest))]
    fillers = list(EN_FILLER if lang == "en" else FR_FILLER)
    rng.shuffle(fillers)
    target = rng.randint(300, 600)
    words = len(article.title.split())
    # interleave: each core sentence may be followed by fillers, until the word target is met
    per_core = max(1, (target - 20 * len(chosen)) // (22 * len(chosen)) + 1)
    in_paragraph = 0
    separator = first_separator
    sequence: list[tuple[str, list]] = []
    for template in chosen:
        sequence.append(template)
        for _ in range(rng.randint(0, per_core)):
            if fillers:
                sequence.append((fillers.pop(), []))
    for text, relations in sequence:
        writer.add(text, relations, separator=separator)
        words = writer.words
        in_paragraph += 1
        if in_paragraph >= rng.randint(1, 3):
            separator, in_paragraph = "\n\n", 0
        else:
            separator = " "
        if words >= target and (text, relations) in chosen[-1:]:
            break
    while words < target and fillers:
        writer.add(fillers.pop(), separator="\n\n" if rng.random() < 0.4 else " ")
        words = writer.words
    if rng.random() < 0.25:
        writer.raw("\n\n" + ("Exit mobile version" if lang == "en" else "À lire aussi"))
    writer.raw("\n")
    article.text = writer.text()
    return article


def write_corpus(out_dir: str | Path, n: int, seed: int = 0, fr_share: float = 0.4, start: int = 0) -> list[Path]:
    """Write articles ``start`` .. ``start + n - 1`` of the corpus of ``seed`` as ``.txt`` files in ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(start, start + n):
        article = make_article(index, seed, fr_share)
        path = out_dir / f"{article.doc_id}.txt"
        path.write_text(article.text, encoding="utf-8")
        paths.append(path)
    return paths


# --- graphs ---------------------------------------------------------------------------------------


def synthetic_graph(n_nodes: int, seed: int = 0, fr_share: float = 0.4, evidence: bool = True,
                    max_evidence: int | None = None) -> nx.MultiDiGraph:
    """The graph a perfect extraction of synthetic articles 0, 1, 2... would give, once it has ``n_nodes`` entities.

    Shaped like ``kg.analysis.project(dataset, co_mentions=True)``.  The graph gets
    ``graph.graph["articles"]``, the number of articles simulated.  ``evidence=False``
    leaves every evidence list empty (smaller, for graphs whose evidence is never read).
    """
    entities: dict[str, Ent] = {}
    articles: dict[str, set[str]] = defaultdict(set)
    alt_labels: dict[str, set[str]] = defaultdict(set)
    relation_evidence: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    co_mentions: Counter = Counter()
    index = 0
    while len(entities) < n_nodes:
        article = make_article(index, seed, fr_share)
        index += 1
        for key, ent in article.entities.items():
            entities.setdefault(key, ent)
            articles[key].add(article.doc_id)
        for key, start, end, _, _ in article.mentions:
            surface = article.text[start:end]
            if surface != entities[key].label:
                alt_labels[key].add(surface)
        for s, prop, o, sent_start, sent_end in article.relations:
            items = relation_evidence[(s, prop, o)]
            if evidence and (max_evidence is None or len(items) < max_evidence):
                items.append({"article": article.doc_id, "sentence": article.text[sent_start:sent_end],
                              "start": sent_start, "end": sent_end, "rule": f"{article.lang}.{RULES[prop]}",
                              "confidence": 0.85})
        for _, _, keys in article.sentences:
            ordered = sorted(KGID + k for k in keys)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1:]:
                    co_mentions[(a, b)] += 1
    graph = nx.MultiDiGraph(articles=index)
    for key in sorted(entities):
        ent = entities[key]
        graph.add_node(KGID + key, label=ent.label, cls=ent.cls, alt_labels=tuple(sorted(alt_labels[key])),
                       articles=tuple(sorted(articles[key])))
    for (s, prop, o), items in sorted(relation_evidence.items()):
        if s != o:
            items.sort(key=lambda e: (e["article"], e["start"], e["rule"]))
            graph.add_edge(KGID + s, KGID + o, key=prop, prop=prop, evidence=items)
    for (a, b), weight in sorted(co_mentions.items()):
        graph.add_edge(a, b, key=CO_MENTION, prop=CO_MENTION, weight=weight, evidence=[])
    return graph


def resolution_from_graph(graph: nx.MultiDiGraph):
    """:class:`kg.records.Resolution` of a synthetic graph: its entities and relations (no mentions)."""
    from kg.records import Entity, Relation, Resolution

    entities = tuple(Entity(node[len(KGID):], data["cls"], data["label"], tuple(data["alt_labels"]))
                     for node, data in sorted(graph.nodes(data=True)))
    relations = tuple(Relation(s[len(KGID):], key, o[len(KGID):])
                      for s, o, key in sorted(graph.edges(keys=True)) if key != CO_MENTION)
    return Resolution(entities, relations)


def synthetic_extractions(n: int, seed: int = 0, fr_share: float = 0.4, start: int = 0):
    """Documents and perfect :class:`kg.records.Extraction` records of articles ``start`` .. ``start + n - 1``.

    What the NLP stage would return if it found exactly the names and relations the
    templates put in; for timing the stages after NLP (resolution, RDF, analysis, writing)
    at corpus sizes where running spaCy would take hours.
    """
    import hashlib

    from kg.records import Document, Extraction, Mention, RelationMention

    documents, extractions = [], []
    for index in range(start, start + n):
        article = make_article(index, seed, fr_share)
        text = article.text
        document = Document(article.doc_id, f"{article.doc_id}.txt", text, article.lang, article.title,
                            hashlib.sha256(text.encode("utf-8")).hexdigest())
        mentions, first_in_sentence = [], {}
        for key, start_, end, sent_start, sent_end in article.mentions:
            mention = Mention(article.doc_id, start_, end, text[start_:end], article.entities[key].cls,
                              sent_start, sent_end, "ner", 0.8)
            mentions.append(mention)
            first_in_sentence.setdefault((key, sent_start), mention)
            first_in_sentence.setdefault((key, None), mention)  # the antecedent of "the film", "le film"
        relations = []
        for s, prop, o, sent_start, sent_end in article.relations:
            subject = first_in_sentence.get((s, sent_start)) or first_in_sentence.get((s, None))
            object_ = first_in_sentence.get((o, sent_start)) or first_in_sentence.get((o, None))
            if subject is not None and object_ is not None and subject != object_:
                relations.append(RelationMention(article.doc_id, prop, subject, object_, sent_start, sent_end,
                                                 f"{article.lang}.{RULES[prop]}", 0.85))
        unique = tuple(dict.fromkeys(mentions))
        documents.append(document)
        extractions.append(Extraction(document, unique, tuple(relations)))
    return documents, extractions


def describe(graph: nx.MultiDiGraph) -> dict:
    """Size and degree figures of a synthetic graph."""
    relations = [(s, o) for s, o, k in graph.edges(keys=True) if k != CO_MENTION]
    degree = Counter()
    for s, o in relations:
        degree[s] += 1
        degree[o] += 1
    degrees = sorted((degree[n] for n in graph.nodes), reverse=True)
    n = len(degrees)
    return {
        "articles": graph.graph.get("articles"),
        "nodes": n,
        "relation_edges": len(relations),
        "co_mention_edges": graph.number_of_edges() - len(relations),
        "classes": dict(Counter(d["cls"] for _, d in graph.nodes(data=True)).most_common()),
        "max_degree": degrees[0] if degrees else 0,
        "median_degree": degrees[n // 2] if degrees else 0,
        "degree_0": sum(1 for d in degrees if d == 0),
        "degree_1": sum(1 for d in degrees if d == 1),
        "top_1pct_share_of_degree": round(sum(degrees[:max(1, n // 100)]) / max(1, sum(degrees)), 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write synthetic English/French film-news articles (seeded, reproducible), or print the "
                    "figures of a synthetic graph.")
    parser.add_argument("--articles", type=int, metavar="N", help="number of articles to write")
    parser.add_argument("--out", type=Path, metavar="DIR", help="folder to write the .txt files into")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument("--fr-share", type=float, default=0.4, metavar="P",
                        help="share of French articles (default: 0.4)")
    parser.add_argument("--start", type=int, default=0, metavar="I",
                        help="index of the first article (default: 0); article I is the same in every corpus")
    parser.add_argument("--graph", type=int, metavar="NODES",
                        help="instead, build a synthetic graph of about NODES entities and print its figures")
    args = parser.parse_args(argv)
    if not 0 <= args.fr_share <= 1:
        parser.error("--fr-share must be between 0 and 1")
    if args.graph:
        started = time.perf_counter()
        graph = synthetic_graph(args.graph, args.seed, args.fr_share)
        figures = describe(graph)
        figures["seconds"] = round(time.perf_counter() - started, 1)
        for name, value in figures.items():
            print(f"{name:>26}: {value}")
        return 0
    if args.articles is None or args.out is None:
        parser.error("give --articles N and --out DIR (or --graph NODES)")
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    started = time.perf_counter()
    paths = write_corpus(args.out, args.articles, args.seed, args.fr_share, args.start)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
    print(f"wrote {len(paths)} articles ({words:,} words, {words / len(paths):.0f} per article) to {args.out} "
          f"in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
