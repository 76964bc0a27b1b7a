"""The code base stays lint-clean: ruff (lint and format) and, for the app's own scripts
(static/js), ESLint are part of the test suite."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo.web.harness import axe_prefix

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "static" / "js"
ESLINT = Path("node_modules") / ".bin" / "eslint"
ESLINT_INSTALL = "eslint@9 @eslint/js@9 globals"  # as .ci/run installs them


def run_ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True
    )


def test_ruff_check_is_clean():
    result = run_ruff("check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = run_ruff("format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_eslint_is_clean():
    """Every file of static/js passes ESLint's recommended rules (eslint.config.cjs; not
    static/vendor). ESLint comes from npm, installed outside the checkout beside axe-core
    (.ci/run does it): without it this fails under CI and is skipped elsewhere, saying how to
    install it."""
    prefix = axe_prefix()
    eslint = prefix / ESLINT
    if not eslint.is_file():
        message = f"ESLint not installed (npm install --prefix {prefix} {ESLINT_INSTALL})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    result = subprocess.run(
        [str(eslint), "--format", "json", "--max-warnings", "0", "static/js"],
        cwd=ROOT,
        env={**os.environ, "NODE_PATH": str(prefix / "node_modules")},  # the config's requires
        capture_output=True,
        text=True,
    )
    assert result.stdout.startswith("["), result.stderr  # a report, not a crash
    report = json.loads(result.stdout)
    assert {Path(file["filePath"]) for file in report} == set(SCRIPTS.glob("*.js"))
    problems = [
        f"{Path(file['filePath']).name}:{m['line']}:{m['column']} {m['message']} ({m['ruleId']})"
        for file in report
        for m in file["messages"]
    ]
    assert not problems and result.returncode == 0, "\n".join(problems) or result.stderr
