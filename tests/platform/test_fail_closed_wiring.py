"""Our own modules are wired without silent fallbacks: a broken command module is a crash, not a missing command;
a navigation entry that does not resolve is an error, not a hidden entry; no ``except ImportError`` around our own
imports anywhere in the package."""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import pytest
from django.urls import NoReverseMatch

import regie

SRC = Path(regie.__file__).resolve().parent


def test_a_broken_command_module_breaks_the_cli(monkeypatch):
    """Before, ``regie lab`` vanished with exit 0 when lab's command module failed to import."""
    import regie.lab

    monkeypatch.setitem(sys.modules, "regie.lab.cli", None)  # the import of it now raises ImportError
    monkeypatch.delattr(regie.lab, "cli", raising=False)  # (an earlier import left it on the package)
    monkeypatch.delitem(sys.modules, "regie.cli", raising=False)
    with pytest.raises(ImportError):
        importlib.import_module("regie.cli")
    monkeypatch.undo()
    importlib.import_module("regie.cli")


def test_every_app_mounts_its_commands():
    from typer.main import get_command

    from regie.cli import app

    names = set(get_command(app).commands)
    assert {
        "migrate",
        "serve",
        "import",
        "export",
        "demo",
        "createuser",
        "audit",
        "kpi",
        "signals",
        "stats",
        "equity",
        "lab",
        "policy",
        "projections",
        "schema",
        "backup",
        "restore",
    } <= names


@pytest.mark.django_db
def test_navigation_entry_that_does_not_resolve_is_an_error(rf, monkeypatch, world):
    from regie.accounts import navigation

    request = rf.get("/")
    request.user = world.users_a["teammanager"]
    assert navigation.navigation(request)["nav_items"]  # the real entries resolve
    monkeypatch.setattr(navigation, "NAV", [*navigation.NAV, ("no_such_page", "Nergens", "view_clients")])
    with pytest.raises(NoReverseMatch):
        navigation.navigation(request)


def test_no_import_fallbacks_in_the_package():
    offenders = [
        f"{p.relative_to(SRC)}:{n}"
        for p in SRC.rglob("*.py")
        if "migrations" not in p.parts
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"except\s*\(?[^)]*\b(ImportError|ModuleNotFoundError)\b", line)
    ]
    assert offenders == []
