"""Assemble the municipality profile and the technology network from the queries in
queries.py and the rules in similarity.py; every function runs a fixed number of
queries, whatever the number of municipalities, rounds or technologies."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import Count, Max, Prefetch, Value, When
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext as _

from kommuneradar.accounts import audit
from kommuneradar.accounts.models import User
from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.places.models import Municipality
from kommuneradar.radar.models import ALL_DOMAINS, Blip, Edition, Ring
from kommuneradar.surveys import vocabulary as v
from kommuneradar.surveys.models import Answer, Stage

from . import progress
from . import similarity as sim
from .forms import (
    EnrolmentForm,
    EnrolmentStatusForm,
    JointDocumentForm,
    JointProjectForm,
    JointResultsForm,
    MilestoneForm,
    ProgrammeForm,
)
from .models import Enrolment, JointDocument, JointProject, Milestone, Programme, Track
from .queries import (
    Neighbourhood,
    Shortlist,
    documented_users,
    domain_blips,
    domain_tallies,
    latest_published_year,
    neighbourhood,
    own_answers,
    realised_gains,
    shortlist,
)

SIMILAR_GROUP_SIZE = 10
SIZE_GROUP_SIZE = 10
MENTORS_SHOWN = 3
PEERS_SHOWN = 3
RECOMMENDATIONS_SHOWN = 8
RECOMMENDED_RINGS = (Ring.KLAR, Ring.AFPROEV)
IN_PROGRESS_STAGES = (v.CONSIDERING, v.PILOTING)


def reason_labels() -> dict[str, str]:
    return {
        sim.SAME_STAGE: _("same stage"),
        sim.SIMILAR_SIZE: _("similar size"),
        sim.SAME_REGION: _("same region"),
        sim.SHARED_PORTFOLIO: _("similar technologies in use"),
        sim.DOCUMENTED_VALUE: _("documented realised value"),
    }


def reason_text(reasons: tuple[str, ...]) -> str:
    """The reasons as one phrase, e.g. "same stage, similar size, same region"."""
    labels = reason_labels()
    if not reasons:
        return _("most similar of those available")
    return ", ".join(labels[r] for r in reasons)


def stage_label(stage: str | None) -> str:
    return str(Stage(stage).label) if stage in v.STAGES else "–"


@dataclass
class MatchRow:
    """A mentor or peer as shown: the municipality, its stage and why it was chosen."""

    municipality: Municipality
    similarity: float
    reasons: tuple[str, ...]
    reasons_text: str
    documented: bool
    stage: str | None

    @property
    def stage_label(self) -> str:
        return stage_label(self.stage)


@dataclass
class StageRow:
    technology: Technology
    stages: list[str | None]
    ring: Blip | None

    @property
    def stage_labels(self) -> list[str]:
        return [stage_label(s) for s in self.stages]


@dataclass
class DomainHistory:
    domain: Domain
    rows: list[StageRow]


@dataclass
class ComparisonRow:
    """Technologies in use (in operation or scaled) in one domain: this municipality
    against the mean of the size group, among those of the group that answered."""

    label: str
    own: int | None
    group_mean: float | None
    group_answered: int


@dataclass
class RecommendationRow:
    technology: Technology
    recommendation: sim.Recommendation
    domains: list[Domain]
    ring: str
    mentors: list[MatchRow]

    @property
    def ring_label(self) -> str:
        return str(Ring(self.ring).label)


@dataclass
class WorkRow:
    technology: Technology
    stage: str
    peers: list[MatchRow]
    mentors: list[MatchRow]

    @property
    def stage_label(self) -> str:
        return stage_label(self.stage)


@dataclass
class Profile:
    municipality: Municipality
    year: int | None
    years: list[int] = field(default_factory=list)
    histories: list[DomainHistory] = field(default_factory=list)
    size_group: list[Municipality] = field(default_factory=list)
    comparison: list[ComparisonRow] = field(default_factory=list)
    recommendations: list[RecommendationRow] = field(default_factory=list)
    recommendation_basis: str = sim.BASIS_PEERS_ONLY
    in_progress: list[WorkRow] = field(default_factory=list)
    in_use: list[Technology] = field(default_factory=list)
    enrolments: list[Enrolment] = field(default_factory=list)
    joint_projects: list[JointProject] = field(default_factory=list)
    corrections: list[Edition] = field(default_factory=list)


def _match_rows(
    matches: list[sim.Match],
    by_code: dict[str, Municipality],
    stages: dict[str, str],
) -> list[MatchRow]:
    return [
        MatchRow(
            by_code[m.code],
            m.similarity,
            m.reasons,
            reason_text(m.reasons),
            m.documented,
            stages.get(m.code),
        )
        for m in matches
    ]


def _stages_by_technology(data: Neighbourhood) -> dict[int, dict[str, str]]:
    result: dict[int, dict[str, str]] = defaultdict(dict)
    for (mid, tid), stage in data.combined.items():
        result[tid][data.municipalities[mid].url_code] = stage
    return result


def _history(
    answers: list[tuple[int, int, int, str]],
    domains: list[Domain],
    technologies: dict[int, Technology],
    blips: dict[int, dict[int, Blip]],
) -> tuple[list[int], list[DomainHistory]]:
    stages: dict[tuple[int, int], dict[int, str]] = defaultdict(dict)
    years: set[int] = set()
    for answer_year, domain_id, tid, stage in answers:
        stages[(domain_id, tid)][answer_year] = stage
        years.add(answer_year)
    ordered_years = sorted(years)
    histories = []
    for domain in domains:
        domain_rows = [
            StageRow(
                technologies[tid],
                [by_year.get(y) for y in ordered_years],
                blips.get(domain.pk, {}).get(tid),
            )
            for (domain_id, tid), by_year in stages.items()
            if domain_id == domain.pk
        ]
        if domain_rows:
            domain_rows.sort(key=lambda r: r.technology.name_da)
            histories.append(DomainHistory(domain, domain_rows))
    return ordered_years, histories


def _comparison(
    municipality: Municipality,
    own: dict[int, int],
    own_portfolio: frozenset[int] | None,
    data: Neighbourhood,
    group: list[int],
    domains: list[Domain],
) -> list[ComparisonRow]:
    """`own`: technologies in use per domain the municipality answered; `own_portfolio`:
    its technologies in use, None when it did not answer."""
    tallies = domain_tallies(group, data.year)
    rows = []
    for domain in domains:
        answered = [mid for mid in group if (mid, domain.pk) in tallies]
        own_answered = domain.pk in own
        if not answered and not own_answered:
            continue
        mean = (
            sum(tallies[(mid, domain.pk)] for mid in answered) / len(answered) if answered else None
        )
        rows.append(
            ComparisonRow(
                domain.name, own[domain.pk] if own_answered else None, mean, len(answered)
            )
        )
    portfolios = [len(data.portfolio(mid)) for mid in group if mid in data.responded]
    if own_portfolio is not None or portfolios:
        rows.append(
            ComparisonRow(
                _("All domains"),
                len(own_portfolio) if own_portfolio is not None else None,
                sum(portfolios) / len(portfolios) if portfolios else None,
                len(portfolios),
            )
        )
    return rows


def municipality_profile(municipality: Municipality) -> Profile:
    """Everything the municipality page shows (a fixed number of queries, reading the
    municipality's own answers and a bounded set of others: see `queries.shortlist`)."""
    year = latest_published_year()
    profile = Profile(municipality, year)
    domains = list(Domain.objects.all())
    technologies = {t.pk: t for t in Technology.objects.all()}
    blips = domain_blips(year)
    answers = own_answers(municipality, year)
    profile.years, profile.histories = _history(answers, domains, technologies, blips)
    # The stages come from the rounds' answers: a corrected round says so, with its note.
    profile.corrections = list(
        Edition.objects.filter(
            scope=ALL_DOMAINS,
            status=Edition.Status.PUBLISHED,
            round__year__in=profile.years,
            revision__gt=1,
        )
        .exclude(change_note="")
        .select_related("round")
        .order_by("round__year", "revision")
    )
    by_domain: dict[tuple[int, int], str] = {}
    own_stages: dict[int, str] = {}
    own_in_use: dict[int, int] = defaultdict(int)
    for answer_year, domain_id, tid, stage in answers:
        if answer_year != year:
            continue
        by_domain[(domain_id, tid)] = stage
        own_in_use[domain_id] += stage in v.USING_STAGES
        if v.is_more_advanced(stage, own_stages.get(tid)):
            own_stages[tid] = stage
    answered = {domain_id for domain_id, _tid in by_domain}
    portfolio = frozenset(tid for tid, stage in own_stages.items() if stage in v.USING_STAGES)
    target = sim.Place(
        municipality.url_code, municipality.population, municipality.region_code, portfolio
    )

    documented = documented_users()
    gains = realised_gains()
    shown: Shortlist = {
        "similar": SIMILAR_GROUP_SIZE,
        "mentors": MENTORS_SHOWN,
        "peers": PEERS_SHOWN,
    }
    in_progress = frozenset(tid for tid, stage in own_stages.items() if stage in IN_PROGRESS_STAGES)
    wanted = shortlist(municipality, year, portfolio, in_progress, shown)
    # Mentors with documented realised value come before the more similar without.
    wanted.update(mid for mids in documented.values() for mid in mids)
    data = neighbourhood(municipality, year, wanted, SIZE_GROUP_SIZE)
    places = data.places()
    by_code = {m.url_code: m for m in data.municipalities.values()}
    mid_by_code = {m.url_code: mid for mid, m in data.municipalities.items()}
    others = list(places.values())

    size_group = sim.size_group(target, others, SIZE_GROUP_SIZE)
    profile.size_group = [by_code[p.code] for p in size_group]
    profile.comparison = _comparison(
        municipality,
        dict(own_in_use),
        portfolio if answered else None,
        data,
        [mid_by_code[p.code] for p in size_group],
        domains,
    )

    stages_by_tech = _stages_by_technology(data)
    documented_codes = {
        tid: {data.municipalities[mid].url_code for mid in mids if mid in data.municipalities}
        for tid, mids in documented.items()
    }

    def mentor_rows(tid: int) -> list[MatchRow]:
        stages = stages_by_tech.get(tid, {})
        users = [code for code, stage in stages.items() if stage in v.USING_STAGES]
        found = sim.mentors(
            target, others, users, documented_codes.get(tid, set()), limit=MENTORS_SHOWN
        )
        return _match_rows(found, by_code, stages)

    profile.in_use = sorted((technologies[tid] for tid in portfolio), key=lambda t: t.name_da)
    # Only municipalities that answered can count as users or non-users.
    similar = [
        places[mid_by_code[m.code]]
        for m in sim.rank_by_similarity(target, others)
        if mid_by_code[m.code] in data.responded
    ][:SIMILAR_GROUP_SIZE]

    candidates: dict[int, tuple[str, list[Domain]]] = {}
    for domain in domains:
        if domain.pk not in answered:
            continue
        for tid, blip in blips.get(domain.pk, {}).items():
            if blip.ring not in RECOMMENDED_RINGS or tid in portfolio:
                continue
            if by_domain.get((domain.pk, tid)) == v.NOT_RELEVANT:
                continue
            ring, in_domains = candidates.get(tid, (blip.ring, []))
            best_ring = min(ring, blip.ring, key=lambda r: sim.RING_ORDER[r])
            candidates[tid] = (best_ring, [*in_domains, domain])
    ranked = sim.recommend(
        (
            sim.Candidate(
                tid,
                ring,
                sum(1 for p in similar if tid in p.portfolio),
                len(similar),
                gains[tid][0] if tid in gains else None,
                gains[tid][1] if tid in gains else 0,
            )
            for tid, (ring, _domains) in candidates.items()
        ),
        municipality.population,
    )
    profile.recommendation_basis = ranked[0].basis if ranked else sim.BASIS_PEERS_ONLY
    profile.recommendations = [
        RecommendationRow(
            technologies[r.candidate.technology_id],
            r,
            candidates[r.candidate.technology_id][1],
            r.candidate.ring,
            mentor_rows(r.candidate.technology_id),
        )
        for r in ranked[:RECOMMENDATIONS_SHOWN]
    ]

    profile.in_progress = [
        WorkRow(
            technologies[tid],
            stage,
            _match_rows(
                sim.peers(target, others, stages_by_tech.get(tid, {}), stage, limit=PEERS_SHOWN),
                by_code,
                stages_by_tech.get(tid, {}),
            ),
            mentor_rows(tid),
        )
        for tid, stage in sorted(own_stages.items(), key=lambda i: technologies[i[0]].name_da)
        if stage in IN_PROGRESS_STAGES
    ]

    profile.enrolments = list(
        Enrolment.objects.filter(municipality=municipality)
        .enrolled()
        .select_related("programme")
        .prefetch_related("tracks", Prefetch("milestones", queryset=Milestone.objects.all()))
    )
    profile.joint_projects = list(
        JointProject.objects.filter(participants=municipality).select_related("technology")
    )
    return profile


@dataclass
class NetworkRow:
    """A municipality using a technology, as listed on the technology page."""

    municipality: Municipality
    stage: str
    documented: bool

    @property
    def stage_label(self) -> str:
        return stage_label(self.stage)


@dataclass
class TechnologyUsers:
    """The municipalities using a technology in the latest published year (`year`): the
    first `rows` (documented realised value first, then the largest), how many there are
    in all (`total`) and how many of them documented realised value."""

    year: int | None
    rows: list[NetworkRow]
    total: int
    documented: int


def technology_network(technology: Technology, limit: int | None = None) -> TechnologyUsers:
    """Municipalities using `technology` in the latest published year, those with
    documented realised value first, then the largest; the first `limit` of them (all when
    None) are read in full. Five queries, and one row per user (not per answer) read."""
    year = latest_published_year()
    if year is None:
        return TechnologyUsers(None, [], 0, 0)
    documented = documented_users(technology.pk).get(technology.pk, set())
    using = sorted(v.USING_STAGES, key=v.ADVANCEMENT.__getitem__)
    rank = DbCase(*(When(stage=stage, then=Value(v.ADVANCEMENT[stage])) for stage in using))
    stage_of = {v.ADVANCEMENT[stage]: stage for stage in using}
    # the most advanced stage a municipality gave in any domain
    users = (
        Answer.objects.filter(
            technology=technology, response__round__year=year, stage__in=v.USING_STAGES
        )
        .values_list(
            "response__municipality_id",
            "response__municipality__population",
            "response__municipality__code",
        )
        .annotate(best=Max(rank))
        .order_by()
    )
    ordered = sorted(users, key=lambda u: (u[0] not in documented, -u[1], u[2]))
    shown = ordered if limit is None else ordered[:limit]
    municipalities = Municipality.objects.select_related("region").in_bulk(
        [mid for mid, *_rest in shown]
    )
    return TechnologyUsers(
        year,
        [
            NetworkRow(municipalities[mid], stage_of[best], mid in documented)
            for mid, *_, best in shown
        ],
        len(ordered),
        sum(1 for mid, *_rest in ordered if mid in documented),
    )


@dataclass
class ParticipantProgress:
    enrolment: Enrolment
    cells: list[tuple[bool, str | None, list[Milestone]]]
    completion: float


@dataclass
class TrackSummary:
    track_name: str
    theme: str
    technology: Technology | None
    participants: list[Municipality]
    counts: list[progress.MilestoneCount]


@dataclass
class ProgrammeOverview:
    programme: Programme
    tracks: list[Track]
    participants: list[ParticipantProgress]
    summaries: list[TrackSummary]
    milestone_labels: list[tuple[str, str]]


def programme_overview(programme: Programme) -> ProgrammeOverview:
    """The progress of every participant in every track it chose, and per track how
    many participants reached each milestone (four queries)."""
    tracks = list(programme.tracks.select_related("technology"))
    enrolments = list(
        programme.enrolments.enrolled()
        .select_related("municipality__region")
        .prefetch_related("tracks", Prefetch("milestones", queryset=Milestone.objects.all()))
        .order_by("municipality__name")
    )
    participants = []
    furthest_by_track: dict[int, list[str | None]] = defaultdict(list)
    members: dict[int, list[Municipality]] = defaultdict(list)
    for enrolment in enrolments:
        chosen = {t.pk for t in enrolment.tracks.all()}
        milestones = list(enrolment.milestones.all())
        cells: list[tuple[bool, str | None, list[Milestone]]] = []
        reached_all: list[float] = []
        for track in tracks:
            in_track = [m for m in milestones if m.track_id == track.pk]
            last = progress.furthest(m.kind for m in in_track)
            cells.append((track.pk in chosen, last, in_track))
            if track.pk in chosen:
                furthest_by_track[track.pk].append(last)
                members[track.pk].append(enrolment.municipality)
                reached_all.append(progress.completion(m.kind for m in in_track))
        share = sum(reached_all) / len(reached_all) if reached_all else 0.0
        participants.append(ParticipantProgress(enrolment, cells, share))
    summaries = [
        TrackSummary(
            track.name,
            track.theme,
            track.technology,
            members.get(track.pk, []),
            progress.milestone_counts(furthest_by_track.get(track.pk, [])),
        )
        for track in tracks
    ]
    labels = [(str(k.value), str(k.label)) for k in Milestone.Kind]
    return ProgrammeOverview(programme, tracks, participants, summaries, labels)


# Writes: every change to programmes, enrolments and joint projects goes through these.
# Each runs as one audited operation (accounts.audit), in one transaction.


def save_programme(
    user: User,
    form: ProgrammeForm,
    tracks: BaseInlineFormSet[Any, Any, Any],
    programme: Programme | None,
) -> Programme:
    """Create or change a programme with its tracks."""
    action = "update" if programme else "create"
    with audit.operation(user, action, subject=form.instance) as op:
        saved = form.save()
        tracks.instance = saved
        tracks.save()
        op.note(saved.name)
    return saved


def enrol(user: User, form: EnrolmentForm) -> Enrolment:
    """Enrol a municipality in a programme."""
    with audit.operation(user, "enrol", subject=form.instance) as op:
        enrolment = form.save()
        op.note(f"{enrolment.municipality.name} enrolled in {enrolment.programme.name}")
    return enrolment


def record_milestone(user: User, form: MilestoneForm) -> Milestone:
    """Record a milestone an enrolled municipality reached on one of its tracks."""
    with audit.operation(user, "milestone", subject=form.instance) as op:
        milestone = form.save()
        op.note(f"{milestone.track.name}: {milestone.kind} {milestone.reached_on}")
    return milestone


def change_enrolment_status(user: User, form: EnrolmentStatusForm) -> Enrolment:
    """An analyst changes an enrolment's status."""
    with audit.operation(user, "status", subject=form.instance) as op:
        enrolment = form.save()
        op.note(enrolment.status)
    return enrolment


def delete_milestone(user: User, milestone: Milestone) -> None:
    """Remove a milestone recorded by mistake."""
    with audit.operation(user, "delete"):
        milestone.delete()


def save_joint_project(user: User, form: JointProjectForm | JointResultsForm) -> JointProject:
    """Create a joint project (analysts) or change it (analysts, or participants' results)."""
    action = "update" if form.instance.pk else "create"
    with audit.operation(user, action, subject=form.instance) as op:
        project = form.save()
        op.note(project.title)
    return project


def add_joint_document(user: User, form: JointDocumentForm, project: JointProject) -> JointDocument:
    """Share a document on a joint project."""
    document: JointDocument = form.save(commit=False)
    document.project = project
    document.added_on = timezone.localdate()
    with audit.operation(user, "create", summary=document.title):
        document.save()
    return document


def municipality_rows(
    municipalities: Iterable[Municipality] | None = None,
) -> tuple[int | None, list[tuple[Municipality, int | None]]]:
    """The municipalities (all by name when None) with how many technologies each has in
    operation or scaled in the latest round with a published radar (None when there is no
    such round); two queries, counting the answers of the given municipalities only."""
    year = latest_published_year()
    chosen = (
        list(Municipality.objects.select_related("region").order_by("name", "code"))
        if municipalities is None
        else list(municipalities)
    )
    counts: dict[int, int] = {}
    if year is not None:
        answers = Answer.objects.filter(response__round__year=year, stage__in=v.USING_STAGES)
        if municipalities is not None:
            answers = answers.filter(response__municipality_id__in=[m.pk for m in chosen])
        counts = dict(
            answers.values("response__municipality_id")
            .annotate(n=Count("technology_id", distinct=True))
            .values_list("response__municipality_id", "n")
        )
    return year, [(m, counts.get(m.pk, 0) if year else None) for m in chosen]
