"""After `makemessages`: keep the catalogue entries it marked obsolete.

xgettext cannot see the Dutch texts the domain core returns (translated by the adapters at run time) nor labels
built from data, so makemessages marks their entries obsolete; they are still used. New entries stay untranslated
until translated (scripts/add_translations.py), which the i18n test reports.
"""

from pathlib import Path

import polib

PO = Path(__file__).resolve().parents[1] / "src" / "regie" / "platform" / "locale" / "en" / "LC_MESSAGES" / "django.po"

po = polib.pofile(str(PO))
kept = 0
for entry in po.obsolete_entries():
    entry.obsolete = False
    kept += 1
po.save(str(PO))
print(f"kept {kept} entries makemessages could not find in the templates and adapters")
