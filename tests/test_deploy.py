"""The deploy of README's Production section works from the wheel alone: built from (a copy
of) the checkout, installed offline from a wheelhouse into a fresh virtualenv, migrated and
served by gunicorn from a folder outside the checkout. The wheel must carry config.py, the
templates, the static files and the migrations.

The deploy test needs the package index (the build backend and the dependencies) and takes
about a minute: ``pytest -m "not deploy"`` leaves it out."""

from __future__ import annotations

import secrets
import shutil
import sqlite3
import subprocess
import sys
import tomllib
import urllib.request
from pathlib import Path

import pytest

import hoering.models  # noqa: F401 - every table on the metadata
from hoering.core.db import db
from tests.live_gunicorn import clean_env, gunicorn

ROOT = Path(__file__).resolve().parents[1]
# Left out of the copy that is built: what is not source (setuptools writes build/ and
# *.egg-info into the folder it builds, so the checkout itself is not built in place).
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "venv", "__pycache__", "*.pyc", "*.egg-info", "build", "dist",
    "instance", ".*cache", "test-artifacts", "node_modules",
)
# The folders the wheel ships, as pyproject's [tool.setuptools] maps them.
SHIPPED = {"hoering": ROOT / "hoering", "hoering.templates": ROOT / "templates",
           "hoering.migrations": ROOT / "migrations"}


def test_every_shipped_folder_is_listed_in_pyproject():
    """setuptools' find cannot be combined with package-dir, so pyproject lists the
    packages; a new package (or template folder) must be added there."""
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert settings["py-modules"] == ["config"]
    assert {name: ROOT / path for name, path in settings["package-dir"].items()} == {
        name: path for name, path in SHIPPED.items() if name != "hoering"}
    on_disk = set()
    for name, top in SHIPPED.items():
        for folder in [top, *top.rglob("*")]:
            if folder.is_dir() and "__pycache__" not in folder.parts and any(
                f.is_file() and "__pycache__" not in f.parts for f in folder.rglob("*")
            ):
                on_disk.add(".".join([name, *folder.relative_to(top).parts]))
    assert sorted(on_disk - set(settings["packages"])) == [], "add these to pyproject"
    assert sorted(set(settings["packages"]) - on_disk) == [], "remove these from pyproject"


def _run(command: list[str | Path], *, cwd: Path, env: dict[str, str],
         timeout: float) -> str:
    result = subprocess.run([str(part) for part in command], cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, (
        f"{' '.join(map(str, command))} exited {result.returncode}:\n"
        f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def _offline(env: dict[str, str]) -> dict[str, str]:
    """No pip configuration at all (this machine's adds indexes and find-links): the
    install sees the wheelhouse only."""
    return {**{k: v for k, v in env.items() if not k.startswith("PIP_")},
            "PIP_CONFIG_FILE": "/dev/null", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


@pytest.mark.deploy
def test_the_wheel_deploys_migrates_and_serves_outside_the_checkout(tmp_path):
    assert ROOT not in tmp_path.parents
    env = clean_env()
    source, dist, wheelhouse, run = (tmp_path / name for name in (
        "source", "dist", "wheelhouse", "run"))
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    run.mkdir()

    pip = [sys.executable, "-m", "pip"]
    _run([*pip, "wheel", "--no-deps", "--wheel-dir", dist, source],
         cwd=tmp_path, env=env, timeout=180)
    [wheel] = dist.glob("hoering-*.whl")
    _run([*pip, "wheel", "--wheel-dir", wheelhouse, wheel], cwd=tmp_path, env=env, timeout=300)

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], cwd=tmp_path, env=env, timeout=120)
    python = venv / "bin" / "python"
    _run([python, "-m", "pip", "install", "--no-index", "--find-links", wheelhouse,
          wheelhouse / wheel.name], cwd=run, env=_offline(env), timeout=300)
    located = _run([python, "-c", "import config, hoering; print(config.__file__); "
                    "print(hoering.__file__)"], cwd=run, env=env, timeout=60).split()
    assert all(Path(path).is_relative_to(venv) for path in located), located

    database = run / "hoering.sqlite3"
    production = clean_env(HOERING_ENV="production", SECRET_KEY=secrets.token_hex(32),
                           DATABASE_URL=f"sqlite:///{database}")
    _run([venv / "bin" / "flask", "--app", "hoering", "db", "upgrade"],
         cwd=run, env=production, timeout=120)
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        [[revision]] = connection.execute("SELECT version_num FROM alembic_version")
    assert set(db.metadata.tables) <= tables, set(db.metadata.tables) - tables
    assert revision

    command = [str(venv / "bin" / "gunicorn"), "--workers", "2",
               'hoering:create_app("production")']
    with gunicorn(command, env=production, cwd=run, log=tmp_path / "gunicorn.log") as base:
        with urllib.request.urlopen(f"{base}/login", timeout=30) as page:  # noqa: S310
            assert page.status == 200
            assert "<h1>Log ind</h1>" in page.read().decode("utf-8")
        with urllib.request.urlopen(f"{base}/static/hoering.css", timeout=30) as css:  # noqa: S310
            assert css.status == 200 and css.read()
