"""Every command line of the README's management-command table runs as printed, on a fresh
database, the way a developer runs it after `make run`: `python` is the project's virtual
environment (what `. .venv/bin/activate` gives), no SECRET_KEY and no DEBUG in the
environment. The table is read from README.md, so a new line there is tested too."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ROW = re.compile(r"^\|\s*`(python manage\.py [^`]+)`\s*\|")
OPTIONAL = re.compile(r"\[([^\]]+)\]")

# Small input files for the import commands, in the formats the README describes.
FIXTURES = {
    "import_answers": (
        "svar.csv",
        "kommune;fagområde;teknologi;stadie;effektivisering;kvalitet;trivsel;kommentar\r\n"
        "Vejle Kommune;Sundhed og ældre;Skærmbesøg;Afprøver;Stor;Nogen;Ingen;Prøvet to steder\r\n",
        "cp1252",
    ),
    "import_projects": (
        "projekter.csv",
        "kommune;titel;teknologi;fagområde;startdato;status;gevinstejer;engangsomkostninger;"
        "driftsomkostninger;gevinst kr;timer frigjort;timer frigjort pessimistisk;"
        "diskonteringsrente;offentliggjort\n"
        "630;Skærmbesøg i README-testen;Skærmbesøg;Sundhed og ældre;2023-03-01;I drift;"
        "Leder af plejen;250.000;20.000;120.000;1924;1500;3,5;ja\n",
        "utf-8",
    ),
    "correct_round": (
        "rettelse.csv",
        "kommune;fagområde;teknologi;stadie;effektivisering;kvalitet;trivsel;kommentar\n"
        "630;Sundhed og ældre;Skærmbesøg;I drift;Stor;Nogen;Ingen;Rettet\n",
        "utf-8",
    ),
    "personal_data": ("kopi.json", "", "utf-8"),
    "import_population": (
        "folk1a.csv",
        '"FOLK1A: Befolkningen den 1. i kvartalet efter område og tid"\n;"2025K1"\n'
        '"Hele landet";5961249\n"101 København";"667.099"\n"630 Vejle";121010\n',
        "utf-8",
    ),
    "import_radar": (
        "radar.csv",
        "name,ring,quadrant,isNew,status,description\r\n"
        "Kubernetes,Adopt,Platforms,FALSE,No Change,<p>Containers</p>\r\n",
        "utf-8",
    ),
}
FIXTURES["import_kle"] = (
    "kle-emneplan.xml",
    (ROOT / "kommuneradar/automation/samples/kle-emneplan-udsnit.xml").read_text("utf-8"),
    "utf-8",
)
FIXTURES["import_os2autoproces"] = (
    "os2autoproces.csv",
    "ID;Titel;Resumé;Fase;Status;Synlighed;Myndighed;KLE-nr;Anvendt teknologi;"
    "Antal gange processen foretages årligt;Tidsforbrug pr. proces i minutter;"
    "Forventet automatiseringsgrad;Kontaktperson;Mail\n"
    "7001;Straffeattester i README-testen;Robot henter attester;Drift;I gang;Offentlig;"
    "Vejle Kommune;81.02.04;RPA;1200;12,5;80;Kim Kontakt;kim@vejle.example\n",
    "utf-8",
)
PLACEHOLDERS = {"N": "2024", "URL": "http://127.0.0.1:8000", "TEXT": "DST FOLK1A 2025K1"}


def readme_commands() -> list[str]:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    return [match.group(1) for line in lines if (match := ROW.match(line))]


def variants(command: str) -> list[str]:
    """The line without its optional parts, then with all of them (if it has any)."""
    bare = " ".join(OPTIONAL.sub("", command).split())
    full = " ".join(OPTIONAL.sub(r"\1", command).split())
    return [bare] if bare == full else [bare, full]


def fill(command: str, tmp_path: Path) -> list[str]:
    words = shlex.split(command)
    verb = words[2]
    filled = []
    for word in words:
        if word == "FILE":
            name, text, encoding = FIXTURES[verb]
            path = tmp_path / name
            path.write_bytes(text.encode(encoding))
            word = str(path)
        elif word in PLACEHOLDERS:
            word = PLACEHOLDERS[word]
        assert not re.fullmatch(r"[A-Z]{2,}", word), f"unknown placeholder {word} in {command}"
        filled.append(word)
    return [sys.executable, *filled[1:]]


def run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False
    )


def test_the_readme_lists_the_commands_a_person_types() -> None:
    verbs = [shlex.split(command)[2] for command in readme_commands()]
    assert verbs[0] == "load_demo"
    assert {"compute_radar", "send_invitations", "import_answers"} <= set(verbs)


def test_every_readme_command_runs_as_printed_on_a_fresh_database(tmp_path: Path) -> None:
    env = {
        name: value
        for name, value in os.environ.items()
        if name
        not in {
            "SECRET_KEY",
            "SECRET_KEY_FILE",
            "DEBUG",
            "DJANGO_SETTINGS_MODULE",
            "DATABASE_URL",
            "CACHE_URL",
            "EMAIL_BACKEND",
        }
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    migrated = run([sys.executable, "manage.py", "migrate", "--noinput"], env)
    assert migrated.returncode == 0, migrated.stderr
    commands = readme_commands()
    assert commands, "the README has no command table"
    for command in commands:
        for variant in variants(command):
            result = run(fill(variant, tmp_path), env)
            assert result.returncode == 0, f"{variant}\n{result.stdout[-2000:]}\n{result.stderr}"
            assert "Traceback" not in result.stderr, f"{variant}\n{result.stderr}"
            if variant.startswith("python manage.py load_demo"):
                assert "demo-vejle / kommuneradar-demo" in result.stdout


@pytest.mark.parametrize("debug", ["0", "false"])
def test_without_a_secret_key_production_mode_still_refuses(debug: str) -> None:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"SECRET_KEY", "SECRET_KEY_FILE", "DJANGO_SETTINGS_MODULE"}
    }
    env["DEBUG"] = debug
    result = run([sys.executable, "manage.py", "check"], env)
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr
    wsgi = run(
        [sys.executable, "-c", "import kommuneradar.wsgi"],
        {**env, "DEBUG": ""},
    )
    assert wsgi.returncode != 0 and "SECRET_KEY must be set" in wsgi.stderr


def test_make_run_takes_another_port() -> None:
    planned = subprocess.run(
        ["make", "-n", "run", "PORT=8001"],  # noqa: S607 (make from PATH, as a person types it)
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "runserver 127.0.0.1:8001" in planned
    assert (
        "runserver 127.0.0.1:8000"
        in subprocess.run(
            ["make", "-n", "run"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
