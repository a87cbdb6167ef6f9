"""Production server: gunicorn serving the WSGI app (static files via WhiteNoise)."""

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


def run(host: str, port: int, workers: int) -> None:
    _App({
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
    }).run()
