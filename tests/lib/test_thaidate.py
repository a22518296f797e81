import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from platu.lib import thaidate as td

dates = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2150, 12, 31))


def test_it_formats_full_and_short_buddhist_era_dates() -> None:
    assert td.format_date(dt.date(2025, 10, 1)) == "1 ตุลาคม 2568"
    assert td.format_date(dt.date(2025, 10, 1), "short") == "1 ต.ค. 68"
    assert td.format_date(dt.date(2026, 9, 30), "medium") == "30 ก.ย. 2569"
    assert td.format_date(dt.date(2007, 1, 5), "short") == "5 ม.ค. 50"


def test_it_writes_thai_digits_when_asked() -> None:
    assert td.format_date(dt.date(2025, 10, 1), use_thai_digits=True) == "๑ ตุลาคม ๒๕๖๘"
    assert td.format_date(dt.date(2025, 10, 1), "short", use_thai_digits=True) == "๑ ต.ค. ๖๘"
    assert td.thai_digits("KPI 12.5%") == "KPI ๑๒.๕%"
    assert td.arabic_digits("๒๕๖๘") == "2568"


def test_it_formats_action_plan_periods() -> None:
    assert td.format_period(dt.date(2025, 10, 1), dt.date(2026, 9, 30)) == "1 ต.ค. 68 – 30 ก.ย. 69"


def test_fiscal_year_2569_runs_from_october_2025_to_september_2026() -> None:
    assert td.fiscal_year_bounds(2569) == (dt.date(2025, 10, 1), dt.date(2026, 9, 30))
    assert td.fiscal_year(dt.date(2025, 9, 30)) == 2568
    assert td.fiscal_year(dt.date(2025, 10, 1)) == 2569
    assert td.fiscal_year(dt.date(2026, 9, 30)) == 2569


def test_it_knows_quarters_and_monitoring_rounds() -> None:
    assert td.fiscal_quarter(dt.date(2025, 12, 31)) == 1
    assert td.fiscal_quarter(dt.date(2026, 1, 1)) == 2
    assert td.fiscal_quarter_bounds(2569, 3) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert td.round_bounds(2569, 6) == (dt.date(2025, 10, 1), dt.date(2026, 3, 31))
    assert td.round_bounds(2569, 9)[1] == dt.date(2026, 6, 30)
    assert td.round_bounds(2569, 12)[1] == dt.date(2026, 9, 30)
    assert td.monitoring_round(dt.date(2026, 4, 1)) == (2569, 9)
    with pytest.raises(ValueError):
        td.round_bounds(2569, 3)


def test_it_knows_academic_years_and_terms() -> None:
    assert td.academic_year(dt.date(2026, 5, 15)) == 2568
    assert td.academic_year(dt.date(2026, 5, 16)) == 2569
    assert td.academic_term(dt.date(2026, 10, 31)) == (2569, 1)
    assert td.academic_term(dt.date(2026, 11, 1)) == (2569, 2)
    assert td.academic_term(dt.date(2027, 3, 1)) == (2569, 2)
    assert td.academic_year_bounds(2569) == (dt.date(2026, 5, 16), dt.date(2027, 5, 15))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2568", 2568),
        ("๒๕๖๘", 2568),
        ("พ.ศ. 2568", 2568),
        ("2025", 2568),
        ("ค.ศ. 2025", 2568),
        ("CE 2025", 2568),
        ("68", 2568),
        (" 2401 ", 2401),
        ("1999", 2542),
    ],
)
def test_it_parses_years_typed_in_either_era(typed: str, expected: int) -> None:
    assert td.parse_year(typed) == expected


@pytest.mark.parametrize("typed", ["", "abc", "25680", "ค.ศ. 68", "3000", "พ.ศ. 1999"])
def test_it_refuses_unreadable_years_with_a_bilingual_message(typed: str) -> None:
    with pytest.raises(td.YearError) as excinfo:
        td.parse_year(typed)
    assert "ปี" in str(excinfo.value)
    assert "year" in str(excinfo.value)


@given(dates)
def test_every_date_lies_inside_its_fiscal_year(day: dt.date) -> None:
    start, end = td.fiscal_year_bounds(td.fiscal_year(day))
    assert start <= day <= end
    assert (end - start).days in (364, 365)


@given(dates)
def test_every_date_lies_inside_its_fiscal_quarter(day: dt.date) -> None:
    fy, quarter = td.fiscal_year(day), td.fiscal_quarter(day)
    start, end = td.fiscal_quarter_bounds(fy, quarter)
    assert start <= day <= end


@given(st.integers(min_value=2450, max_value=2650))
def test_quarters_tile_the_fiscal_year(fy: int) -> None:
    start, end = td.fiscal_year_bounds(fy)
    bounds = [td.fiscal_quarter_bounds(fy, q) for q in (1, 2, 3, 4)]
    assert bounds[0][0] == start and bounds[-1][1] == end
    for (_, prev_end), (next_start, _) in itertools.pairwise(bounds):
        assert next_start - prev_end == dt.timedelta(days=1)


@given(dates)
def test_every_date_falls_in_the_round_that_reports_it(day: dt.date) -> None:
    fy, months = td.monitoring_round(day)
    start, end = td.round_bounds(fy, months)
    assert start <= day <= end
    earlier = [m for m in td.ROUNDS if m < months]
    assert all(td.round_bounds(fy, m)[1] < day for m in earlier)


@given(dates)
def test_every_date_lies_inside_its_academic_term(day: dt.date) -> None:
    year, term = td.academic_term(day)
    start, end = td.academic_term_bounds(year, term)
    assert start <= day <= end


@given(st.integers(min_value=2401, max_value=2699))
def test_a_year_survives_both_eras(be: int) -> None:
    assert td.parse_year(str(be)) == be
    assert td.parse_year(str(td.to_ce(be))) == be
    assert td.parse_year(td.thai_digits(be)) == be


@given(dates)
def test_the_be_year_in_a_formatted_date_is_the_ce_year_plus_543(day: dt.date) -> None:
    assert td.format_date(day).endswith(str(day.year + 543))
