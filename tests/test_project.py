"""Project-level checks: migrations match the models, SQLite pragmas, every setting documented, the CLI."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from alembic import command
from sqlalchemy import text

from bot.settings import PROJECT_ROOT, Settings
from bot.store.db import alembic_config, engine_for, migrate
from tests.conftest import SEEDS


def test_models_and_migrations_do_not_drift(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'drift.db'}"
    migrate(url)
    command.check(alembic_config(url))  # raises when autogenerate would produce operations


def test_downgrade_and_upgrade_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'round.db'}"
    migrate(url)
    command.downgrade(alembic_config(url), "base")
    with engine_for(url).connect() as conn:
        names = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
    assert names <= {"alembic_version"}
    migrate(url)


def test_sqlite_runs_in_wal_with_foreign_keys_and_busy_timeout(settings) -> None:  # type: ignore[no-untyped-def]
    with engine_for(settings.database_url).connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar_one() >= 1000


def test_every_setting_is_in_env_example_with_a_comment() -> None:
    read = set(Settings.variables())
    assert {"DATABASE_URL", "SPACY_MODEL", "MAX_ARTICLE_BYTES", "SLACK_BOT_TOKEN", "DIGEST_CHANNEL"} <= read
    lines = (PROJECT_ROOT / ".env.example").read_text().splitlines()
    documented = {}
    for i, line in enumerate(lines):
        if m := re.match(r"^([A-Z_]+)=", line):
            documented[m.group(1)] = i
    assert read == set(documented), f"read but undocumented: {read - set(documented)}; stale: {set(documented) - read}"
    for name, i in documented.items():
        assert lines[i - 1].startswith("#"), f"{name} has no comment above it"


def run_cli(*args: str, db: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{db}", LOG_LEVEL="WARNING")
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=env,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
        cwd=PROJECT_ROOT,
    )


def test_cli_ingest_ask_and_console(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    first = run_cli("ingest", str(SEEDS), "--json", db=db)
    assert first.returncode == 0, first.stderr
    assert [json.loads(line)["status"] for line in first.stdout.splitlines()] == ["new"] * 4
    again = run_cli("ingest", str(SEEDS / "000_0b5bb6ea946f3403.txt"), db=db)
    assert "duplicate" in again.stdout and "already indexed" in again.stdout

    asked = run_cli("ask", "--json", "capex", "Eddie Wu", "Tesla deliveries", db=db)
    assert asked.returncode == 0, asked.stderr
    answers = [json.loads(line) for line in asked.stdout.splitlines()]
    assert [a["kind"] for a in answers] == ["figure", "entity", "none"]
    for a in answers:
        assert {"query", "kind", "text", "entity", "figures"} <= set(a)
    figure = answers[0]["figures"][0]
    assert {"value", "unit", "text", "sentence", "article"} <= set(figure)
    assert {"id", "title", "published"} <= set(figure["article"])
    assert answers[1]["entity"]["name"] == "Eddie Wu" and "Wu Yongming" in answers[1]["entity"]["aliases"]
    assert answers[2]["figures"] == []

    console = run_cli("console", db=db, stdin="/alibaba capex\nstatus\nhelp\nquit\n")
    assert console.returncode == 0, console.stderr
    assert "380 billion yuan" in console.stdout
    assert "4 articles" in console.stdout
    assert "/alibaba capex" in console.stdout


def test_cli_bad_input_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.exe"
    bad.write_bytes(b"MZ\x00\x00")
    result = run_cli("ingest", str(bad), db=tmp_path / "b.db")
    assert result.returncode == 1
    assert "unsupported file type" in result.stdout and "Traceback" not in result.stderr
    wrong_date = run_cli("ingest", str(bad), "--published", "yesterday", db=tmp_path / "b.db")
    assert wrong_date.returncode == 2 and "YYYY-MM-DD" in wrong_date.stderr


def test_help_texts_have_examples() -> None:
    for args in (["--help"], ["ingest", "--help"], ["ask", "--help"]):
        result = subprocess.run(
            [sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=60
        )
        assert result.returncode == 0 and "example" in result.stdout
