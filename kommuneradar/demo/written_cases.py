"""The written demo cases of the knowledge centre: a dozen told in full, three of them
built on facts from KL's newsletter, with the source named. All text is written for
Kommuneradar. The survey demo keeps these municipalities' courses in step with them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

RAADERUM = "KL, Nyhedsbrevet Råderum, 29. marts 2022 (genfortalt; øvrige tal er demo-tal)"
DEMO_SOURCE = "Demo-data genereret til Kommuneradar"

# (description, dimension, value, unit, baseline, result, method)
EffectRow = tuple[str, str, float, str, float | None, float | None, str]


@dataclass
class DemoCase:
    code: str
    title: str
    summary: str
    body: str
    technologies: list[str]
    domains: list[str]
    stage: str
    started: dt.date
    effects: list[EffectRow]
    lessons: str = ""
    source: str = DEMO_SOURCE
    budget: int | None = None
    staff: float | None = None
    months: int | None = None
    partners: list[str] = field(default_factory=list)
    contact: tuple[str, str] | None = None
    ended: dt.date | None = None  # when a stopped case stopped
    published: dt.date | None = None  # when it was published (drawn at load if not given)


WRITTEN: list[DemoCase] = [
    DemoCase(
        "657",
        "Fire it-systemer blev til ét i Herning",
        "Herning Kommune samlede fire fagsystemer på tværs af beskæftigelse, socialområdet og "
        "ældreområdet i én løsning og sparer nu 400.000 kr. om året.",
        "## Udgangspunktet\n\nMedarbejderne på tre fagområder arbejdede i fire forskellige "
        "systemer, der langt hen ad vejen gjorde det samme. Oplysninger blev tastet flere gange, "
        "og licenserne kostede fire gange.\n\n## Det gjorde vi\n\n- kortlagde arbejdsgangene "
        "på tværs af afdelingerne\n- valgte ét system, som alle tre områder kunne bruge\n"
        "- flyttede data over i etaper, så driften aldrig stod stille\n\nResultatet er færre "
        "licenser og arbejdsgange, der hænger bedre sammen for borgere med sager flere steder.",
        ["systemintegration", "cloud"],
        ["beskaeftigelse-og-integration", "social", "sundhed-og-aeldre"],
        "in_operation",
        dt.date(2020, 3, 1),
        [
            (
                "Sparede licens- og driftsudgifter",
                "efficiency",
                400_000,
                "kr. om året",
                None,
                None,
                "Budgetopfølgning på it-kontrakter før og efter sammenlægningen",
            ),
            (
                "Antal fagsystemer i brug",
                "efficiency",
                -3,
                "systemer",
                4,
                1,
                "Optælling i kommunens systemoversigt",
            ),
        ],
        lessons="Udnyt de systemer, I allerede har, før I køber nyt. Få alle tre fagområder "
        "med fra start, ellers lever de gamle systemer videre i skyggen.",
        source=RAADERUM,
        months=18,
        contact=("Anne Eksempel (demo-person)", "Digitaliseringskonsulent"),
    ),
    DemoCase(
        "510",
        "Plejehjem i eget hjem",
        "Et fast, teknologistøttet team i Haderslevs ældrepleje hjælper borgere, der er "
        "visiteret til plejebolig, med at blive boende hjemme, så længe de ønsker og kan.",
        "Borgere i målgruppen for en plejebolig får et fast team omkring sig. Teamet bruger "
        "**GPS-ure**, **sensormåtter**, **medicindispensere** og **skærmbesøg**, så de "
        "fysiske besøg kan målrettes dér, hvor der er brug for dem.\n\nTeknologien skal give "
        "tryghed for både borgeren og de pårørende: sensormåtten giver besked, hvis borgeren "
        "ikke kommer tilbage i seng om natten, og GPS-uret hjælper, hvis en borger med demens "
        "farer vild.",
        ["gps-ure", "sensormaatter", "medicindispensere", "skaermbesoeg"],
        ["sundhed-og-aeldre"],
        "pilot",
        dt.date(2021, 1, 1),
        [
            (
                "Borgere der bor hjemme i stedet for i plejebolig (demo-tal)",
                "quality",
                14,
                "borgere",
                0,
                14,
                "Opgørelse fra visitationen ved projektets første år",
            ),
            (
                "Pårørende der føler sig trygge (demo-tal)",
                "quality",
                31,
                "procentpoint",
                52,
                83,
                "Spørgeskema til pårørende før og efter",
            ),
        ],
        lessons="Gør det helt tydeligt, hvilken værdi teknologien skal skabe for borgeren, "
        "medarbejderne og de pårørende; det gjorde modtagelsen langt bedre.",
        source=RAADERUM,
        staff=6.0,
        months=12,
    ),
    DemoCase(
        "630",
        "Skærmbesøg i Vejles hjemmepleje",
        "Vejle flytter de korte støttebesøg i hjemmeplejen til skærm, når borgeren ønsker det: "
        "påmindelser om medicin, hjælp til at komme i gang om morgenen og tryghedsopkald.",
        "Hjemmeplejen tilbyder skærmbesøg som en del af den almindelige visitation. Borgeren "
        "får en tablet med én knap, og medarbejderen ringer op på det aftalte tidspunkt.\n\n"
        "Besøg, der kræver hænder, bliver ved med at være fysiske. Skærmbesøget bruges til "
        "det, der kan klares med et blik og en snak.",
        ["skaermbesoeg"],
        ["sundhed-og-aeldre"],
        "scaled",
        dt.date(2019, 9, 1),
        [
            (
                "Besøg flyttet fra bil til skærm",
                "efficiency",
                223,
                "besøg om ugen",
                0,
                223,
                "Optælling i planlægningssystemet (eksempeltal, ikke verificeret)",
            ),
            (
                "Borgere der er tilfredse med skærmbesøget",
                "quality",
                88,
                "% af de adspurgte",
                None,
                88,
                "Telefoninterview med 60 borgere",
            ),
        ],
        lessons="Start med de besøg, hvor borgeren selv kan klare opgaven med lidt støtte.",
        source="Demo-case om Vejle Kommunes skærmbesøg; tallene er eksempler, ikke målinger",
        months=8,
    ),
    DemoCase(
        "751",
        "Softwarerobot afstemmer bankkonti hver nat",
        "En softwarerobot i Aarhus' økonomiafdeling afstemmer kommunens bankkonti, så "
        "bogholderne kun ser på de poster, robotten ikke kan matche.",
        "Robotten henter kontoudtog, matcher posterne med bogføringen og lægger en liste "
        "over afvigelser klar om morgenen.",
        ["rpa"],
        ["oekonomi-og-administration"],
        "in_operation",
        dt.date(2020, 5, 1),
        [
            (
                "Frigjorte timer i bogholderiet",
                "efficiency",
                1_150,
                "timer om året",
                None,
                None,
                "Tidsregistrering før og efter i seks måneder",
            ),
        ],
        lessons="Dokumentér processen grundigt, før robotten bygges; undtagelserne tager tid.",
        budget=350_000,
        months=4,
    ),
    DemoCase(
        "461",
        "Træningsvideoer efter hofteoperation",
        "Odense giver borgere efter en hofteoperation adgang til træningsvideoer, så de kan "
        "træne hjemme mellem holdtræningerne.",
        "Fysioterapeuterne optog 40 korte øvelser. Borgeren får et program, der passer til "
        "forløbet, og kan se det på mobil eller tablet.",
        ["traeningsvideoer"],
        ["sundhed-og-aeldre"],
        "in_operation",
        dt.date(2021, 2, 1),
        [
            (
                "Borgere der gennemfører hele træningsforløbet",
                "quality",
                12,
                "procentpoint",
                71,
                83,
                "Udtræk fra omsorgssystemet, to år før og efter",
            ),
            (
                "Færre fremmøder på holdtræning",
                "efficiency",
                2,
                "fremmøder pr. forløb",
                8,
                6,
                "Udtræk fra bookingsystemet",
            ),
        ],
    ),
    DemoCase(
        "851",
        "Chatbot svarer på spørgsmål om affald",
        "Aalborgs chatbot besvarer de hyppigste spørgsmål om tømning, storskrald og "
        "genbrugspladser døgnet rundt.",
        "Chatbotten er trænet på de 120 spørgsmål, borgerservice oftest får om affald. Kan "
        "den ikke svare, stiller den borgeren videre til en medarbejder.",
        ["chatbots"],
        ["klima-teknik-og-miljoe", "borgerservice"],
        "in_operation",
        dt.date(2022, 4, 1),
        [
            (
                "Færre telefonopkald om affald",
                "efficiency",
                27,
                "% af opkaldene",
                None,
                None,
                "Telefonistatistik, samme måneder året før",
            ),
        ],
    ),
    DemoCase(
        "101",
        "Tale til tekst i socialrådgivningen",
        "Socialrådgivere i København dikterer journalnotater, så de bruger mindre tid ved "
        "tastaturet og mere tid sammen med borgerne.",
        "Dikteringen kører i journalsystemet. Rådgiverne retter teksten igennem, før den gemmes.",
        ["tale-til-tekst"],
        ["social"],
        "scaled",
        dt.date(2021, 8, 1),
        [
            (
                "Tid brugt på journalnotater",
                "efficiency",
                -25,
                "% pr. notat",
                None,
                None,
                "Stikprøve med tidtagning blandt 30 rådgivere",
            ),
            (
                "Rådgivere der oplever mindre skrivepres",
                "wellbeing",
                64,
                "% af de adspurgte",
                None,
                64,
                "Intern trivselsmåling",
            ),
        ],
    ),
    DemoCase(
        "540",
        "Loftlifte i alle plejeboliger",
        "Sønderborg har sat loftlifte op i samtlige plejeboliger, så forflytninger kan klares "
        "af én medarbejder i stedet for to.",
        "Liftene blev monteret i forbindelse med en renovering. Medarbejderne fik "
        "undervisning af kommunens ergoterapeuter.",
        ["loftlifte"],
        ["sundhed-og-aeldre"],
        "scaled",
        dt.date(2018, 1, 1),
        [
            (
                "Arbejdsskader ved forflytning",
                "wellbeing",
                -9,
                "skader om året",
                14,
                5,
                "Arbejdsskadestatistik",
            ),
            (
                "Forflytninger med én medarbejder",
                "efficiency",
                3_100,
                "timer om året",
                None,
                None,
                "Beregning ud fra antal forflytninger pr. døgn",
            ),
        ],
    ),
    DemoCase(
        "615",
        "Droner finder skader på tage",
        "Horsens bruger droner til at gennemgå tage på kommunens bygninger, så ingen skal "
        "op på stiger for at lede efter skader.",
        "Dronen flyver en fast rute og tager billeder, som en bygningskonstruktør ser igennem.",
        ["droner", "billedgenkendelse"],
        ["klima-teknik-og-miljoe"],
        "pilot",
        dt.date(2023, 3, 1),
        [
            (
                "Tid pr. tagsyn",
                "efficiency",
                -5,
                "timer pr. bygning",
                7,
                2,
                "Tidsregistrering på 20 bygninger",
            ),
        ],
    ),
    DemoCase(
        "563",
        "Fælles jobcenter-videomøder for en ø-kommune",
        "Fanø holder samtaler med ledige over video sammen med en nabokommune, så borgerne "
        "slipper for færgeturen.",
        "Borgeren kan vælge videomøde eller fremmøde. Samarbejdet med nabokommunen betyder, "
        "at der altid er en rådgiver til rådighed.",
        ["videoloesninger"],
        ["beskaeftigelse-og-integration"],
        "in_operation",
        dt.date(2020, 10, 1),
        [
            (
                "Samtaler holdt over video",
                "quality",
                58,
                "% af samtalerne",
                0,
                58,
                "Udtræk fra fagsystemet",
            ),
        ],
        partners=["561"],
    ),
    DemoCase(
        "157",
        "Hygiejnerobot i bofællesskab",
        "Beboere i et bofællesskab i Gentofte bruger et toilet med skylle- og tørrefunktion "
        "og klarer derfor mere af den personlige hygiejne selv.",
        "Projektet startede med fire beboere, der selv ønskede det.",
        ["hygiejnerobotter"],
        ["social"],
        "stopped",
        dt.date(2019, 5, 1),
        [
            (
                "Beboere der klarer toiletbesøg selv",
                "quality",
                3,
                "beboere",
                0,
                3,
                "Observation af personalet",
            ),
        ],
        lessons="Projektet blev stoppet, fordi bygningens installationer ikke kunne bære "
        "flere toiletter. Undersøg vand og el, før I køber.",
        ended=dt.date(2023, 6, 30),
    ),
    DemoCase(
        "370",
        "Prædiktiv analyse af vandledninger",
        "Næstved bruger data om alder, materiale og brud til at forudsige, hvilke "
        "ledninger der bør skiftes først.",
        "Modellen bruges i den årlige planlægning af renoveringer.",
        ["praediktiv-analyse", "machine-learning"],
        ["klima-teknik-og-miljoe"],
        "pilot",
        dt.date(2022, 9, 1),
        [],
        lessons="Effekten kan først måles, når der er gået et par vintre.",
    ),
]
