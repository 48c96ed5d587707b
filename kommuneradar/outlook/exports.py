"""The outlook as CSV, JSON and XLSX: one record per technology (and per technology and
domain), with the scenario's figures beside the baseline's when one is asked for.

Shares are 0..1, FTE are freed per year at the horizon (1,924 hours each), populations in
inhabitants. JSON keys are English code names, spreadsheet headings Danish."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

from kommuneradar.core.tabular import Field

from . import presentation, services

TECHNOLOGY_FIELDS = [
    Field("technology", "teknologi"),
    Field("name", "navn"),
    Field("ring", "ring i dag"),
    Field("latest_year", "seneste runde"),
    Field("horizon_year", "fremskrevet til"),
    Field("respondents", "svarende kommuner"),
    Field("diffusion_today", "udbredelse i dag"),
    Field("diffusion_horizon", "udbredelse fremskrevet"),
    Field("diffusion_horizon_low", "udbredelse fremskrevet, lav (80 %)"),
    Field("diffusion_horizon_high", "udbredelse fremskrevet, høj (80 %)"),
    Field("own_weight", "vægt af egne observationer"),
    Field("observed_moves", "observerede overgange"),
    Field("ready_year", "år for KLAR"),
    Field("backtest_error", "fejl i backtest"),
    Field("backtest_naive_error", "fejl ved 'ingen ændring'"),
    Field("measured_projects", "projekter med målt gevinst"),
    Field("gain_median_fte_per_1000", "median årsværk pr. 1.000 indbyggere"),
    Field("additional_population", "indbyggere i nye brugerkommuner"),
    Field("fte", "årsværk frigjort pr. år"),
    Field("fte_low", "årsværk, lav"),
    Field("fte_high", "årsværk, høj"),
    Field("in_total", "med i totalen"),
    Field("scenario_diffusion_horizon", "scenarie: udbredelse fremskrevet"),
    Field("scenario_fte", "scenarie: årsværk frigjort pr. år"),
    Field("scenario_fte_low", "scenarie: årsværk, lav"),
    Field("scenario_fte_high", "scenarie: årsværk, høj"),
]

DOMAIN_FIELDS = [
    Field("domain", "fagområde"),
    Field("technology", "teknologi"),
    Field("respondents", "svarende kommuner"),
    Field("diffusion_today", "udbredelse i dag"),
    Field("diffusion_horizon", "udbredelse fremskrevet"),
    Field("diffusion_horizon_low", "udbredelse fremskrevet, lav (80 %)"),
    Field("diffusion_horizon_high", "udbredelse fremskrevet, høj (80 %)"),
    Field("own_weight", "vægt af egne observationer"),
    Field("fte", "årsværk frigjort pr. år"),
    Field("fte_low", "årsværk, lav"),
    Field("fte_high", "årsværk, høj"),
]


def _number(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def technology_records(
    state: services.State, rows: list[presentation.TechnologyRow]
) -> list[dict[str, Any]]:
    records = []
    for row in rows:
        outlook = row.baseline
        projected = outlook.projection
        alternative = row.scenario
        records.append(
            {
                "technology": row.technology.slug,
                "name": row.technology.name,
                "ring": outlook.facts.ring,
                "latest_year": state.latest_year,
                "horizon_year": projected.horizon.year,
                "respondents": projected.respondents,
                "diffusion_today": _number(projected.today.diffusion.point),
                "diffusion_horizon": _number(projected.horizon.diffusion.point),
                "diffusion_horizon_low": _number(projected.horizon.diffusion.low),
                "diffusion_horizon_high": _number(projected.horizon.diffusion.high),
                "own_weight": _number(projected.own_weight),
                "observed_moves": projected.observed_moves,
                "ready_year": outlook.ring_years.get("klar"),
                "backtest_error": _number(outlook.backtest.error) if outlook.backtest else None,
                "backtest_naive_error": (
                    _number(outlook.backtest.naive_error) if outlook.backtest else None
                ),
                "measured_projects": outlook.gain.measured_projects,
                "gain_median_fte_per_1000": _number(
                    outlook.gain.gain_per_1000[1] if outlook.gain.gain_per_1000 else None
                ),
                "additional_population": round(projected.additional_population.point),
                "fte": _number(outlook.gain.fte),
                "fte_low": _number(outlook.gain.low),
                "fte_high": _number(outlook.gain.high),
                "in_total": outlook.in_total,
                "scenario_diffusion_horizon": (
                    _number(alternative.projection.horizon.diffusion.point) if alternative else None
                ),
                "scenario_fte": _number(alternative.gain.fte) if alternative else None,
                "scenario_fte_low": _number(alternative.gain.low) if alternative else None,
                "scenario_fte_high": _number(alternative.gain.high) if alternative else None,
            }
        )
    return records


def domain_records(
    state: services.State, rows: list[presentation.DomainRow]
) -> list[dict[str, Any]]:
    return [
        {
            "domain": row.domain.slug,
            "technology": row.technology.slug,
            "respondents": row.outlook.projection.respondents,
            "diffusion_today": _number(row.outlook.projection.today.diffusion.point),
            "diffusion_horizon": _number(row.outlook.projection.horizon.diffusion.point),
            "diffusion_horizon_low": _number(row.outlook.projection.horizon.diffusion.low),
            "diffusion_horizon_high": _number(row.outlook.projection.horizon.diffusion.high),
            "own_weight": _number(row.outlook.projection.own_weight),
            "fte": _number(row.outlook.gain.fte),
            "fte_low": _number(row.outlook.gain.low),
            "fte_high": _number(row.outlook.gain.high),
        }
        for row in rows
    ]


# Descriptions of the download columns that have no API field of the same name in the
# schema the open-data page reads (TechnologyOut, DomainOut).
COLUMN_DESCRIPTIONS: dict[str, str] = {
    "latest_year": gettext_noop("The latest survey round the projection starts from."),
    "horizon_year": gettext_noop(
        "The year projected to: 2030, or the first step past it when rounds are more than a "
        "year apart."
    ),
    "diffusion_today": gettext_noop("Diffusion share (0..1) in the latest survey round."),
    "diffusion_horizon": gettext_noop("Projected diffusion share (0..1) at the horizon."),
    "diffusion_horizon_low": gettext_noop(
        "Lower end of the band of the projected diffusion share (0..1): the 10th percentile "
        "of 60 bootstrap resamples of the municipalities, never above the point value."
    ),
    "diffusion_horizon_high": gettext_noop(
        "Upper end of the band of the projected diffusion share (0..1): the 90th percentile "
        "of 60 bootstrap resamples of the municipalities, never below the point value."
    ),
    "own_weight": gettext_noop(
        "Weight, 0..1, of the technology's own observed stage moves in its transition "
        "probabilities (the rest is borrowed from a wider group), averaged over where the "
        "municipalities stand today: n / (n + 20) for n moves observed from a stage."
    ),
    "observed_moves": gettext_noop(
        "How many moves between consecutive rounds (one municipality, from one stage to "
        "another or the same) the transition probabilities are estimated from."
    ),
    "ready_year": gettext_noop(
        "The first projected year in which the technology reaches the ring `klar`. Empty "
        "when it is there already or does not get there by the horizon."
    ),
    "measured_projects": gettext_noop(
        "How many published implementation projects measured the FTE freed by the technology."
    ),
    "gain_median_fte_per_1000": gettext_noop(
        "Median FTE freed per year per 1,000 inhabitants over the measured projects. Empty "
        "without a measured project."
    ),
    "additional_population": gettext_noop(
        "Inhabitants of the municipalities expected to use the technology at the horizon, "
        "less those of today's users (negative where users are expected to drop it)."
    ),
    "fte": gettext_noop(
        "Full-time equivalents (1,924 hours each) freed per year at the horizon by the "
        "municipalities expected to take the technology into use by then: their inhabitants "
        "times the median measured gain per 1,000 inhabitants, divided by 1,000. Empty without "
        "a measured gain."
    ),
    "fte_low": gettext_noop(
        "Lower end of the FTE range: the smallest product of the band of new users' "
        "inhabitants and the lower or upper quartile of the measured gain (never above the "
        "point value). Empty without a measured gain."
    ),
    "fte_high": gettext_noop(
        "Upper end of the FTE range: the largest product of the band of new users' "
        "inhabitants and the lower or upper quartile of the measured gain (never below the "
        "point value). Empty without a measured gain."
    ),
    "in_total": gettext_noop(
        "Whether the gain counts in the total: it rests on at least three measured projects."
    ),
    "scenario_diffusion_horizon": gettext_noop(
        "Under the scenario asked for: projected diffusion share (0..1) at the horizon. "
        "Empty without a scenario."
    ),
    "scenario_fte": gettext_noop(
        "Under the scenario asked for: FTE freed per year at the horizon. Empty without a "
        "scenario or a measured gain."
    ),
    "scenario_fte_low": gettext_noop(
        "Under the scenario asked for: lower end of the FTE range. Empty without a scenario "
        "or a measured gain."
    ),
    "scenario_fte_high": gettext_noop(
        "Under the scenario asked for: upper end of the FTE range. Empty without a scenario "
        "or a measured gain."
    ),
}
