"""regie serve's worker warm-up (regie.platform.server.warm): what a fresh worker's first request would pay for is
done before it accepts requests; a municipality without a policy is skipped, not given one."""

from __future__ import annotations

import pytest

from regie.accounts.models import Municipality
from regie.platform import server

pytestmark = pytest.mark.django_db


def test_warm_imports_views_compiles_templates_and_policies(world):
    Municipality.objects.create(code="9999", name="Zonder beleid")
    done = server.warm()
    assert done["urls"] > 50
    assert done["templates"] >= len(server.WARM_TEMPLATES)
    # pages: the case page's section templates (other apps' includes) are compiled too
    assert "documents/_case_section.html" in server._regie_templates()
    assert done["templates"] == len(server._regie_templates())  # every one of Regie's templates compiles
    with_policy = Municipality.objects.exclude(code="9999").count()
    assert 1 <= done["policies"] <= with_policy  # 9999 has no policy: skipped


def test_startup_warmers_run_in_turn_before_requests_and_keep_the_heartbeat(monkeypatch):
    seen, beats = [], []
    monkeypatch.setattr(server, "STARTUP_WARMERS", [])
    server.register_startup_warmer(lambda: seen.append("first"))
    server.register_startup_warmer(lambda: 1 / 0)  # a failing warmer is logged; the next one still runs
    server.register_startup_warmer(lambda: seen.append("after the failure"))
    assert server.run_startup_warmers(heartbeat=lambda: beats.append(len(seen))) == 2
    assert seen == ["first", "after the failure"]
    assert beats == [1, 1, 2]  # a heartbeat after every warmer, the failing one too


def test_the_worker_warms_everything_before_it_returns_to_gunicorn(monkeypatch):
    """post_worker_init returns (and gunicorn starts accepting) only after the start-up warmers ran: nothing of
    them is left to a thread that would compete with the first requests."""
    import threading

    calls = []
    monkeypatch.setattr(server, "warm", lambda: calls.append("warm"))
    monkeypatch.setattr(server, "STARTUP_WARMERS", [lambda: calls.append("warmer")])
    monkeypatch.setattr(server, "tune_gc", lambda: calls.append("gc"))
    before = threading.active_count()

    class Worker:
        def notify(self):
            calls.append("notify")

    server._post_worker_init(Worker())
    assert calls == ["warm", "notify", "warmer", "notify", "gc"]  # the collector tuned last, over all that is warm
    assert threading.active_count() == before


def test_the_matching_caseload_is_one_of_them_and_builds_every_municipalitys_table(world):
    from regie.employers import selectors

    assert selectors.warm_caseload_tables in server.STARTUP_WARMERS  # registered by the employers app
    selectors._CACHE.clear()
    built = selectors.warm_caseload_tables()
    assert built >= 1 and len(selectors._CACHE) == built
    assert selectors._CACHE[world.a.pk].table is selectors.caseload_table(world.a)  # the first list finds it built


def test_tune_gc_freezes_what_is_loaded_and_collects_less_often():
    import gc

    before = gc.get_threshold()
    try:
        server.tune_gc()
        assert gc.get_threshold() == server.GC_THRESHOLD and server.GC_THRESHOLD[0] > before[0]
        assert gc.get_freeze_count() > 10_000  # the loaded modules, templates and policies are out of the walk
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
