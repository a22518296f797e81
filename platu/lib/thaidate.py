"""Buddhist-Era dates, Thai digits, fiscal and academic years.

Pure functions on ``datetime.date``; no Django imports so that they are easy to
test and type-check.

- Buddhist Era (พ.ศ.) = Common Era + 543.
- The fiscal year (ปีงบประมาณ) runs 1 October – 30 September and is named by the
  B.E. year in which it ends: FY 2569 = 1 Oct 2025 – 30 Sep 2026.
- Monitoring rounds are the 6-, 9- and 12-month points of the fiscal year
  (31 March, 30 June, 30 September).
- The academic year (ปีการศึกษา) runs 16 May – 15 May and is named by the B.E.
  year in which it starts. Term 1 is 16 May – 31 October, term 2 is
  1 November – 15 May.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Literal

BE_OFFSET = 543

MONTHS_FULL = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
MONTHS_ABBR = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
ROUNDS = (6, 9, 12)

_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

DateStyle = Literal["full", "medium", "short"]


def to_be(year_ce: int) -> int:
    return year_ce + BE_OFFSET


def to_ce(year_be: int) -> int:
    return year_be - BE_OFFSET


def thai_digits(text: object) -> str:
    """Arabic digits 0-9 in ``text`` written as Thai digits ๐-๙."""
    return str(text).translate(_TO_THAI)


def arabic_digits(text: object) -> str:
    """Thai digits in ``text`` written as Arabic digits."""
    return str(text).translate(_TO_ARABIC)


def format_date(value: dt.date, style: DateStyle = "full", *, use_thai_digits: bool = False) -> str:
    """A B.E. date: full "1 ตุลาคม 2568", medium "1 ต.ค. 2568", short "1 ต.ค. 68"."""
    if isinstance(value, dt.datetime):
        value = value.date()
    year = to_be(value.year)
    if style == "full":
        text = f"{value.day} {MONTHS_FULL[value.month - 1]} {year}"
    elif style == "medium":
        text = f"{value.day} {MONTHS_ABBR[value.month - 1]} {year}"
    elif style == "short":
        text = f"{value.day} {MONTHS_ABBR[value.month - 1]} {year % 100:02d}"
    else:
        raise ValueError(f"unknown date style: {style!r}")
    return thai_digits(text) if use_thai_digits else text


def format_period(start: dt.date, end: dt.date, *, use_thai_digits: bool = False) -> str:
    """A period as action plans print it: "1 ต.ค. 68 – 30 ก.ย. 69"."""
    return (
        f"{format_date(start, 'short', use_thai_digits=use_thai_digits)} – "
        f"{format_date(end, 'short', use_thai_digits=use_thai_digits)}"
    )


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


# Fiscal year ---------------------------------------------------------------


def fiscal_year(value: dt.date) -> int:
    """The B.E. fiscal year that contains ``value``."""
    return to_be(value.year + 1 if value.month >= 10 else value.year)


def fiscal_year_bounds(fy_be: int) -> tuple[dt.date, dt.date]:
    """First and last day of B.E. fiscal year ``fy_be``."""
    end_ce = to_ce(fy_be)
    return dt.date(end_ce - 1, 10, 1), dt.date(end_ce, 9, 30)


def fiscal_quarter(value: dt.date) -> int:
    """1-4: Oct-Dec is quarter 1, Jan-Mar 2, Apr-Jun 3, Jul-Sep 4."""
    return ((value.month - 10) % 12) // 3 + 1


def fiscal_quarter_bounds(fy_be: int, quarter: int) -> tuple[dt.date, dt.date]:
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1-4")
    start, _ = fiscal_year_bounds(fy_be)
    year, month = _add_months(start.year, start.month, 3 * (quarter - 1))
    end_year, end_month = _add_months(year, month, 2)
    return dt.date(year, month, 1), _last_day(end_year, end_month)


def round_bounds(fy_be: int, months: int) -> tuple[dt.date, dt.date]:
    """The period a 6-, 9- or 12-month monitoring round reports on."""
    if months not in ROUNDS:
        raise ValueError(f"a monitoring round is one of {ROUNDS} months")
    start, _ = fiscal_year_bounds(fy_be)
    end_year, end_month = _add_months(start.year, start.month, months - 1)
    return start, _last_day(end_year, end_month)


def monitoring_round(value: dt.date) -> tuple[int, int]:
    """(fiscal year, months) of the first round whose period ends on or after ``value``."""
    fy = fiscal_year(value)
    for months in ROUNDS:
        if round_bounds(fy, months)[1] >= value:
            return fy, months
    raise AssertionError("unreachable: the 12-month round ends the fiscal year")


# Academic year -------------------------------------------------------------


def academic_year(value: dt.date) -> int:
    """The B.E. academic year containing ``value`` (starts 16 May)."""
    starts_this_year = (value.month, value.day) >= (5, 16)
    return to_be(value.year if starts_this_year else value.year - 1)


def academic_year_bounds(ay_be: int) -> tuple[dt.date, dt.date]:
    start_ce = to_ce(ay_be)
    return dt.date(start_ce, 5, 16), dt.date(start_ce + 1, 5, 15)


def academic_term(value: dt.date) -> tuple[int, int]:
    """(academic year, term): term 1 is 16 May – 31 Oct, term 2 is 1 Nov – 15 May."""
    year = academic_year(value)
    start_ce = to_ce(year)
    term = 1 if value <= dt.date(start_ce, 10, 31) else 2
    return year, term


def academic_term_bounds(ay_be: int, term: int) -> tuple[dt.date, dt.date]:
    start, end = academic_year_bounds(ay_be)
    if term == 1:
        return start, dt.date(start.year, 10, 31)
    if term == 2:
        return dt.date(start.year, 11, 1), end
    raise ValueError("term must be 1 or 2")


# Parsing typed years --------------------------------------------------------

_YEAR_RE = re.compile(
    r"^\s*(?P<era>พ\.?\s*ศ\.?|ค\.?\s*ศ\.?|b\.?\s*e\.?|c\.?\s*e\.?|a\.?\s*d\.?)?\s*(?P<year>\d{2}|\d{4})\s*$",
    re.IGNORECASE,
)


class YearError(ValueError):
    """A typed year that cannot be read; the message is bilingual."""


def parse_year(text: str) -> int:
    """A typed year in either era, returned as a B.E. year.

    "2568", "๒๕๖๘", "พ.ศ. 2568" -> 2568; "2025", "ค.ศ. 2025" -> 2568;
    two digits are the short B.E. form: "68" -> 2568. A four-digit year above
    2400 is B.E., otherwise C.E.
    """
    match = _YEAR_RE.match(arabic_digits(text))
    if not match:
        raise YearError(f"ปีไม่ถูกต้อง: “{text}” (invalid year; type e.g. 2568 or 2025)")
    digits = match.group("year")
    era = (match.group("era") or "").replace(".", "").replace(" ", "").lower()
    year = int(digits)
    if len(digits) == 2:
        if era in {"คศ", "ce", "ad"}:
            raise YearError(f"ปีไม่ถูกต้อง: “{text}” (invalid year; write the C.E. year in full)")
        return 2500 + year
    if era in {"พศ", "be"}:
        be = year
    elif era in {"คศ", "ce", "ad"}:
        be = to_be(year)
    else:
        be = year if year > 2400 else to_be(year)
    if not 2400 < be < 2700:
        raise YearError(f"ปีอยู่นอกช่วงที่รับได้: “{text}” (year out of range)")
    return be
