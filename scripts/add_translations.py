"""Add or update English translations in src/regie/platform/locale/en/LC_MESSAGES/django.po and recompile the .mo.

Usage: python scripts/add_translations.py PAIRS.json
PAIRS.json is an object {"Dutch msgid": "English msgstr", ...}. Safe to run from several processes at once (the
catalogue is locked while it is rewritten). `make messages` (xgettext over the whole tree) remains the full refresh.
"""

from __future__ import annotations

import fcntl
import json
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parents[1] / "src" / "regie" / "platform" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def add(pairs: dict[str, str]) -> int:
    with open(PO.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        po = polib.pofile(str(PO))
        changed = 0
        for msgid, msgstr in pairs.items():
            if not msgid or not msgstr:
                raise SystemExit(f"empty msgid or msgstr: {msgid!r} -> {msgstr!r}")
            entry = po.find(msgid)
            if entry is None:
                po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
                changed += 1
            elif entry.msgstr != msgstr or "fuzzy" in entry.flags:
                entry.msgstr = msgstr
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                changed += 1
        po.save(str(PO))
        po.save_as_mofile(str(PO.with_suffix(".mo")))
    return changed


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    n = add(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
    print(f"{n} translation(s) added or updated in {PO}")
