"""Fixtures of the agenda tests: the shared two-municipality world plus helpers to plan appointments."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def km(world):
    return world.users_a["integrale_klantmanager"]


@pytest.fixture
def case_a(world):
    return world.clients_a[0].cases.get()


@pytest.fixture
def case_b(world):
    return world.clients_b[0].cases.get()


def next_weekday(days: int = 1) -> dt.date:
    from django.utils import timezone

    d = timezone.localdate() + dt.timedelta(days=days)
    while d.weekday() >= 5:
        d += dt.timedelta(days=1)
    return d
