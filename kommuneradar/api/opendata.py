"""What the open-data page (/data/) lists: every public download with its columns, and every
API endpoint with its fields, read from the OpenAPI document so the page cannot drift from
the API. A download's columns carry the same records as an API response, so each column is
described by the description of the API field of the same name."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from kommuneradar.automation.exports import FIELDS as PROCESS_FIELDS
from kommuneradar.benefits.exports import DASHBOARD_FIELDS, PROJECT_FIELDS
from kommuneradar.cases.exports import FIELDS as CASE_FIELDS
from kommuneradar.core.tabular import Field
from kommuneradar.network.exports import (
    ENROLMENT_FIELDS,
    JOINT_FIELDS,
    MUNICIPALITY_FIELDS,
    PROFILE_TABLES,
)
from kommuneradar.outlook import exports as outlook_exports

DATA_LICENCE = "CC BY 4.0"
DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
CODE_LICENCE = "MIT"

# Spreadsheet columns with no API field of the same name.
EXTRA_COLUMNS: dict[str, str] = {
    "url": gettext_noop("The full address of the page about the row."),
    "headline_effect": gettext_noop("The headline effect (or the first): what was measured."),
    "headline_effect_value": gettext_noop("The headline effect's value."),
    "headline_effect_unit": gettext_noop("The headline effect's unit."),
    "effects_count": gettext_noop("How many documented effects the case has."),
    "partner_municipalities": gettext_noop("Names of partner municipalities."),
    "documents": gettext_noop("Shared documents: title and link."),
    "visibility": gettext_noop(
        "Who may see the process: personal (its owner), municipality (its municipality's "
        "editors and KL) or public (everybody)."
    ),
    "kle_number": gettext_noop("The KLE number of the task (KL's classification of tasks)."),
    "domain": gettext_noop("The policy domain."),
    "automation_share_percent": gettext_noop(
        "The share of the cases the automation is expected to handle, in per cent."
    ),
    "copied_from": gettext_noop("The id of the process this one was copied from (empty if none)."),
    "updated": gettext_noop("The date the row was last changed."),
    "owner": gettext_noop("The process owner; only for its own municipality and KL."),
    "contacts": gettext_noop(
        "Contact persons (name and e-mail); only for the process's own municipality and KL."
    ),
    "internal_notes": gettext_noop(
        "Internal notes; only for the process's own municipality and KL."
    ),
    **outlook_exports.COLUMN_DESCRIPTIONS,
}


@dataclass(frozen=True)
class Download:
    """One public download: where it is, in which formats, and its columns."""

    title: str | Promise
    description: str | Promise
    url_name: str
    example_path: str
    formats: tuple[str, ...]
    schema: str  # the OpenAPI component describing the same records
    columns: list[Field]

    def links(self) -> list[tuple[str, str]]:
        """(format, address) of each format."""
        return [(fmt, self.example_path.replace("{fmt}", fmt)) for fmt in self.formats]


FORMATS = ("csv", "xlsx", "json")

DOWNLOADS: list[Download] = [
    Download(
        _("Knowledge-centre cases"),
        _("Published cases with their headline effect; the search and filters of the page apply."),
        "cases:export",
        "/cases/eksport.{fmt}",
        FORMATS,
        "CaseOut",
        CASE_FIELDS,
    ),
    Download(
        _("Labour-gap dashboard figures"),
        _("Realised and expected FTE freed by technology, domain and region, and the potential."),
        "benefits:dashboard_export",
        "/gevinster/tal.{fmt}",
        FORMATS,
        "FigureOut",
        DASHBOARD_FIELDS,
    ),
    Download(
        _("Implementation projects"),
        _("Published projects with business case and follow-ups; the page's filters apply."),
        "benefits:project_export",
        "/gevinster/projekter/eksport.{fmt}",
        FORMATS,
        "ProjectOut",
        PROJECT_FIELDS,
    ),
    Download(
        _("Automation pipeline"),
        _(
            "Processes in the automation pipeline that the reader may see (public ones for "
            "everybody), with their expected and realised hours; the page's filters apply."
        ),
        "automation:export",
        "/automatisering/eksport.{fmt}",
        FORMATS,
        "ProcessOut",
        PROCESS_FIELDS,
    ),
    Download(
        _("Municipalities"),
        _("The 98 municipalities with population and technologies in use."),
        "network:municipalities_export",
        "/kommuner/eksport.{fmt}",
        FORMATS,
        "MunicipalityOut",
        MUNICIPALITY_FIELDS,
    ),
    *(
        Download(
            title,
            _("One table of a municipality's profile (here Vejle, code 630)."),
            "network:municipality_table",
            f"/kommuner/630/{table}.{{fmt}}",
            FORMATS,
            schema,
            PROFILE_TABLES[table][0],
        )
        for table, title, schema in [
            ("stadier", _("A municipality's stages"), "StageOut"),
            ("sammenligning", _("A municipality against its size group"), "ComparisonOut"),
            ("anbefalinger", _("Recommendations for a municipality"), "RecommendationOut"),
            ("netvaerk", _("A municipality's peers and mentors"), "PeerOut"),
        ]
    ),
    Download(
        _("A municipality's whole profile"),
        _("Everything the profile page shows, as one JSON document (here Vejle, code 630)."),
        "network:municipality_json",
        "/kommuner/630/eksport.{fmt}",
        ("json",),
        "ProfileOut",
        [
            Field(key, key)
            for key in (
                "municipality",
                "survey_year",
                "size_group",
                "stages",
                "comparison",
                "recommendations",
                "network",
                "programmes",
                "joint_projects",
            )
        ],
    ),
    Download(
        _("A partnership programme's enrolments"),
        _("One row per enrolled municipality and track, with milestone dates."),
        "network:programme_export",
        "/partnerskaber/kommunernes-teknologipartnerskab/eksport.{fmt}",
        FORMATS,
        "EnrolmentRowOut",
        ENROLMENT_FIELDS,
    ),
    Download(
        _("Joint projects"),
        _("Projects where several municipalities test one technology together."),
        "network:joint_projects_export",
        "/partnerskaber/projekter/eksport.{fmt}",
        FORMATS,
        "JointProjectOut",
        JOINT_FIELDS,
    ),
    Download(
        _("Outlook to 2030 per technology"),
        _("Projected diffusion and FTE freed by 2030 per technology, with the bands."),
        "outlook:export",
        "/fremskrivning/tal.{fmt}",
        FORMATS,
        "TechnologyOut",
        outlook_exports.TECHNOLOGY_FIELDS,
    ),
    Download(
        _("Outlook to 2030 per technology and domain"),
        _("Projected diffusion and FTE freed by 2030 per technology in each domain."),
        "outlook:domain_export",
        "/fremskrivning/fagomraader.{fmt}",
        FORMATS,
        "DomainOut",
        outlook_exports.DOMAIN_FIELDS,
    ),
]


@dataclass(frozen=True)
class Column:
    name: str
    heading: str
    description: str


@dataclass(frozen=True)
class Parameter:
    name: str
    where: str
    description: str
    required: bool


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    operation_id: str
    summary: str
    description: str
    token: bool
    parameters: list[Parameter]
    response: str  # the component name of its answer ("" when none)
    body: str  # the component name of its request body ("" when none)


@dataclass(frozen=True)
class SchemaFields:
    name: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # name, type, description


def _ref_name(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    for option in schema.get("anyOf", []) + schema.get("allOf", []):
        found = _ref_name(option)
        if found:
            return found
    return ""


def _type_name(schema: dict[str, Any]) -> str:
    ref = _ref_name(schema)
    if "type" in schema:
        kind = schema["type"]
        if kind == "array":
            return f"list of {_type_name(schema.get('items', {}))}"
        return str(kind)
    if ref:
        return ref
    options = [_type_name(option) for option in schema.get("anyOf", [])]
    return " or ".join(option for option in options if option) or "any"


def translated(text: str) -> str:
    """A description from the API's schema in the visitor's language (the Danish catalogue
    holds the descriptions, marked with gettext_noop where they are written)."""
    return gettext(text) if text else ""


def endpoints(document: dict[str, Any]) -> list[Endpoint]:
    """Every operation of the OpenAPI document, in path order."""
    found = []
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.get("responses", {})
            answer = next(
                (
                    _ref_name(body.get("content", {}).get("application/json", {}).get("schema", {}))
                    for status, body in sorted(responses.items())
                    if str(status).startswith("2")
                ),
                "",
            )
            request = operation.get("requestBody", {}).get("content", {})
            body = _ref_name(request.get("application/json", {}).get("schema", {}))
            found.append(
                Endpoint(
                    method=method.upper(),
                    path=path,
                    operation_id=operation.get("operationId", ""),
                    summary=operation.get("summary", ""),
                    description=operation.get("description", ""),
                    token=bool(operation.get("security")),
                    parameters=[
                        Parameter(
                            name=parameter["name"],
                            where=parameter["in"],
                            description=translated(
                                parameter.get("description")
                                or parameter.get("schema", {}).get("description", "")
                            ),
                            required=bool(parameter.get("required")),
                        )
                        for parameter in operation.get("parameters", [])
                    ],
                    response=answer,
                    body=body,
                )
            )
    return found


def schemas(document: dict[str, Any]) -> list[SchemaFields]:
    """Every schema of the document with its fields' types and descriptions."""
    components = document.get("components", {}).get("schemas", {})
    return [
        SchemaFields(
            name,
            [
                (
                    field_name,
                    _type_name(spec),
                    translated(spec.get("description", "")),
                )
                for field_name, spec in component.get("properties", {}).items()
            ],
        )
        for name, component in sorted(components.items())
    ]


def descriptions(document: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Component name -> field name -> description (untranslated)."""
    components = document.get("components", {}).get("schemas", {})
    return {
        name: {
            field_name: spec.get("description", "")
            for field_name, spec in component.get("properties", {}).items()
        }
        for name, component in components.items()
    }


def download_columns(download: Download, document: dict[str, Any]) -> list[Column]:
    """The download's columns with the description of the API field of the same name."""
    described = descriptions(document).get(download.schema, {})
    return [
        Column(
            column.key,
            column.heading,
            translated(described.get(column.key) or EXTRA_COLUMNS.get(column.key, "")),
        )
        for column in download.columns
    ]
