"""Properties of the pure readers: any KLE plan written in KL's shape reads back as written;
any percentage and count written the Danish way reads back as its number."""

from __future__ import annotations

import io
from decimal import Decimal
from xml.sax.saxutils import escape

from hypothesis import given
from hypothesis import strategies as st

from kommuneradar.automation import kleplan, os2autoproces

titles = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(lambda text: text.strip() != "")
two_digits = st.integers(min_value=0, max_value=99).map(lambda n: f"{n:02d}")
plans = st.dictionaries(
    two_digits,
    st.tuples(
        titles,
        st.dictionaries(
            two_digits,
            st.tuples(titles, st.dictionaries(two_digits, titles, max_size=3)),
            max_size=3,
        ),
    ),
    min_size=1,
    max_size=4,
)


def _xml(plan: dict[str, tuple[str, dict[str, tuple[str, dict[str, str]]]]]) -> bytes:
    parts = ["<KLE-Emneplan>"]
    for main, (main_title, groups) in plan.items():
        parts.append(f"<Hovedgruppe><HovedgruppeNr>{main}</HovedgruppeNr>")
        parts.append(f"<HovedgruppeTitel>{escape(main_title)}</HovedgruppeTitel>")
        for group, (group_title, topics) in groups.items():
            number = f"{main}.{group}"
            parts.append(f"<Gruppe><GruppeNr>{number}</GruppeNr>")
            parts.append(f"<GruppeTitel>{escape(group_title)}</GruppeTitel>")
            for topic, topic_title in topics.items():
                parts.append(
                    f"<Emne><EmneNr>{number}.{topic}</EmneNr>"
                    f"<EmneTitel>{escape(topic_title)}</EmneTitel></Emne>"
                )
            parts.append("</Gruppe>")
        parts.append("</Hovedgruppe>")
    parts.append("</KLE-Emneplan>")
    return "\n".join(parts).encode()


def _one_line(text: str) -> str:
    return " ".join(text.split())


@given(plans)
def test_a_plan_in_kls_shape_reads_back_as_written(
    plan: dict[str, tuple[str, dict[str, tuple[str, dict[str, str]]]]],
) -> None:
    expected = set()
    for main, (main_title, groups) in plan.items():
        expected.add((main, _one_line(main_title), ""))
        for group, (group_title, topics) in groups.items():
            expected.add((f"{main}.{group}", _one_line(group_title), main))
            for topic, topic_title in topics.items():
                expected.add((f"{main}.{group}.{topic}", _one_line(topic_title), f"{main}.{group}"))
    read = kleplan.read(io.BytesIO(_xml(plan)))
    if any(len(title) > kleplan.MAX_TITLE for _n, title, _p in expected):
        return
    assert read.problems == []
    assert {(e.number, e.title, e.parent) for e in read.entries} == expected


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_a_percentage_written_the_danish_way_reads_back(share: Decimal) -> None:
    written = format(share, "f").replace(".", ",") + " %"
    assert os2autoproces._share(written) == share


@given(st.integers(min_value=0, max_value=os2autoproces.MAX_CASES))
def test_a_count_with_danish_thousands_reads_back(cases: int) -> None:
    written = f"{cases:,}".replace(",", ".")
    assert os2autoproces._cases(written) == cases
