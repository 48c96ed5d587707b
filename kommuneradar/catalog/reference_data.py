"""The reference catalogue: domains, the four quadrants and the technologies.

Loaded by a data migration; analysts maintain it afterwards in the admin. Every
description is written for Kommuneradar.
"""

from __future__ import annotations

DOMAINS: list[tuple[str, str, str]] = [
    ("sundhed-og-aeldre", "Sundhed og ældre", "Health and elderly care"),
    ("social", "Social", "Social services"),
    ("dagtilbud-og-skole", "Dagtilbud og skole", "Day care and schools"),
    ("beskaeftigelse-og-integration", "Beskæftigelse og integration", "Employment and integration"),
    ("oekonomi-og-administration", "Økonomi og administration", "Finance and administration"),
    (
        "klima-teknik-og-miljoe",
        "Klima, teknik og miljø",
        "Climate, technical services and environment",
    ),
    ("kultur-og-fritid", "Kultur og fritid", "Culture and leisure"),
    ("borgerservice", "Borgerservice", "Citizen services"),
]

QUADRANTS: list[tuple[str, str, str]] = [
    ("data-og-ai", "Data og kunstig intelligens", "Data and artificial intelligence"),
    ("automatisering", "Automatisering og software", "Automation and software"),
    ("kommunikation", "Kommunikation og selvbetjening", "Communication and self-service"),
    ("robotter-og-sensorer", "Robotter, sensorer og udstyr", "Robots, sensors and equipment"),
]

_WELFARE = ["sundhed-og-aeldre", "social"]
_ADMIN = ["oekonomi-og-administration", "borgerservice"]
_ALL = [slug for slug, _da, _en in DOMAINS]

# (slug, Danish name, English name, quadrant, domains, Danish description, English description)
TECHNOLOGIES: list[tuple[str, str, str, str, list[str], str, str]] = [
    (
        "machine-learning",
        "Machine Learning",
        "Machine learning",
        "data-og-ai",
        _ALL,
        "Modeller, der lærer mønstre af historiske data og bruges til at forudsige, sortere eller "
        "opdage afvigelser, fx i sagsbehandling eller vedligehold.",
        "Models that learn patterns from historical data and are used to predict, sort or spot "
        "anomalies, for instance in casework or maintenance.",
    ),
    (
        "generativ-ai",
        "Generativ AI",
        "Generative AI",
        "data-og-ai",
        _ALL,
        "Sprogmodeller, der skriver udkast til tekster, opsummerer sager og besvarer spørgsmål ud fra "
        "kommunens egne dokumenter.",
        "Language models that draft texts, summarise cases and answer questions from the "
        "municipality's own documents.",
    ),
    (
        "chatbots",
        "Chatbots",
        "Chatbots",
        "data-og-ai",
        [
            "borgerservice",
            "oekonomi-og-administration",
            "beskaeftigelse-og-integration",
            "klima-teknik-og-miljoe",
        ],
        "Automatiske samtalepartnere på hjemmesiden eller telefonen, der svarer på de hyppigste "
        "spørgsmål døgnet rundt og sender resten videre til en medarbejder.",
        "Automated conversation partners on the website or phone that answer the most common "
        "questions around the clock and pass the rest to a member of staff.",
    ),
    (
        "tale-til-tekst",
        "Tale til tekst",
        "Speech to text",
        "data-og-ai",
        _WELFARE + _ADMIN + ["beskaeftigelse-og-integration"],
        "Diktering, der omsætter tale til skrevet tekst, så dokumentation kan laves undervejs i "
        "stedet for bagefter ved skrivebordet.",
        "Dictation that turns speech into written text, so records can be made on the spot "
        "instead of afterwards at a desk.",
    ),
    (
        "billedgenkendelse",
        "Billedgenkendelse",
        "Computer vision",
        "data-og-ai",
        ["klima-teknik-og-miljoe", "sundhed-og-aeldre"],
        "Kameraer og software, der genkender fx huller i vejen, skader på bygninger eller sår, og "
        "registrerer dem automatisk.",
        "Cameras and software that recognise, for instance, potholes, damage to buildings or "
        "wounds, and log them automatically.",
    ),
    (
        "praediktiv-analyse",
        "Prædiktiv analyse",
        "Predictive analytics",
        "data-og-ai",
        [
            "klima-teknik-og-miljoe",
            "social",
            "beskaeftigelse-og-integration",
            "oekonomi-og-administration",
        ],
        "Beregninger, der ud fra data peger på, hvad der sandsynligvis sker, fx hvor der vil komme "
        "oversvømmelser, eller hvilke borgere der har brug for en tidlig indsats.",
        "Calculations that use data to point at what is likely to happen, such as where floods "
        "will occur or which citizens need early help.",
    ),
    (
        "dataplatforme",
        "Dataplatforme og dashboards",
        "Data platforms and dashboards",
        "data-og-ai",
        _ALL,
        "Fælles opsamling af data fra fagsystemerne, så ledere og medarbejdere kan følge drift og "
        "resultater i ét overblik.",
        "A shared store of data from the line-of-business systems, so managers and staff can follow "
        "operations and results in one overview.",
    ),
    (
        "rpa",
        "Robotic Process Automation",
        "Robotic process automation",
        "automatisering",
        _ADMIN
        + ["beskaeftigelse-og-integration", "social", "sundhed-og-aeldre", "dagtilbud-og-skole"],
        "Softwarerobotter, der efterligner en medarbejders klik og tastetryk og udfører faste, "
        "regelbaserede opgaver som opslag i flere systemer eller journalisering.",
        "Software robots that mimic a member of staff's clicks and keystrokes to carry out fixed, "
        "rule-based tasks such as look-ups across systems or filing.",
    ),
    (
        "intelligent-automatisering",
        "Intelligent automatisering",
        "Intelligent automation",
        "automatisering",
        _ADMIN + ["beskaeftigelse-og-integration", "social"],
        "Automatisering af hele arbejdsgange fra ende til anden, hvor robotter kombineres med "
        "fx tekstgenkendelse og regler for skøn.",
        "End-to-end automation of whole workflows, where robots are combined with, for example, "
        "text recognition and rules for judgement.",
    ),
    (
        "cloud",
        "Cloud",
        "Cloud",
        "automatisering",
        _ALL,
        "Drift af systemer, lagerplads og regnekraft hos en leverandør via internettet i stedet for "
        "på kommunens egne servere.",
        "Running systems, storage and computing at a provider over the internet instead of on the "
        "municipality's own servers.",
    ),
    (
        "systemintegration",
        "Systemintegration",
        "System integration",
        "automatisering",
        _ALL,
        "Sammenkobling eller sammenlægning af fagsystemer, så data kun tastes én gang og flyder "
        "mellem afdelingerne.",
        "Connecting or merging line-of-business systems so that data is entered once and flows "
        "between departments.",
    ),
    (
        "low-code",
        "Low-code-platforme",
        "Low-code platforms",
        "automatisering",
        _ADMIN + ["klima-teknik-og-miljoe", "kultur-og-fritid"],
        "Værktøjer, hvor medarbejdere selv bygger små apps og arbejdsgange uden at skrive "
        "programkode.",
        "Tools with which staff build small apps and workflows themselves without writing code.",
    ),
    (
        "digital-signatur-og-post",
        "Digital post og signering",
        "Digital post and signing",
        "automatisering",
        _ADMIN + ["social", "beskaeftigelse-og-integration"],
        "Breve, afgørelser og aftaler sendes og underskrives digitalt, med automatisk journalisering.",
        "Letters, decisions and agreements are sent and signed digitally, with automatic filing.",
    ),
    (
        "skaermbesoeg",
        "Skærmbesøg",
        "Screen visits",
        "kommunikation",
        _WELFARE,
        "Besøg, hvor medarbejderen taler med borgeren over tablet, telefon eller pc i stedet for at "
        "køre ud, fx påmindelse om medicin eller en snak om dagen.",
        "Visits in which staff talk with the citizen over a tablet, phone or computer instead of "
        "driving out, for example a medication reminder or a chat about the day.",
    ),
    (
        "traeningsvideoer",
        "Digitalt understøttet træning",
        "Digitally supported training",
        "kommunikation",
        _WELFARE,
        "Genoptræning og vedligeholdende træning med videoer og apps, som borgeren følger hjemme, "
        "mens terapeuten følger med på afstand.",
        "Rehabilitation and maintenance exercise with videos and apps that citizens follow at home, "
        "while the therapist follows progress remotely.",
    ),
    (
        "telemedicin",
        "Telemedicin",
        "Telemedicine",
        "kommunikation",
        ["sundhed-og-aeldre"],
        "Målinger og rådgivning på afstand, så borgere med kronisk sygdom kan følges og behandles "
        "tæt på eller i eget hjem.",
        "Remote measurements and advice, so citizens with chronic illness can be monitored and "
        "treated close to or in their own home.",
    ),
    (
        "videoloesninger",
        "Videoløsninger",
        "Video meetings",
        "kommunikation",
        _ALL,
        "Møder over video mellem borgere, medarbejdere og samarbejdspartnere, fx samtaler i "
        "jobcentret eller netværksmøder.",
        "Meetings over video between citizens, staff and partners, such as job centre interviews "
        "or network meetings.",
    ),
    (
        "apps",
        "Apps",
        "Apps",
        "kommunikation",
        _ALL,
        "Programmer til telefon eller tablet, fx til at registrere udlæg, melde fejl i byen eller "
        "kommunikere med forældre.",
        "Programs for phones or tablets, for example to register expenses, report problems in town "
        "or communicate with parents.",
    ),
    (
        "selvbetjening",
        "Digital selvbetjening",
        "Digital self-service",
        "kommunikation",
        _ADMIN + ["klima-teknik-og-miljoe", "dagtilbud-og-skole", "kultur-og-fritid"],
        "Løsninger, hvor borgere og virksomheder selv søger, booker og følger deres sag online som "
        "det første valg.",
        "Services in which citizens and businesses apply, book and follow their case online as the "
        "first choice.",
    ),
    (
        "virtual-reality",
        "Virtual reality",
        "Virtual reality",
        "kommunikation",
        ["sundhed-og-aeldre", "social", "dagtilbud-og-skole", "beskaeftigelse-og-integration"],
        "Briller, der viser en tredimensionel verden, bruges til træning af medarbejdere, "
        "undervisning og oplevelser for borgere.",
        "Headsets that show a three-dimensional world, used for staff training, teaching and "
        "experiences for citizens.",
    ),
    (
        "sensorer",
        "Sensorer",
        "Sensors",
        "robotter-og-sensorer",
        _WELFARE + ["klima-teknik-og-miljoe", "dagtilbud-og-skole"],
        "Små måleenheder, der registrerer fx bevægelse, fugt, lyd eller temperatur og giver besked, "
        "når der skal handles.",
        "Small devices that register, for example, movement, moisture, sound or temperature and "
        "send an alert when action is needed.",
    ),
    (
        "sensormaatter",
        "Sengesensorer og sensormåtter",
        "Bed sensors and sensor mats",
        "robotter-og-sensorer",
        _WELFARE,
        "Måtter og sensorer i sengen, der fortæller personalet, om borgeren er stået op, er "
        "urolig eller er faldet, så tilsyn om natten kan målrettes.",
        "Mats and bed sensors that tell staff whether a citizen has got up, is restless or has "
        "fallen, so night-time checks can be targeted.",
    ),
    (
        "gps-ure",
        "GPS-ure",
        "GPS watches",
        "robotter-og-sensorer",
        _WELFARE,
        "Ure, der viser hvor en borger med demens befinder sig, og giver frihed til at gå ture "
        "alene med tryghed for pårørende.",
        "Watches that show where a citizen with dementia is, giving the freedom to walk alone "
        "while relatives feel safe.",
    ),
    (
        "medicindispensere",
        "Medicindispensere",
        "Medication dispensers",
        "robotter-og-sensorer",
        ["sundhed-og-aeldre"],
        "Automater, der udleverer den rigtige medicin på det rigtige tidspunkt og giver besked, "
        "hvis den ikke bliver taget.",
        "Dispensers that release the right medication at the right time and raise an alert if it "
        "is not taken.",
    ),
    (
        "hygiejnerobotter",
        "Hygiejnerobotter",
        "Hygiene robots",
        "robotter-og-sensorer",
        _WELFARE + ["dagtilbud-og-skole"],
        "Robotter til personlig hygiejne eller rengøring, fx toiletter med skyl og tørre-funktion "
        "og robotter, der vasker gulve.",
        "Robots for personal hygiene or cleaning, such as toilets that wash and dry, and robots "
        "that clean floors.",
    ),
    (
        "loftlifte",
        "Loftlifte og forflytningshjælpemidler",
        "Ceiling hoists and transfer aids",
        "robotter-og-sensorer",
        _WELFARE,
        "Lifte og hjælpemidler, der gør det muligt at flytte en borger sikkert med én medarbejder i "
        "stedet for to.",
        "Hoists and aids that make it possible to move a citizen safely with one member of staff "
        "instead of two.",
    ),
    (
        "spiserobotter",
        "Spiserobotter",
        "Feeding robots",
        "robotter-og-sensorer",
        _WELFARE,
        "Robotarme, der hjælper borgere med nedsat funktion i armene med selv at spise.",
        "Robotic arms that help citizens with reduced arm function to eat by themselves.",
    ),
    (
        "droner",
        "Droner",
        "Drones",
        "robotter-og-sensorer",
        ["klima-teknik-og-miljoe", "kultur-og-fritid"],
        "Ubemandede luftfartøjer til inspektion af tage, kyster, vandløb og byggeri.",
        "Unmanned aircraft for inspecting roofs, coastlines, watercourses and construction.",
    ),
    (
        "robotplaeneklippere",
        "Robotplæneklippere",
        "Robotic lawn mowers",
        "robotter-og-sensorer",
        ["klima-teknik-og-miljoe", "kultur-og-fritid", "dagtilbud-og-skole"],
        "Selvkørende klippere på boldbaner, parker og skolers grønne arealer.",
        "Self-driving mowers for sports pitches, parks and school grounds.",
    ),
    (
        "intelligente-bygninger",
        "Intelligente bygninger",
        "Smart buildings",
        "robotter-og-sensorer",
        ["klima-teknik-og-miljoe", "dagtilbud-og-skole", "kultur-og-fritid"],
        "Styring af varme, ventilation og lys efter målinger af brug og indeklima i kommunens "
        "bygninger.",
        "Control of heating, ventilation and lighting by measured use and indoor climate in the "
        "municipality's buildings.",
    ),
]

# What people type for each technology besides its names, loaded by a data migration and
# kept by the analysts in the admin: abbreviations, synonyms and broader terms. A broader
# term ("velfærdsteknologi", "kunstig intelligens") leads to every technology it covers.
_AI = [("AI", "broader"), ("kunstig intelligens", "broader")]
_WELFARE_TECH = [("velfærdsteknologi", "broader")]
_AUTOMATION = [("automatisering", "broader")]

SEARCH_TERMS: dict[str, list[tuple[str, str]]] = {
    "machine-learning": [("ML", "abbreviation"), ("maskinlæring", "synonym"), *_AI],
    "generativ-ai": [
        ("GenAI", "abbreviation"),
        ("LLM", "abbreviation"),
        ("generativ kunstig intelligens", "synonym"),
        ("sprogmodel", "synonym"),
        ("store sprogmodeller", "synonym"),
        *_AI,
    ],
    "chatbots": [("chatrobot", "synonym"), ("digital assistent", "synonym"), *_AI],
    "tale-til-tekst": [("talegenkendelse", "synonym"), ("diktering", "synonym"), *_AI],
    "billedgenkendelse": [("billedanalyse", "synonym"), ("maskinsyn", "synonym"), *_AI],
    "praediktiv-analyse": [
        ("prediktiv analyse", "synonym"),
        ("forudsigende analyse", "synonym"),
        ("prognosemodel", "synonym"),
        *_AI,
    ],
    "dataplatforme": [
        ("BI", "abbreviation"),
        ("business intelligence", "synonym"),
        ("datavarehus", "synonym"),
        ("data warehouse", "synonym"),
    ],
    "rpa": [
        ("RPA", "abbreviation"),
        ("softwarerobot", "synonym"),
        ("software robot", "synonym"),
        ("robotprocesautomatisering", "synonym"),
        *_AUTOMATION,
    ],
    "intelligent-automatisering": [("hyperautomatisering", "synonym"), *_AUTOMATION, *_AI],
    "cloud": [
        ("SaaS", "abbreviation"),
        ("cloud computing", "synonym"),
        ("cloudløsning", "synonym"),
        ("skyløsning", "synonym"),
    ],
    "systemintegration": [
        ("API", "abbreviation"),
        ("integrationsplatform", "synonym"),
        ("snitflade", "synonym"),
    ],
    "low-code": [("no-code", "synonym"), ("lavkode", "synonym"), *_AUTOMATION],
    "digital-signatur-og-post": [
        ("Digital Post", "synonym"),
        ("digital signatur", "synonym"),
        ("e-signatur", "synonym"),
        ("MitID", "synonym"),
    ],
    "skaermbesoeg": [
        ("videobesøg", "synonym"),
        ("virtuelle besøg", "synonym"),
        ("skærmopkald", "synonym"),
        *_WELFARE_TECH,
    ],
    "traeningsvideoer": [
        ("træningsvideoer", "synonym"),
        ("digital træning", "synonym"),
        ("digital genoptræning", "synonym"),
        ("telerehabilitering", "synonym"),
        *_WELFARE_TECH,
    ],
    "telemedicin": [
        ("telesundhed", "synonym"),
        ("telemonitorering", "synonym"),
        ("hjemmemonitorering", "synonym"),
        *_WELFARE_TECH,
    ],
    "videoloesninger": [
        ("videomøder", "synonym"),
        ("videosamtaler", "synonym"),
        ("videokonsultation", "synonym"),
    ],
    "apps": [("app", "synonym"), ("mobilapp", "synonym"), ("applikation", "synonym")],
    "selvbetjening": [("selvbetjeningsløsning", "synonym"), ("e-blanket", "synonym")],
    "virtual-reality": [("VR", "abbreviation"), ("virtuel virkelighed", "synonym")],
    "sensorer": [
        ("IoT", "abbreviation"),
        ("Internet of Things", "synonym"),
        ("sensorteknologi", "synonym"),
        *_WELFARE_TECH,
    ],
    "sensormaatter": [
        ("sengesensor", "synonym"),
        ("sensormåtte", "synonym"),
        ("faldsensor", "synonym"),
        *_WELFARE_TECH,
    ],
    "gps-ure": [
        ("GPS", "abbreviation"),
        ("GPS-sporing", "synonym"),
        ("tryghedsur", "synonym"),
        *_WELFARE_TECH,
    ],
    "medicindispensere": [
        ("medicinrobot", "synonym"),
        ("elektronisk medicinhusker", "synonym"),
        *_WELFARE_TECH,
    ],
    "hygiejnerobotter": [
        ("vasketoilet", "synonym"),
        ("skylle-tørre-toilet", "synonym"),
        *_WELFARE_TECH,
    ],
    "loftlifte": [("loftlift", "synonym"), ("forflytningshjælpemiddel", "synonym"), *_WELFARE_TECH],
    "spiserobotter": [("spiserobot", "synonym"), *_WELFARE_TECH],
    "droner": [("drone", "synonym"), ("UAV", "abbreviation")],
    "robotplaeneklippere": [
        ("robotplæneklipper", "synonym"),
        ("plænerobot", "synonym"),
        ("robotklipper", "synonym"),
    ],
    "intelligente-bygninger": [
        ("CTS", "abbreviation"),
        ("smart building", "synonym"),
        ("bygningsautomatik", "synonym"),
        ("energistyring", "synonym"),
    ],
}
