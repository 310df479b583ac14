"""The money metric an article said last: what an amount whose clause names no metric is of ("the figure", "analysts
had expected $4.7 billion"), and the time an estimate or forecast set against it is for."""

from __future__ import annotations

from dataclasses import dataclass

from bot.reading.period_model import Period

SHELL_NOUNS = {"figure", "total", "amount", "sum", "number", "result", "tally", "level", "consensus"}


@dataclass
class SaidMoney:
    base: str | None = None  # the money metric
    at: int = -10  # the sentence it was said in
    of: str | None = None  # whose it was: a growth rate of another subject is not of that metric
    period: Period | None = None  # the time of the amount that said it, not of an amount it was compared with

    def base_for(self, index: int, governing: str | None, status: str) -> str | None:
        """The money metric of this sentence or the one before: what an amount is of when its clause names no
        metric and it points back to one, through a shell noun ("the figure", "the total") or as the estimate or
        forecast a reported amount is set against ("analysts had expected $4.7 billion")."""
        if index - self.at > 1:
            return None
        if governing is None or governing.split()[-1] in SHELL_NOUNS or status in ("estimate", "forecast"):
            return self.base
        return None

    def period_for(self, money_base: str | None, metric_base: str | None, status: str) -> Period | None:
        """The time of an estimate or forecast of the metric said before, set against its amount."""
        return self.period if money_base and metric_base == money_base and status != "actual" else None

    def after(self, base: str, at: int, of: str | None, period: Period | None, *, compared: bool) -> SaidMoney:
        """What is said last once an amount of `base` is read; a comparison base (`compared`: "from $56.5 billion
        a year earlier") keeps the time of the amount it is compared with."""
        kept = self.period if self.base == base else None
        return SaidMoney(base, at, of, kept if compared else period)
