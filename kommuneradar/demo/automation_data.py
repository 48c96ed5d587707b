"""Demo automation pipeline: a small KLE subset, IT systems, administrative processes
across municipalities and phases, copies between municipalities, umbrella processes and
measurements of the processes in operation.

The KLE entries are a handful written by hand in the shape of KL's plan (main group,
group, topic) for the demo's processes; they are not KL's published plan, which an
operator loads from its XML file. Every process text is written for Kommuneradar."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import TextIO

from django.utils import timezone

from kommuneradar.automation import services
from kommuneradar.automation.models import (
    KleEntry,
    Measurement,
    Phase,
    Process,
    ProcessContact,
    Status,
    SuitabilityAssessment,
    System,
    Umbrella,
    Visibility,
)
from kommuneradar.benefits.models import FollowUp
from kommuneradar.benefits.models import Project as BenefitProject
from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.places.models import Municipality

# (number, title): main groups, groups and topics, written for the demo.
KLE_SUBSET: list[tuple[str, str]] = [
    ("00", "Kommunens styrelse"),
    ("00.05", "Kommunens administration"),
    ("00.05.10", "Postbehandling og journalisering"),
    ("00.05.12", "Digital post"),
    ("00.17", "Samarbejde og kommunikation med borgere"),
    ("00.17.10", "Borgerhenvendelser"),
    ("06", "Økonomi"),
    ("06.01", "Bogføring og betalinger"),
    ("06.01.02", "Fakturabetaling og kreditorer"),
    ("06.01.04", "Debitorer og opkrævning"),
    ("06.04", "Indkøb"),
    ("06.04.02", "Bestilling og modtagelse af varer"),
    ("15", "Borgerservice og folkeregister"),
    ("15.00", "Borgerservice i almindelighed"),
    ("15.00.05", "Adresseændringer"),
    ("15.00.08", "Pas og kørekort"),
    ("27", "Sociale ydelser"),
    ("27.12", "Boligstøtte"),
    ("27.12.08", "Opfølgning på boligstøtte"),
    ("27.24", "Sygedagpenge"),
    ("27.24.02", "Refusion af sygedagpenge"),
    ("32", "Beskæftigelse"),
    ("32.18", "Kontanthjælp og uddannelseshjælp"),
    ("32.18.04", "Kontrol og opfølgning på ydelser"),
    ("81", "Personale"),
    ("81.02", "Ansættelse"),
    ("81.02.04", "Børneattester og straffeattester"),
    ("81.02.06", "Oprettelse af nye medarbejdere i systemerne"),
    ("81.10", "Fravær"),
    ("81.10.02", "Registrering af sygefravær"),
]

SYSTEMS = [
    "ESDH-system",
    "Økonomisystem (ERP)",
    "Lønsystem",
    "KMD Nova",
    "Fagsystem for ydelser",
    "Digital Post",
    "Politiets attestportal",
    "CPR-registret",
    "Indkøbsportal",
    "Rekrutteringssystem",
    "Sagsbehandlingssystem for boligstøtte",
]


@dataclass(frozen=True)
class Template:
    """A process as the first municipality describes it."""

    title: str
    summary: str
    description: str
    kle: str
    technologies: tuple[str, ...]
    systems: tuple[str, ...]
    cases: int
    minutes: str
    share: str
    frequency: str
    domain: str
    legal_basis: str = ""


ADMIN = "oekonomi-og-administration"
CITIZEN = "borgerservice"
JOBS = "beskaeftigelse-og-integration"

TEMPLATES: list[Template] = [
    Template(
        "Indhentning af børneattester og straffeattester",
        "En softwarerobot bestiller attester for nyansatte og frivillige og lægger svaret på "
        "personalesagen.",
        "Når en ny medarbejder eller frivillig skal arbejde med børn, bestiller robotten "
        "børneattest og straffeattest i politiets portal, holder øje med svaret og gemmer "
        "attesten på personalesagen. Kun attester med anmærkninger går til en medarbejder.",
        "81.02.04",
        ("rpa",),
        ("Politiets attestportal", "ESDH-system", "Rekrutteringssystem"),
        2400,
        "12",
        "85",
        "daily",
        ADMIN,
        "Lov om indhentelse af børneattest; databeskyttelsesloven om behandling af "
        "oplysninger om strafbare forhold.",
    ),
    Template(
        "Journalisering af e-mails på den rigtige sag",
        "Indgående e-mails til fællespostkasser journaliseres automatisk på den sag, de hører til.",
        "En model læser emne, afsender og indhold i post til fællespostkasserne og foreslår "
        "sagen; robotten journaliserer, når forslaget er sikkert, og sender resten til en "
        "medarbejder med forslaget vedhæftet.",
        "00.05.10",
        ("rpa", "machine-learning"),
        ("ESDH-system",),
        60000,
        "3",
        "60",
        "continuous",
        ADMIN,
        "Offentlighedslovens krav om journalisering (§ 15).",
    ),
    Template(
        "Fakturabetaling: match af faktura mod ordre og modtagelse",
        "Fakturaer, der passer med ordre og varemodtagelse, konteres og godkendes til "
        "betaling uden manuel behandling.",
        "Robotten sammenholder elektroniske fakturaer med indkøbsordre og registreret "
        "modtagelse, konterer efter faste regler og sender dem til betaling. Afvigelser over "
        "en beløbsgrænse går til bogholderiet.",
        "06.01.02",
        ("rpa",),
        ("Økonomisystem (ERP)", "Indkøbsportal"),
        45000,
        "4",
        "70",
        "daily",
        ADMIN,
        "Kommunens regler for økonomistyring og bogføringsloven.",
    ),
    Template(
        "Refusion af sygedagpenge",
        "Robotten søger refusion af sygedagpenge, så snart en medarbejder har været syg længe nok.",
        "Sygefraværet læses fra lønsystemet; når betingelserne er opfyldt, udfylder robotten "
        "anmodningen om refusion og bogfører den forventede indtægt.",
        "27.24.02",
        ("rpa",),
        ("Lønsystem", "Økonomisystem (ERP)"),
        3000,
        "15",
        "80",
        "weekly",
        ADMIN,
        "Sygedagpengeloven om refusion til arbejdsgivere.",
    ),
    Template(
        "Oprettelse af nye medarbejdere i it-systemerne",
        "Brugerkonti, adgange og lønoplysninger oprettes ud fra ansættelsesbrevet.",
        "Når ansættelsen er underskrevet, opretter robotten medarbejderen i lønsystemet, "
        "bestiller brugerkonto og giver de adgange, stillingen har som standard.",
        "81.02.06",
        ("rpa",),
        ("Lønsystem", "Rekrutteringssystem"),
        1800,
        "45",
        "60",
        "daily",
        ADMIN,
    ),
    Template(
        "Registrering af adresseændringer fra andre myndigheder",
        "Adresseændringer opdateres i fagsystemerne, så breve ikke sendes forkert.",
        "Robotten henter ændringer fra CPR og opdaterer adressen i de fagsystemer, der ikke "
        "selv henter den.",
        "15.00.05",
        ("rpa",),
        ("CPR-registret", "Fagsystem for ydelser"),
        12000,
        "3",
        "90",
        "daily",
        CITIZEN,
    ),
    Template(
        "Opfølgning på boligstøtte ved ændret indkomst",
        "Sager, hvor indkomsten er ændret, findes og klargøres til en afgørelse.",
        "Robotten sammenholder indkomstoplysninger med de aktive sager og samler "
        "oplysningerne, så sagsbehandleren kun skal tage stilling.",
        "27.12.08",
        ("rpa", "intelligent-automatisering"),
        ("Sagsbehandlingssystem for boligstøtte",),
        5000,
        "20",
        "50",
        "monthly",
        CITIZEN,
        "Lov om individuel boligstøtte.",
    ),
    Template(
        "Kontrol af samtidige ydelser",
        "Borgere, der modtager to ydelser, der ikke kan kombineres, findes automatisk.",
        "En månedlig kørsel sammenholder udbetalinger på tværs af fagsystemerne og laver en "
        "liste over mulige dobbeltudbetalinger til en medarbejder.",
        "32.18.04",
        ("rpa",),
        ("KMD Nova", "Fagsystem for ydelser"),
        1200,
        "30",
        "75",
        "monthly",
        JOBS,
        "Lov om aktiv socialpolitik om kontrol.",
    ),
    Template(
        "Svar på enkle borgerhenvendelser med en chatbot",
        "En chatbot svarer på spørgsmål om åbningstider, affald og pas døgnet rundt.",
        "Chatbotten svarer ud fra kommunens egne sider og sender spørgsmål, den ikke kan "
        "svare på, videre til borgerservice.",
        "00.17.10",
        ("chatbots", "generativ-ai"),
        ("ESDH-system",),
        30000,
        "4",
        "35",
        "continuous",
        CITIZEN,
    ),
    Template(
        "Registrering af sygefravær fra sms og app",
        "Sygemeldinger fra app eller sms registreres direkte i lønsystemet.",
        "Robotten læser sygemeldingen og registrerer fraværet, så lederen kun får besked og "
        "ikke skal taste.",
        "81.10.02",
        ("rpa",),
        ("Lønsystem",),
        20000,
        "4",
        "80",
        "daily",
        ADMIN,
    ),
    Template(
        "Udsendelse af rykkere for ubetalte regninger",
        "Rykkere sendes automatisk med Digital Post, når en betalingsfrist er overskredet.",
        "Robotten finder forfaldne krav, danner rykkeren og sender den med Digital Post.",
        "06.01.04",
        ("rpa",),
        ("Økonomisystem (ERP)", "Digital Post"),
        15000,
        "5",
        "85",
        "weekly",
        ADMIN,
        "Opkrævningsloven.",
    ),
    Template(
        "Sortering af digital post til rette afdeling",
        "Post til kommunens hovedpostkasse fordeles automatisk efter emne.",
        "En model læser posten og fordeler den; usikre breve går til en medarbejder.",
        "00.05.12",
        ("machine-learning",),
        ("Digital Post", "ESDH-system"),
        80000,
        "1.5",
        "65",
        "continuous",
        ADMIN,
    ),
    Template(
        "Udkast til svar på aktindsigtsanmodninger",
        "Generativ AI laver et første udkast til afgørelse om aktindsigt.",
        "Modellen samler sagens dokumenter, markerer oplysninger, der kan være undtaget, og "
        "skriver et udkast, som juristen retter og underskriver.",
        "00.05.10",
        ("generativ-ai",),
        ("ESDH-system",),
        900,
        "120",
        "30",
        "on_demand",
        ADMIN,
        "Offentlighedsloven og forvaltningsloven om aktindsigt.",
    ),
    Template(
        "Bestilling af varer ved genbestillingspunkt",
        "Faste varer til institutionerne bestilles, når lageret når et minimum.",
        "Robotten læser beholdningen og bestiller i indkøbsportalen efter aftalte mængder.",
        "06.04.02",
        ("rpa",),
        ("Indkøbsportal",),
        6000,
        "10",
        "70",
        "weekly",
        ADMIN,
    ),
    Template(
        "Påmindelse om fornyelse af pas og kørekort",
        "Borgere får besked, før deres pas eller kørekort udløber.",
        "En månedlig kørsel finder dokumenter, der udløber, og sender en påmindelse med "
        "Digital Post med et link til tidsbestilling.",
        "15.00.08",
        ("rpa",),
        ("Digital Post", "CPR-registret"),
        8000,
        "2",
        "95",
        "monthly",
        CITIZEN,
    ),
]

# Where each template starts: the municipality (by code) that describes it first.
ORIGINS = ["630", "751", "101", "461", "851", "561", "657", "173", "787", "330", "615", "147",
           "580", "710", "157"]  # fmt: skip
UMBRELLAS = [
    (
        0,
        "Fælles robot til børneattester",
        "Kommunerne bygger og vedligeholder én robot til "
        "bestilling af attester og deler driftserfaringerne.",
    ),
    (
        1,
        "Automatisk journalisering på tværs af kommuner",
        "Et fælles træningssæt og fælles "
        "regler for, hvornår et forslag er sikkert nok til at journalisere.",
    ),
    (
        2,
        "Fakturaflow uden manuel godkendelse",
        "Fælles kontrolregler og erfaringer med beløbsgrænser for automatisk betaling.",
    ),
    (
        8,
        "Chatbot til borgerservice",
        "Et fælles sprogmateriale og fælles svar på de hyppigste spørgsmål.",
    ),
]
PHASE_WEIGHTS = [
    (Phase.IDEA, 3),
    (Phase.PRE_ANALYSIS, 3),
    (Phase.SPECIFICATION, 2),
    (Phase.DEVELOPMENT, 2),
    (Phase.IMPLEMENTATION, 2),
    (Phase.OPERATION, 5),
    (Phase.DECOMMISSIONED, 1),
]
FIRST_NAMES = ["Anne", "Jens", "Mette", "Lars", "Sofie", "Henrik", "Louise", "Kasper", "Pia"]
LAST_NAMES = ["Holm", "Nielsen", "Brandt", "Kjær", "Lund", "Mortensen", "Dahl", "Vestergaard"]
ROLES = ["Procesejer", "RPA-udvikler", "Fagperson", "Digitaliseringskonsulent"]
NOTES = [
    "Afventer svar fra leverandøren om adgang til snitfladen.",
    "Fagområdet vil gerne teste i en afdeling først.",
    "Budget afsat i næste års digitaliseringspulje.",
    "Drøftet med databeskyttelsesrådgiveren; ingen indvendinger.",
]


def _kle() -> dict[str, KleEntry]:
    entries: dict[str, KleEntry] = {}
    for number, title in KLE_SUBSET:
        parent = entries.get(number.rsplit(".", 1)[0]) if "." in number else None
        entries[number] = KleEntry.objects.create(
            number=number, title=title, level=KleEntry.level_of(number), parent=parent
        )
    return entries


def _phase(rng: random.Random) -> str:
    phases = [phase for phase, _weight in PHASE_WEIGHTS]
    weights = [weight for _phase, weight in PHASE_WEIGHTS]
    return str(rng.choices(phases, weights)[0])


def _status(phase: str, rng: random.Random) -> str:
    if phase == Phase.DECOMMISSIONED:
        return str(rng.choice([Status.NOT_RELEVANT, Status.FAILED]))
    if phase in (Phase.IDEA, Phase.PRE_ANALYSIS) and rng.random() < 0.2:
        return str(rng.choice([Status.PENDING, Status.REJECTED]))
    return str(Status.IN_PROGRESS)


def _scaled(value: str, factor: float) -> Decimal:
    return Decimal(str(round(float(value) * factor, 1)))


def load(seed: int, stdout: TextIO, today: dt.date | None = None) -> None:
    """The pipeline, with measurements up to shortly before `today` (the load day)."""
    today = today or timezone.localdate()
    rng = random.Random(seed + 1515)
    kle = _kle()
    systems = {name: System.objects.create(name=name) for name in SYSTEMS}
    technologies = {t.slug: t for t in Technology.objects.all()}
    domains = {d.slug: d for d in Domain.objects.all()}
    municipalities = list(Municipality.objects.order_by("code"))
    by_code = {m.code: m for m in municipalities}
    created: list[Process] = []

    def make(template: Template, municipality: Municipality, source: Process | None) -> Process:
        phase = _phase(rng)
        size = (municipality.population / 60_000) ** 0.5
        visibility = Visibility.PUBLIC if rng.random() < 0.8 else Visibility.MUNICIPALITY
        process = Process.objects.create(
            title=template.title,
            summary=template.summary,
            description=template.description,
            municipality=municipality,
            domain=domains.get(template.domain),
            kle=kle[template.kle],
            legal_basis=template.legal_basis,
            legal_basis_checked_on=today - dt.timedelta(days=rng.randint(20, 400))
            if template.legal_basis
            else None,
            run_frequency=template.frequency,
            phase=phase,
            status=_status(phase, rng),
            visibility=visibility,
            internal_notes=rng.choice(NOTES) if rng.random() < 0.5 else "",
            source=source,
            cases_per_year=max(50, int(template.cases * size * rng.uniform(0.6, 1.4))),
            minutes_per_case=_scaled(template.minutes, rng.uniform(0.8, 1.2)),
            automation_share=_scaled(template.share, rng.uniform(0.85, 1.0)),
        )
        process.technologies.set([technologies[slug] for slug in template.technologies])
        process.systems.set([systems[name] for name in template.systems])
        if rng.random() < 0.6:
            ProcessContact.objects.create(
                process=process,
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                role=rng.choice(ROLES),
                email=f"demo{process.pk}@{municipality.slug}.example",
            )
        created.append(process)
        return process

    for index, template in enumerate(TEMPLATES):
        origin = make(template, by_code[ORIGINS[index % len(ORIGINS)]], None)
        origin.phase = Phase.OPERATION
        origin.status = Status.IN_PROGRESS
        origin.visibility = Visibility.PUBLIC
        origin.save(update_fields=["phase", "status", "visibility"])
        others = [m for m in municipalities if m.pk != origin.municipality_id]
        for municipality in rng.sample(others, rng.randint(7, 10)):
            # Most municipalities copy the first one's description; some describe their own.
            make(template, municipality, origin if rng.random() < 0.7 else None)

    umbrellas = 0
    for index, title, description in UMBRELLAS:
        template = TEMPLATES[index]
        lead = by_code[ORIGINS[index % len(ORIGINS)]]
        umbrella = Umbrella.objects.create(
            title=title, description=description, kle=kle[template.kle], municipality=lead
        )
        umbrellas += 1
        Process.objects.filter(title=template.title).update(umbrella=umbrella)

    measured = 0
    for process in created:
        if rng.random() < 0.7:
            SuitabilityAssessment.objects.create(
                process=process,
                assessed_on=today - dt.timedelta(days=rng.randint(30, 500)),
                **{name: rng.choice([3, 4, 4, 5, 5]) for name in SuitabilityAssessment.QUESTIONS},
            )
        if process.phase != Phase.OPERATION:
            continue
        measured += 1
        process.refresh_from_db()
        expected = float(process.expected_hours)
        reaches = rng.uniform(0.5, 1.1)
        quarters = rng.randint(2, 5)
        end = today - dt.timedelta(days=rng.randint(10, 40))
        periods = []
        for _quarter in range(quarters):
            start = end - dt.timedelta(days=90)
            periods.append((start, end))
            end = start - dt.timedelta(days=1)
        for number, (start, end) in enumerate(reversed(periods)):
            ramp = min(1.0, 0.6 + 0.2 * number)
            baseline = Decimal(str(round(expected / 4 / max(float(process.automation_share), 1)
                                         * 100 * rng.uniform(0.95, 1.05), 1)))  # fmt: skip
            freed = Decimal(str(round(expected / 4 * reaches * ramp, 1)))
            measurement = Measurement.objects.create(
                process=process,
                period_start=start,
                period_end=end,
                baseline_hours=baseline,
                actual_hours=max(Decimal(0), baseline - freed),
                note="",
            )
            first = process.benefit_project_id is None
            project = services.sync_benefit_project(process, starting=start)
            if project is None:
                continue
            if first:
                # Registered a fortnight before its first measured period, as a person would.
                registered = dt.datetime.combine(start - dt.timedelta(days=14), dt.time(10), dt.UTC)
                project.created_at = registered
                BenefitProject.objects.filter(pk=project.pk).update(created_at=registered)
            measurement.follow_up = FollowUp.objects.create(
                project=project,
                measured_on=end,
                hours_freed=max(Decimal(0), measurement.realised_hours_per_year).quantize(
                    Decimal("0.1")
                ),
                note="Målt i automatiseringspipelinen (demo-data).",
            )
            measurement.save(update_fields=["follow_up"])
    copies = Process.objects.filter(source__isnull=False).count()
    stdout.write(
        f"  {len(created)} processes ({copies} copies), {umbrellas} umbrellas, "
        f"{measured} measured processes, {len(KLE_SUBSET)} KLE entries\n"
    )
