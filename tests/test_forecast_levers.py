"""Each scenario lever moves the forecast by the amount worked by hand (pure: no database).

The establishment: one role, E 10, S 8, V 2, agency 3 (1.0 covering a vacancy, 2.0 in temporary
posts: additional capacity). No leavers and no vacancies filled in the last year, so without a
lever nothing moves: every change below is the lever's own.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from planning import assumptions, engine
from planning.engine import Lever
from planning.inputs import ForecastInputs, Position, Trailing

D = Decimal
AS_OF = dt.date(2024, 6, 30)
ROLE = 1


def inputs(as_of: dt.date = AS_OF, **trailing: object) -> ForecastInputs:
    return ForecastInputs(
        as_of=as_of,
        quarter_ends=engine.quarter_ends(as_of, 4),
        positions={
            ROLE: Position(
                role_id=ROLE,
                establishment=D("10"),
                in_post=D("8"),
                in_post_headcount=8,
                agency=D("3"),
                agency_cover=D("1"),
                agency_temporary=D("2"),
                vacancy=D("2"),
            )
        },
        events=(),
        offers=(),
        cohorts=(),
        trailing=Trailing(**trailing),
        role_names={ROLE: "Social Worker"},
        default_role_id=ROLE,
    )


def forecast(*levers: Lever, made: ForecastInputs | None = None) -> list[tuple[Decimal, ...]]:
    made = made or inputs()
    projection = engine.project(made, assumptions.measured(made), levers)
    return [
        (q.central.establishment, q.central.in_post, q.central.agency, q.central.vacancy)
        for q in projection.quarters
    ]


def test_without_a_lever_nothing_moves():
    assert forecast() == [(D("10"), D("8"), D("3"), D("2"))] * 4


def test_posts_added_are_vacant_and_covered_by_agency_at_the_share_covered_now():
    # +7.0 from 1 August (the first quarter): E 17, V 9; half of new vacancies covered: A + 3.5.
    result = forecast(Lever("posts", role_id=ROLE, fte=D("7"), starts_on=dt.date(2024, 8, 1)))
    assert result == [(D("17"), D("8"), D("6.5"), D("9"))] * 4


def test_posts_removed_from_a_date_take_vacancies_away():
    result = forecast(Lever("posts", role_id=ROLE, fte=D("-1"), starts_on=dt.date(2024, 10, 1)))
    assert result[0] == (D("10"), D("8"), D("3"), D("2"))
    assert result[1:] == [(D("9"), D("8"), D("2.5"), D("1"))] * 3


def test_turnover_up_takes_a_quarter_of_the_annual_change_each_quarter():
    # +20 points: 8 x 20% / 4 = 0.4 leave in the first quarter; cover follows: 1 + 0.5 x 0.4.
    result = forecast(Lever("turnover", points=D("20")))
    assert result[0] == (D("10"), D("7.6"), D("3.2"), D("2.4"))
    # Then 7.6 x 5% = 0.38.
    assert result[1] == (D("10"), D("7.22"), D("3.39"), D("2.78"))


def test_hires_a_quarter_fill_vacancies_each_quarter():
    result = forecast(Lever("hires", role_id=ROLE, fte=D("1")))
    assert result[0] == (D("10"), D("9"), D("2.5"), D("1"))
    assert result[1] == (D("10"), D("10"), D("2"), D("0"))
    assert result[2] == (D("10"), D("11"), D("2"), D("0"))  # more employees than posts: V stays 0


def test_agency_converted_to_permanent_moves_its_fte_to_employees():
    result = forecast(Lever("conversion", role_id=ROLE, fte=D("1"), starts_on=dt.date(2024, 7, 15)))
    assert result == [(D("10"), D("9"), D("2"), D("1"))] * 4


def test_additional_capacity_stopped_from_a_date_ends_the_temporary_posts_agency():
    result = forecast(Lever("capacity", starts_on=dt.date(2024, 10, 1)))
    assert result[0] == (D("10"), D("8"), D("3"), D("2"))
    assert result[1:] == [(D("10"), D("8"), D("1"), D("2"))] * 3


def test_a_lever_after_the_last_quarter_changes_nothing():
    assert forecast(Lever("posts", role_id=ROLE, fte=D("5"), starts_on=dt.date(2026, 1, 1))) == forecast()


def test_a_forecast_from_within_a_quarter_counts_only_the_part_of_it_left():
    # From 15 May: 46 of the quarter's 91 days are forecast; 25% turnover over 8 FTE.
    made = inputs(as_of=dt.date(2024, 5, 15), leavers_fte={ROLE: D("2")}, leavers_count={ROLE: 2})
    projection = engine.project(made, assumptions.measured(made))
    first = projection.quarters[0]
    assert first.day == dt.date(2024, 6, 30)
    expected = (D("8") - D("8") * D("0.25") / 4 * D(46) / D(91)).quantize(D("0.0001"))
    assert first.central.in_post == expected == D("7.7473")


def test_the_shares_of_a_quarter_after_a_quarter_end_are_whole():
    calendar = engine.Calendar(AS_OF, engine.quarter_ends(AS_OF, 4))
    assert calendar.shares == (D("1"), D("1"), D("1"), D("1"))
    assert calendar.quarter(dt.date(2024, 7, 1)) == 0
    assert calendar.quarter(dt.date(2024, 10, 1)) == 1
    assert calendar.quarter(dt.date(2025, 7, 1)) is None


def test_temporary_posts_stay_filled_while_they_last():
    # Give the role 2.0 employees in temporary posts: one leaves in the first quarter (replaced),
    # and a post with 1.0 in it ends in the second (the capacity goes).
    from dataclasses import replace

    from planning import inputs as ev

    made = inputs()
    position = replace(made.positions[ROLE], in_post=D("10"), in_post_temporary=D("2"))
    made = replace(
        made,
        positions={ROLE: position},
        events=(
            ev.Event(ROLE, dt.date(2024, 8, 1), ev.LEAVING_TEMPORARY, D("1")),
            ev.Event(ROLE, dt.date(2024, 11, 1), ev.CAPACITY_ENDS, D("1")),
            ev.Event(ROLE, dt.date(2024, 11, 1), ev.TEMPORARY_POSTS, D("-1")),
        ),
    )
    projection = engine.project(made, assumptions.measured(made))
    first, second = projection.quarters[0].central, projection.quarters[1].central
    assert (first.in_post, first.leavers, first.starters) == (D("10"), D("1"), D("1"))
    assert (second.in_post, second.establishment, second.vacancy) == (D("9"), D("10"), D("2"))
