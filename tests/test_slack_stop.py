"""HTTP mode stops cleanly on SIGTERM (as `docker stop` sends it to PID 1): a command in flight still gets its
answer, the process exits 0 well within Docker's grace period, and nothing is served afterwards."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

from tests.conftest import make_settings
from tests.slack_helpers import start_bot
from tests.slack_standin import SlackStandIn


def test_sigterm_finishes_in_flight_requests_and_exits_zero(tmp_path: Path) -> None:
    from bot.store.db import migrate

    db = tmp_path / "stop.db"
    migrate(make_settings(db).database_url)
    standin = SlackStandIn()
    bot = start_bot(standin, db, tmp_path)
    try:
        url = standin.response_url()
        replies: list[int] = []
        sender = threading.Thread(target=lambda: replies.append(bot.command("help", url).status))
        sender.start()
        time.sleep(0.05)
        started = time.monotonic()
        bot.proc.send_signal(signal.SIGTERM)
        code = bot.proc.wait(timeout=10)
        took = time.monotonic() - started
        sender.join(timeout=5)
        assert code == 0, bot.logs()[-2000:]
        assert took < 5.0, f"took {took:.1f} s to stop"
        assert replies == [200]  # the command in flight was acknowledged, not dropped
        assert "stopping" in bot.logs() and "Traceback" not in bot.logs()
    finally:
        if bot.proc.poll() is None:
            bot.stop()
        standin.close()
