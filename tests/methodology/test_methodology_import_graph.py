"""The rules core imports nothing from Django (DESIGN.md section 2).

Each module of bagalau.methodology is imported in a fresh interpreter, one after the other, and
after each import `sys.modules` must hold no django module; the first offender is named. A static
check of the sources backs it up, so a lazy import inside a function is caught too.
"""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import bagalau.methodology

PACKAGE_DIR = Path(bagalau.methodology.__file__).parent
MODULES = ["bagalau.methodology"] + [
    f"bagalau.methodology.{m.name}" for m in pkgutil.iter_modules([str(PACKAGE_DIR)])
]

PROBE = """
import importlib, json, sys
culprits = []
for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
    if any(m == "django" or m.startswith("django.") for m in sys.modules):
        culprits.append(name)
        break
print(json.dumps(culprits))
"""


def test_every_core_module_imports_without_django():
    assert len(MODULES) >= 15  # calendar, kpi, ranking, survey360, commission, deadlines, eligibility...
    src = str(PACKAGE_DIR.parent.parent)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(MODULES)],
        capture_output=True, text=True, check=True, env={"PYTHONPATH": src, "PATH": ""},
    )
    assert json.loads(result.stdout) == []


def test_no_core_source_mentions_a_django_import():
    for path in PACKAGE_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n == "django" or n.startswith("django.") for n in names), path.name


def test_design_modules_exist():
    expected = {"calendar", "kpi", "ranking", "survey360", "commission", "deadlines", "eligibility",
                "decision", "versions"}
    assert expected <= {m.rsplit(".", 1)[-1] for m in MODULES}
