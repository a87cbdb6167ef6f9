"""Print the usernames of the demo municipality's caseworkers (input for the load test)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.platform.settings")
import django  # noqa: E402

django.setup()
from regie.accounts.models import User  # noqa: E402
from regie.core.records import CASEWORKER_ROLES  # noqa: E402

for name in User.objects.filter(role__in=CASEWORKER_ROLES).values_list("username", flat=True):
    print(name)
