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


def test_background_warmers_run_in_their_own_thread_after_start_up(monkeypatch):
    import threading

    seen = []
    monkeypatch.setattr(server, "BACKGROUND_WARMERS", [])
    server.register_background_warmer(lambda: seen.append(threading.current_thread().name))
    server.register_background_warmer(lambda: 1 / 0)  # a failing warmer is logged; the next one still runs
    server.register_background_warmer(lambda: seen.append("after the failure"))
    thread = server.warm_in_background()
    thread.join(timeout=10)
    assert seen == ["regie-warm", "after the failure"] and thread.daemon


def test_the_matching_caseload_is_one_of_them_and_builds_every_municipalitys_table(world):
    from regie.employers import selectors

    assert selectors.warm_caseload_tables in server.BACKGROUND_WARMERS  # registered by the employers app
    selectors._CACHE.clear()
    built = selectors.warm_caseload_tables()
    assert built >= 1 and len(selectors._CACHE) == built
    assert selectors._CACHE[world.a.pk].table is selectors.caseload_table(world.a)  # the first list finds it built
