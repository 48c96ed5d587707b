"""What `load_demo` runs, in order. Each module has
`load(seed: int, stdout, today: date | None = None) -> None` (`today` is the load day,
the current date when not given) and creates only its own app's demo objects."""

from __future__ import annotations

DEMO_STEPS: list[str] = [
    "kommuneradar.demo.survey_data",
    "kommuneradar.demo.surveys_rounds_data",
    "kommuneradar.demo.cases_data",
    "kommuneradar.demo.benefits_data",
    "kommuneradar.demo.network_data",
    "kommuneradar.demo.automation_data",
]
