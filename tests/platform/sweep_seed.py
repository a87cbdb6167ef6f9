"""Fill a database with the sweep's world for the browser sweep: ``python -m tests.platform.sweep_seed OUT.json``
with DATABASE_URL (and REGIE_VAR_DIR) set as for the server. Writes each role's username and each page's URL."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path


def main(out: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.platform.settings")
    import django

    django.setup()
    from django.db import transaction

    from tests.platform.sweep import build_world
    from tests.platform.test_page_sweep import _page_ids, url_for

    with tempfile.TemporaryDirectory() as tmp, transaction.atomic():
        world = build_world(Path(tmp))
    pages = {}
    for page_id in _page_ids():
        url, spec = url_for(page_id, world)
        if url and not spec.get("file"):
            pages[page_id] = url
    users = {role: u.username for role, u in world.users.items()}
    Path(out).write_text(json.dumps({"users": users, "pages": pages}), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
