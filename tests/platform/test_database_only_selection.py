"""CI's PostgreSQL pass runs only the tests that reach the database (tests/conftest.py, `reaches_database`)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import reaches_database

HERE = Path(__file__).resolve().parent.parent


class _Item:
    def __init__(self, path: Path, fixturenames=(), marker: str | None = None):
        self.path, self.fixturenames, self._marker = path, list(fixturenames), marker

    def get_closest_marker(self, name):
        return object() if name == self._marker else None


def test_a_core_test_without_database_fixtures_is_left_out(tmp_path):
    module = tmp_path / "test_core_thing.py"
    module.write_text("def test_sum():\n    assert 1 + 1 == 2\n", encoding="utf-8")
    assert not reaches_database(_Item(module, ["settings", "tmp_path"]))
    # pytest-django's autouse fixtures ask every test for the blocker: it says nothing about the test.
    assert not reaches_database(_Item(module, ["django_db_blocker", "settings"]))


def test_database_fixtures_and_the_marker_keep_a_test(tmp_path):
    module = tmp_path / "test_core_other.py"
    module.write_text("def test_x():\n    pass\n", encoding="utf-8")
    assert reaches_database(_Item(module, ["db"]))
    assert reaches_database(_Item(module, ["world", "transactional_db"]))
    assert reaches_database(_Item(module, ["cli_db"]))
    assert reaches_database(_Item(module, [], marker="django_db"))


def test_a_module_reaching_a_database_by_its_own_means_is_kept(tmp_path):
    module = tmp_path / "test_cli_thing.py"
    module.write_text("import subprocess\n\ndef test_cli():\n    subprocess.run(['true'])\n", encoding="utf-8")
    assert reaches_database(_Item(module))


def test_the_suites_own_subprocess_tests_are_kept():
    """The tests that start `regie serve` or the CLI against DATABASE_URL ask for no database fixture."""
    for name in ("platform/test_serve_stops.py", "platform/test_serve_fails_closed.py", "security/test_concurrency.py"):
        assert reaches_database(_Item(HERE / name)), name
    assert not reaches_database(_Item(HERE / "policy" / "test_register.py"))
