"""The client line's checks (import10): the elfproef without a generator and the date checks that look a field's
label up only for a message give what the previous definitions (copied here as references) gave, on valid and
invalid input alike -- the same answer, the same message text, template and parameters, the same exception."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from regie.core.bsn import WEIGHTS, bsn_problem, is_valid_bsn
from regie.core.dates import nl_date
from regie.core.events import EARLIEST_DATE, Message, birth_date_problem, date_problem, label

# --- the definitions before import10 ------------------------------------------------------------------------------


def _reference_is_valid_bsn(value) -> bool:
    if not isinstance(value, str) or len(value) != 9 or not value.isdigit():
        return False
    if value == "000000000":
        return False
    return sum(w * int(d) for w, d in zip(WEIGHTS, value)) % 11 == 0


def _reference_bsn_problem(value):
    if not isinstance(value, str) or not value.isdigit():
        return Message("BSN mag alleen uit cijfers bestaan (9 cijfers)")
    if len(value) != 9:
        return Message("BSN moet 9 cijfers hebben (nu %(n)s)", n=len(value))
    if not _reference_is_valid_bsn(value):
        return Message("BSN klopt niet: het voldoet niet aan de elfproef (controle op tikfouten)")
    return None


def _reference_date_problem(value, *, today, fieldname, horizon_days=0, after=None, after_label=""):
    field = label(fieldname)
    if value < EARLIEST_DATE:
        return Message(
            "%(field)s ligt vóór %(earliest)s: controleer de datum", field=field, earliest=nl_date(EARLIEST_DATE)
        )
    latest = today + dt.timedelta(days=horizon_days)
    if value > latest:
        if horizon_days == 0:
            return Message(
                "%(field)s ligt in de toekomst (%(date)s): dit kan pas worden vastgelegd als het is gebeurd",
                field=field,
                date=nl_date(value),
            )
        return Message(
            "%(field)s ligt te ver in de toekomst (%(date)s): uiterlijk %(latest)s",
            field=field,
            date=nl_date(value),
            latest=nl_date(latest),
        )
    if after is not None and value < after:
        return Message(
            "%(field)s (%(date)s) ligt vóór %(other)s (%(after)s)",
            field=field,
            date=nl_date(value),
            other=Message(after_label) if after_label else label("effective_date"),
            after=nl_date(after),
        )
    return None


def _reference_birth_date_problem(value, today=None, fieldname="birth_date"):
    today = today or dt.date.today()
    if value > today:
        return Message("%(field)s ligt in de toekomst (%(date)s)", field=label(fieldname), date=nl_date(value))
    return _reference_date_problem(value, today=today, fieldname=fieldname)


# --- comparisons --------------------------------------------------------------------------------------------------


def _outcome(function, *args, **kwargs):
    """What a call gives: its result as (text, template, parameters as text), or the exception's type and text."""
    try:
        result = function(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 (compared, not handled)
        return ("raised", type(exc), str(exc))
    if result is None or isinstance(result, bool):
        return result
    assert isinstance(result, Message)
    params = {k: (str(v), getattr(v, "template", None)) for k, v in result.params.items()}
    return (str(result), result.template, params)


def _same(new, old, *args, **kwargs):
    assert _outcome(new, *args, **kwargs) == _outcome(old, *args, **kwargs)


BSN_EDGES = [
    "111222333",
    "123456782",
    "999999990",
    "111222334",
    "000000000",
    "12345678",
    "1234567890",
    "12345678a",
    "",
    " 23456782",
    "١٢٣٤٥٦٧٨٢",  # Arabic-Indic digits: isdigit() and int() take them
    "12345678²",  # a superscript: isdigit() takes it, int() raises
    "１２３４５６７８２",  # fullwidth digits
    None,
    123456782,
    b"123456782",
]


@pytest.mark.parametrize("value", BSN_EDGES)
def test_the_elfproef_gives_the_previous_answer_on_edge_cases(value):
    _same(is_valid_bsn, _reference_is_valid_bsn, value)
    _same(bsn_problem, _reference_bsn_problem, value)


@settings(max_examples=2000)
@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_the_elfproef_gives_the_previous_answer_on_nine_digits(value):
    _same(is_valid_bsn, _reference_is_valid_bsn, value)
    _same(bsn_problem, _reference_bsn_problem, value)


@settings(max_examples=1000)
@given(st.one_of(st.text(max_size=12), st.text(alphabet=st.characters(categories=["Nd", "No"]), max_size=10)))
def test_the_elfproef_gives_the_previous_answer_on_any_text(value):
    _same(is_valid_bsn, _reference_is_valid_bsn, value)
    _same(bsn_problem, _reference_bsn_problem, value)


def test_the_elfproef_accepts_about_one_in_eleven():
    """A guard on the arithmetic: of 0..109,999 written with nine digits, the valid ones are those the reference
    accepts (a wrong offset or weight would move almost all of them)."""
    values = [f"{n:09d}" for n in range(0, 110_000)]
    assert [v for v in values if is_valid_bsn(v)] == [v for v in values if _reference_is_valid_bsn(v)]
    assert 9_000 < sum(map(is_valid_bsn, values)) < 11_000


TODAY = dt.date(2026, 12, 3)
dates = st.dates(min_value=dt.date(1850, 1, 1), max_value=dt.date(2100, 12, 31))
FIELDS = ["birth_date", "effective_date", "payload.end_date", "household.partner.birth_date", "unknown_field"]


@settings(max_examples=1500)
@given(
    value=st.one_of(dates, st.sampled_from([EARLIEST_DATE, EARLIEST_DATE - dt.timedelta(days=1), TODAY])),
    today=st.one_of(st.just(TODAY), dates),
    fieldname=st.sampled_from(FIELDS),
    horizon=st.sampled_from([0, 1, 31, 365]),
    after=st.one_of(st.none(), dates),
    after_label=st.sampled_from(["", "Ingangsdatum"]),
)
@example(value=TODAY, today=TODAY, fieldname="effective_date", horizon=0, after=None, after_label="")
def test_the_date_checks_give_the_previous_messages(value, today, fieldname, horizon, after, after_label):
    _same(
        date_problem,
        _reference_date_problem,
        value,
        today=today,
        fieldname=fieldname,
        horizon_days=horizon,
        after=after,
        after_label=after_label,
    )


@settings(max_examples=1500)
@given(value=dates, today=st.one_of(st.none(), st.just(TODAY), dates), fieldname=st.sampled_from(FIELDS))
@example(value=EARLIEST_DATE, today=TODAY, fieldname="birth_date")
@example(value=EARLIEST_DATE - dt.timedelta(days=1), today=TODAY, fieldname="birth_date")
@example(value=TODAY, today=TODAY, fieldname="birth_date")
@example(value=TODAY + dt.timedelta(days=1), today=TODAY, fieldname="birth_date")
def test_the_birth_date_check_gives_the_previous_messages(value, today, fieldname):
    _same(birth_date_problem, _reference_birth_date_problem, value, today, fieldname)
