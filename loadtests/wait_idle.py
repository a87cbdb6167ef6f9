"""Wait until the job queue is idle: no job due (READY with run_after passed or unset) or RUNNING.

loadtests/run.sh calls this after `regie serve` started, so the analytic store builds that `regie demo` queued
(``analytics.tasks.write_copy``, one per municipality: the demo has two) finish before the load starts: they are
not page traffic. Usage: python loadtests/wait_idle.py [TIMEOUT_SECONDS]; exit 1 on timeout.
"""

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.platform.settings")
import django  # noqa: E402

django.setup()
from django_tasks_db.models import DBTaskResult  # noqa: E402

timeout = float(sys.argv[1]) if len(sys.argv) > 1 else 900
start = time.monotonic()
while True:
    busy = DBTaskResult.objects.ready() | DBTaskResult.objects.running()
    names = sorted({p.rsplit(".", 1)[-1] for p in busy.values_list("task_path", flat=True)})
    if not names:
        print(f"job queue idle after {time.monotonic() - start:.0f} s")
        break
    if time.monotonic() - start > timeout:
        print(f"job queue still busy after {timeout:.0f} s: {', '.join(names)}", file=sys.stderr)
        sys.exit(1)
    time.sleep(2)
