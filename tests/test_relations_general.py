"""Relation rules on invented sentences (names not in the seeds): the rules generalise."""

from contextlib import contextmanager

import pytest

from kg.corpus import mask_boilerplate
from kg.nlp import load_pipeline


def relations(lang, text):
    doc = load_pipeline(lang)(text)
    return {(prop, subj.text, obj.text) for prop, subj, obj, *_ in doc._.kg_relations}


@contextmanager
def without_model(lang):
    """The pipeline of ``lang`` with the learned fallback switched off (the rules, path and
    role cues alone), restored afterwards."""
    nlp = load_pipeline(lang)
    extractor = nlp.get_pipe("kg_relations")
    model, extractor.model = extractor.model, None
    try:
        yield nlp
    finally:
        extractor.model = model


def rule_relations(lang, text):
    """Relations of ``text`` from the rules and path cues alone, without the learned model."""
    with without_model(lang) as nlp:
        doc = nlp(text)
    return {(prop, subj.text, obj.text) for prop, subj, obj, *_ in doc._.kg_relations}


def entities(lang, text):
    return {(e.text, e.label_) for e in load_pipeline(lang)(text).ents}


EN = ("Swedish director Maria Lindqvist directed Northern Lights. The film was written by Lindqvist and "
      "Paul Mercer. Tom Harlow starred in the HBO series The Long Winter. She has cast Tom Harlow and "
      "Emma Stone in her new film Northern Lights, which Netflix will release next year. "
      "Warner Bros. CEO David Zaslav praised it.")
FR = ("Jean Dupuis prépare «La Nuit des rois». Le film, réalisé par Jean Dupuis, met en vedette Léa Seydoux "
      "et Vincent Cassel. La série «Les Ombres» sera disponible sur Canal+ en mars.")


@pytest.mark.parametrize("expected", [
    ("directed", "Maria Lindqvist", "Northern Lights"),
    ("wrote", "Lindqvist", "Northern Lights"),          # "The film" resolves to the salient work
    ("wrote", "Paul Mercer", "Northern Lights"),
    ("actedIn", "Tom Harlow", "The Long Winter"),
    ("distributedBy", "The Long Winter", "HBO"),
    ("actedIn", "Emma Stone", "Northern Lights"),        # "cast A and B in ... X": the whole list
    ("distributedBy", "Northern Lights", "Netflix"),
    ("employedBy", "David Zaslav", "Warner Bros."),
])
def test_english_rules(expected):
    assert expected in relations("en", EN)


def test_possessive_pronoun_skips_the_object_of_its_own_clause():
    found = relations("en", EN)
    assert ("directed", "Tom Harlow", "Northern Lights") not in found


def test_nationality_before_a_role_noun_is_no_title():
    assert not any(text == "Swedish" for text, _ in entities("en", EN))


def test_lone_surname_is_the_person_named_in_full():
    assert ("Lindqvist", "Person") in entities("en", EN)


@pytest.mark.parametrize("expected", [
    ("directed", "Jean Dupuis", "La Nuit des rois"),     # "Le film, réalisé par ..."
    ("actedIn", "Léa Seydoux", "La Nuit des rois"),
    ("actedIn", "Vincent Cassel", "La Nuit des rois"),
    ("distributedBy", "Les Ombres", "Canal+"),
])
def test_french_rules(expected):
    assert expected in relations("fr", FR)


@pytest.mark.parametrize("lang, text, expected", [
    ("en", 'Apple has acquired the worldwide rights to "The Quiet Shore", directed by Ana Ruiz.',
     ("distributedBy", "The Quiet Shore", "Apple")),
    ("fr", "Arte a acquis les droits du film « Les Jours clairs ».", ("distributedBy", "Les Jours clairs", "Arte")),
])
def test_acquisition_rules(lang, text, expected):
    assert expected in relations(lang, text)


def test_a_quoted_french_title_does_not_end_its_sentence():
    doc = load_pipeline("fr")("Arte a acquis les droits du film « Les Jours clairs » cette semaine.")
    assert len(list(doc.sents)) == 1


@pytest.mark.parametrize("lang, text, name", [
    ("fr", "Le film est produit pour Why Not Productions à Paris.", "Why Not Productions"),
    ("en", "The series comes from Blue Harbor Entertainment and Netflix.", "Blue Harbor Entertainment"),
    ("en", "Dana Holt, who chairs BKN Worldwide Television Group, ordered the show.", "BKN Worldwide Television Group"),
    ("en", "The deal covers HBO Films and Northlight Pictures International.", "HBO Films"),
    ("en", "The deal covers HBO Films and Northlight Pictures International.", "Northlight Pictures International"),
    ("en", "Blue Go USA Entertainment acquired the film in May.", "Blue Go USA Entertainment"),
    ("en", "After Northlight Pictures bought the script, the film moved on.", "Northlight Pictures"),
    ("en", "Dana Holt of Harbor Media & Entertainment Distribution left in May.", "Harbor Media & Entertainment Distribution"),
    ("fr", "Pierre Morel a fondé Troisième Œil Productions en 2001.", "Troisième Œil Productions"),
])
def test_company_names_ending_in_a_company_word_are_organizations(lang, text, name):
    assert (name, "Organization") in entities(lang, text)


@pytest.mark.parametrize("lang, text, work, person", [
    ("en", 'Her new film "Glass Harbor", written and directed by Nora Blake, opens in May.', "Glass Harbor", "Nora Blake"),
    ("fr", "« Les Vagues », écrit et réalisé par Marc Tellier, sort en mai.", "Les Vagues", "Marc Tellier"),
])
def test_coordinated_participles_share_their_agent(lang, text, work, person):
    found = relations(lang, text)
    assert {("wrote", person, work), ("directed", person, work)} <= found


@pytest.mark.parametrize("lang, text, expected", [
    ("fr", "Le film « Les Vagues » sort en mai. Produit par Anne Roux pour Lune Films, le film a coûté dix millions.",
     ("produced", "Anne Roux", "Les Vagues")),
    ("en", 'The film "Glass Harbor" opens in May. Directed by Nora Blake for Apple, the movie cost ten million dollars.',
     ("directed", "Nora Blake", "Glass Harbor")),
])
def test_a_sentence_opening_participle_names_the_work_after_the_comma(lang, text, expected):
    assert expected in relations(lang, text)


def test_french_sentences_start_only_after_final_punctuation():
    text = ("Cannes : « Les Vagues » de Marc Tellier acheté par Netflix\n\n"
            "Netflix a acquis les droits de distribution du film « Les Vagues », réalisé par Marc Tellier, pour les "
            "États-Unis et le Royaume-Uni. Produit par Anne Roux pour Lune Productions, le film sortira en salles en "
            "France le 21 août, distribué par Gaumont.")
    doc = load_pipeline("fr")(text)
    assert [s.text.split()[0] for s in doc.sents] == ["Cannes", "Netflix", "Produit"]


def test_distributed_by_after_a_comma_takes_the_clause_subject():
    found = relations("fr", "Le film « Les Vagues » est prêt. Le film sortira en salles le 21 août, distribué par Gaumont.")
    assert ("distributedBy", "Les Vagues", "Gaumont") in found


@pytest.mark.parametrize("lang, text, expected", [
    ("en", "Greta Lind's previous film, Paper Moons, grossed $40 million.", ("Paper Moons", "Film")),
    ("en", "The Gardener's Daughter is her next project.", ("The Gardener's Daughter", "Film")),
    ("en", "He produced the Silver Arrow films for Universal.", ("Silver Arrow", "Franchise")),
    ("en", "The deal covers the rights to the J.R. Holloway books.", ("J.R. Holloway", "Person")),
    ("fr", "Le film met en vedette Zoe Martin, Karla Ruiz et Selena Gomez.", ("Selena Gomez", "Person")),
])
def test_typing_from_context(lang, text, expected):
    assert expected in entities(lang, text)


def test_the_series_refers_to_a_series_not_to_a_film():
    text = ("The film Paper Moons opened in May. Paper Moons was a hit. Netflix also ordered the series Cold Harbor. "
            "The series stars Tom Reyes.")
    found = relations("en", text)
    assert ("actedIn", "Tom Reyes", "Cold Harbor") in found
    assert ("actedIn", "Tom Reyes", "Paper Moons") not in found


def test_a_cast_list_goes_to_the_film_in_focus():
    text = ("The film Paper Moons will open in May. Paper Moons is the sequel to Glass Harbor. "
            "Nora Blake leads an ensemble that includes Tom Reyes and Emma Stone.")
    found = relations("en", text)
    assert {("actedIn", "Tom Reyes", "Paper Moons"), ("actedIn", "Emma Stone", "Paper Moons")} <= found


def test_definite_descriptions_take_modifiers():
    found = relations("en", 'The film "Paper Moons" opens in May. Nora Blake, who wrote and directs the new installment, '
                            "is happy.")
    assert {("wrote", "Nora Blake", "Paper Moons"), ("directed", "Nora Blake", "Paper Moons")} <= found


def test_one_title_gets_one_class_in_an_article():
    text = ('Nora Blake says her whodunit series continues with "Salt Road: A Desert Mystery". '
            '"Salt Road" is a sequel to the 2022 film Glass Harbor. "Salt Road" opens in cinemas in May.')
    classes = {label for text_, label in entities("en", text) if text_.startswith("Salt Road")}
    assert classes == {"Film"}


@pytest.mark.parametrize("lang, text, expected", [
    ("en", "The pair founded the production company Blue Fern in 2010.", ("Blue Fern", "Organization")),
    ("fr", "Il a fondé la société Lune Rousse en 2010.", ("Lune Rousse", "Organization")),
])
def test_a_company_cue_names_an_organization(lang, text, expected):
    assert expected in entities(lang, text)


@pytest.mark.parametrize("lang, text, expected", [
    ("en", 'Nora Blake is known for the Netflix series “Cold Harbor,” and she appeared in the HBO horror film “Pearl Gray,” '
     "last year.", {("distributedBy", "Cold Harbor", "Netflix"), ("distributedBy", "Pearl Gray", "HBO")}),
    ("en", "Written and directed by Nolan Reyes, “Glass Harbor” is adapted from a novel. Released by Paramount, the movie "
     "grossed $40 million.", {("wrote", "Nolan Reyes", "Glass Harbor"), ("directed", "Nolan Reyes", "Glass Harbor"),
                              ("distributedBy", "Glass Harbor", "Paramount")}),
    ("en", 'The film "Glass Harbor" opens in May. Tom Reyes leads the cast, alongside Emma Stone and Matt Damon.',
     {("actedIn", "Tom Reyes", "Glass Harbor"), ("actedIn", "Emma Stone", "Glass Harbor"),
      ("actedIn", "Matt Damon", "Glass Harbor")}),
    ("en", 'Warner Bros. Pictures will release the film "Glass Harbor" in theaters on July 11.',
     {("distributedBy", "Glass Harbor", "Warner Bros. Pictures")}),
])
def test_american_quotes_openings_and_cast_sentences(lang, text, expected):
    assert expected <= relations(lang, text)


def test_a_one_word_person_named_as_a_quoted_title_is_the_work_unless_a_character():
    text = ("‘Halvorsen’ Sets Its Streaming Date\n\nAnna Lind’s Halvorsen is finally streaming. The film follows "
            "Erik Halvorsen, a physicist. Tom Reyes leads the cast as Halvorsen.")
    found = entities("en", text)
    assert ("Halvorsen", "Film") in found and ("Erik Halvorsen", "Person") in found


def test_a_novel_stays_a_creative_work():
    assert ("The Long Road", "CreativeWork") in entities("en", "The film is based on the novel The Long Road by Ann Lee.")


@pytest.mark.parametrize("text, expected", [
    ("Plus de deux ans après, la série « Les Vagues » revient ce jeudi 5 octobre sur Netflix.",
     {("distributedBy", "Les Vagues", "Netflix")}),
    ("La série « Les Vagues » revient en mai. Au casting, Omar Sy retrouve Ludivine Sagnier, ainsi qu’Antoine Gouy.",
     {("actedIn", "Omar Sy", "Les Vagues"), ("actedIn", "Ludivine Sagnier", "Les Vagues"),
      ("actedIn", "Antoine Gouy", "Les Vagues")}),
    ("La série « Les Vagues » arrive en mai. Créée par Anne Roux, la série compte six épisodes.",
     {("wrote", "Anne Roux", "Les Vagues")}),
    ("Il a réalisé « Rapides 10 », dixième volet de la saga « Rapides », sorti en mai chez Universal Pictures.",
     {("partOfFranchise", "Rapides 10", "Rapides"), ("distributedBy", "Rapides 10", "Universal Pictures")}),
])
def test_french_release_cast_and_saga_sentences(text, expected):
    assert expected <= relations("fr", text)


@pytest.mark.parametrize("text, name", [
    ("Par Julie Morel — Publié le 5 octobre.", "Julie Morel"),
    ("Assane Diop n’a pas dit son dernier mot.", "Assane Diop"),
    ("Il retrouve Ludivine Sagnier ainsi qu’Antoine Gouy.", "Antoine Gouy"),
])
def test_french_names_lose_elided_words_and_bylines(text, name):
    assert (name, "Person") in entities("fr", text)


@pytest.mark.parametrize("lang, text, expected", [
    # a person's possessive before a title: the director; a studio's: the producer; another company's: the distributor
    ("en", "Critics praised Martin Hollis’s The Quiet Harbor last year.", ("directed", "Martin Hollis", "The Quiet Harbor")),
    ("en", "It follows Paramount Pictures’ “Red Valley” at the box office.", ("produced", "Paramount Pictures", "Red Valley")),
    ("en", "It follows Bluefin Pictures’ “Red Valley” at the box office.", ("produced", "Bluefin Pictures", "Red Valley")),
    ("en", "It follows Netflix’s “Red Valley” in the charts.", ("distributedBy", "Red Valley", "Netflix")),
    # the same after the title, in an apposition: a studio produced, another company distributes
    ("en", "Fans await “Night Harbor,” the Netflix crime drama, next spring.", ("distributedBy", "Night Harbor", "Netflix")),
    ("en", "Fans await “Night Harbor,” the Bluefin Studios drama, next spring.", ("produced", "Bluefin Studios", "Night Harbor")),
    ("fr", "On attend « Les Veilleurs », la nouvelle série de Canal+, en mars.", ("distributedBy", "Les Veilleurs", "Canal+")),
    ("en", "The first film, “Salt Road,” was financed by Bluefin Media.", ("produced", "Bluefin Media", "Salt Road")),
    # running a company
    ("en", "Nora Vance, who runs Bluefin Media with Tom Reyes, praised the show.", ("employedBy", "Nora Vance", "Bluefin Media")),
    ("fr", "Julie Moreau, qui dirige Bluefin Productions, a produit le film.", ("employedBy", "Julie Moreau", "Bluefin Productions")),
    ("en", "The adaptation is based on Jane Porter’s 2019 novel “Salt Road”.", ("wrote", "Jane Porter", "Salt Road")),
    # the work in focus, for sentences that name none
    ("en", "“Deep Current” opens in May. Karen Volk reprises her role as the captain.", ("actedIn", "Karen Volk", "Deep Current")),
    ("en", "The HBO series “Night Shift” returns. Tom Abara directed the first three episodes.", ("directed", "Tom Abara", "Night Shift")),
    ("en", "The series “Night Shift” premieres Sunday at 9 p.m. on HBO.", ("distributedBy", "Night Shift", "HBO")),
    ("en", "He praised “Cold Harbor”, which he directed for Netflix in 2017.", ("distributedBy", "Cold Harbor", "Netflix")),
    ("fr", "La série « Les Veilleurs » arrive sur Arte. Le scénario est signé Paul Mercier et Anne Roux.", ("wrote", "Anne Roux", "Les Veilleurs")),
    # a clause describing the anaphor of the work in focus credits its role on that work
    ("fr", "« Les Veilleurs » arrive sur Arte. La série, créée par Paul Mercier et Anne Roux, revient.", ("wrote", "Anne Roux", "Les Veilleurs")),
    ("en", "“Deep Current” opens in May. The film, which Karen Volk and Tom Abara are directing, wraps soon.", ("directed", "Tom Abara", "Deep Current")),
    ("fr", "Julie Moreau présente « Le Grand Nord », qu’elle a réalisé en 2020.", ("directed", "Julie Moreau", "Le Grand Nord")),
    ("fr", "On attend « La Dune », le drame de Julie Moreau, en salles.", ("directed", "Julie Moreau", "La Dune")),
    # authors after a French title, casting, founders and executives
    ("fr", "Le festival montre Les Horizons de Marc Delorme et Ostara de Lena Varga.", ("directed", "Lena Varga", "Ostara")),
    ("fr", "Le festival montre Les Horizons de Marc Delorme et Ostara de Lena Varga.", ("directed", "Marc Delorme", "Les Horizons")),
    ("en", "“Iron Coast” starts shooting. Dana Holt will play the mayor.", ("actedIn", "Dana Holt", "Iron Coast")),
    ("en", "The villain portrayed by Dana Holt in “Iron Coast” returns.", ("actedIn", "Dana Holt", "Iron Coast")),
    ("en", "Grey Harbor, the company Nina Falk founded in 2007, makes the film.", ("founded", "Nina Falk", "Grey Harbor")),
    ("en", "Harbor Media was founded in 2000 by Tom Kessel.", ("founded", "Tom Kessel", "Harbor Media")),
    ("en", "Mara Lind, Netflix’s vice chair of film, praised it.", ("employedBy", "Mara Lind", "Netflix")),
    ("en", "Tom Kessel is a former Sony Pictures executive.", ("employedBy", "Tom Kessel", "Sony Pictures")),
    ("en", "Dana Holt and Tom Kessel will run Paramount Pictures as co-chairs.", ("employedBy", "Tom Kessel", "Paramount Pictures")),
])
def test_possessives_work_in_focus_relative_clauses_founders_and_executives(lang, text, expected):
    assert expected in relations(lang, text)


def test_a_cast_sentence_that_names_its_film_does_not_go_to_the_film_in_focus():
    text = "“Deep Current” opens in May. Karen Volk stars as the captain in “Blue Mile”."
    assert ("actedIn", "Karen Volk", "Deep Current") not in relations("en", text)


def test_french_spaced_colon_titles_stay_whole():
    text = "La série Les Gardiens : La Nuit des loups est disponible sur Netflix depuis mercredi."
    assert any(name == "Les Gardiens : La Nuit des loups" for name, _ in entities("fr", text))


def test_read_also_prefix_is_masked_but_the_linked_headline_is_read():
    text = "Le film sort mercredi.\n\nLire aussi : Julie Moreau revient sur « La Dune »\n\nLa suite en mars.\n"
    names = {name for name, _ in entities("fr", mask_boilerplate(text)[0])}
    assert "Lire" not in names and "La Dune" in names


def test_directed_and_acted_in_take_no_franchise_or_book():
    found = relations("en", "Mark Olsen has directed every entry in the Iron Coast franchise. He read the novel Salt Road.")
    assert not any(prop in ("directed", "actedIn") for prop, _, _ in found)


@pytest.mark.parametrize("lang, text, expected", [
    ("fr", "La série « Les Veilleurs » arrive. Anne Roux et Paul Mercier complètent la distribution.", ("actedIn", "Paul Mercier", "Les Veilleurs")),
    ("fr", "Le film « La Dune » sort. L’héroïne, incarnée par Anne Roux, doute.", ("actedIn", "Anne Roux", "La Dune")),
    ("fr", "La série « Les Veilleurs » arrive. Anne Roux et Paul Mercier se sont partagé la réalisation.", ("directed", "Anne Roux", "Les Veilleurs")),
    ("fr", "Le distributeur Pathé sortira « La Dune » en mai.", ("distributedBy", "La Dune", "Pathé")),
    ("fr", "Le film « La Dune » sort. Julie Moreau a coécrit le scénario avec Paul Mercier.", ("wrote", "Paul Mercier", "La Dune")),
    ("en", "“Iron Coast” starts shooting. Mark Olsen directs from his own script.", ("directed", "Mark Olsen", "Iron Coast")),
    # passive credits, career mentions and returning casts
    ("en", "“Iron Coast” opens in May. The remake of the 1990 hit was directed by Mark Olsen.", ("directed", "Mark Olsen", "Iron Coast")),
    ("fr", "« La Dune » sort mercredi. Réalisé par les sœurs Anne et Julie Roux, il dure deux heures.", ("directed", "Julie Roux", "La Dune")),
    ("fr", "Paul Mercier, révélé par Les Nuits fauves de Marc Delorme, joue le fils.", ("actedIn", "Paul Mercier", "Les Nuits fauves")),
    ("fr", "Paul Mercier, révélé par Les Nuits fauves de Marc Delorme, joue le fils.", ("directed", "Marc Delorme", "Les Nuits fauves")),
    ("en", "“Iron Coast” is back. Matt Ross, Ken Ito and Ana Lopes return as the three leads.", ("actedIn", "Ken Ito", "Iron Coast")),
    ("en", "“Iron Coast” is back. Newcomers include Dana Holt and Ken Ito.", ("actedIn", "Ken Ito", "Iron Coast")),
])
def test_more_sentences_about_the_work_in_focus(lang, text, expected):
    assert expected in relations(lang, text)


def test_a_company_can_produce_a_work():
    found = relations("en", "“Iron Coast” was produced by Harbor Media and Nina Falk.")
    assert ("produced", "Harbor Media", "Iron Coast") in found and ("produced", "Nina Falk", "Iron Coast") in found


def test_the_film_in_focus_is_the_one_of_the_paragraph():
    text = ("Weekend box office report\n\n“Red Valley” beat expectations.\n\n"
            "“Iron Coast” came second. Dana Holt stars as the captain.")
    found = relations("en", text)
    assert ("actedIn", "Dana Holt", "Iron Coast") in found and ("actedIn", "Dana Holt", "Red Valley") not in found


@pytest.mark.parametrize("lang, text, expected", [
    # the tokenizers split hyphenated words; rules naming them still match
    ("en", "“Iron Coast” is a film co-written by Dana Holt.", ("wrote", "Dana Holt", "Iron Coast")),
    ("en", "“Deep Current” opens in May. Karen Volk co-stars as the captain.", ("actedIn", "Karen Volk", "Deep Current")),
    ("en", "“Iron Coast”, the follow-up to “Red Valley”, opens in May.", ("sequelOf", "Iron Coast", "Red Valley")),
    ("fr", "« Les Veilleurs », spin-off de « La Garde », arrive en mai.", ("spinoffOf", "Les Veilleurs", "La Garde")),
])
def test_hyphenated_rule_words_match_split_tokens(lang, text, expected):
    assert expected in relations(lang, text)


def test_a_hyphenated_cue_names_the_title_after_it():
    nlp = load_pipeline("en")
    doc = nlp.make_doc("HBO ordered the spin-off Night Watch for 2026.")
    for name, component in nlp.pipeline:
        if name == "kg_entities":
            break
        doc = component(doc)
    found = {(doc[c.start:c.end].text, c.rule) for c in nlp.get_pipe("kg_entities").cue_titles(doc)}
    assert ("Night Watch", "cue-before") in found


def test_names_listed_after_a_work_noun_are_works():
    found = entities("en", "Her producing credits include Marriage Story, Red Notice and The Long Night.")
    assert ("Marriage Story", "Film") in found  # the NER calls it a company


def test_an_owner_in_a_list_of_works_stays_a_person():
    found = entities("en", "Netflix releases such as Alfonso Cuarón’s Roma won awards.")
    assert ("Alfonso Cuarón", "Person") in found


def test_a_capitalised_word_opening_a_sentence_before_a_comma_or_preposition_is_no_name():
    names = {name for name, _ in entities("fr", "Le film sort. Américaine, elle vit à Paris. Révélée dans « La Dune », elle joue.")}
    assert "Américaine" not in names and "Révélée" not in names and {"Paris", "La Dune"} <= names


def path_relations_of(lang, text):
    """The dependency-path relations of ``text``: a fallback of the rules when no model is trained."""
    with without_model(lang) as nlp:
        doc = nlp(text)
    return {(prop, subj.text, obj.text) for prop, subj, obj, _, _, rule, _ in doc._.kg_relations if rule.startswith("path.")}


def test_dependency_path_relations_fill_in_where_no_rule_matches():
    found = path_relations_of("en", "“Harbor Lights”, in which Dana Whitfield starred alongside Tom Reyes, ran for six seasons.")
    assert ("actedIn", "Dana Whitfield", "Harbor Lights") in found


def test_dependency_path_needs_a_cue_and_the_object_as_argument_of_its_verb():
    # no cue on the path: meeting the producers is no credit
    assert not path_relations_of("en", "Dana Whitfield met the producers of “Harbor Lights” in Paris.")
    # "founded by A and later bought by B": B bought the company, A did not found B
    # (the rules and path cues only: tests/test_relation_model.py covers the learned fallback)
    found = rule_relations("en", "Bluefin Media, founded by Nora Vance and later bought by Skyline Media, grew fast.")
    assert ("founded", "Nora Vance", "Bluefin Media") in found
    assert ("founded", "Nora Vance", "Skyline Media") not in found


@pytest.mark.parametrize("lang,text,name", [
    ("en", "The drama was acquired by A24 after its festival premiere.", "A24"),
    ("fr", "La série est diffusée sur M6 depuis l’automne.", "M6"),
])
def test_a_company_name_of_one_letter_and_digits_is_kept(lang, text, name):
    assert (name, "Organization") in entities(lang, text)
    assert not {n for n, _ in entities("fr", "Il l’a dit en 2005, n’a rien ajouté.")}  # no letter, or one alone


@pytest.mark.parametrize("lang,text,name", [
    ("en", "The series was created by Misha Green and produced by Tom Reyes.", "Misha Green"),
    ("fr", "La série, créée par Misha Green, revient en mars.", "Misha Green"),
])
def test_the_agent_of_a_credit_with_a_given_name_is_a_person(lang, text, name):
    assert (name, "Person") in entities(lang, text)  # the small English NER calls this one a company


@pytest.mark.parametrize("lang,text,character,actor", [
    ("en", "In the sequel, Dana Whitfield plays the preening Laszlo Marchetti.", "Laszlo Marchetti", "Dana Whitfield"),
    ("en", "Tom Reyes returns as Mackintosh Burke, now a chief inspector.", "Mackintosh Burke", "Tom Reyes"),
    ("en", "The film stars Dana Whitfield as Nora Quill, a pilot.", "Nora Quill", "Dana Whitfield"),
    ("fr", "Dans la série, on retrouve Karim Benali en Arnaud Vasseur et Julie Moreau.", "Arnaud Vasseur", "Karim Benali"),
    ("fr", "Julie Moreau reprend le rôle de Claire Vasseur.", "Claire Vasseur", "Julie Moreau"),
])
def test_characters_are_no_entities_but_their_actors_are(lang, text, character, actor):
    found = {name for name, _ in entities(lang, text)}
    assert character not in found
    assert actor in found


@pytest.mark.parametrize("name,person", [
    ("Jean-Luc Marchand", True), ("Julia Marchetti", True), ("Kleber da Costa", True),
    ("Warner Bros.", False), ("Hong Kong", False), ("Les Trois Mousquetaires", False),
    ("Focus Features", False), ("Nora Films", False), ("Jafar", False), ("Joel Hall 2", False),
])
def test_a_name_with_a_given_name_first_reads_as_a_person(name, person):
    assert load_pipeline("en").get_pipe("kg_entities").is_person_name(name) is person


def test_co_credits_make_collaborators_but_cast_lists_do_not():
    found = path_relations_of("en", "Mara Quint co-wrote the screenplay with Daniel Brook.")
    assert ("collaboratedWith", "Mara Quint", "Daniel Brook") in found
    listed = path_relations_of("fr", "Au casting, on retrouve Léa Drucker, Karim Benali et Julie Moreau.")
    assert not {r for r in listed if r[0] == "collaboratedWith"}


def test_names_in_a_place_only_a_work_fills_are_works():
    text = "Tomas Berg, the director of Quillon and Marrowby, had been attached for years."
    found = entities("en", text)
    assert {("Quillon", "Film"), ("Marrowby", "Film")} <= found
    assert {("directed", "Tomas Berg", "Quillon"), ("directed", "Tomas Berg", "Marrowby")} <= relations("en", text)


def role_relations_of(lang, text):
    doc = load_pipeline(lang)(text)
    return {(prop, subj.text, obj.text) for prop, subj, obj, _, _, rule, _ in doc._.kg_relations if rule.startswith("role.")}


ROLE_EN = ("Netflix Dates “Harbor Lights 2”\n\nNetflix is making “Harbor Lights 2”, the sequel to the 2021 thriller.\n\n"
           "Dana Whitfield and Tom Reyes produced through their company Gull Pictures. Helmed by Nora Vance, "
           "the sequel opens in May. Mara Quint is back as the detective. Leo Marsh as Captain Ruiz completes the cast. "
           "Nora Vance also produced Daniel Brook’s first feature. Ian Doyle, who played the villain in the first film, "
           "did not return.")


@pytest.mark.parametrize("expected", [
    ("produced", "Dana Whitfield", "Harbor Lights 2"),   # subject of a role verb with no object
    ("produced", "Tom Reyes", "Harbor Lights 2"),        # ... and its coordination
    ("directed", "Nora Vance", "Harbor Lights 2"),       # agent of a passive role verb
    ("actedIn", "Mara Quint", "Harbor Lights 2"),        # "is back as"
    ("actedIn", "Leo Marsh", "Harbor Lights 2"),         # an actor before a character's name
])
def test_roles_with_no_work_named_go_to_the_article_work(expected):
    assert expected in relations("en", ROLE_EN)


def test_role_verbs_fill_in_where_no_rule_matches():
    assert {("produced", "Dana Whitfield", "Harbor Lights 2"), ("actedIn", "Leo Marsh", "Harbor Lights 2")} \
        <= role_relations_of("en", ROLE_EN)


def test_roles_are_not_read_when_the_verb_names_another_work():
    found = role_relations_of("en", ROLE_EN)
    assert ("produced", "Nora Vance", "Harbor Lights 2") not in found   # "produced <another work>"
    assert not any(subj == "Ian Doyle" for _, subj, _ in found)          # "played ... in the first film"


def test_french_roles_with_no_work_named_go_to_the_article_work():
    text = ("« Les Ombres » arrive sur Canal+\n\nLa série « Les Ombres » sera diffusée en mars.\n\n"
            "Les épisodes sont réalisés par Julie Moreau. Karim Benali tient le rôle principal. "
            "La chaîne, créée par Paul Girard, la diffuse le lundi.")
    found = role_relations_of("fr", text)
    assert {("directed", "Julie Moreau", "Les Ombres"), ("actedIn", "Karim Benali", "Les Ombres")} <= found
    assert not any(subj == "Paul Girard" for _, subj, _ in found)  # a clause describing a noun


def test_a_title_in_quotes_may_be_a_word_otherwise_never_a_name():
    found = entities("en", "Netflix Renews ‘Friday’ for Season 3\n\nThe streamer said it will return on Friday.")
    assert ("Friday", "TVSeries") in found
    assert ("Friday", "TVSeries") not in entities("en", "The streamer said it will return on Friday.")


def test_names_a_company_owns_are_works_unless_they_read_as_people():
    text = "The record joined the streamer's Harbor Town and Quarry Lane. Netflix's Mara Quint approved it."
    found = entities("en", text)
    assert ("Harbor Town", "Person") not in found and ("Quarry Lane", "Person") not in found
    assert {name for name, cls in found if cls in ("Film", "TVSeries")} >= {"Harbor Town", "Quarry Lane"}
    assert ("Mara Quint", "Person") in found


def test_a_list_stops_at_the_subject_of_the_next_clause():
    found = relations("en", "Created by the duo behind HBO's drama “Harbor Town”, “Velvet Stone” reimagines the tale.")
    assert ("distributedBy", "Harbor Town", "HBO") in found
    assert ("distributedBy", "Velvet Stone", "HBO") not in found


def test_people_credited_together_by_one_verb_are_collaborators():
    found = role_relations_of("fr", "Réalisé par Julie Moreau et Karim Benali, le film sort en mars.")
    assert ("collaboratedWith", "Julie Moreau", "Karim Benali") in found
    produced = role_relations_of("en", "Dana Whitfield and Tom Reyes produced through their company Gull Pictures.")
    assert not {r for r in produced if r[0] == "collaboratedWith"}  # co-producers are not listed as co-credits


def test_a_name_after_a_persons_possessive_is_their_work():
    text = "He championed Dana Whitfield's Ravensworth and Tomas Berg's Boogie Streets."  # the NER: four people
    found = relations("en", text)
    assert {("directed", "Dana Whitfield", "Ravensworth"), ("directed", "Tomas Berg", "Boogie Streets")} <= found


@pytest.mark.parametrize("lang, text, speech, title", [
    ("fr", "« Ce film, je le devais à mon père », confie-t-il. Il a tourné « Les Oiseaux de mai ».",
     "Ce film, je le devais à mon père", "Les Oiseaux de mai"),
    ("fr", "« On voulait que la nature se taise », se souvient un membre de l’équipe. « Les Vagues » sort mardi.",
     "On voulait que la nature se taise", "Les Vagues"),
    ("fr", "Paul Mercier : « Je n’écris jamais avec un plan ». Son roman « Le Lac » sera adapté.",
     "Je n’écris jamais avec un plan", "Le Lac"),
    ("en", "'I never planned a career', she says. 'Northern Lights' opens in May.", "I never planned a career",
     "Northern Lights"),
])
def test_a_quotation_of_speech_is_no_title(lang, text, speech, title):
    names = {name for name, _ in entities(lang, text)}
    assert title in names and not any(" " in name and name in speech for name in names), names


@pytest.mark.parametrize("lang, text, title", [
    ("en", "The studio announced ‘Silver Arrow: The Last Flight’ for June.", "Silver Arrow: The Last Flight"),
    ("fr", "Il réalise « Les Portes du temps : Les Gardiens 2 » pour Gaumont.", "Les Portes du temps : Les Gardiens 2"),
])
def test_a_quoted_colon_title_is_one_work(lang, text, title):
    assert title in {name for name, label in entities(lang, text) if label in ("Film", "TVSeries", "CreativeWork")}


@pytest.mark.parametrize("lang, text, title", [
    ("en", "She co-wrote the 2008 comedy Silver Harbor with Emma Lindqvist, then moved to Paris.", "Silver Harbor"),
    ("en", "Together, they oversaw a run of awards contenders, including Paul Thomas Anderson's Licorice Harbor "
           "and Ridley Scott's House of Gold, which starred Emma Stone.", "Licorice Harbor"),
    ("fr", "Elle est adaptée de l’album Lucien et le Secret des dunes de Paul Mercier.", "Lucien et le Secret des dunes"),
])
def test_a_title_run_ends_before_a_person_after_a_connector(lang, text, title):
    works = {name for name, label in entities(lang, text) if label in ("Film", "TVSeries", "CreativeWork")}
    assert title in works, entities(lang, text)


@pytest.mark.parametrize("lang, text, actors, characters", [
    ("en", "Returning are Anna Berg and Paul Mercer as Lydia and Victor Crane, with Tom Harlow as Quill.",
     {"Anna Berg", "Paul Mercer", "Tom Harlow"}, {"Lydia", "Victor Crane", "Crane", "Quill"}),
    ("en", "It features the voices of Kenneth Branagh as Dickens and Oscar Isaac as Jesus.",
     {"Kenneth Branagh", "Oscar Isaac"}, {"Dickens", "Jesus"}),
])
def test_a_name_coordinated_with_a_played_character_is_one_too(lang, text, actors, characters):
    names = {name for name, _ in entities(lang, text)}
    assert actors <= names and not names & characters, names


def test_a_label_opening_a_line_is_no_title():
    text, _ = mask_boilerplate("Variety\n\nEXCLUSIVE: Anna Berg has joined the cast of the film Silver Harbor.")
    names = {(e.text, e.label_) for e in load_pipeline("en")(text).ents}
    assert ("Anna Berg", "Person") in names and not any("EXCLUSIVE" in name for name, _ in names), names


@pytest.mark.parametrize("lang, text, kept, dropped", [
    ("fr", "La Britannique Anna Berg adapte « Le Lac », avec le Norvégien Paul Mercer.",
     {"Anna Berg", "Paul Mercer", "Le Lac"}, {"Britannique", "Norvégien", "Britannique Anna Berg"}),
    ("en", "Two decades after his first role, the Texan has become the studio's favourite.", set(), {"Texan"}),
    ("fr", "Il a produit « Le Lac » avec la société American Zoetrope.", {"American Zoetrope"}, {"Zoetrope"}),
])
def test_a_demonym_is_no_entity_nor_part_of_the_name_it_opens(lang, text, kept, dropped):
    names = {name for name, _ in entities(lang, text)}
    assert kept <= names and not names & dropped, names


@pytest.mark.parametrize("lang, text, name", [
    ("fr", "Hugo Sélignac, qui dirige Chi-Fou-Mi Productions, a produit le film.", "Chi-Fou-Mi Productions"),
    ("en", "The cast includes Kim Yoon-seok, who won an award last year.", "Kim Yoon-seok"),
    ("en", "The film was directed by Seong-ho Jang, who wrote it too.", "Seong-ho Jang"),
])
def test_a_name_cut_at_a_hyphen_is_made_whole(lang, text, name):
    assert name in {n for n, _ in entities(lang, text)}, entities(lang, text)


@pytest.mark.parametrize("text, nickname, person", [
    ("The series follows Carmen “Goldie” Vasquez, a chef who returns to Chicago.", "Goldie", None),
    ("It follows Octavius “Duke” Pembrook, an erudite, prickly novelist.", "Duke", "Octavius “Duke” Pembrook"),
    ("Marvin “Sonny” Caldwell joined the board of Netflix last year.", "Sonny", "Marvin “Sonny” Caldwell"),
])
def test_a_quoted_nickname_inside_a_name_is_no_title(text, nickname, person):
    names = entities("en", text)
    assert not any(nickname in name and label != "Person" for name, label in names), names
    assert person is None or (person, "Person") in names, names


def test_a_company_name_in_a_title_case_headline_is_cut_to_the_form_the_article_uses():
    names = entities("en", "Anna Berg and Paul Mercer Unveil First KX Studios Slate\n\n"
                           "KX Studios has a plan for the next decade. KX Studios will make ten films.")
    assert ("KX Studios", "Organization") in names and not any("Unveil" in name for name, _ in names), names


def test_a_quoted_title_between_a_company_and_a_noun_is_still_a_title():
    assert ("Wednesday", "Person") not in entities("en", "Fans lined up for the Netflix “Wednesday” Premiere in Paris.")


@pytest.mark.parametrize("lang, text, pairs", [
    ("en", "Co-creators Anna Berg and Paul Mercer return for the second season.", {("Anna Berg", "Paul Mercer")}),
    ("en", "Anna Berg and Paul Mercer are directing the film.", {("Anna Berg", "Paul Mercer")}),
    ("fr", "Le film est réalisé sur un scénario de Matthieu Roux et Alexandre de La Tour.",
     {("Matthieu Roux", "Alexandre de La Tour")}),
    ("en", "Anna Berg co-wrote the pilot with Paul Mercer and Tom Harlow.",
     {("Anna Berg", "Paul Mercer"), ("Anna Berg", "Tom Harlow"), ("Paul Mercer", "Tom Harlow")}),
])
def test_people_credited_together_by_a_verb_or_a_credit_noun_are_collaborators(lang, text, pairs):
    found = {(s, o) for prop, s, o in relations(lang, text) if prop == "collaboratedWith"}
    assert pairs <= found, found


def test_a_person_the_ner_began_after_the_given_name_takes_it_back():
    text = "Written by Gerwig and her partner, Noah Baumbach, the film stars Margot Robbie as the world's most famous doll."
    assert ("Margot Robbie", "Person") in entities("en", text)


@pytest.mark.parametrize("lang, text, work, not_work", [
    ("en", "Anna Berg will unveil The Quiet Harbor, starring Paul Mercer and adapted from a memoir.", "The Quiet Harbor", None),
    ("en", "Ticket sales passed the launch of The Super Gizmo Bros. Movie last spring.", "The Super Gizmo Bros. Movie", None),
    ("en", "Written, directed and produced by the French filmmaker, this is a satire.", None, "Written"),
    ("fr", "Esther, interprétée par Carole Vidal, rejoint la série.", None, "Esther"),
])
def test_an_apposition_with_a_credit_participle_or_a_movie_word_makes_a_work(lang, text, work, not_work):
    found = entities(lang, text)
    works = {name for name, label in found if label in ("Film", "TVSeries", "CreativeWork")}
    assert (work is None or work in works) and not_work not in works, found


@pytest.mark.parametrize("lang, text, company", [
    ("fr", "Le film sort le 3 mai, distribué par Le Pacte.", "Le Pacte"),
    ("fr", "La série est produite par Les Films du Ruisseau pour la chaîne.", "Les Films du Ruisseau"),
    ("fr", "Il a fondé 31 Avril Films avec son frère.", "31 Avril Films"),
    ("fr", "Le roman est paru aux Éditions de Lanterne en 2019.", "Éditions de Lanterne"),
])
def test_company_names_from_the_domain_lists_and_name_shapes_keep_their_article(lang, text, company):
    assert (company, "Organization") in entities(lang, text), entities(lang, text)


@pytest.mark.parametrize("lang, text, not_work", [
    ("en", "Overseas, the comedy added well over $150 million.", "Overseas"),
    ("en", "In September, the second season won 11 awards.", "In September"),
    ("en", "It won the top prize at the 81st Venice Film Festival on Saturday night.", "Festival on Saturday"),
    ("en", "With a reported budget of around $400 million, the film still has a long way to go.", "around $400 million"),
])
def test_sentence_openers_money_and_festival_names_are_no_works(lang, text, not_work):
    found = entities(lang, text)
    assert not any(name == not_work for name, _ in found), found


@pytest.mark.parametrize("text, titles, not_titles", [
    ("Son complice, qui l’a dirigé dans La Loi du silence et En mer, revient.", {"La Loi du silence", "En mer"}, set()),
    ("Elle est aussi à l’affiche de La Zone d’ombre, de Jonathan Glazer.", {"La Zone d’ombre"}, set()),
    ("Son complice depuis Un prophète en 2009, il écrit.", {"Un prophète"}, {"Un prophète en 2009"}),
    ("Le tandem Delaporte – de La Patellière connaît la mécanique, avec Alexandre de La Patellière.", set(),
     {"La Patellière"}),
])
def test_a_french_title_capitalised_on_its_first_word_is_read_in_mid_sentence(text, titles, not_titles):
    works = {name for name, label in entities("fr", text) if label in ("Film", "TVSeries", "CreativeWork")}
    assert titles <= works and not works & not_titles, works


def test_a_name_the_ner_took_for_a_person_is_a_work_when_its_apposition_is_headed_by_a_work_noun():
    found = entities("en", "Warner Bros. released Burton's Beetlejuice Beetlejuice, the long-awaited sequel to his "
                           "1988 comedy, last September. Tom Hanks, the film's star, was there.")
    assert ("Beetlejuice Beetlejuice", "Film") in found and ("Tom Hanks", "Person") in found, found


@pytest.mark.parametrize("text, expected", [
    ("The studio also had Pixar's Inside Out 2 in theaters, next to Netflix's Big Mouth.",
     {("produced", "Pixar", "Inside Out 2"), ("distributedBy", "Big Mouth", "Netflix")}),
    ("It follows Marvel Studios' \"Silver Arrow\" and HBO's \"The Pitt\".",
     {("produced", "Marvel Studios", "Silver Arrow"), ("distributedBy", "The Pitt", "HBO")}),
])
def test_a_studio_possessive_gives_its_producer_and_a_distributor_possessive_its_distributor(text, expected):
    found = relations("en", text)
    assert expected <= found and not {("distributedBy", "Inside Out 2", "Pixar"),
                                       ("distributedBy", "Silver Arrow", "Marvel Studios")} & found, found


@pytest.mark.parametrize("lang, text, expected, not_expected", [
    ("fr", "Il a tourné dans « Les Sentinelles », de Mathieu Roux, en 2022.",
     ("directed", "Mathieu Roux", "Les Sentinelles"), None),
    ("fr", "« La Nuit du lac », thriller de Dominik Berg, a triomphé.", ("directed", "Dominik Berg", "La Nuit du lac"), None),
    ("fr", "« Le Lac gelé », le roman de Jiang Wei, a été adapté au cinéma.", None,
     ("directed", "Jiang Wei", "Le Lac gelé")),
    ("en", "“Anyone but Them,” Will Gluck’s raunchy rom-com, paired him with Sydney Sweeney.",
     ("directed", "Will Gluck", "Anyone but Them"), None),
])
def test_a_title_set_off_by_a_comma_then_de_or_a_possessive_genre_names_its_director(lang, text, expected, not_expected):
    found = relations(lang, text)
    assert (expected is None or expected in found) and (not_expected is None or not_expected not in found), found


def test_a_persons_possessive_names_the_director_of_a_film_and_the_writer_of_a_series():
    found = relations("en", "Eric Kline's “The Lads” returns for a fourth season, and Anna Berg's film Silver Harbor opens.")
    assert ("wrote", "Eric Kline", "The Lads") in found and ("directed", "Anna Berg", "Silver Harbor") in found, found


def test_returning_stars_are_the_cast_of_the_work_in_focus_not_of_a_work_named_in_an_apposition():
    text = ("“The Lodge 2” Adds Three\n\nThe sequel to “The Lodge” will shoot in May in Oslo.\n\n"
            "Paul Mercer, the director of “Blue Moon,” joins returning stars Emma Lind, Sara Holm and Nils Berg.")
    found = relations("en", text)
    assert {("actedIn", name, "The Lodge 2") for name in ("Emma Lind", "Sara Holm", "Nils Berg")} <= found, found
    assert not {r for r in found if r[0] == "actedIn" and r[2] == "Blue Moon"}, found


def test_features_and_starred_list_the_cast_of_the_work_before_them():
    text = ("“The Lodge 2” Adds Three\n\nThe sequel will shoot in May in Oslo. The film also features Nils Berg, "
            "Tom Harlow and Anna Berg. The first one, “House of Gold,” which starred Paul Mercer, was a hit.")
    found = relations("en", text)
    assert {("actedIn", "Nils Berg", "The Lodge 2"), ("actedIn", "Anna Berg", "The Lodge 2"),
            ("actedIn", "Paul Mercer", "House of Gold")} <= found, found


@pytest.mark.parametrize("text, real, characters", [
    ("Joanna Lumley plays Morticia's mother, Hester Frump, in the series. Emma Myers returns as Wednesday's "
     "werewolf roommate Enid Sinclair.", {"Joanna Lumley", "Emma Myers"}, {"Hester Frump", "Enid Sinclair"}),
    ("Christopher Nolan produced it with Emma Thomas. Nolan's wife, Emma Thomas, produced it.", {"Emma Thomas"}, set()),
])
def test_a_relative_of_a_character_is_a_character_too_but_not_of_a_real_person(text, real, characters):
    names = {name for name, _ in entities("en", text)}
    assert real <= names and not names & characters, names


@pytest.mark.parametrize("lang, text, wrong", [
    ("fr", "Paul Mercier, qui avait déjà dirigé Anna Berg et Tom Harlow dans « Le Lac », tourne à Lyon.",
     ("directed", "Anna Berg", "Le Lac")),
    ("fr", "La filiale a produit « Les Ombres » pour Netflix, une série créée par Paul Mercier.",
     ("produced", "Netflix", "Les Ombres")),
])
def test_the_object_of_a_role_verb_or_its_client_holds_no_role(lang, text, wrong):
    assert wrong not in relations(lang, text)


@pytest.mark.parametrize("lang, text, actor, character", [
    ("en", "That same year Glen Mercer played naval aviator Tom Reed in the war film.", "Glen Mercer", "Tom Reed"),
    ("fr", "D’Artagnan, qu’incarne toujours François Civil, part à sa recherche.", "François Civil", None),
])
def test_a_name_played_past_a_few_lower_case_words_is_a_character_unless_inverted(lang, text, actor, character):
    names = {name for name, _ in entities(lang, text)}
    assert actor in names and character not in names, names


def test_a_tv_networks_work_is_a_series():
    found = entities("en", "The network also renewed HBO's 'Silver Harbor' and FX's \"Northern Lights\" last year.")
    assert ("Silver Harbor", "TVSeries") in found and ("Northern Lights", "TVSeries") in found, found


@pytest.mark.parametrize("lang, text, title, cls", [
    ("en", "The series is adapted from Anna Berg's \"The Last Orchard\", a best seller.", "The Last Orchard", "CreativeWork"),
    ("fr", "Le film est adapté de « Main heureuse », le premier livre de Paul Mercier.", "Main heureuse", "CreativeWork"),
    ("en", "It is based on the film \"The Lodge\" from 2004.", "The Lodge", "Film"),
])
def test_a_title_after_adapted_from_is_the_source_work_unless_a_cue_types_it(lang, text, title, cls):
    assert (title, cls) in entities(lang, text), entities(lang, text)


@pytest.mark.parametrize("text, title", [
    ("La Nuit des lucioles : Anna Berg signe un premier film lumineux\nPar Paul Roux\n\n"
     "Anna Berg a tourné La Nuit des lucioles en Bretagne, un premier long-métrage salué.", "La Nuit des lucioles"),
    ("Les Gardiens du phare : Anna Berg signe un film lumineux\nPar Paul Roux\n\n"
     "Anna Berg revient, dix ans après Les Gardiens du phare : La Tempête, avec un nouveau film.", None),
    ("Anna Berg : une cinéaste à part\nPar Paul Roux\n\nAnna Berg a tourné son premier film en Bretagne.", None),
    ("Nuit blanche : Anna Berg signe un premier film\nPar Paul Roux\n\nAnna Berg a passé une nuit blanche.", None),
])
def test_an_unquoted_title_opening_the_headline_is_a_work_when_the_body_repeats_it(text, title):
    """Not a franchise before its subtitles ("Les Gardiens du phare : La Tempête"), nor a
    person's name, nor words the body repeats in another case."""
    doc = load_pipeline("fr")(text)
    by_rule = [e.text for e in doc.ents if doc._.kg_rules[e.start_char, e.end_char][0] == "headline-title"]
    assert by_rule == ([title, title] if title else []), [(e.text, e.label_) for e in doc.ents]
    assert title is None or {e.label_ for e in doc.ents if e.text == title} == {"Film"}


@pytest.mark.parametrize("lang, text, company, not_company", [
    ("fr", "Marc Roux l’a produit pour Lumiane, le studio d’animation installé à Lyon qu’il a fondé.", "Lumiane", None),
    ("en", "The film was acquired by Halcyon, the indie distributor behind two Oscar winners.", "Halcyon", None),
    ("fr", "Aux États-Unis, la chaîne HBC en a commandé une adaptation.", None, "États-Unis"),
    ("en", "Production is under way in Belgium, the company said Tuesday.", None, "Belgium"),
])
def test_a_name_whose_apposition_is_headed_by_a_company_noun_is_a_company(lang, text, company, not_company):
    found = entities(lang, text)
    companies = {name for name, label in found if label == "Organization"}
    assert (company is None or company in companies) and not_company not in companies, found


@pytest.mark.parametrize("lang, text, expected, not_expected", [
    ("en", "The network also has “The Long Watch,” the “Iron Coast” prequel co-created by Nora Vance.",
     ("wrote", "Nora Vance", "The Long Watch"), ("wrote", "Nora Vance", "Iron Coast")),
    ("en", "Her debut was “Hollow Bay,” a 2017 revenge thriller starring Mara Lind.",
     ("actedIn", "Mara Lind", "Hollow Bay"), None),
    ("en", "“Iron Coast” itself, developed by Nora Vance and Paul Mercer, ran for six seasons.",
     ("wrote", "Paul Mercer", "Iron Coast"), None),
    ("fr", "La chaîne diffuse « Les Veilleurs », une série développée par Nora Vance.",
     ("wrote", "Nora Vance", "Les Veilleurs"), None),
])
def test_a_credit_in_the_apposition_of_a_title_goes_to_that_title_not_to_a_work_inside_it(lang, text, expected,
                                                                                          not_expected):
    found = rule_relations(lang, text)
    assert expected in found and (not_expected is None or not_expected not in found), found


@pytest.mark.parametrize("text, expected", [
    ("Halcyon Media renewed the drama. The show is a hit for the Boston-based company, which also sells phones.",
     ("basedIn", "Halcyon Media", "Boston")),
    ("Orbit Pictures, the London company, made the first film.", ("basedIn", "Orbit Pictures", "London")),
])
def test_a_place_based_company_description_gives_where_the_company_in_focus_is_based(text, expected):
    assert expected in rule_relations("en", text), rule_relations("en", text)


def test_a_person_who_is_an_executive_producer_produces_the_work_in_focus():
    text = "Halcyon renewed “Blue Harbor” for a second season.\n\nNora Vance is an executive producer."
    assert ("produced", "Nora Vance", "Blue Harbor") in rule_relations("en", text), rule_relations("en", text)


@pytest.mark.parametrize("name", ["Iron Harbor", "Silver Lake"])  # the NER reads a person, a place
def test_the_subject_of_stars_with_a_person_object_is_a_work(name):
    text = f"{name}, released by Focus Features in May, stars Tom Reyes as a pilot."
    assert (name, "Film") in entities("en", text)
    assert ("actedIn", "Tom Reyes", name) in relations("en", text)


def test_a_name_typed_two_ways_in_an_article_takes_the_weightiest_family():
    from spacy.lang.en import English

    from kg.components.entities import Candidate, harmonise_name_families
    doc = English()("Vexa . Vexa . Vexa . Vexa . Vexa . Vexa Holt . Holt . Holt .")
    vexa = [Candidate(i, i + 1, "Organization", "ner") for i in (0, 2)] + [Candidate(4, 5, "Film", "quote")]
    harmonise_name_families(doc, vexa)
    assert [c.cls for c in vexa] == ["Film"] * 3  # one reading from the text outweighs two of the NER
    # further occurrences copy a class and do not vote: two NER films outweigh one NER company
    vexa = [Candidate(0, 1, "Film", "ner"), Candidate(2, 3, "Film", "ner"), Candidate(4, 5, "Organization", "ner"),
            *(Candidate(i, i + 1, "Organization", "gazetteer") for i in (6, 8))]
    harmonise_name_families(doc, vexa)
    assert [c.cls for c in vexa] == ["Film"] * 5
    # a name that is part of a person's name of the article is left alone ("Oppenheimer")
    holt = [Candidate(10, 12, "Person", "ner"), Candidate(13, 14, "Film", "quote"), Candidate(15, 16, "Place", "ner")]
    harmonise_name_families(doc, holt)
    assert [c.cls for c in holt] == ["Person", "Film", "Place"]


@pytest.mark.parametrize("text, expected", [
    ("Maria Lindqvist was named best director for The Glass Orchard, her second feature.", ("The Glass Orchard", "Film")),
    ("Tom Reyes joined The Directors Company in 1972.", ("The Directors Company", "Organization")),
])
def test_a_capitalised_article_mid_sentence_belongs_to_the_name_which_is_a_work_unless_a_company(text, expected):
    assert expected in entities("en", text), entities("en", text)


def test_a_franchise_cue_types_only_the_name_beside_it():
    text = ("Il donne la réplique à Jean Dupuis dans « Les Ombres de Lyon », troisième volet de la saga Agent Noir, "
            "réalisé par Paul Morel.")
    found = entities("fr", text)
    assert ("Les Ombres de Lyon", "Film") in found and ("Agent Noir", "Franchise") in found, found


def test_a_work_with_no_cue_nearby_takes_the_class_that_prevails_in_the_article():
    series = ("La série « Les Ombres » revient sur Canal+. Sa deuxième saison compte huit épisodes. "
              "Paul Morel a déjà écrit « Le Phare ». La série est produite par Mandarin.")
    films = ("Le film « Les Ombres » sort en salles. Paul Morel a déjà écrit « Le Phare ». "
             "Le film est produit par Mandarin.")
    assert ("Le Phare", "TVSeries") in entities("fr", series)
    assert ("Le Phare", "Film") in entities("fr", films)


@pytest.mark.parametrize("lang, text, expected", [
    ("en", "Readers await Tom Reyes’s sixth novel, “The Iron Bell,” which still has no date.", ("The Iron Bell", "CreativeWork")),
    ("en", "The second season drew on “The Iron Bell” and added two new characters.", ("The Iron Bell", "CreativeWork")),
    ("fr", "Le film transpose « La Cloche de fer », le roman de Paul Morel, en Bretagne.", ("La Cloche de fer", "CreativeWork")),
    ("fr", "Léa Morel adapte, dans « Le Phare », le roman « La Cloche de fer » de Paul Morel.", ("Le Phare", "Film")),
])
def test_a_book_noun_in_apposition_or_an_adapting_verb_marks_a_source_work(lang, text, expected):
    assert expected in entities(lang, text), entities(lang, text)


@pytest.mark.parametrize("lang, text, expected", [
    ("en", "He then made the heist thriller “Cold Harbor” with Tom Harlow and Emma Stone.",
     {("actedIn", "Tom Harlow", "Cold Harbor"), ("actedIn", "Emma Stone", "Cold Harbor")}),
    ("en", "Maria Lindqvist headlined the HBO drama “The Long Winter” last year.",
     {("actedIn", "Maria Lindqvist", "The Long Winter")}),
    ("en", "Paul Mercer, so moving opposite Emma Stone in Maria Lindqvist’s “Northern Lights,” is back.",
     {("actedIn", "Emma Stone", "Northern Lights")}),
    ("en", "Tom Harlow and Emma Stone return in “Cold Harbor 2” next spring.",
     {("actedIn", "Tom Harlow", "Cold Harbor 2"), ("actedIn", "Emma Stone", "Cold Harbor 2")}),
    ("en", "Tom Harlow took best actor for “Cold Harbor,” as many had predicted.",
     {("actedIn", "Tom Harlow", "Cold Harbor")}),
    ("fr", "Léa Seydoux a tourné face à Vincent Cassel dans « La Nuit des rois ».",
     {("actedIn", "Vincent Cassel", "La Nuit des rois")}),
    ("fr", "Il a dirigé Léa Seydoux et Vincent Cassel dans « La Nuit des rois ».",
     {("actedIn", "Léa Seydoux", "La Nuit des rois"), ("actedIn", "Vincent Cassel", "La Nuit des rois")}),
    ("fr", "Vincent Cassel partage aussi l’affiche de « La Nuit des rois ».",
     {("actedIn", "Vincent Cassel", "La Nuit des rois")}),
    ("fr", "Claire Dumas a reçu le César de la meilleure actrice pour « La Nuit des rois ».",
     {("actedIn", "Claire Dumas", "La Nuit des rois")}),
])
def test_cast_stated_beside_the_title_with_a_preposition_an_award_or_a_lead_verb(lang, text, expected):
    assert expected <= rule_relations(lang, text)


def test_a_crew_verb_before_the_title_makes_with_a_collaborator_not_a_cast_member():
    found = rule_relations("en", "Paul Mercer co-wrote the comedy “Cold Harbor” with Tom Harlow, his old friend.")
    assert ("actedIn", "Tom Harlow", "Cold Harbor") not in found
    found = rule_relations("en", "Netflix Renews ‘Cold Harbor’ for a Second Season, With Tom Harlow Back to Direct")
    assert ("actedIn", "Tom Harlow", "Cold Harbor") not in found


@pytest.mark.parametrize("lang, text, expected", [
    ("en", "Paul Mercer co-wrote the comedy “Cold Harbor” with Tom Harlow, his old friend.",
     {("wrote", "Tom Harlow", "Cold Harbor")}),
    ("en", "Then came “Cold Harbor,” which she co-directed with Tom Harlow.", {("directed", "Tom Harlow", "Cold Harbor")}),
    ("fr", "Il y a eu « La Nuit des rois », coécrit avec Claire Dumas.", {("wrote", "Claire Dumas", "La Nuit des rois")}),
    ("fr", "Puis « La Nuit des rois », coréalisé avec Claire Dumas et Jean Dupuis.",
     {("directed", "Claire Dumas", "La Nuit des rois"), ("directed", "Jean Dupuis", "La Nuit des rois")}),
])
def test_a_co_credit_verb_with_a_person_credits_that_person_not_the_cast(lang, text, expected):
    found = rule_relations(lang, text)
    assert expected <= found
    assert not {r for r in found if r[0] == "actedIn"}


@pytest.mark.parametrize("text, title", [
    ("Dans Marée basse, de Claire Dumas, il joue un pêcheur.", "Marée basse"),
    ("Il enchaîne avec Inferno de Claire Dumas, tourné à Florence.", "Inferno"),
])
def test_a_french_name_followed_by_de_and_a_full_name_is_a_work_by_that_person(text, title):
    found = entities("fr", text)
    assert any(label == title and cls in ("Film", "TVSeries") for label, cls in found), found
    assert ("directed", "Claire Dumas", title) in rule_relations("fr", text)


@pytest.mark.parametrize("text, name", [
    ("The second season streams on Max in April. Its producers sold it to HBO and Max.", "Max"),
    ("The film, which Universal opens in November, stars Tom Baird.", "Universal"),
])
def test_a_one_word_company_name_that_is_also_a_given_name_is_the_company(text, name):
    found = entities("en", text)
    assert (name, "Organization") in found and (name, "Person") not in found


def test_a_short_company_name_stays_a_person_as_a_surname_or_a_character():
    assert ("Fox", "Person") in entities("en", "Megan Fox stars in the thriller. Fox plays a detective.")
    assert ("Max", "Organization") not in entities("en", "Tom Baird plays a boxer. He appears as Max in the film.")


def test_a_name_in_a_list_of_people_is_a_person_even_after_a_role_noun():
    text = "The cast also includes Mark Doyle, Benicio del Torres, Regina Hall, Teyana Moss and newcomer Chase Infiniti."
    assert {("Regina Hall", "Person"), ("Chase Infiniti", "Person")} <= entities("en", text)


def test_a_company_before_a_role_noun_and_a_name_is_no_list_member():
    text = "Co-directed by Park and longtime Aardman Animations collaborator Merlin Crossingham, the film opens today."
    assert ("Aardman Animations", "Person") not in entities("en", text)
    text = "The series is produced by Riot Games, the Los Angeles company founded by Brandon Beck and Marc Merrill."
    assert ("Los Angeles", "Person") not in entities("en", text)


@pytest.mark.parametrize("lang, text, expected", [
    ("en", "The series “Harbor Lights” is a prequel to “Blue Ridge.”", ("spinoffOf", "Harbor Lights", "Blue Ridge")),
    ("fr", "« Les Veilleurs : l'origine » est une préquelle de la série « Les Veilleurs ».",
     ("spinoffOf", "Les Veilleurs : l'origine", "Les Veilleurs")),
])
def test_a_prequel_is_a_spinoff_of_the_work_it_precedes(lang, text, expected):
    assert expected in rule_relations(lang, text)


@pytest.mark.parametrize("lang, text, expected", [
    ("en", "“Hollow Crown” is the sequel to 2017’s “Iron Orchard.”", ("sequelOf", "Hollow Crown", "Iron Orchard")),
    ("en", "Mara Quill, the director of “Iron Orchard,” joined the cast.", ("directed", "Mara Quill", "Iron Orchard")),
    ("fr", "« Le Grand Soir » est la suite de « La Nuit bleue ».", ("sequelOf", "Le Grand Soir", "La Nuit bleue")),
])
def test_a_description_with_a_work_as_complement_is_no_anaphor(lang, text, expected):
    assert expected in rule_relations(lang, text)


def test_a_description_without_a_work_after_it_stays_an_anaphor():
    text = "Mara Quill wrote “Iron Orchard.” The director of photography was hired later; the film shoots in May."
    doc = load_pipeline("en")(text)
    anaphors = {t.lower_ for t in doc if t._.kg_class.startswith("~")}
    assert {"the film", "the director"} <= anaphors  # "of photography" names no work


def test_a_noun_cue_names_the_subject_through_a_copula():
    assert ("directed", "Mara Quill", "Iron Orchard") in rule_relations("en", "Mara Quill is the director of “Iron Orchard.”")


@pytest.mark.parametrize("text, modifier, work, company", [
    ("It follows Bluefin Media's Cold War thriller “The Quiet Hour” into theaters.", "Cold War", "The Quiet Hour", "Bluefin Media"),
    ("Netflix’s Great Depression drama “Dust Bowl” arrives in May.", "Great Depression", "Dust Bowl", "Netflix"),
])
def test_a_capitalised_run_before_a_genre_noun_qualifies_the_quoted_title(text, modifier, work, company):
    names = {name for name, _ in entities("en", text)}
    assert modifier not in names and work in names
    assert ("distributedBy", work, company) in rule_relations("en", text)


@pytest.mark.parametrize("lang, text, expected", [
    ("fr", "Arte diffuse le film. Il a été produit par Bluefin Films, la société fondée par Marc Levasseur.",
     ("founded", "Marc Levasseur", "Bluefin Films")),
    ("en", "Netflix streams it. It was produced by Bluefin Media, the company founded by Mara Quill.",
     ("founded", "Mara Quill", "Bluefin Media")),
])
def test_a_description_in_apposition_names_the_entity_before_it(lang, text, expected):
    found = rule_relations(lang, text)
    assert expected in found
    assert not {r for r in found if r[0] == "founded" and r[2] in ("Arte", "Netflix")}


def test_a_series_created_by_someone_is_no_company_they_founded():
    text = "Gaumont Television a produit « Les Veilleurs » pour Netflix, une série créée par Chris Vallon."
    assert not {r for r in rule_relations("fr", text) if r[0] == "founded"}


@pytest.mark.parametrize("lang, text, expected", [
    ("en", "Her last film was “Iron Orchard,” which Mara Quill co-directed with Tom Kessel.",
     ("directed", "Mara Quill", "Iron Orchard")),
    ("fr", "Il a tourné dans « La Nuit bleue, » que Marie Dupont a réalisé en 2019.", ("directed", "Marie Dupont", "La Nuit bleue")),
])
def test_a_comma_inside_the_closing_quote_is_a_comma_after_the_title(lang, text, expected):
    assert expected in rule_relations(lang, text)


@pytest.mark.parametrize("text, expected", [
    ("Skyline ordered “Ashen Crown,” a prequel series to “Iron Thrones,” in 2021.",
     ("spinoffOf", "Ashen Crown", "Iron Thrones")),
    ("Fans loved “Call Marlo,” the spinoff series of “Breaking Glass.”", ("spinoffOf", "Call Marlo", "Breaking Glass")),
    ("Orbit released “Dunes: Part Two,” the sequel film to “Dunes.”", ("sequelOf", "Dunes: Part Two", "Dunes")),
])
def test_a_screen_noun_may_follow_the_sequel_or_prequel_cue(text, expected):
    assert expected in rule_relations("en", text)


@pytest.mark.parametrize("text, expected", [
    ("Her debut novel in the cycle, “The Glass Harbor,” sold widely. Netflix adapted it as a film.",
     ("The Glass Harbor", "CreativeWork")),
    ("The show may reach “The Salt Road,” the fifth and final book of the cycle.", ("The Salt Road", "CreativeWork")),
])
def test_a_book_noun_in_apposition_types_a_source_work(text, expected):
    assert expected in entities("en", text)


def test_a_surname_with_its_particle_is_the_person_named_in_full():
    text = ("Tomas del Arroyo's new film opened on Friday. Written and produced by del Arroyo, the film "
            "follows a sailor. Del Arroyo shot it in Chile.")
    found = entities("en", text)
    assert ("del Arroyo", "Person") in found and not {e for e in found if e[0] == "Arroyo"}


def test_a_given_name_before_a_company_the_ner_found_makes_a_person():
    from spacy.tokens import Span
    nlp = load_pipeline("en")
    recognizer = nlp.get_pipe("kg_entities")
    doc = nlp.make_doc("Walker Brennagh returns as the son of Mason Kettle Studios.")
    doc.ents = [Span(doc, 1, 2, "ORG"), Span(doc, 8, 10, "ORG")]  # what the NER said in one article
    found = {(doc[c.start:c.end].text, c.cls) for c in recognizer.with_given_names(doc, recognizer.ner_candidates(doc))}
    assert found == {("Walker Brennagh", "Person"), ("Kettle Studios", "Organization")}  # (a company name stays)


def test_an_award_is_no_entity_and_no_owner():
    from spacy.tokens import Span
    recognizer = load_pipeline("en").get_pipe("kg_entities")
    doc = load_pipeline("en").make_doc("It won the Critics’ Circle Award at the festival.")
    doc.ents = [Span(doc, 3, 7, "WORK_OF_ART")]
    assert recognizer.ner_candidates(doc) == []


def test_names_after_a_cast_word_in_a_list_of_works_are_people():
    text = ("The studio’s own productions include Mara Quill’s “Salt Harbor,” starring Lady Brennagh "
            "and Tom Kessel, and “Iron Orchard.”")
    found = entities("en", text)
    assert ("Salt Harbor", "Film") in found or ("Salt Harbor", "TVSeries") in found
    assert not {e for e in found if e[0] in ("Lady Brennagh", "Tom Kessel") and e[1] != "Person"}


def test_a_name_before_a_cue_noun_and_its_quoted_title_is_not_the_work():
    text = ("The next Dagger film, “Ashes at Noon,” opens in May. Directed by Mara Quill, "
            "the film is a sequel to “Cold Harbor.”")
    found = rule_relations("en", text)
    assert ("directed", "Mara Quill", "Ashes at Noon") in found
    assert ("Dagger", "Film") not in entities("en", text)


def test_a_title_of_no_cue_takes_the_class_of_the_description_opening_the_next_sentence():
    text = ("The show is a hit and its second season is on Hulu. Fox bought “Salt Harbor” in 2010. "
            "Directed by Mara Quill, the film starred Tom Kessel. The series has ten episodes.")
    assert ("Salt Harbor", "Film") in entities("en", text)
    assert ("actedIn", "Tom Kessel", "Salt Harbor") in rule_relations("en", text)


def test_two_titles_sharing_a_prefix_keep_their_own_classes():
    text = ("The mini-series “Dagger: The Long Night” has six episodes. Quill made “Dagger: First Blood” "
            "in 2004. The film was a hit in theaters.")
    found = entities("en", text)
    assert ("Dagger: The Long Night", "TVSeries") in found and ("Dagger: First Blood", "Film") in found


@pytest.mark.parametrize("text, title, cls", [
    ("The series is the network's biggest hit. The show stars Gary Olsen, who won an award in "
     "Jo Whitby's “Dark Harbour”, and the series was renewed.", "Dark Harbour", "Film"),
    ("The series is the network's biggest hit. It reunites Gary Olsen with Vince Gallo's series “Plurality”.",
     "Plurality", "TVSeries"),
    ("The series is the network's biggest hit. Gary Olsen, who starred in Jo Whitby's “Dark Harbour,” has built "
     "a second career in television.", "Dark Harbour", "Film"),
    ("The series is the network's biggest hit. Gary Olsen wrote Vince Gallo's “Plurality,” the series about twins.",
     "Plurality", "TVSeries"),
])
def test_a_title_after_a_persons_possessive_is_a_film_unless_a_cue_beside_it_says_otherwise(text, title, cls):
    assert (title, cls) in entities("en", text), entities("en", text)


@pytest.mark.parametrize("lang, text, name", [
    ("fr", "Le groupe a été racheté par Marc Vallier, directeur général de Banovy, en 2020.", "Banovy"),
    ("fr", "Sophie Laing, la patronne d’Orvane Shine, a démissionné.", "Orvane Shine"),
    ("en", "Jon Keller, the chief executive of Galvane, said no.", "Galvane"),
])
def test_a_name_after_an_executives_title_and_its_preposition_is_a_company(lang, text, name):
    assert (name, "Organization") in entities(lang, text), entities(lang, text)


@pytest.mark.parametrize("lang, text, expected", [
    ("en", "The deal went to Harrow Entertainment, the Los Angeles company founded in 1997 by its co-CEOs, "
     "Andrew Kosten and Brian Jolley.", [("founded", "Andrew Kosten", "Harrow Entertainment"),
                                          ("founded", "Brian Jolley", "Harrow Entertainment")]),
    ("en", "Harrow Productions, the London-based company run by Barbara Brent and Michael Wilde, owns the rights.",
     [("employedBy", "Barbara Brent", "Harrow Productions"), ("employedBy", "Michael Wilde", "Harrow Productions")]),
    ("en", "It comes from Merlow, the London-based company Sharon Hale co-founded with Clara Mount.",
     [("founded", "Sharon Hale", "Merlow"), ("founded", "Clara Mount", "Merlow")]),
    ("en", "It was made by Imaginal Productions, the London-based banner Andy Sorkin runs with producer Jon Cave.",
     [("employedBy", "Andy Sorkin", "Imaginal Productions"), ("employedBy", "Jon Cave", "Imaginal Productions")]),
    ("fr", "Chez Gaumax, groupe basé à Paris et présidé par Jérôme Sedoux, le projet avance.",
     [("employedBy", "Jérôme Sedoux", "Gaumax")]),
])
def test_an_apposition_to_a_company_names_its_founders_and_leaders_past_its_place(lang, text, expected):
    found = relations(lang, text)
    assert all(triple in found for triple in expected), found


@pytest.mark.parametrize("lang, text, expected", [
    ("en", "Gough and Millar, who co-created ‘Hollowvale’ for The WB, left.", ("distributedBy", "Hollowvale", "The WB")),
    ("en", "‘Iron Fields’, the crime saga created by Steven Knotts for the BBC, was a hit.",
     ("distributedBy", "Iron Fields", "BBC")),
    ("fr", "« Iron Fields », la saga criminelle créée par Steven Knotts pour la BBC, avec Cillian Moore.",
     ("distributedBy", "Iron Fields", "BBC")),
    ("fr", "Il a tourné « Les Revenus » pour Canal+ en 2012.", ("distributedBy", "Les Revenus", "Canal+")),
])
def test_a_work_made_for_a_network_is_distributed_by_it(lang, text, expected):
    assert expected in rule_relations(lang, text), rule_relations(lang, text)


def test_every_owner_in_a_coordinated_possessive_distributes_the_work():
    found = rule_relations("en", "Mescal broke out in Hulu and BBC Three's \"Normal Folk\".")
    assert {("distributedBy", "Normal Folk", "Hulu"), ("distributedBy", "Normal Folk", "BBC Three")} <= set(found)


def test_a_language_is_no_work_even_before_a_genre_noun():
    text = "The film crossed ₹1,000 crore, putting the Telugu action drama among the fastest-grossing releases."
    assert not any(name == "Telugu" for name, _ in entities("en", text))


@pytest.mark.parametrize("text", [
    "Le film « Vents » est produit par Agat Films, la maison de Robert Guédon, et distribué par Diaphane.",
    "Le long-métrage « Vents » est adapté d’« Oh… », roman de Philippe Djean paru chez Gallimard en 2012.",
])
def test_a_producer_or_a_publisher_is_no_distributor(text):
    found = rule_relations("fr", text)
    assert not {r for r in found if r[0] == "distributedBy" and r[2] in ("Agat Films", "Gallimard")}, found
