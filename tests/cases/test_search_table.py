"""What people type, and the cases each query must and must not find: compound words,
the catalogue's abbreviations, synonyms and broader terms, spelling slips. The same table
runs on SQLite and on PostgreSQL (the suite runs on both)."""

from __future__ import annotations

from typing import Any

import pytest

from kommuneradar.cases.search import CaseCriteria, find_cases
from kommuneradar.catalog.models import Technology, TechnologyTerm
from kommuneradar.places.models import Municipality

from .factories import make_case

CASES: dict[str, dict[str, Any]] = {
    "screen": {
        "title": "Skærmbesøg i hjemmeplejen",
        "summary": "Korte støttebesøg foregår over en skærm. Løsningen sparer kørsel.",
        "technologies": ("skaermbesoeg",),
    },
    "hygiene": {
        "title": "Hygiejnerobotter på plejecentret",
        "summary": "Vasketoiletter giver beboerne mere selvstændighed.",
        "technologies": ("hygiejnerobotter",),
    },
    "software_robot": {
        "title": "Softwarerobot bogfører fakturaer",
        "summary": "En softwarerobot klarer bogføringen om natten.",
        "technologies": ("rpa",),
        "domains": ("oekonomi-og-administration",),
    },
    "rpa_tagged": {
        "title": "Automatisk behandling af ansøgninger",
        "summary": "Ansøgningerne tjekkes, før en sagsbehandler ser dem.",
        "technologies": ("rpa",),
        "domains": ("borgerservice",),
    },
    "machine_learning": {
        "title": "Vandledningsbrud forudsiges",
        "summary": "En model lærer af data om tidligere brud.",
        "technologies": ("machine-learning",),
        "domains": ("klima-teknik-og-miljoe",),
    },
    "chatbot": {
        "title": "Chatbot svarer på spørgsmål om affald",
        "summary": "Borgerne får svar døgnet rundt.",
        "technologies": ("chatbots",),
        "domains": ("klima-teknik-og-miljoe",),
    },
    "language_model": {
        "title": "Udkast til journalnotater",
        "summary": "En sprogmodel skriver udkastet, og medarbejderen retter det.",
        "technologies": ("generativ-ai",),
        "domains": ("social",),
    },
    "telemedicine": {
        "title": "Telemedicin til borgere med KOL",
        "summary": "Målinger sendes hjemmefra til sygeplejersken.",
        "technologies": ("telemedicin",),
    },
    "mowers": {
        "title": "Robotplæneklippere på boldbanerne",
        "summary": "Græsset slås om natten.",
        "technologies": ("robotplaeneklippere",),
        "domains": ("kultur-og-fritid",),
    },
    "welfare_word": {
        "title": "Velfærdsteknologi på Strandparken",
        "summary": "Beboerne får teknologi, der giver tryghed om natten.",
        "technologies": ("sensorer",),
    },
    "drones": {
        "title": "Droner inspicerer tage",
        "summary": "Dronen tager billeder af tagene efter storm.",
        "technologies": ("droner",),
        "domains": ("klima-teknik-og-miljoe",),
    },
    "website": {
        "title": "Ny hjemmeside til borgerservice",
        "summary": "Selvbetjeningen er samlet ét sted.",
        "technologies": ("selvbetjening",),
        "domains": ("borgerservice",),
    },
    "ai_mentioned": {
        "title": "Kunstig intelligens sorterer post",
        "summary": "Indgående breve fordeles af AI.",
        "technologies": ("digital-signatur-og-post",),
        "domains": ("oekonomi-og-administration",),
    },
}

WELFARE = {"screen", "hygiene", "telemedicine", "welfare_word"}
AI = {"machine_learning", "chatbot", "language_model", "ai_mentioned"}
RPA = {"software_robot", "rpa_tagged"}

# (what is typed, the cases it must find, cases it must not find)
TABLE: list[tuple[str, set[str], set[str]]] = [
    # a word found at the start of, or inside, a longer word
    ("skærm", {"screen"}, {"hygiene", "telemedicine", "welfare_word"}),
    ("robot", {"hygiene", "software_robot", "rpa_tagged", "mowers"}, AI | {"screen", "drones"}),
    ("teknologi", {"welfare_word"}, {"screen", "hygiene", "telemedicine"}),
    ("skærmbesøgene", {"screen"}, {"hygiene"}),
    ("robot plejecentret", {"hygiene"}, {"software_robot", "rpa_tagged", "mowers"}),
    # a compound of two known words
    ("skærmløsning", {"screen"}, {"welfare_word", "hygiene"}),
    # a broader term: every welfare technology, and the cases that use the word
    ("velfærdsteknologi", WELFARE, RPA | AI | {"mowers", "drones", "website"}),
    ("velfærdsteknologi natten", {"welfare_word"}, {"software_robot", "mowers", "screen"}),
    ("velfærd", WELFARE, RPA | AI | {"mowers", "drones", "website"}),
    # abbreviations and synonyms from the catalogue
    ("RPA", RPA, {"hygiene", "mowers", "machine_learning"}),
    ("rpa", RPA, {"hygiene", "mowers"}),
    ("softwarerobot", RPA, {"hygiene", "mowers"}),
    ("robotic process automation", RPA, {"hygiene", "mowers"}),
    ("AI", AI, RPA | WELFARE | {"website", "drones"}),
    ("kunstig intelligens", AI, RPA | WELFARE | {"website"}),
    ("maskinlæring", {"machine_learning"}, {"chatbot", "language_model"}),
    ("chatbot", {"chatbot"}, {"machine_learning", "language_model"}),
    ("drone", {"drones"}, {"mowers"}),
    ("screen visits", {"screen"}, {"telemedicine"}),
    # spelling slips
    ("skærmbesøk", {"screen"}, {"hygiene"}),
    ("hygiejnerobbot", {"hygiene"}, {"software_robot", "mowers"}),
    ("telemedecin", {"telemedicine"}, {"screen"}),
    ("robotplæneklipere", {"mowers"}, {"hygiene"}),
    ("kunstig inteligens", AI, RPA | WELFARE),
    # quotes and minus, as in web search
    ('"softwarerobot klarer"', {"software_robot"}, {"rpa_tagged"}),
    ("robot -fakturaer", {"hygiene", "rpa_tagged", "mowers"}, {"software_robot"}),
    # nothing
    ("zxqvw", set(), set(CASES)),
]


@pytest.fixture
def cases(vejle: Municipality) -> dict[str, int]:
    return {key: make_case(vejle, **fields).pk for key, fields in CASES.items()}


def test_the_query_table_finds_what_people_type(cases: dict[str, int]) -> None:
    names = {pk: key for key, pk in cases.items()}
    wrong = []
    for query, must, must_not in TABLE:
        found = {names[case.pk] for case in find_cases(CaseCriteria(query=query))}
        missing, unwanted = must - found, must_not & found
        if missing or unwanted:
            wrong.append(f"{query!r}: missing {sorted(missing)}, unwanted {sorted(unwanted)}")
    assert wrong == []


def test_a_term_an_analyst_adds_is_searchable_at_once(cases: dict[str, int]) -> None:
    def found(query: str) -> set[int]:
        return {case.pk for case in find_cases(CaseCriteria(query=query))}

    assert found("plæneklipperrobot") == set()
    TechnologyTerm.objects.create(
        technology=Technology.objects.get(slug="robotplaeneklippere"), term="plæneklipperrobot"
    )
    assert found("plæneklipperrobot") == {cases["mowers"]}


def test_a_broader_term_does_not_widen_a_search_for_one_technology(
    cases: dict[str, int],
) -> None:
    found = {case.pk for case in find_cases(CaseCriteria(query="skærmbesøg"))}
    assert found == {cases["screen"]}


def test_a_renamed_technology_is_found_by_its_new_name(cases: dict[str, int]) -> None:
    drones = Technology.objects.get(slug="droner")
    drones.name_da, drones.name_en = "Ubemandede luftfartøjer", "Unmanned aircraft"
    drones.save()
    TechnologyTerm.objects.filter(technology=drones).delete()
    found = {case.pk for case in find_cases(CaseCriteria(query="luftfartøjer"))}
    assert found == {cases["drones"]}
