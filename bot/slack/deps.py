"""What every Slack handler module is registered with: the settings, the answerer, the ingestor and the charts."""

from __future__ import annotations

import threading

from bot.answering.answers import Answerer
from bot.answering.facing import slash_command
from bot.charts.cache import Charts
from bot.reading.ingest import Ingestor
from bot.settings import Settings
from bot.slack.charts import HomeCharts


class Deps:
    """The core the handlers call; the ingestor (and its spaCy pipeline) loads on the first upload."""

    def __init__(self, settings: Settings, answerer: Answerer) -> None:
        self.settings = settings
        self.answerer = answerer
        self._ingestor: Ingestor | None = None
        self.charts = Charts(enabled=settings.charts)  # drawn and uploaded after the answers, never before
        self.home_charts = HomeCharts()
        self._lock = threading.Lock()

    @property
    def command(self) -> str:
        """The slash command: the pack's, unless the SLASH_COMMAND setting overrides it."""
        return slash_command(self.settings, self.answerer.rules.company)

    @property
    def ingestor(self) -> Ingestor:
        with self._lock:
            if self._ingestor is None:
                self._ingestor = Ingestor(self.settings, self.answerer.rules)
            return self._ingestor
