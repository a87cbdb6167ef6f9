"""Production server: gunicorn serving the WSGI app (static files via WhiteNoise), and the job worker beside it."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication


class _App(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from regie.platform.wsgi import application

        return application


def _worker_exit(server, worker) -> None:
    """Leave a web worker at once when it has finished (gunicorn calls this in the worker, after its requests are
    done and its sockets closed). Without it a worker that used polars hangs in interpreter shutdown on polars'
    spill-file cleaner thread until gunicorn's graceful timeout (30 s) kills it, so every stop and restart took
    30 s. Nothing of ours runs at exit in a web worker: Django closes database connections per request."""
    import os

    os._exit(0)


# Templates of the pages users wait on (worklist, case page, start page, agenda, step form): compiled at worker
# start so that the first request of a fresh worker does not pay for it.
WARM_TEMPLATES = (
    "casework/worklist.html",
    "casework/client_detail.html",
    "casework/step_form.html",
    "agenda/start.html",
    "agenda/week.html",
    "regie/base.html",
)


def _regie_templates() -> list[str]:
    """The names of the templates in the ``templates`` directories of Regie's own apps."""
    from pathlib import Path

    from django.template.utils import get_app_template_dirs

    import regie

    root = Path(regie.__file__).resolve().parent
    names = []
    for d in get_app_template_dirs("templates"):
        d = Path(d).resolve()
        if root in d.parents:
            names += sorted(str(p.relative_to(d)) for p in d.rglob("*.html"))
    return names


# Warm-ups of seconds (e.g. the matching caseload of a large municipality): an app registers one in its
# AppConfig.ready; each web worker runs them after :func:`warm`, before it accepts its first request. They used to
# run in a background thread while the worker served: at 50,000 clients the matching caseload took 1.6 s of CPU
# that held the GIL against the worker's first requests (first worklist 0.9-1.8 s, start page 0.4-1.7 s, against
# 0.21-0.25 s and 0.12-0.20 s without it: loadtests/first_request.sh, docs/performance.md "Fresh workers and the
# longest loops"). While a
# worker warms, the others serve; gunicorn's heartbeat is kept between the warmers.
STARTUP_WARMERS: list = []


def register_startup_warmer(fn) -> None:
    """Run ``fn()`` (no arguments) in each web worker at start-up, after :func:`warm`."""
    if fn not in STARTUP_WARMERS:
        STARTUP_WARMERS.append(fn)


def run_startup_warmers(heartbeat=None) -> int:
    """Run the registered start-up warmers in turn (a failing one is logged, the next still runs), calling
    ``heartbeat()`` after each; returns how many succeeded. Closes this thread's database connections after."""
    import logging

    from django.db import connections

    done = 0
    try:
        for fn in list(STARTUP_WARMERS):
            try:
                fn()
                done += 1
            except Exception:  # noqa: BLE001  (a failed warm-up only makes that page's first request slower)
                logging.getLogger(__name__).exception("start-up warm-up failed")
            if heartbeat is not None:
                heartbeat()
    finally:
        for conn in connections.all(initialized_only=True):
            if not conn.in_atomic_block:
                conn.close()
    return done


def warm() -> dict[str, int]:
    """What a fresh web worker would otherwise do on its first requests: import every view (the URL resolver),
    compile the main templates, and load and compile the policy in force of every municipality (the policy set
    is cached per process). Returns how many of each were warmed. A municipality without a policy is skipped
    (its pages say so; nothing is assumed here)."""
    import datetime as dt

    from django.apps import apps
    from django.db import connections
    from django.template.loader import get_template
    from django.urls import get_resolver

    from regie.core.policy import PolicyUnavailable, policy_for

    # by app registry, not import: platform sits below accounts in the layers (the server only reads the codes)
    Municipality = apps.get_model("accounts", "Municipality")  # noqa: N806

    resolver = get_resolver()
    n_urls = len(resolver.reverse_dict)  # builds the resolver: imports every urls module and its views
    # pages: each namespace (agenda:, legal:, ...) builds its own reverse table on its first reverse(); the
    # navigation of every page reverses into several of them
    todo = [resolver]
    while todo:
        for _prefix, sub in todo.pop().namespace_dict.values():
            len(sub.reverse_dict)
            todo.append(sub)
    # pages: and the translation catalogues of every language (loaded on their first use)
    from django.conf import settings
    from django.utils import translation

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Mijn caseload")
    templates = 0
    for name in WARM_TEMPLATES:
        get_template(name)
        templates += 1
    # pages: and every other template of Regie's apps -- the case page includes a dozen section templates and
    # inclusion tags of other apps, each compiled on its first use (about 1 s for all 143 at start-up instead of
    # on the first case pages); a template that does not compile is left to fail where it is used
    for name in _regie_templates():
        if name not in WARM_TEMPLATES:
            try:
                get_template(name)
                templates += 1
            except Exception:  # noqa: BLE001
                pass
    policies = 0
    today = dt.date.today()
    try:
        for code in Municipality.objects.values_list("code", flat=True):
            try:
                policy_for(code, today)
                policies += 1
            except PolicyUnavailable:
                pass
    finally:
        # the worker's threads open their own connections; a connection inside a transaction (a test's) is left
        for conn in connections.all(initialized_only=True):
            if not conn.in_atomic_block:
                conn.close()
    return {"urls": n_urls, "templates": templates, "policies": policies}


def _post_worker_init(worker) -> None:
    """gunicorn calls this in each web worker after it loaded the app, before it accepts requests."""
    import logging

    try:
        warm()
    except Exception:  # noqa: BLE001  (a failed warm-up only makes the first request slower)
        logging.getLogger(__name__).exception("worker warm-up failed")
    heartbeat = worker.notify  # gunicorn kills a worker silent for `timeout` seconds, also while it warms
    heartbeat()
    run_startup_warmers(heartbeat=heartbeat)
    tune_gc()


GC_THRESHOLD = (10_000, 20, 20)  # pages12: gen-0 threshold, then the older generations (CPython: 700, 10, 10)


def tune_gc() -> None:
    """pages12: the cyclic garbage collector of a warmed web worker. What the warm-up loaded (modules, templates,
    URL patterns, policies: about a million objects) is moved out of the collector's generations (``gc.freeze``),
    so a collection no longer walks it, and collections run less often: a cold request allocates tens of thousands
    of container objects (model rows, template nodes' contexts), and with CPython's default threshold of 700 the
    collector ran ~2.5 times a request at ~1.1 ms each (docs/performance.md, "Pages, 3 December night"). Reference
    counting still frees everything that is not in a cycle at once; only cyclic garbage waits for a collection."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


SHARED_DIR_ENV = "REGIE_SHARED_MEMO_DIR"  # read by regie.casework.derived.shared_memo


def run(host: str, port: int, workers: int) -> None:
    """gunicorn in this process; its web workers share one memo directory (casework.derived, "shared memo") that
    lives as long as the server: made here, before the workers are forked, and removed when the server stops."""
    import os
    import shutil
    import tempfile

    memo_dir = tempfile.mkdtemp(prefix="regie-memo-")
    os.environ[SHARED_DIR_ENV] = memo_dir
    try:
        _serve(host, port, workers)
    finally:
        os.environ.pop(SHARED_DIR_ENV, None)
        shutil.rmtree(memo_dir, ignore_errors=True)


def _serve(host: str, port: int, workers: int) -> None:
    _App(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": 4,
            "worker_class": "gthread",
            "accesslog": None,  # access logs would carry client ids in URLs; the audit log records access instead
            "errorlog": "-",
            "timeout": 60,
            # Keep idle connections longer than clients wait between requests, so a request is never sent on a
            # connection the server is closing at that moment (seen as resets under load with the 2 s default).
            "keepalive": 30,
            "worker_exit": _worker_exit,
            "post_worker_init": _post_worker_init,
        }
    ).run()


def start_worker():
    """``regie worker`` as a child process of the server; it stops with the server (and, on Linux, when the server
    is killed). None when the jobs run inline (``REGIE_JOBS_INLINE=1``: no queue to work on)."""
    import os
    import subprocess
    import sys

    from regie.platform import jobs

    if jobs.inline():
        return None

    def die_with_parent() -> None:  # pragma: no cover  (runs in the child)
        try:
            import ctypes
            import signal

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    return subprocess.Popen(
        [sys.executable, "-m", "regie.cli", "worker"],
        env=os.environ.copy(),
        preexec_fn=die_with_parent if sys.platform.startswith("linux") else None,
    )


def stop_worker(proc, timeout: float = 10) -> None:
    """Ask the worker to stop (it finishes a running job within ``timeout`` s, else it is killed and the job is
    shown as interrupted later: the stale rule of regie.platform.jobs)."""
    import subprocess

    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
