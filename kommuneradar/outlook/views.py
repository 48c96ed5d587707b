"""The outlook page (/fremskrivning/) with its scenario form, and its downloads. Public:
everything it shows is computed from published rounds and published projects."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import render

from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.core.downloads import export_response

from . import exports, presentation, services
from . import projection as pj
from .forms import ScenarioForm

SCENARIO_KEYS = ("fart", "piloter", "program")


def _cleaned_query(query: QueryDict) -> QueryDict:
    """Only the scenario's own parameters, each bounded in number and length."""
    kept = QueryDict(mutable=True)
    for key in SCENARIO_KEYS:
        for value in query.getlist(key)[:50]:
            kept.appendlist(key, value.replace("\x00", "")[:100])
    return kept


def _scenario(
    request: HttpRequest, technologies: list[Technology]
) -> tuple[ScenarioForm, pj.Scenario | None, frozenset[int], str]:
    """The form bound to the query string, the scenario it asks for (None: baseline only,
    also when the form has errors) and the query string that names it."""
    query = _cleaned_query(request.GET)
    form = ScenarioForm(query if query else None, technologies=technologies)
    if not query or not form.is_valid():
        return form, None, frozenset(), ""
    scenario, programme = form.scenario()
    if scenario.speed == 1.0 and not scenario.pilots_adopt and not programme:
        return form, None, frozenset(), ""
    return form, scenario, programme, urlencode(list(query.lists()), doseq=True)


def _page(request: HttpRequest) -> dict[str, Any]:
    technologies = {t.pk: t for t in Technology.objects.order_by("name_da")}
    domains = {d.pk: d for d in Domain.objects.all()}
    form, scenario, programme, query = _scenario(
        request, sorted(technologies.values(), key=lambda technology: technology.name)
    )
    state, baseline, alternative = services.with_scenario(scenario, programme)
    return {
        "state": state,
        "baseline": baseline,
        "alternative": alternative,
        "form": form,
        "query": query,
        "rows": presentation.technology_rows(baseline, alternative, technologies),
        "domain_rows": presentation.domain_rows(baseline, technologies, domains),
        "domain_totals": presentation.domain_totals(baseline, domains),
        "gap_employees": services.GAP_EMPLOYEES,
        "measured_enough": services.MEASURED_ENOUGH,
        "prior_moves": pj.PRIOR_MOVES,
        "resamples": pj.RESAMPLES,
        "band": round(pj.BAND * 100),
        "programme_percent": state.programme_rate,
    }


# While the outlook of newly published figures is being fitted in the background.
FITTING_RETRY_SECONDS = 60


def _fitting(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: the page or file exists again in a minute."""
    response = render(request, "outlook/fitting.html", status=503)
    response.headers["Retry-After"] = str(FITTING_RETRY_SECONDS)
    return response


def outlook_page(request: HttpRequest) -> HttpResponse:
    try:
        return render(request, "outlook/outlook.html", _page(request))
    except services.Fitting:
        return _fitting(request)


def outlook_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    try:
        context = _page(request)
    except services.Fitting:
        return _fitting(request)
    records = exports.technology_records(context["state"], context["rows"])
    return export_response(
        fmt, "fremskrivning-teknologier", exports.TECHNOLOGY_FIELDS, records, "teknologier"
    )


def outlook_domain_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    try:
        context = _page(request)
    except services.Fitting:
        return _fitting(request)
    records = exports.domain_records(context["state"], context["domain_rows"])
    return export_response(
        fmt, "fremskrivning-fagomraader", exports.DOMAIN_FIELDS, records, "fagomraader"
    )
