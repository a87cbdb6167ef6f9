"""BSN (burgerservicenummer) validation and masking.

The elfproef for BSN: for digits d1..d9, 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 must be divisible by 11
(Logius, "Elfproef BSN"; the final weight is -1, unlike the bank-account elfproef). Eight-digit numbers are
written with a leading zero.
"""

from __future__ import annotations

WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


# The weighted sum of nine ASCII digits taken as their codes (48 for "0"): 48 times the sum of WEIGHTS too many.
_ASCII_OFFSET = 48 * sum(WEIGHTS)


def is_valid_bsn(value: object) -> bool:
    if not isinstance(value, str) or len(value) != 9 or not value.isdigit():
        return False
    if value == "000000000":
        return False
    if value.isascii():
        # the usual case without a generator (import10: a client line checks one or two BSNs): the digits' codes
        d = value.encode()
        return (9 * d[0] + 8 * d[1] + 7 * d[2] + 6 * d[3] + 5 * d[4] + 4 * d[5] + 3 * d[6] + 2 * d[7] - d[8]) % 11 == (
            _ASCII_OFFSET % 11
        )
    # other Unicode digits ("٣" counts as 3; "²" makes int() raise, as before)
    return sum(w * int(d) for w, d in zip(WEIGHTS, value)) % 11 == 0


def bsn_problem(value: object):
    """Why ``value`` is not a BSN, as a Dutch message naming the field (a :class:`regie.core.events.Message`, which
    adapters translate), or None when it is one."""
    if is_valid_bsn(value):  # (str, nine digits and the elfproef: none of the messages below applies)
        return None
    from .events import Message

    if not isinstance(value, str) or not value.isdigit():
        return Message("BSN mag alleen uit cijfers bestaan (9 cijfers)")
    if len(value) != 9:
        return Message("BSN moet 9 cijfers hebben (nu %(n)s)", n=len(value))
    if not is_valid_bsn(value):
        return Message("BSN klopt niet: het voldoet niet aan de elfproef (controle op tikfouten)")
    return None


def mask_bsn(value: str | None) -> str:
    """Show only the last three digits: ``******789``."""
    if not value:
        return ""
    return "*" * (len(value) - 3) + value[-3:]


def complete_bsn(first8: str) -> str | None:
    """The BSN that starts with these 8 digits, if a check digit exists (used by the synthetic generator)."""
    partial = sum(w * int(d) for w, d in zip(WEIGHTS[:8], first8))
    check = partial % 11  # need partial - d9 ≡ 0 (mod 11) → d9 ≡ partial (mod 11)
    if check == 10:
        return None
    candidate = first8 + str(check)
    return candidate if is_valid_bsn(candidate) else None
