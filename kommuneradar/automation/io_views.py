"""The pipeline's files and saved searches: the export of the list's current filter
(CSV, XLSX, JSON), the upload of an OS2autoproces export, and saving and deleting the
list's filter sets. Thin: parse, ask accounts.access, call one function, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kommuneradar.accounts.access import (
    ADD,
    DELETE,
    AuthenticatedHttpRequest,
    get_or_refuse,
    login_only,
    refuse_unless,
    user_of,
)
from kommuneradar.core.downloads import export_response

from . import exports, importing, os2autoproces, queries, searches
from .io_forms import Os2ImportForm, SavedSearchForm
from .models import Process, SavedSearch


def process_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    user = user_of(request)
    chosen = queries.filters_from(request.GET, request.GET.getlist("fase"))
    processes, _problem = queries.find_processes(user, chosen)
    base_url = request.build_absolute_uri("/").rstrip("/")
    rows = exports.records(processes, user, base_url)
    spreadsheet = [exports.labelled(row) for row in rows] if fmt != "json" else rows
    filters: dict[str, str | list[str]] = dict(chosen.as_query())
    filters["fase"] = chosen.phases
    document = {"filters": filters, "count": len(rows), "processes": rows}
    return export_response(
        fmt, "automatisering-processer", exports.FIELDS, spreadsheet, "processer", document
    )


@login_only
@require_http_methods(["GET", "POST"])
def process_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_analyst:
        refuse_unless(user, ADD, Process(municipality=user.municipality, owner=user))
    form = Os2ImportForm(request.POST or None, request.FILES or None, user=user)
    result = None
    if request.method == "POST" and form.is_valid():
        municipality = form.cleaned_data.get("municipality") or user.municipality
        assert municipality is not None  # refuse_unless above: an editor has one
        upload = form.cleaned_data["file"]
        result = importing.import_os2autoproces(upload.file, upload.name or "", municipality, user)
        if result.ok:
            form = Os2ImportForm(user=user)
    status = 400 if request.method == "POST" and not (result and result.ok) else 200
    return render(
        request,
        "automation/import.html",
        {
            "form": form,
            "result": result,
            "required": os2autoproces.REQUIRED_HEADINGS,
            "read": os2autoproces.READ_HEADINGS,
        },
        status=status,
    )


def _list_url(query: str) -> str:
    url = reverse("automation:list")
    return f"{url}?{query}" if query else url


@login_only
@require_POST
def saved_search_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SavedSearchForm(request.POST)
    query = searches.clean_query(str(request.POST.get("query", "")))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(_list_url(query))
    try:
        search = searches.save_search(
            request.user, form.cleaned_data["name"], form.cleaned_data["query"]
        )
    except searches.TooMany:
        messages.error(
            request,
            _("You have %(count)s saved searches; delete one before you save another.")
            % {"count": searches.MAX_SEARCHES},
        )
        return redirect(_list_url(query))
    messages.success(request, _("The search “%(name)s” was saved.") % {"name": search.name})
    return redirect(search.get_absolute_url())


@login_only
@require_POST
def saved_search_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    search: SavedSearch = get_or_refuse(SavedSearch.objects, request.user, DELETE, pk=pk)
    name = search.name
    searches.delete_search(request.user, search)
    messages.success(request, _("The search “%(name)s” was deleted.") % {"name": name})
    return redirect("automation:list")
