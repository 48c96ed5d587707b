"""The import command's progress bar on a terminal, and its refusals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kommuneradar.surveys.management.commands.import_answers import ProgressBar
from kommuneradar.surveys.models import Round


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_redraws_one_line_on_a_terminal() -> None:
    screen = Terminal()
    bar = ProgressBar(screen, width=10)
    bar(0.5, 5000)
    bar(1.0, 10000)
    bar.done()
    assert screen.getvalue() == (
        "\rReading [#####.....]  50%  5,000 rows\rReading [##########] 100%  10,000 rows\n"
    )


def test_the_progress_bar_is_quiet_when_not_on_a_terminal() -> None:
    log = io.StringIO()
    bar = ProgressBar(log)
    bar(0.5, 10)
    bar.done()
    assert log.getvalue() == ""


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_round_or_file(tmp_path: Path, draft_round: Round) -> None:
    with pytest.raises(CommandError, match="no survey round 1999"):
        call_command("import_answers", str(tmp_path / "x.csv"), "--round", "1999")
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_answers", str(tmp_path / "x.csv"), "--round", "2025")
