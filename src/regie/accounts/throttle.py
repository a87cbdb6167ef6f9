"""Log-in throttling that slows password guessing without locking other people out.

One home for every credential endpoint (web log-in, API token, and second factors or single sign-on): call
:func:`check` before a credential is verified, and :func:`record_failure` when a credential other than the
password fails (a password checked with ``django.contrib.auth.authenticate`` is recorded by the
``user_login_failed`` signal already). :func:`check_and_count` does both around a verification callable.

The counts come from the audit log, which already records every failed log-in (who tried, from where, when), so
there is no second store. Three rules, as django-axes' "username + address" lock-out parameters and OWASP's
guidance against lock-out as a denial of service suggest (a temporary account lock-out is "too simple of a target
for DoS attacks against legitimate users"; a per-address lock-out hits everyone behind one NAT or proxy):

1. **Pair** (username, address): after ``MAX_PER_PAIR`` failures in ``WINDOW`` that username is refused from that
   address until the oldest of those failures leaves the window. Other users of the address, and the same user
   from another address, are not affected.
2. **Account** (username, every address): after ``ACCOUNT_FREE`` failures in ``ACCOUNT_WINDOW`` each further
   attempt must wait a delay that doubles with every failure (1 s, 2 s, 4 s, ... at most ``ACCOUNT_MAX_DELAY``)
   after the previous one. This slows an attack spread over many addresses (a botnet) to about 4 guesses an hour;
   the longer window keeps the count from dropping back to zero every quarter of an hour. An address from which
   the account logged in successfully in the last ``KNOWN_ADDRESS_DAYS`` days is exempt, so the real user at their
   usual workplace is not slowed by an attack from elsewhere (the "known client" idea of OWASP's device cookies, using
   the address the audit log already has).
3. **Address** (unknown usernames): failures for usernames that do not exist (guessing names, or spraying) from one
   address beyond ``ADDRESS_FREE`` in ``WINDOW`` make every attempt from that address wait a short growing delay
   (at most ``ADDRESS_MAX_DELAY``). It applies to every username, so the answer never shows whether a username
   exists, and it is short, so it is never a lock-out of colleagues behind the same address.

A successful log-in clears the pair and account counts (failures before it no longer count). Attempts refused by
the throttle are audited (``denied``, "login throttled", the rule as object id) and do not count as failures.

The limits are assumptions (NCSC and OWASP give no numbers; django-axes' default is 3 failures and a cool-off the
deployment chooses): five tries covers a user's typing mistakes, and the figures in docs/reliability.md show the
guessing rate they leave.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from regie.audit.models import AuditRecord
from regie.audit.services import UNKNOWN_ACCOUNT, log, log_login_failed, municipality_of_username, origin_of

WINDOW = dt.timedelta(minutes=15)
MAX_PER_PAIR = 5
ACCOUNT_WINDOW = dt.timedelta(hours=24)
ACCOUNT_FREE = 10
ACCOUNT_MAX_DELAY = 15 * 60
ADDRESS_FREE = 20
ADDRESS_MAX_DELAY = 30
KNOWN_ADDRESS_DAYS = 30
# Kept for callers that read the old name: the per-username limit is now the per-(username, address) limit.
MAX_PER_USERNAME = MAX_PER_PAIR

T = TypeVar("T")


@dataclasses.dataclass
class LoginThrottled(Exception):
    """The attempt is refused before the credential is checked; ``retry_after`` in whole seconds."""

    retry_after: int
    rule: str

    @property
    def message(self) -> str:
        if self.retry_after >= 120:
            return gettext("Te veel mislukte inlogpogingen. Probeer het over %(minutes)d minuten opnieuw.") % {
                "minutes": math.ceil(self.retry_after / 60)
            }
        return gettext("Te veel mislukte inlogpogingen. Probeer het over %(seconds)d seconden opnieuw.") % {
            "seconds": max(1, self.retry_after)
        }


def _name(username: str) -> str:
    return (username or "")[:150]


def _failures():
    return AuditRecord.objects.filter(action="login_failed")


def _last_login(username: str, origin: str | None = None):
    qs = AuditRecord.objects.filter(action="login", actor=username)
    if origin is not None:
        qs = qs.filter(origin=origin)
    return qs.order_by("-timestamp").values_list("timestamp", flat=True).first()


def _wait(last: dt.datetime, delay: float, now: dt.datetime) -> int:
    return math.ceil((last + dt.timedelta(seconds=delay) - now).total_seconds())


def retry_after(username: str, origin: str, *, now: dt.datetime | None = None) -> tuple[int, str]:
    """Seconds to wait before ``username`` may try from ``origin`` (0: may try now), and the rule that decides."""
    now = now or timezone.now()
    username = _name(username)
    start = now - WINDOW
    waits = [(0, "")]

    # 1. the (username, address) pair
    since = max(start, _last_login(username, origin) or start)
    pair = list(
        _failures()
        .filter(actor=username, origin=origin, timestamp__gte=since)
        .order_by("-timestamp")
        .values_list("timestamp", flat=True)[:MAX_PER_PAIR]
    )
    if len(pair) >= MAX_PER_PAIR:
        waits.append((math.ceil((pair[-1] + WINDOW - now).total_seconds()), "pair"))

    # 2. the account, from every address, unless this is an address the account is known to log in from
    known = AuditRecord.objects.filter(
        action="login", actor=username, origin=origin, timestamp__gte=now - dt.timedelta(days=KNOWN_ADDRESS_DAYS)
    ).exists()
    if not known:
        account_start = now - ACCOUNT_WINDOW
        since = max(account_start, _last_login(username) or account_start)
        account = _failures().filter(actor=username, timestamp__gte=since)
        n = account.count()
        if n >= ACCOUNT_FREE:
            last = account.order_by("-timestamp").values_list("timestamp", flat=True).first()
            waits.append((_wait(last, min(2 ** (n - ACCOUNT_FREE), ACCOUNT_MAX_DELAY), now), "account"))

    # 3. the address, counting failures for usernames that do not exist
    unknown = _failures().filter(origin=origin, detail=UNKNOWN_ACCOUNT, timestamp__gte=start)
    m = unknown.count()
    if m >= ADDRESS_FREE:
        last = unknown.order_by("-timestamp").values_list("timestamp", flat=True).first()
        waits.append((_wait(last, min(2 ** (m - ADDRESS_FREE), ADDRESS_MAX_DELAY), now), "address"))

    return max(waits)


def check(request, username: str) -> None:
    """Raise :class:`LoginThrottled` (and audit the refusal) when ``username`` may not try now from this request's
    address. Call it before verifying any credential; it never reveals whether the username exists."""
    origin = origin_of(request)
    wait, rule = retry_after(username, origin)
    if wait > 0:
        log(
            actor=_name(username) or "anonymous",
            action="denied",
            object_type="session",
            result="denied",
            origin=origin,
            municipality_id=municipality_of_username(username),
            object_id=rule,
            detail="login throttled",
        )
        raise LoginThrottled(retry_after=wait, rule=rule)


def record_failure(request, username: str, credential: str = "") -> None:
    """Count a failed credential that did not go through ``authenticate()`` (a second factor, a recovery code)."""
    log_login_failed(request, username, detail=credential)


def check_and_count(request, username: str, verify: Callable[[], T]) -> T:
    """:func:`check`, then ``verify()``; a falsy result is recorded as a failure. For credentials other than the
    password (``authenticate()`` records its own failures through the ``user_login_failed`` signal)."""
    check(request, username)
    result = verify()
    if not result:
        record_failure(request, username)
    return result


def is_throttled(username: str, origin: str) -> bool:
    return retry_after(username, origin)[0] > 0


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("Te veel mislukte inlogpogingen. Probeer het over 15 minuten opnieuw."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        try:
            check(self.request, username)
        except LoginThrottled as exc:
            raise forms.ValidationError(exc.message, code="throttled") from None
        return super().clean()
