"""The demo's two accounts, made only when demo data is loaded: an analyst and an editor
for Vejle. Their password is public (it is printed and in the README), so a database with
them must never hold real data; `load_demo` refuses such databases."""

from __future__ import annotations

from dataclasses import dataclass

from kommuneradar.accounts.models import User
from kommuneradar.places.models import Municipality
from kommuneradar.places.naming import HOME_COUNTRY

DEMO_PASSWORD = "kommuneradar-demo"  # noqa: S105 (documented on purpose)
DEMO_EDITOR_MUNICIPALITY = "630"  # Vejle


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    municipality: str


def ensure_demo_accounts() -> list[DemoAccount]:
    """Create the demo accounts that are missing (an existing account is left as it is)."""
    vejle = Municipality.objects.get(country=HOME_COUNTRY, code=DEMO_EDITOR_MUNICIPALITY)
    wanted = [
        ("demo-analytiker", "Demo", "Analytiker", User.Role.ANALYST, None),
        ("demo-vejle", "Demo", "Redaktør", User.Role.EDITOR, vejle),
    ]
    accounts = []
    for username, first, last, role, municipality in wanted:
        if not User.objects.filter(username=username).exists():
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@kommuneradar.invalid",
                role=role,
                municipality=municipality,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        accounts.append(
            DemoAccount(username, str(role.label), municipality.name if municipality else "")
        )
    return accounts
