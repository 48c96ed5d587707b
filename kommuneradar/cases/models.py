"""The knowledge centre: cases of technology in use, their documented effects, the
people to contact, and the one search behind the list page, the API and the exports."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib.postgres.search import SearchVectorField
from django.db import connection, models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from kommuneradar.accounts import access, audit, personal
from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.core import published
from kommuneradar.places.models import Municipality
from kommuneradar.surveys.models import Dimension

from . import textsearch

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler, _AsSqlType

FTS_TABLE = "cases_case_fts"


@deconstructible(path="kommuneradar.cases.models.PostgresOnly")
class PostgresOnly(models.Func):
    """Its expression on PostgreSQL, an empty string elsewhere. Only migrations 0001 and
    0003 use it (the search vectors were generated columns then)."""

    template = "%(expressions)s"

    def as_sqlite(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        **extra_context: Any,
    ) -> _AsSqlType:
        return "''", ()


# A function in migration 0003: the ids whose search vector matches, always found through
# the GIN index. The planner, blind to the cost of reading long vectors, would otherwise
# scan the whole table for common words, several times slower.
MATCHING_IDS_SQL = "SELECT cases_case_matching(%s::tsquery)"
RANK_SQL = "ts_rank(cases_case.rank_vector, %s::tsquery)"


class CaseQuerySet(models.QuerySet["Case"]):
    def published(self) -> CaseQuerySet:
        return self.filter(state=Case.State.PUBLISHED)

    def matching(self, plan: textsearch.SearchPlan) -> CaseQuerySet:
        """Cases matching a search plan (see `search.plan_for`), best first, annotated with
        `rank` (higher is better). Both databases hold the same stems and get the same plan,
        so they find the same cases: SQLite through FTS5 (BM25, title weighted most),
        PostgreSQL through the GIN index on the tsvector (ts_rank on title, summary and
        keywords)."""
        if not plan.required:
            return self.none()
        if connection.vendor == "postgresql":
            tsquery = textsearch.tsquery_expression(plan)
            # Constant SQL texts; the plan is a bound parameter.
            found = (
                self.filter(id__in=RawSQL(MATCHING_IDS_SQL, [tsquery]))  # noqa: S611
                .annotate(rank=RawSQL(RANK_SQL, [tsquery]))  # noqa: S611
                .order_by("-rank", "-published_at", "-id")
            )
            return found
        # Only constants in the SQL; the stems are a bound, quoted parameter.
        ranked = self.extra(  # noqa: S610
            tables=[FTS_TABLE],
            where=[f"{FTS_TABLE}.rowid = cases_case.id", f"{FTS_TABLE} MATCH %s"],
            params=[textsearch.fts5_expression(plan)],
            select={"rank": f"-bm25({FTS_TABLE}, 10.0, 4.0, 2.0, 1.0, 1.0)"},
            order_by=["-rank", "-id"],
        )
        return cast(CaseQuerySet, ranked)

    def for_technology(self, technology: Technology) -> CaseQuerySet:
        using = Case.technologies.through.objects.filter(technology=technology)
        return self.filter(id__in=using.values("case_id"))

    def involving(self, municipality: Municipality) -> CaseQuerySet:
        """Cases the municipality leads or takes part in (no join, so no duplicates)."""
        partner_of = Case.partner_municipalities.through.objects.filter(
            municipality=municipality
        ).values("case_id")
        return self.filter(Q(lead_municipality=municipality) | Q(id__in=partner_of))


_CaseManagerBase = models.Manager.from_queryset(CaseQuerySet)


class CaseManager(_CaseManagerBase["Case"]):
    """Every query leaves the (PostgreSQL) search vectors in the database: they are only
    read there, by `search`, so no page loads them."""

    def get_queryset(self) -> CaseQuerySet:
        cases = super().get_queryset()
        assert isinstance(cases, CaseQuerySet)
        return cases.defer("search_vector", "rank_vector")


class Case(models.Model):
    """One municipality's story of a technology in use, with documented effects."""

    class Stage(models.TextChoices):
        IDEA = "idea", _("Idea")
        PILOT = "pilot", _("Pilot")
        IN_OPERATION = "in_operation", _("In operation")
        SCALED = "scaled", _("Scaled")
        STOPPED = "stopped", _("Stopped")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Sent back for changes")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1000)
    body = models.TextField(
        _("description"), blank=True, help_text=_("Markdown: headings, lists, links.")
    )
    lessons = models.TextField(_("lessons learned"), blank=True)
    lead_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="led_cases",
        verbose_name=_("municipality"),
        help_text=_("The municipality that owns and maintains the case."),
    )
    partner_municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="partner_cases",
        verbose_name=_("partner municipalities"),
    )
    technologies = models.ManyToManyField(
        Technology, related_name="cases", verbose_name=_("technologies")
    )
    domains = models.ManyToManyField(Domain, related_name="cases", verbose_name=_("domains"))
    stage = models.CharField(_("status"), max_length=20, choices=Stage, default=Stage.PILOT)
    started_on = models.DateField(_("started"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    budget_dkk = models.PositiveIntegerField(_("budget (DKK)"), null=True, blank=True)
    staff_fte = models.DecimalField(
        _("staff (FTE)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    duration_months = models.PositiveSmallIntegerField(
        _("implementation time (months)"), null=True, blank=True
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Where the facts come from, e.g. a newsletter with its date."),
    )
    state = models.CharField(_("workflow state"), max_length=20, choices=State, default=State.DRAFT)
    review_comment = models.TextField(_("comment from the reviewer"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    search_text = models.TextField(
        _("search keywords"),
        blank=True,
        editable=False,
        help_text=_("Technology, domain and municipality names and effects, kept by the app."),
    )
    # PostgreSQL's index of the case, written by indexing.reindex from the same stems as
    # SQLite's FTS5 row (empty on SQLite); rank_vector holds only the short fields.
    search_vector = SearchVectorField(null=True, editable=False)
    rank_vector = SearchVectorField(null=True, editable=False)

    objects = CaseManager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="case_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    @property
    def headline_effect(self) -> Effect | None:
        """The effect marked as headline, else the first; uses prefetched effects."""
        effects = list(self.effects.all())
        marked = [effect for effect in effects if effect.is_headline]
        candidates = marked or effects
        return candidates[0] if candidates else None


class Effect(models.Model):
    """A documented effect: a measured value with its unit, dimension, baseline and result,
    when and how it was measured."""

    Dimension = Dimension

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="effects", verbose_name=_("case")
    )
    description = models.CharField(
        _("what was measured"), max_length=200, help_text=_("E.g. saved licence costs.")
    )
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension)
    value = models.DecimalField(_("effect"), max_digits=14, decimal_places=2)
    unit = models.CharField(
        _("unit"), max_length=60, help_text=_("E.g. DKK a year, visits a week, percentage points.")
    )
    baseline = models.DecimalField(
        _("before (baseline)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    result = models.DecimalField(
        _("after (result)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    measured_on = models.DateField(_("measured on"))
    method = models.CharField(
        _("method of measurement"), max_length=300, help_text=_("E.g. count from the rota system.")
    )
    is_headline = models.BooleanField(_("headline effect"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["-is_headline", "order", "id"]
        verbose_name = _("documented effect")
        verbose_name_plural = _("documented effects")

    def __str__(self) -> str:
        return f"{self.description}: {self.value} {self.unit}"


class ContactPerson(models.Model):
    """Someone who did the work and may be called; shown only with explicit consent."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("case")
    )
    name = models.CharField(_("name"), max_length=120)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    consent_to_publish = models.BooleanField(
        _("has consented to be shown"),
        default=False,
        help_text=_("Tick only when the person has agreed to be shown on the public page."),
    )
    consent_recorded_on = models.DateField(_("consent recorded on"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return self.name


class SearchWord(models.Model):
    """A word that occurs in the indexed text of a case, with its stem: the vocabulary that
    compound words, catalogue terms and spelling slips are matched against. Kept by
    indexing.reindex; a word whose cases are gone stays, which only costs a lookup."""

    word = models.CharField(_("word"), max_length=textsearch.MAX_WORD_LENGTH, unique=True)
    stem = models.CharField(_("stem"), max_length=textsearch.MAX_WORD_LENGTH)

    class Meta:
        ordering = ["word"]
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self) -> str:
        return self.word


# Who may see and change what (accounts.access), and what is audited (accounts.audit).
access.register(
    Case,
    access.municipal_rule(
        "lead_municipality",
        public=Q(state=Case.State.PUBLISHED),
        is_public=lambda case: case.state == Case.State.PUBLISHED,
    ),
)
access.register(
    Effect,
    access.municipal_rule(
        "case__lead_municipality",
        public=Q(case__state=Case.State.PUBLISHED),
        is_public=lambda effect: effect.case.state == Case.State.PUBLISHED,
    ),
)
access.register(
    ContactPerson,
    access.municipal_rule(
        "case__lead_municipality",
        public=Q(case__state=Case.State.PUBLISHED, consent_to_publish=True),
        is_public=lambda contact: (
            contact.consent_to_publish and contact.case.state == Case.State.PUBLISHED
        ),
    ),
)
audit.track(Case, municipality="lead_municipality")
audit.track(Effect, municipality="case__lead_municipality")
audit.track(ContactPerson, municipality="case__lead_municipality")
access.register(SearchWord, access.analyst_rule())
audit.exempt(SearchWord, "derived from the cases' text and rebuilt by indexing; not edited")
personal.register(
    ContactPerson,
    emails=["email"],
    names=["name"],
    other=["job_title", "phone"],
    erase=personal.DELETE,
    purpose="whom other municipalities may contact about a case (shown only with consent)",
)
published.track(Case, Effect, ContactPerson)
