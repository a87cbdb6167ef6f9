"""Command-line plumbing shared by every app's commands: Django set-up, progress bars, consoles. The platform's
own commands are in :mod:`regie.platform.commands`."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

console = Console(stderr=True)
out = Console()


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.platform.settings")
    import django

    django.setup()


@contextmanager
def progress_bar(description: str, total: int | None):
    """A Rich progress bar on a terminal; plain "description: n/total" lines every 10% otherwise (logs, CI)."""
    if console.is_terminal:
        columns = [
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        ]
        with Progress(*columns, console=console) as prog:
            task = prog.add_task(description, total=total)
            yield lambda n=1: prog.advance(task, n)
        return
    state = {"done": 0, "next": 0}
    step = max(1, (total or 0) // 10)

    def advance(n: int = 1) -> None:
        state["done"] += n
        if state["done"] >= state["next"]:
            print(f"{description}: {state['done']}/{total}", file=sys.stderr, flush=True)
            state["next"] = state["done"] + step

    yield advance
    print(f"{description}: {state['done']}/{total} done", file=sys.stderr, flush=True)
