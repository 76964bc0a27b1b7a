"""The package as a user installs it: `pip install .` (not editable) into a fresh virtual
environment, the source tree deleted, then the command line and the page run from elsewhere.

Offline by design: the virtual environment sees this machine's packages
(`--system-site-packages --without-pip`, so pip and setuptools are the machine's, not the old ones
that `venv` would bundle) and pip builds with them (`--no-build-isolation --no-deps
--no-index`), so nothing is downloaded; the project itself is built from a copy of the tree that
is deleted before anything runs. Also: every package the code imports is declared.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from geo.config import DASHBOARD
from geo.web.harness import free_port, healthy, stop_process
from geo.web.launch import run_arguments

ROOT = Path(__file__).resolve().parent.parent
# Not part of the source: anywhere, and at the top only (static/vendor has its own dist/ folders).
NOT_SOURCE_ANYWHERE = shutil.ignore_patterns("__pycache__", "*.egg-info")
NOT_SOURCE_AT_TOP = {
    ".git",
    "build",
    "dist",
    ".venv",
    ".pytest_cache",
    ".ruff_cache",
    ".mypy_cache",
}


def not_source(directory: str, names: list[str]) -> set[str]:
    ignored = set(NOT_SOURCE_ANYWHERE(directory, names))
    return ignored | (NOT_SOURCE_AT_TOP & set(names) if Path(directory) == ROOT else set())


PLACES = "name,departement\nRoubaix,\nValence,26\nBlorptown,\n"


def run(command: list[str], cwd: Path, env: dict[str, str], timeout: float = 300):
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def run_python(installed: tuple[Path, Path, dict[str, str]], script: str) -> str:
    """What `script` prints, run by the installed environment's Python outside the tree; it
    must succeed."""
    python, elsewhere, env = installed
    done = run([str(python), "-c", script], elsewhere, env)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path, dict[str, str]]:
    """(the venv's python, a directory outside the tree, the environment to run in)."""
    base = tmp_path_factory.mktemp("install")
    source, venv, elsewhere = base / "source", base / "venv", base / "elsewhere"
    shutil.copytree(ROOT, source, ignore=not_source)
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env |= {"CARTE_ESS_CACHE_DIR": str(base / "cache"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    # Without its own pip and setuptools: the machine's (setuptools>=77, the test extra) build it.
    venv_command = [sys.executable, "-m", "venv", "--system-site-packages", "--without-pip"]
    created = run([*venv_command, str(venv)], base, env)
    assert created.returncode == 0, created.stderr
    python = venv / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index"]
    done = run([*pip, str(source)], base, env)
    assert done.returncode == 0, done.stdout + done.stderr
    shutil.rmtree(source)
    return python, elsewhere, env


@pytest.mark.install
def test_the_installed_package_reads_its_own_copy_of_the_data(installed):
    found = run_python(
        installed,
        "import geo, geo.config as c, geo.geocoding.paths as p\n"
        "for path in (geo.__file__, p.DATA_DIR, c.STATIC_DIR, c.DASHBOARD, p.GAZETTEER_DIR):\n"
        "    print(path)\n",
    )
    paths = [Path(line) for line in found.splitlines()]
    venv = installed[0].parent.parent
    assert all(path.is_relative_to(venv) for path in paths), paths
    assert all(path.exists() for path in paths), paths
    assert (paths[2] / "vendor" / "MANIFEST.json").is_file()


@pytest.mark.install
def test_the_installed_command_line_geocodes_from_another_directory(installed):
    python, elsewhere, env = installed
    (elsewhere / "places.csv").write_text(PLACES, encoding="utf-8")
    geocoded = run([str(python), "-m", "geo", "geocode", "places.csv"], elsewhere, env)
    assert geocoded.returncode == 0, geocoded.stderr
    lines = geocoded.stdout.splitlines()
    assert lines[0].startswith("name,departement,geo_status,geo_lat,geo_lon")
    assert [line.split(",")[2] for line in lines[1:]] == ["resolved", "resolved", "not_found"]
    assert ",26362," in lines[2]  # Valence in the Drôme, from the shipped gazetteer
    mapped = run([str(python), "-m", "geo", "map", "places.csv", "-o", "map.html"], elsewhere, env)
    assert mapped.returncode == 0, mapped.stderr
    html = (elsewhere / "map.html").read_text(encoding="utf-8")
    assert "Roubaix" in html and "cdn.jsdelivr" not in html  # the shipped assets, inlined


@pytest.mark.install
def test_the_installed_page_runs(installed):
    title = run_python(
        installed,
        "from streamlit.testing.v1 import AppTest\n"
        "from geo.config import DASHBOARD\n"
        "app = AppTest.from_file(str(DASHBOARD), default_timeout=120).run()\n"
        "assert not app.exception, app.exception\n"
        "print(app.title[0].value)\n",
    )
    assert "French Impact" in title


@pytest.mark.install
def test_carte_ess_serves_the_page_from_another_directory(installed):
    python, elsewhere, env = installed
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    launch = [str(python.parent / "carte-ess"), "--server.port", str(port)]
    launch += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    log = elsewhere / "carte-ess.log"
    with log.open("wb") as out:
        server = subprocess.Popen(launch, cwd=elsewhere, env=env, stdout=out, stderr=out)
    try:
        for _ in range(240):  # 60 s at most
            if healthy(url) or server.poll() is not None:
                break
            time.sleep(0.25)
        assert healthy(url), log.read_text(encoding="utf-8", errors="replace")
    finally:
        stop_process(server)


def test_carte_ess_passes_the_project_streamlit_settings():
    line = run_arguments(DASHBOARD, ["--server.port", "9999"])
    assert line[0] == "run" and line[1].endswith("dashboard.py")
    assert "--browser.gatherUsageStats=false" in line  # from .streamlit/config.toml
    assert line[-2:] == ["--server.port", "9999"]  # the user's options come last and win


# --- every import is declared -------------------------------------------------------------------

RUNTIME_CODE = [*sorted((ROOT / "geo").rglob("*.py")), ROOT / "dashboard.py"]
# benchmarks/addok_worker.py runs in addok's own throwaway environment, never in ours
# (benchmarks/peer.py; tests/test_peer.py checks that it imports addok alone).
BENCHMARK_CODE = sorted(
    set((ROOT / "benchmarks").glob("*.py")) - {ROOT / "benchmarks" / "addok_worker.py"}
)


def third_party_imports(paths: list[Path]) -> set[str]:
    """Top-level names imported by `paths` that are neither the standard library nor ours."""
    names = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"geo", "benchmarks", "tests", "deploy"}


def declared(*groups: str) -> set[str]:
    """Normalised distribution names of pyproject's dependencies (and of optional `groups`)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for group in groups:
        requirements += project["optional-dependencies"][group]
    return {normalised(re.split(r"[\s<>=!~;\[]", requirement)[0]) for requirement in requirements}


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def undeclared(paths: list[Path], allowed: set[str]) -> dict[str, list[str]]:
    providers = packages_distributions()
    missing = {}
    for name in sorted(third_party_imports(paths)):
        distributions = {normalised(d) for d in providers.get(name, [name])}
        if not distributions & allowed:
            missing[name] = sorted(distributions)
    return missing


def test_every_package_the_app_imports_is_a_dependency():
    assert undeclared(RUNTIME_CODE, declared()) == {}


def test_every_package_the_benchmarks_import_is_in_the_bench_extra():
    assert undeclared(BENCHMARK_CODE, declared("bench")) == {}


def test_the_check_sees_an_undeclared_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import json\nimport numpy as np\nfrom pyarrow import compute\n")
    assert undeclared([sample], declared()) == {}
    assert undeclared([sample], declared() - {"pyarrow"}) == {"pyarrow": ["pyarrow"]}
