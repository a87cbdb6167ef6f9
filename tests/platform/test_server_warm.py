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
