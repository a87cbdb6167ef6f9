"""The domain core imports nothing from Django (docs/architecture.md)."""

import subprocess
import sys


def test_core_modules_import_without_django():
    code = (
        "import sys, importlib, pkgutil, regie.core as core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'regie.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [n for n in sys.modules if n == 'django' or n.startswith('django.')]\n"
        "print(len(bad)); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
