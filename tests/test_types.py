"""geo/ and the page type-check: mypy, configured in pyproject.toml's [tool.mypy], is part of the
test suite, so a wrong annotation or a value that may be None fails like any other test."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_mypy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", "pyproject.toml", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_mypy_is_clean():
    result = run_mypy()
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_check_sees_an_error(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('def half(n: int) -> int:\n    return n // 2\n\n\nhalf("4")\n')
    result = run_mypy(str(sample))
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'Argument 1 to "half" has incompatible type "str"; expected "int"' in result.stdout
