"""The command line as a newcomer meets it: every command migrates on its own, quiet logs, honest exit codes,
one-line errors, a console with line editing, and answers in plain grammar."""

from __future__ import annotations

import contextlib
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from bot.answering.model import Answer, ArticleRef, EntityCard
from bot.answering.views.answer_text import render_text
from bot.answering.views.wording import plural
from bot.settings import PROJECT_ROOT
from tests.conftest import SEEDS
from tests.docs_factory import pdf_bytes
from tests.slack_helpers import free_port
from tests.test_project import run_cli


def cli(*args: str, db: Path, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "LOG_LEVEL": "INFO", "SLACK_BOT_TOKEN": "", **env}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=full,
        capture_output=True,
        text=True,
        input=stdin if stdin is not None else "",
        timeout=300,
        cwd=PROJECT_ROOT,
    )


def test_migrate_says_once_what_it_did_and_alembic_stays_quiet(tmp_path: Path) -> None:
    first = cli("migrate", db=tmp_path / "m.db")
    assert first.returncode == 0 and re.fullmatch(r"database created \(revision \w+\)\n", first.stdout)
    again = cli("migrate", db=tmp_path / "m.db")
    assert re.fullmatch(r"database already up to date \(revision \w+\)\n", again.stdout)
    assert "alembic" not in first.stderr + again.stderr


@pytest.mark.parametrize(
    "command", [["ask", "capex"], ["ask", "--json", "capex"], ["console"], ["digest"], ["figures", "--flagged"]]
)
def test_every_command_works_on_a_database_never_migrated(tmp_path: Path, command: list[str]) -> None:
    result = cli(*command, db=tmp_path / "fresh.db", stdin="status\nquit\n")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "no such table" not in result.stderr
    assert "alembic" not in result.stderr


def test_ask_json_without_a_query_is_a_usage_error(tmp_path: Path) -> None:
    result = cli("ask", "--json", db=tmp_path / "a.db")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("error:") and "python -m bot ask --json" in result.stderr


def test_ingest_exits_non_zero_when_any_file_failed(tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    good = pdf_bytes(["Alibaba Cloud Opens In Lima", "Alibaba Cloud opened a data centre in Lima with 900 servers."])
    # Junk before the header: pypdf recovers, and warns about it (twice) on its logger.
    (tmp_path / "good.pdf").write_bytes(b"junk\n" + good)
    bad.write_bytes(b"%PDF-1.4 not really")
    result = cli("ingest", str(tmp_path / "good.pdf"), str(bad), db=tmp_path / "i.db")
    assert result.returncode == 1
    assert "new " in result.stdout and "failed" in result.stdout
    assert "1 new, 0 duplicate, 1 failed" in result.stderr
    assert "pypdf" not in result.stderr and "WARNING" not in result.stderr
    assert "any failed" in cli("ingest", "--help", db=tmp_path / "i.db").stdout


def test_serve_with_slack_unreachable_says_so_in_one_line(tmp_path: Path) -> None:
    start = time.monotonic()
    result = cli(
        "serve",
        db=tmp_path / "s.db",
        SLACK_BOT_TOKEN="xoxb-unreachable",
        SLACK_APP_TOKEN="",
        SLACK_SIGNING_SECRET="secret",
        SLACK_API_URL=f"http://127.0.0.1:{free_port()}/api/",
        PORT=str(free_port()),
        LOG_LEVEL="WARNING",
    )
    assert result.returncode != 0 and time.monotonic() - start < 60
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines and lines[-1].startswith("error: cannot reach Slack") and "Traceback" not in result.stderr
    assert "xoxb-unreachable" not in result.stderr


def test_run_without_a_terminal_or_credentials_says_what_to_set(tmp_path: Path) -> None:
    result = cli("run", db=tmp_path / "r.db", SLACK_APP_TOKEN="", SLACK_SIGNING_SECRET="")
    assert result.returncode == 2 and "SLACK_BOT_TOKEN" in result.stderr and "terminal" in result.stderr


def test_console_help_lists_only_what_the_console_has(tmp_path: Path) -> None:
    result = cli("console", db=tmp_path / "c.db", stdin="help\nsubscribe #news\nadd\n")
    helped = result.stdout.split("\n\n")[0]
    assert "/alibaba status" in helped and "/alibaba digest" in helped
    assert "/alibaba add" not in helped and "subscribe" not in helped
    assert result.stdout.count("works in Slack") == 2 and "found nothing" not in result.stdout


def _read_until(fd: int, marker: bytes, timeout: float = 120.0) -> bytes:
    out = b""
    deadline = time.time() + timeout
    while marker not in out:
        if time.time() > deadline:
            raise AssertionError(f"no {marker!r} in {out[-2000:]!r}")
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                out += os.read(fd, 65536)
            except OSError:
                break
    return out


def test_console_line_editing_history_and_ctrl_c(seeded_copy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    env = dict(os.environ, DATABASE_URL=seeded_copy.database_url, LOG_LEVEL="WARNING", SLACK_BOT_TOKEN="", TERM="dumb")
    pid, main = pty.fork()  # the console gets a real terminal, so Ctrl-C reaches it as it would a person's
    if pid == 0:
        # As from a shell, even when the tests run in the background or a test blocked signals in this process.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        os.chdir(PROJECT_ROOT)
        os.execve(sys.executable, [sys.executable, "-m", "bot", "console"], env)
    try:
        _read_until(main, b"alibaba> ")
        os.write(main, b"capex\r")
        _read_until(main, b"alibaba> ")
        os.write(main, b"\x1b[A\r")  # Up arrow recalls "capex"
        second = _read_until(main, b"alibaba> ")
        assert b"380 billion yuan" in second and b"^[[A" not in second
        time.sleep(0.5)  # idle at the prompt, as a person would be
        os.write(main, b"\x03")  # Ctrl-C
        rest = b""
        deadline = time.time() + 30
        while time.time() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if select.select([main], [], [], 0.2)[0]:
                with contextlib.suppress(OSError):
                    rest += os.read(main, 65536)
            if done:
                break
        assert done and os.waitstatus_to_exitcode(status) == 0, rest
        assert b"ingest" not in rest and b"Traceback" not in rest
    finally:
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        os.close(main)
    history = Path(seeded_copy.database_url.removeprefix("sqlite:///")).with_name(".console_history")
    assert "capex" in history.read_text()


@pytest.mark.parametrize(
    ("count", "word", "expected"),
    [
        (1, "figure", "1 figure"),
        (2, "figure", "2 figures"),
        (0, "article", "0 articles"),
        (1, "entity", "1 entity"),
        (3, "entity", "3 entities"),
        (1, "time", "1 time"),
        (1200, "time", "1,200 times"),
    ],
)
def test_plural(count: int, word: str, expected: str) -> None:
    assert plural(count, word) == expected


def test_an_entity_mentioned_once_reads_naturally() -> None:
    article = ArticleRef(1, "A title", date(2025, 1, 2))
    card = EntityCard("Zhang Wei", "person", [], 1, [], [article], 1)
    assert "Mentioned 1 time in 1 article." in render_text(Answer(query="Zhang Wei", kind="entity", entity=card))


def test_the_typo_note_comes_first(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    assert run_cli("ingest", str(SEEDS), db=db).returncode == 0
    answer = cli("ask", "capx", db=db).stdout.splitlines()
    assert answer[0] == "Read “capx” as “capex”." and any("380 billion yuan" in line for line in answer[1:])
