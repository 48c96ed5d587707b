"""Demo partnership programme and joint projects.

The programme retells, in our own words, KL's "Kommunernes Teknologipartnerskab"
(launched in 2023: period, deadline, fee, themes and solutions as KL announced them);
the participants, their commitments, contacts and milestones are generated demo data.
The joint projects are invented examples of municipalities testing one technology
together."""

from __future__ import annotations

import datetime as dt
import random
from typing import TextIO

from kommuneradar.catalog.models import Technology
from kommuneradar.network import progress
from kommuneradar.network.models import (
    Enrolment,
    JointDocument,
    JointProject,
    Milestone,
    Programme,
    Track,
)
from kommuneradar.places.models import Municipality
from kommuneradar.places.naming import HOME_COUNTRY

PROGRAMME_SOURCE = (
    "KL's nyhed om lanceringen af Kommunernes Teknologipartnerskab, 2023 (genfortalt); "
    "deltagere, tilsagn og milepæle er demo-data"
)
DEMO_SOURCE = "Demo-data genereret til Kommuneradar"

# (theme, solution, technology slug, description)
TRACKS = [
    (
        "Velfærdsteknologi",
        "Skærmbesøg i hjemmeplejen",
        "skaermbesoeg",
        "Udvalgte besøg i hjemmeplejen foregår over video, så borgeren får kontakt på faste "
        "tidspunkter, og medarbejderne sparer køretid.",
    ),
    (
        "Velfærdsteknologi",
        "Digitalt understøttet træning",
        "traeningsvideoer",
        "Borgere træner hjemme efter videoer og programmer, som terapeuten følger op på, "
        "så flere kan holde sig i form mellem de fysiske forløb.",
    ),
    (
        "Automatisering af administrative arbejdsgange",
        "Etablering og skalering af administrative processer",
        "rpa",
        "Softwarerobotter overtager ensartede opgaver som journalisering og opslag i "
        "registre, og kommunen bygger en organisation, der kan drive og udbrede dem.",
    ),
    (
        "Automatisering af administrative arbejdsgange",
        "Intelligent end-to-end automatisering",
        "intelligent-automatisering",
        "Hele arbejdsgange automatiseres fra ansøgning til afgørelse ved at kombinere "
        "robotter med tekstgenkendelse og maskinlæring, med en medarbejder ved de svære sager.",
    ),
]

FIRST_NAMES = ["Anne", "Jens", "Mette", "Lars", "Sofie", "Henrik", "Louise", "Kasper", "Pia"]
LAST_NAMES = ["Holm", "Nielsen", "Brandt", "Kjær", "Lund", "Mortensen", "Dahl", "Vestergaard"]


def _programme(rng: random.Random, municipalities: list[Municipality]) -> tuple[int, int]:
    programme = Programme.objects.create(
        name="Kommunernes Teknologipartnerskab",
        slug="kommunernes-teknologipartnerskab",
        summary=(
            "Et halvandet år langt forløb, hvor kommuner forpligter sig til at tage en eller "
            "flere af fire modne løsninger i brug, så erfaringerne spreder sig hurtigere end "
            "hver for sig. Deltagerne får adgang til eksperter, sparring og et netværk af "
            "kommuner, der er lige langt."
        ),
        starts_on=dt.date(2023, 3, 28),
        ends_on=dt.date(2024, 9, 30),
        enrolment_deadline=dt.date(2023, 3, 6),
        fee_dkk=50_000,
        offer=(
            "Ekspertrådgivning, netværksmøder pr. løsning og hjælp til at opgøre gevinsterne; "
            "resten af udgifterne dækkes af fælleskommunale puljemidler."
        ),
        contact_name="Projektlederen for partnerskabet i KL",
        source=PROGRAMME_SOURCE,
    )
    technologies = {t.slug: t for t in Technology.objects.all()}
    tracks = [
        Track.objects.create(
            programme=programme,
            theme=theme,
            name=name,
            technology=technologies.get(slug),
            description=description,
            order=order,
        )
        for order, (theme, name, slug, description) in enumerate(TRACKS, start=1)
    ]
    chosen = rng.sample(municipalities, 26)
    milestones: list[Milestone] = []
    for municipality in sorted(chosen, key=lambda m: m.code):
        picked = rng.sample(tracks, rng.choice([1, 1, 2, 2, 3]))
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        names = " og ".join(t.name.lower() for t in picked)
        reached_levels = [rng.choice([0, 1, 2, 2, 3, 3, 3, 4, 5]) for _ in picked]
        withdrawn = rng.random() < 0.06
        if withdrawn:
            status = Enrolment.Status.WITHDRAWN
        elif min(reached_levels) >= 3:
            status = Enrolment.Status.COMPLETED
        else:
            status = Enrolment.Status.ACTIVE
        enrolment = Enrolment.objects.create(
            programme=programme,
            municipality=municipality,
            commitment=(
                f"{municipality.name} tager {names} i brug i mindst én enhed i løbet af "
                "partnerskabet, udpeger en tovholder og deler sine erfaringer og tal i netværket."
            ),
            contact_name=f"{first} {last}",
            contact_email=f"{first.lower()}.{last.lower()}@{municipality.slug}.example",
            status=status,
            enrolled_on=dt.date(2023, 2, 1) + dt.timedelta(days=rng.randint(0, 33)),
        )
        enrolment.tracks.set(picked)
        for track, level in zip(picked, reached_levels, strict=True):
            when = dt.date(2023, 4, 15) + dt.timedelta(days=rng.randint(0, 75))
            for kind in progress.MILESTONES[:level]:
                milestones.append(
                    Milestone(enrolment=enrolment, track=track, kind=kind, reached_on=when)
                )
                when += dt.timedelta(days=rng.randint(45, 150))
    Milestone.objects.bulk_create(milestones)
    return len(chosen), len(milestones)


# (title, slug, technology, status, start, end, description, results, documents)
JOINT = [
    (
        "Kunstig intelligens i sagsbehandlingen",
        "ai-i-sagsbehandlingen",
        "machine-learning",
        JointProject.Status.RUNNING,
        dt.date(2024, 2, 1),
        None,
        "Fem kommuner træner og afprøver sammen en model, der foreslår, hvilke oplysninger "
        "der mangler i en ansøgning om hjælpemidler. Hver kommune har for få afgjorte sager "
        "til at træne en pålidelig model alene; samlet rækker data. Sagsbehandleren træffer "
        "altid afgørelsen.",
        "Efter første halvår peger modellen rigtigt på manglende oplysninger i omkring to "
        "ud af tre sager i testdata. Næste skridt er en afprøvning i den daglige drift.",
        ["Fælles projektbeskrivelse", "Aftale om deling af data", "Midtvejsevaluering"],
    ),
    (
        "Fælles chatbot til borgerservice",
        "faelles-chatbot",
        "chatbots",
        JointProject.Status.COMPLETED,
        dt.date(2022, 9, 1),
        dt.date(2023, 12, 31),
        "Fire kommuner byggede én chatbot til de hyppigste spørgsmål om pas, kørekort og "
        "flytning i stedet for at købe og vedligeholde hver sin.",
        "Chatbotten besvarer omkring hvert tredje spørgsmål uden at sende borgeren videre, "
        "og vedligeholdelsen deles efter indbyggertal.",
        ["Slutrapport", "Vejledning til nye deltagere"],
    ),
    (
        "Sensorer i plejeboliger",
        "sensorer-i-plejeboliger",
        "sensorer",
        JointProject.Status.PLANNED,
        dt.date(2025, 3, 1),
        None,
        "Tre kommuner vil afprøve de samme sensorer i plejeboliger og måle på samme måde, "
        "så resultaterne kan sammenlignes og lægges sammen.",
        "",
        ["Fælles målemetode (udkast)"],
    ),
]


def _joint_projects(rng: random.Random, municipalities: list[Municipality]) -> int:
    technologies = {t.slug: t for t in Technology.objects.all()}
    count = 0
    for title, slug, tech, status, starts, ends, description, results, documents in JOINT:
        sizes = {"machine-learning": 5, "chatbots": 4}
        participants = rng.sample(municipalities, sizes.get(tech, 3))
        project = JointProject.objects.create(
            title=title,
            slug=slug,
            technology=technologies[tech],
            description=description,
            lead_municipality=participants[0],
            starts_on=starts,
            ends_on=ends,
            status=status,
            results=results,
            source=DEMO_SOURCE,
        )
        project.participants.set(participants)
        JointDocument.objects.bulk_create(
            JointDocument(
                project=project, title=document, added_on=starts + dt.timedelta(days=30 * i)
            )
            for i, document in enumerate(documents)
        )
        count += 1
    return count


def load(seed: int, stdout: TextIO, today: dt.date | None = None) -> None:
    """The programme and joint projects (`today` is not used: their dates are fixed)."""
    rng = random.Random(seed + 606)
    municipalities = list(Municipality.objects.filter(country=HOME_COUNTRY).order_by("code"))
    enrolled, milestones = _programme(rng, municipalities)
    projects = _joint_projects(rng, municipalities)
    stdout.write(
        f"  1 partnership programme, {enrolled} enrolments, {milestones} milestones, "
        f"{projects} joint projects\n"
    )
