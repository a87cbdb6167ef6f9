import pytest
from hypothesis import given
from hypothesis import strategies as st

from regie.core.bsn import bsn_problem, complete_bsn, is_valid_bsn, mask_bsn


@pytest.mark.parametrize("bsn", ["111222333", "123456782", "999999990"])
def test_valid_bsns_pass_the_elfproef(bsn):
    assert is_valid_bsn(bsn)
    assert bsn_problem(bsn) is None


@pytest.mark.parametrize(
    "bsn,problem",
    [
        ("111222334", "elfproef"),
        ("12345678", "9 cijfers hebben (nu 8)"),
        ("12345678a", "alleen uit cijfers"),
        ("000000000", "elfproef"),
    ],
)
def test_invalid_bsns_are_refused_with_a_reason(bsn, problem):
    assert not is_valid_bsn(bsn)
    assert problem in bsn_problem(bsn)


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_completed_bsns_are_valid_and_one_digit_change_breaks_them(first8):
    bsn = complete_bsn(first8)
    if bsn is None or bsn == "000000000":
        return
    assert is_valid_bsn(bsn)
    # The elfproef detects every single-digit error.
    changed = bsn[:4] + str((int(bsn[4]) + 1) % 10) + bsn[5:]
    assert not is_valid_bsn(changed)


def test_mask_shows_only_the_last_three_digits():
    assert mask_bsn("123456782") == "******782"
    assert "123456" not in mask_bsn("123456782")
