"""The permission matrix: one row per URL name and per API operation id, saying who may
read it, what private values each actor sees there, and who may change data through it.

`tests/security/test_permission_matrix.py` walks the URL resolver and the OpenAPI
document and fails for any route or operation without a row here, then tries every row
as each actor on the data of `tests/security/world.py` (Vejle owns it).

**Adding a row.** Name the route (`"app:name"`, as in `reverse`) or the operation id (from
`/api/openapi.json`) and give it a `Route`:

- `read`: what a GET answers. `Read(kind, ...)` with `kind` PUBLIC (no private value for
  anyone), PRIVATE (unpublished data) or PERSONAL (names, e-mails), the `expect`ed answer
  per actor (default: everyone OK), and `shows`: which marker of `world.MARKERS` each
  actor finds in the body. Every marker not listed must be absent for every actor.
  `NO_GET` for a route that only takes POST.
- `write`: what a POST (PUT, PATCH, DELETE for API operations) does. `Write(expect, data)`
  with the answer per actor: OK (a 2xx/3xx answer and the change is made: by default
  an audit entry is written, or `changed(world)` says so), or a refusal (nothing changes).
  `None` for a read-only route: a POST to it must change nothing.

`kwargs(world)` gives the URL parameters (a format parameter is tried in every format);
`HELD` in a parameter stands for a key only the respondent holds (the survey link): the
respondent gets the real one, everyone else a forged one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import data as d
from .world import World

# The actors, and what each one is.
ANONYMOUS = "anonymous"
RESPONDENT = "respondent"  # holds Vejle's survey link; otherwise anonymous
OWN = "own_editor"  # an editor of Vejle, which owns the data
OTHER = "other_editor"  # an editor of Aarhus
ANALYST = "analyst"
ADMIN = "admin"
ACTORS = (ANONYMOUS, RESPONDENT, OWN, OTHER, ANALYST, ADMIN)

# The answers.
OK = "ok"  # 2xx or 3xx (not to the login page); for a write, the change is made
LOGIN = "login"  # redirected to settings.LOGIN_URL, nothing changed
NOT_FOUND = "404"  # invisible to the actor
FORBIDDEN = "403"  # visible, not changeable
UNAUTHORIZED = "401"  # API without credentials
BAD_REQUEST = "400"  # refused by the form, e.g. another municipality's row in an import
NOT_ALLOWED = "405"  # method not allowed
UNCHANGED = "unchanged"  # any answer but a 5xx, and nothing of the project's data changes

PUBLIC = "public"
PRIVATE = "private"
PERSONAL = "personal"

Outcomes = Mapping[str, str]

HELD = d.HELD


def who(
    *,
    anonymous: str = LOGIN,
    respondent: str | None = None,
    own: str,
    other: str,
    analyst: str = OK,
    admin: str | None = None,
) -> dict[str, str]:
    """Answers per actor; the respondent answers as anonymous, the admin as the analyst,
    unless said otherwise."""
    return {
        ANONYMOUS: anonymous,
        RESPONDENT: anonymous if respondent is None else respondent,
        OWN: own,
        OTHER: other,
        ANALYST: analyst,
        ADMIN: analyst if admin is None else admin,
    }


EVERYONE = who(anonymous=OK, own=OK, other=OK)
LOGGED_IN = who(own=OK, other=OK)
# Rounds and programmes are public objects that only analysts change: 403 for editors.
ANALYSTS_CHANGE = who(own=FORBIDDEN, other=FORBIDDEN)
# Analyst-only objects (invitations, users): invisible to editors.
ANALYSTS_SEE = who(own=NOT_FOUND, other=NOT_FOUND)
# Vejle's data: unpublished (invisible to others) or published (visible, not changeable).
OWNERS_UNPUBLISHED = who(own=OK, other=NOT_FOUND)
# ... on a public page, where anonymous visitors get the 404 and not the login page.
OWNERS_UNPUBLISHED_PUBLIC_PAGE = who(anonymous=NOT_FOUND, own=OK, other=NOT_FOUND)
OWNERS_PUBLISHED = who(own=OK, other=FORBIDDEN)
ALL_UNCHANGED = {actor: UNCHANGED for actor in ACTORS}

OWNERS_AND_ANALYSTS = frozenset({OWN, ANALYST, ADMIN})
ANALYSTS = frozenset({ANALYST, ADMIN})


def _none(world: World) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Read:
    kind: str
    kwargs: Callable[[World], dict[str, Any]] = _none
    expect: Outcomes = field(default_factory=lambda: dict(EVERYONE))
    shows: Mapping[str, frozenset[str]] = field(default_factory=dict)
    query: str = ""


@dataclass(frozen=True)
class Write:
    expect: Outcomes
    kwargs: Callable[[World], dict[str, Any]] = _none
    data: Callable[[World], dict[str, Any]] = _none
    # Whether the change was made; by default, whether an audit entry was written.
    changed: Callable[[World], bool] | None = None
    method: str = "post"


# Routes that only take POST: a GET answers 405 (after the login check, when there is one).
NO_GET = Read(kind=PUBLIC, expect={actor: NOT_ALLOWED for actor in ACTORS})
POST_AFTER_LOGIN = who(own=NOT_ALLOWED, other=NOT_ALLOWED, analyst=NOT_ALLOWED)
POST_FOR_ANALYSTS = who(own=NOT_FOUND, other=NOT_FOUND, analyst=NOT_ALLOWED)


@dataclass(frozen=True)
class Route:
    read: Read
    write: Write | None = None
    # Further writes through the same route (another action of the same form).
    more: tuple[Write, ...] = ()

    def writes(self) -> tuple[Write, ...]:
        return ((self.write,) if self.write else ()) + self.more

    def read_kwargs(self, world: World) -> dict[str, Any]:
        """The read's URL parameters; a POST-only route's GET takes the write's."""
        if self.read.kwargs is _none and self.write is not None:
            return self.write.kwargs(world)
        return self.read.kwargs(world)


# What the whole audit trail shows: entries about the owner's unpublished objects.
AUDIT_SHOWS: Mapping[str, frozenset[str]] = {}

# The rows ------------------------------------------------------------------------------

PAGES: dict[str, Route] = {
    # core
    "favicon": Route(Read(PUBLIC)),
    "robots_txt": Route(Read(PUBLIC)),
    "accessibility": Route(Read(PUBLIC)),
    "set_language": Route(Read(PUBLIC), Write(ALL_UNCHANGED, data=d.language)),
    "api-v1:openapi-json": Route(Read(PUBLIC)),
    "api-v1:openapi-view": Route(Read(PUBLIC)),
    "api-v1:api-root": Route(Read(PUBLIC, expect={actor: NOT_FOUND for actor in ACTORS})),
    # a path under /api/v1/ that is no operation: a JSON 404; the unversioned paths redirect
    "api_unknown": Route(
        Read(PUBLIC, kwargs=d.api_unknown, expect={actor: NOT_FOUND for actor in ACTORS})
    ),
    "api_unversioned": Route(Read(PUBLIC, kwargs=d.api_unversioned)),
    "open_data": Route(Read(PUBLIC)),
    # accounts: the login path is covered end to end by tests/accounts and the browser tests;
    # here it must only never change anyone else's data.
    "accounts:login": Route(Read(PUBLIC), Write(ALL_UNCHANGED, data=d.login)),
    "accounts:landing": Route(Read(PUBLIC, expect=LOGGED_IN)),
    "accounts:logout": Route(NO_GET, Write(ALL_UNCHANGED)),
    "accounts:password_change": Route(
        Read(PUBLIC, expect=LOGGED_IN),
        Write(LOGGED_IN, data=d.password_change),
    ),
    "accounts:password_change_done": Route(Read(PUBLIC, expect=LOGGED_IN)),
    "accounts:password_reset": Route(Read(PUBLIC), Write(ALL_UNCHANGED, data=d.reset)),
    "accounts:password_reset_done": Route(Read(PUBLIC)),
    "accounts:password_reset_confirm": Route(
        Read(PUBLIC, kwargs=d.forged_reset), Write(ALL_UNCHANGED, kwargs=d.forged_reset)
    ),
    "accounts:password_reset_complete": Route(Read(PUBLIC)),
    "accounts:workspace": Route(
        Read(
            PRIVATE,
            expect=LOGGED_IN,
            query="?kommune=630",
            shows={
                "draft_case": OWNERS_AND_ANALYSTS,
                "submitted_case": OWNERS_AND_ANALYSTS,
                "draft_project": OWNERS_AND_ANALYSTS,
                # the municipality's own survey contact, beside its survey status
                "survey_contact": OWNERS_AND_ANALYSTS,
            },
        )
    ),
    "accounts:users": Route(
        Read(
            PERSONAL,
            expect=ANALYSTS_SEE,
            shows={"editor_name": ANALYSTS, "editor_email": ANALYSTS},
        )
    ),
    "accounts:invite": Route(
        Read(PUBLIC, expect=POST_FOR_ANALYSTS),
        Write(ANALYSTS_SEE, data=d.invite, changed=d.invited),
    ),
    "accounts:set_active": Route(
        Read(
            PUBLIC,
            kwargs=d.bystander,
            expect=POST_FOR_ANALYSTS,
        ),
        Write(ANALYSTS_SEE, kwargs=d.bystander, changed=d.bystander_deactivated),
    ),
    # personal API tokens: everyone signed in keeps their own; nobody sees another's
    "accounts:tokens": Route(
        Read(PRIVATE, expect=LOGGED_IN),
        Write(LOGGED_IN, data=d.token_name),
    ),
    "accounts:token_revoke": Route(
        Read(PUBLIC, kwargs=d.own_token, expect=POST_AFTER_LOGIN),
        Write(
            who(own=OK, other=NOT_FOUND, analyst=NOT_FOUND),
            kwargs=d.own_token,
            changed=d.own_token_revoked,
        ),
    ),
    "accounts:accept": Route(
        Read(PUBLIC, kwargs=d.forged_token, expect={actor: NOT_FOUND for actor in ACTORS}),
        Write(ALL_UNCHANGED, kwargs=d.forged_token),
    ),
    # the audit trail: read-only for everyone; editors see their own municipality's objects
    "accounts:audit_trail": Route(Read(PRIVATE, expect=LOGGED_IN, shows=AUDIT_SHOWS)),
    "accounts:audit_object": Route(
        Read(
            PRIVATE,
            kwargs=d.draft_case_history,
            expect=OWNERS_UNPUBLISHED,
            shows={"draft_case": OWNERS_AND_ANALYSTS},
        )
    ),
    "accounts:audit_user": Route(
        Read(
            PERSONAL,
            kwargs=d.bystander,
            expect=ANALYSTS_SEE,
            shows={"editor_name": ANALYSTS},
        )
    ),
    "accounts:privacy": Route(Read(PUBLIC)),
    # the automation pipeline: Vejle's public process (its notes and people stay Vejle's),
    # one shared only within Vejle, and an umbrella Vejle leads
    "automation:list": Route(Read(PRIVATE, shows={"shared_process": OWNERS_AND_ANALYSTS})),
    "automation:create": Route(
        Read(PUBLIC, expect=LOGGED_IN),
        Write(LOGGED_IN, data=d.process, changed=d.process_created),
    ),
    "automation:process": Route(
        Read(
            PRIVATE,
            kwargs=d.public_process,
            shows={
                "process_notes": OWNERS_AND_ANALYSTS,
                "process_contact": OWNERS_AND_ANALYSTS,
            },
        )
    ),
    "automation:edit": Route(
        Read(
            PRIVATE,
            kwargs=d.public_process,
            expect=OWNERS_PUBLISHED,
            shows={
                "process_notes": OWNERS_AND_ANALYSTS,
                "process_contact": OWNERS_AND_ANALYSTS,
            },
        ),
        Write(OWNERS_PUBLISHED, kwargs=d.public_process, data=d.process_edit),
    ),
    "automation:assessment": Route(
        Read(PUBLIC, kwargs=d.public_process, expect=OWNERS_PUBLISHED),
        Write(OWNERS_PUBLISHED, kwargs=d.public_process, data=d.assessment),
    ),
    "automation:measurement": Route(
        Read(PUBLIC, kwargs=d.public_process, expect=OWNERS_PUBLISHED),
        Write(OWNERS_PUBLISHED, kwargs=d.public_process, data=d.measurement),
    ),
    # copying into one's own pipeline: another municipality may; the owner and KL's
    # analysts (no municipality of their own) are refused
    "automation:copy": Route(
        Read(PUBLIC, kwargs=d.public_process, expect=POST_AFTER_LOGIN),
        Write(
            who(own=FORBIDDEN, other=OK, analyst=FORBIDDEN),
            kwargs=d.public_process,
            changed=d.process_copied,
        ),
    ),
    # a file not shared is Vejle's alone, even on its public process
    "automation:attachment": Route(
        Read(
            PRIVATE,
            kwargs=d.attachment,
            expect=OWNERS_UNPUBLISHED_PUBLIC_PAGE,
            shows={"attachment_text": OWNERS_AND_ANALYSTS},
        )
    ),
    "automation:attachment_add": Route(
        Read(PUBLIC, kwargs=d.public_process, expect=OWNERS_PUBLISHED),
        Write(OWNERS_PUBLISHED, kwargs=d.public_process, data=d.attachment_file),
    ),
    "automation:umbrellas": Route(Read(PUBLIC)),
    "automation:umbrella": Route(Read(PUBLIC, kwargs=d.umbrella)),
    "automation:umbrella_create": Route(
        Read(PUBLIC, expect=LOGGED_IN),
        Write(LOGGED_IN, data=d.umbrella_data, changed=d.umbrella_created),
    ),
    "automation:umbrella_edit": Route(
        Read(PUBLIC, kwargs=d.umbrella, expect=OWNERS_PUBLISHED),
        Write(OWNERS_PUBLISHED, kwargs=d.umbrella, data=d.umbrella_edit),
    ),
    # benefits
    "benefits:dashboard": Route(Read(PUBLIC)),
    "benefits:dashboard_export": Route(Read(PUBLIC)),
    "benefits:projects": Route(Read(PRIVATE, shows={"draft_project": OWNERS_AND_ANALYSTS})),
    "benefits:project_export": Route(Read(PRIVATE, shows={"draft_project": OWNERS_AND_ANALYSTS})),
    "benefits:project_create": Route(
        Read(
            PRIVATE,
            expect=LOGGED_IN,
            shows={"draft_case": frozenset({OWN}), "submitted_case": frozenset({OWN})},
        ),
        Write(LOGGED_IN, data=d.project, changed=d.project_created),
    ),
    "benefits:project_import": Route(
        Read(PUBLIC, expect=LOGGED_IN),
        # The file holds a Vejle project: Aarhus' editor is refused by the import's check.
        Write({**LOGGED_IN, OTHER: BAD_REQUEST}, data=d.project_import, changed=d.project_imported),
    ),
    "benefits:project": Route(
        Read(
            PRIVATE,
            kwargs=d.draft_project,
            expect=OWNERS_UNPUBLISHED_PUBLIC_PAGE,
            shows={"draft_project": OWNERS_AND_ANALYSTS},
        )
    ),
    "benefits:project_edit": Route(
        Read(
            PRIVATE,
            kwargs=d.draft_project,
            expect=OWNERS_UNPUBLISHED,
            shows={
                "draft_project": OWNERS_AND_ANALYSTS,
                "draft_case": frozenset({OWN, ANALYST, ADMIN}),
                "submitted_case": frozenset({OWN, ANALYST, ADMIN}),
            },
        ),
        Write(OWNERS_PUBLISHED, kwargs=d.published_project, data=d.project_edit),
    ),
    "benefits:follow_up_create": Route(
        Read(
            PRIVATE,
            kwargs=d.draft_project,
            expect=OWNERS_UNPUBLISHED,
            shows={"draft_project": OWNERS_AND_ANALYSTS},
        ),
        Write(OWNERS_PUBLISHED, kwargs=d.published_project, data=d.follow_up),
    ),
    # cases
    "cases:list": Route(Read(PUBLIC)),
    "cases:export": Route(Read(PUBLIC)),
    "cases:workspace": Route(
        Read(
            PRIVATE,
            expect=LOGGED_IN,
            shows={"draft_case": OWNERS_AND_ANALYSTS, "submitted_case": OWNERS_AND_ANALYSTS},
        )
    ),
    "cases:new": Route(Read(PUBLIC, expect=LOGGED_IN)),
    "cases:create": Route(
        Read(PUBLIC, kwargs=d.vejle_slug, expect=OWNERS_PUBLISHED),
        Write(OWNERS_PUBLISHED, kwargs=d.vejle_slug, data=d.case, changed=d.case_created),
    ),
    "cases:detail": Route(
        Read(
            PRIVATE,
            kwargs=d.draft_case,
            expect=OWNERS_UNPUBLISHED_PUBLIC_PAGE,
            shows={"draft_case": OWNERS_AND_ANALYSTS},
        )
    ),
    "cases:edit": Route(
        Read(
            PERSONAL,
            kwargs=d.published_case,
            expect=who(own=FORBIDDEN, other=FORBIDDEN),
            shows={"case_contact": ANALYSTS},
        ),
        Write(OWNERS_UNPUBLISHED, kwargs=d.draft_case, data=d.case),
        # A published case: only analysts may still edit it (the workflow's 403 for its owner).
        more=(Write(who(own=FORBIDDEN, other=FORBIDDEN), kwargs=d.published_case, data=d.case),),
    ),
    "cases:submit": Route(
        Read(
            PUBLIC,
            kwargs=d.draft_case,
            expect=POST_AFTER_LOGIN,
        ),
        Write(OWNERS_UNPUBLISHED, kwargs=d.draft_case),
    ),
    "cases:review": Route(
        Read(
            PRIVATE,
            kwargs=d.submitted_case,
            expect=who(own=FORBIDDEN, other=NOT_FOUND),
            shows={"submitted_case": ANALYSTS},
        ),
        Write(who(own=FORBIDDEN, other=NOT_FOUND), kwargs=d.submitted_case, data=d.review),
        more=(
            Write(who(own=FORBIDDEN, other=NOT_FOUND), kwargs=d.submitted_case, data=d.send_back),
        ),
    ),
    # network
    "network:municipalities": Route(Read(PUBLIC)),
    "network:municipalities_export": Route(Read(PUBLIC)),
    # The profile lists the projects the visitor may see: unpublished ones for their owners.
    "network:municipality": Route(
        Read(PRIVATE, kwargs=d.vejle_code, shows={"draft_project": OWNERS_AND_ANALYSTS})
    ),
    "network:municipality_json": Route(Read(PUBLIC, kwargs=d.vejle_code)),
    "network:municipality_table": Route(Read(PUBLIC, kwargs=d.vejle_table)),
    "network:programmes": Route(Read(PUBLIC)),
    "network:programme": Route(
        Read(
            PERSONAL,
            kwargs=d.programme,
            shows={
                "enrolment_contact": OWNERS_AND_ANALYSTS,
                "enrolment_email": OWNERS_AND_ANALYSTS,
            },
        )
    ),
    "network:programme_export": Route(Read(PUBLIC, kwargs=d.programme)),
    "network:programme_new": Route(
        Read(PUBLIC, expect=ANALYSTS_CHANGE),
        Write(ANALYSTS_CHANGE, data=d.programme_data),
    ),
    "network:programme_edit": Route(
        Read(PUBLIC, kwargs=d.programme, expect=ANALYSTS_CHANGE),
        Write(ANALYSTS_CHANGE, kwargs=d.programme, data=d.programme_edit),
    ),
    "network:enrol": Route(
        Read(PUBLIC, kwargs=d.second_programme, expect=LOGGED_IN),
        Write(LOGGED_IN, kwargs=d.second_programme, data=d.enrolment_data),
    ),
    "network:enrolment": Route(
        Read(
            PERSONAL,
            kwargs=d.enrolment,
            expect=OWNERS_UNPUBLISHED,
            shows={
                "enrolment_contact": OWNERS_AND_ANALYSTS,
                "enrolment_email": OWNERS_AND_ANALYSTS,
            },
        ),
        Write(OWNERS_UNPUBLISHED, kwargs=d.enrolment, data=d.milestone),
        # Only analysts set an enrolment's status: the owner is refused with 403.
        more=(
            Write(
                who(own=FORBIDDEN, other=NOT_FOUND),
                kwargs=d.enrolment,
                data=d.enrolment_status,
            ),
        ),
    ),
    "network:milestone_delete": Route(
        Read(
            PUBLIC,
            kwargs=d.milestone_delete,
            expect=POST_AFTER_LOGIN,
        ),
        Write(OWNERS_UNPUBLISHED, kwargs=d.milestone_delete),
    ),
    "network:joint_project_new": Route(
        Read(PUBLIC, expect=ANALYSTS_CHANGE),
        Write(ANALYSTS_CHANGE, data=d.joint_project),
    ),
    "network:joint_projects_export": Route(Read(PUBLIC)),
    "network:joint_project": Route(Read(PUBLIC, kwargs=d.joint)),
    "network:joint_project_edit": Route(
        Read(PUBLIC, kwargs=d.joint, expect=OWNERS_PUBLISHED),
        Write(OWNERS_PUBLISHED, kwargs=d.joint, data=d.joint_results),
    ),
    "network:joint_document_add": Route(
        Read(
            PUBLIC,
            kwargs=d.joint,
            expect=POST_AFTER_LOGIN,
        ),
        Write(OWNERS_PUBLISHED, kwargs=d.joint, data=d.joint_document),
    ),
    # the outlook to 2030: public figures from published data
    "outlook:outlook": Route(Read(PUBLIC)),
    "outlook:export": Route(Read(PUBLIC)),
    "outlook:domain_export": Route(Read(PUBLIC)),
    # radar
    "radar:home": Route(Read(PUBLIC)),
    "radar:overall": Route(Read(PUBLIC, kwargs=d.published_year)),
    "radar:domain": Route(Read(PUBLIC, kwargs=d.published_domain)),
    # exports of published editions for other radar tools; editorial radars imported from them
    "radar:exports": Route(Read(PUBLIC, kwargs=d.published_domain)),
    "radar:export": Route(Read(PUBLIC, kwargs=d.published_domain)),
    "radar:editorial_list": Route(Read(PUBLIC)),
    "radar:editorial_import": Route(
        Read(PUBLIC, expect=ANALYSTS_SEE), Write(ANALYSTS_SEE, data=d.editorial_file)
    ),
    "radar:editorial": Route(Read(PUBLIC, kwargs=d.editorial)),
    "radar:editorial_edition": Route(Read(PUBLIC, kwargs=d.editorial_edition)),
    "radar:editorial_export": Route(Read(PUBLIC, kwargs=d.editorial_export)),
    "radar:technology": Route(
        Read(PRIVATE, kwargs=d.technology, shows={"draft_project": OWNERS_AND_ANALYSTS})
    ),
    "radar:publication": Route(
        Read(PRIVATE, kwargs=d.open_year, expect=ANALYSTS_CHANGE),
        Write(ANALYSTS_CHANGE, kwargs=d.open_year, data=d.override),
        more=(
            Write(ANALYSTS_CHANGE, kwargs=d.open_year, data=d.compute),
            Write(ANALYSTS_CHANGE, kwargs=d.published_year, data=d.publish),
        ),
    ),
    # the story of an edition: introduction, contact and ring reasons, by analysts only
    "radar:story": Route(
        Read(PUBLIC, kwargs=d.published_year, expect=ANALYSTS_CHANGE),
        Write(ANALYSTS_CHANGE, kwargs=d.published_year, data=d.story),
        more=(Write(ANALYSTS_CHANGE, kwargs=d.published_year, data=d.ring_reason),),
    ),
    "radar:method": Route(Read(PUBLIC, kwargs=d.published_domain)),
    "radar:report": Route(Read(PUBLIC, kwargs=d.published_year)),
    # a published round changes only through a correction with its note: analysts only
    "radar:correction": Route(
        Read(PUBLIC, kwargs=d.published_year, expect=ANALYSTS_CHANGE),
        Write(ANALYSTS_CHANGE, kwargs=d.published_year, data=d.correction),
    ),
    # surveys
    "surveys:questionnaire": Route(
        Read(
            PRIVATE,
            kwargs=d.held_token,
            expect={**{a: NOT_FOUND for a in ACTORS}, RESPONDENT: OK},
            shows={"open_answer": frozenset({RESPONDENT})},
        ),
        Write(
            {**{a: NOT_FOUND for a in ACTORS}, RESPONDENT: OK},
            kwargs=d.held_token,
            data=d.questionnaire,
        ),
    ),
    "surveys:rounds": Route(
        Read(PUBLIC, expect=ANALYSTS_CHANGE), Write(ANALYSTS_CHANGE, data=d.new_round)
    ),
    "surveys:template": Route(Read(PUBLIC)),
    "surveys:round": Route(
        Read(
            PERSONAL,
            kwargs=d.open_year,
            expect=ANALYSTS_CHANGE,
            shows={"survey_contact": ANALYSTS, "survey_email": ANALYSTS},
            query="?q=Vejle",  # the page lists 100 pairs at a time, by name
        )
    ),
    "surveys:export": Route(
        Read(
            PERSONAL,
            kwargs=d.open_year,
            expect=ANALYSTS_CHANGE,
            shows={"survey_contact": ANALYSTS, "survey_email": ANALYSTS},
        )
    ),
    "surveys:status": Route(NO_GET, Write(ANALYSTS_CHANGE, kwargs=d.open_year, data=d.close_round)),
    "surveys:send": Route(NO_GET, Write(ANALYSTS_CHANGE, kwargs=d.open_year)),
    "surveys:invitation": Route(
        Read(
            PERSONAL,
            kwargs=d.invitation,
            expect=ANALYSTS_SEE,
            shows={"survey_contact": ANALYSTS, "survey_email": ANALYSTS},
        ),
        Write(ANALYSTS_SEE, kwargs=d.invitation, data=d.recipient),
    ),
    "surveys:invitation_action": Route(
        NO_GET,
        Write(ANALYSTS_SEE, kwargs=d.invitation, data=d.revoke),
        more=(Write(ANALYSTS_SEE, kwargs=d.invitation, data=d.reissue),),
    ),
    "surveys:reopen": Route(NO_GET, Write(ANALYSTS_SEE, kwargs=d.submitted_response)),
    "surveys:import": Route(
        Read(PUBLIC, kwargs=d.open_year, expect=ANALYSTS_CHANGE),
        Write(ANALYSTS_CHANGE, kwargs=d.open_year, data=d.answers_file),
    ),
    # a background job's page and its progress as JSON: its starter, and for a round's
    # job every analyst (who may start it); the problems quote the file
    "surveys:job": Route(
        Read(PRIVATE, kwargs=d.job, expect=ANALYSTS_SEE, shows={"open_answer": ANALYSTS})
    ),
    "surveys:job_status": Route(Read(PRIVATE, kwargs=d.job, expect=ANALYSTS_SEE)),
    # starting a failed job again and cancelling a queued one: the same people (the job's
    # starter while an analyst, and every analyst); editors do not see a round's job
    "surveys:job_retry": Route(NO_GET, Write(ANALYSTS_SEE, kwargs=d.failed_job)),
    "surveys:job_cancel": Route(NO_GET, Write(ANALYSTS_SEE, kwargs=d.queued_job)),
    "surveys:ratings": Route(
        Read(PUBLIC, kwargs=d.open_year, expect=ANALYSTS_CHANGE),
        Write(ANALYSTS_CHANGE, kwargs=d.open_year, data=d.rating),
    ),
    # automation: the pipeline's files and saved searches
    # the list's filter as a file: the notes and people of Vejle's public process only for
    # Vejle and the analysts, its shared process not for other municipalities
    "automation:export": Route(
        Read(
            PRIVATE,
            shows={
                "shared_process": OWNERS_AND_ANALYSTS,
                "process_notes": OWNERS_AND_ANALYSTS,
                "process_contact": OWNERS_AND_ANALYSTS,
            },
        )
    ),
    "automation:import": Route(
        Read(PUBLIC, expect=LOGGED_IN),
        # The file holds a Vejle process: Aarhus' editor is refused by the import's check.
        Write({**LOGGED_IN, OTHER: BAD_REQUEST}, data=d.os2_import, changed=d.os2_imported),
    ),
    "automation:saved_search_create": Route(
        Read(PUBLIC, expect=POST_AFTER_LOGIN), Write(LOGGED_IN, data=d.saved_search)
    ),
    # a saved search is its owner's alone: not even an analyst sees another's
    "automation:saved_search_delete": Route(
        Read(PUBLIC, kwargs=d.own_saved_search, expect=POST_AFTER_LOGIN),
        Write(
            who(own=OK, other=NOT_FOUND, analyst=NOT_FOUND),
            kwargs=d.own_saved_search,
            changed=d.own_saved_search_deleted,
        ),
    ),
}

# The API (v1): reads answer every caller as the public (docs/security.md); writes take a
# personal token (no token: 401) and follow the pages' rules for the token's user.
API_LOGGED_IN = who(anonymous=UNAUTHORIZED, own=OK, other=FORBIDDEN)
API_OWNERS_UNPUBLISHED = who(anonymous=UNAUTHORIZED, own=OK, other=NOT_FOUND)
API_OWNERS_PUBLISHED = who(anonymous=UNAUTHORIZED, own=OK, other=FORBIDDEN)
API_ANALYSTS_ONLY = who(anonymous=UNAUTHORIZED, own=FORBIDDEN, other=NOT_FOUND)

API: dict[str, Route] = {
    "health": Route(Read(PUBLIC)),
    "list_editions": Route(Read(PUBLIC)),
    "get_edition": Route(Read(PUBLIC, kwargs=d.published_domain)),
    "export_edition": Route(Read(PUBLIC, kwargs=d.published_domain, query="?format=byor-json")),
    "list_technologies": Route(Read(PUBLIC)),
    "get_technology": Route(Read(PUBLIC, kwargs=d.api_technology)),
    "list_municipalities": Route(Read(PUBLIC)),
    "get_municipality": Route(Read(PUBLIC, kwargs=d.vejle_code)),
    "list_programmes": Route(Read(PUBLIC)),
    "get_programme": Route(Read(PUBLIC, kwargs=d.programme)),
    "list_joint_projects": Route(Read(PUBLIC)),
    "list_cases": Route(Read(PUBLIC)),
    "get_case": Route(Read(PUBLIC, kwargs=d.api_case, expect={a: NOT_FOUND for a in ACTORS})),
    "list_projects": Route(Read(PUBLIC)),
    "benefits_summary": Route(Read(PUBLIC)),
    "list_rounds": Route(Read(PUBLIC)),
    "list_processes": Route(Read(PUBLIC)),
    "get_process": Route(Read(PUBLIC, kwargs=d.api_process)),
    "kommuneradar_outlook_api_outlook": Route(Read(PUBLIC)),
    "kommuneradar_outlook_api_technology": Route(Read(PUBLIC, kwargs=d.technology)),
    # writes: Vejle's editor writes Vejle's data, Aarhus' editor is refused
    "create_case": Route(
        NO_GET,
        Write(API_LOGGED_IN, data=d.api_new_case, changed=d.api_case_created),
    ),
    "update_case": Route(
        NO_GET,
        Write(API_OWNERS_UNPUBLISHED, kwargs=d.api_case, data=d.api_title, method="patch"),
        more=(
            # a published case: only analysts may still change it, as on the page
            Write(
                who(anonymous=UNAUTHORIZED, own=FORBIDDEN, other=FORBIDDEN),
                kwargs=d.api_published_case,
                data=d.api_title,
                method="patch",
            ),
        ),
    ),
    "submit_case": Route(
        NO_GET, Write(API_OWNERS_UNPUBLISHED, kwargs=d.api_case, data=d.api_nothing)
    ),
    "create_project": Route(
        NO_GET,
        Write(API_LOGGED_IN, data=d.api_new_project, changed=d.api_project_created),
    ),
    "update_project": Route(
        NO_GET,
        Write(API_OWNERS_PUBLISHED, kwargs=d.api_project, data=d.api_title, method="patch"),
    ),
    "create_follow_up": Route(
        NO_GET, Write(API_OWNERS_PUBLISHED, kwargs=d.api_project, data=d.api_follow_up)
    ),
    "create_enrolment": Route(
        NO_GET, Write(API_LOGGED_IN, kwargs=d.api_programme, data=d.api_enrol)
    ),
    "update_enrolment_status": Route(
        NO_GET,
        Write(API_ANALYSTS_ONLY, kwargs=d.api_enrolment, data=d.api_status, method="patch"),
    ),
    "create_milestone": Route(
        NO_GET,
        Write(API_OWNERS_UNPUBLISHED, kwargs=d.api_enrolment, data=d.api_new_milestone),
    ),
    "delete_milestone": Route(
        NO_GET,
        Write(API_OWNERS_UNPUBLISHED, kwargs=d.api_milestone, method="delete"),
    ),
}
