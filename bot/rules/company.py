"""The company a pack follows, read from its `company.yml`: its names, fiscal calendar, currency and rivals.

A malformed file stops the bot with one line saying what is wrong (`PackError`, a `SystemExit`): the bot never
falls back to another company.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

NAMED_FOR = ("end", "start")
_MM_DD = re.compile(r"^(\d{1,2})-(\d{1,2})$")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class PackError(SystemExit):
    """A company pack that cannot be used; its message is the one line the bot stops with."""


@dataclass(frozen=True)
class Company:
    """A company: the one a pack follows, or one of its rivals (each with its own fiscal calendar)."""

    name: str
    aliases: tuple[str, ...] = ()
    fiscal_year_end: tuple[int, int] = (12, 31)  # month, day, from "MM-DD"
    fiscal_year_named_for: str = "end"  # "end": fiscal 2025 ends in 2025; "start": it starts in 2025
    currency: str = "USD"  # ISO 4217 code of the reporting currency
    command: str = ""  # the slash command; see `slash_command`
    results_lag_days: int = 45  # days after a quarter's end its results come out
    units: tuple[str, ...] = ()  # parts of the company that use its calendar
    rivals: tuple[Company, ...] = ()  # each with its own fiscal calendar

    @property
    def slash_command(self) -> str:
        """`command`, else "/" and the name in lower case, spaces as "-" ("Tencent Holdings" -> /tencent-holdings)."""
        if self.command:
            return self.command
        words = re.sub(r"[^0-9a-z ]", "", self.name.lower()).split()
        return "/" + "-".join(words)

    @property
    def names(self) -> tuple[str, ...]:
        """The name and every alias."""
        return (self.name, *(a for a in self.aliases if a != self.name))


def company_from(data: Any, where: str = "company.yml") -> Company:
    """The company of a parsed `company.yml`; `PackError` naming `where` and the field when it is malformed."""
    if not isinstance(data, dict):
        raise PackError(f"{where}: expected a mapping of fields (name, aliases, fiscal_year_end, currency, ...)")
    return _company(data, where, rival=False)


def _company(data: dict[str, Any], where: str, rival: bool) -> Company:
    allowed = {"name", "aliases", "fiscal_year_end", "fiscal_year_named_for", "currency"}
    if not rival:
        allowed |= {"command", "results_lag_days", "units", "rivals"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise PackError(f"{where}: unknown field {unknown[0]!r} (known: {', '.join(sorted(allowed))})")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise PackError(f"{where}: 'name' is missing; give the company's name, e.g. name: Example Corp")
    name = name.strip()
    where = f"{where} ({name})" if rival else where
    named_for = str(data.get("fiscal_year_named_for") or "end").strip().lower()
    if named_for not in NAMED_FOR:
        raise PackError(f"{where}: fiscal_year_named_for must be 'end' or 'start', got {named_for!r}")
    currency = str(data.get("currency") or "USD").strip()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise PackError(f"{where}: currency must be a three-letter ISO 4217 code such as USD or CNY, got {currency!r}")
    command = str(data.get("command") or "").strip()
    if command and not re.fullmatch(r"/[a-z0-9_-]{1,31}", command):
        raise PackError(
            f"{where}: command must be '/' and up to 32 lower-case letters, digits, '-' or '_', got {command!r}"
        )
    rivals = data.get("rivals") or []
    if not isinstance(rivals, list) or not all(isinstance(r, dict) for r in rivals):
        raise PackError(f"{where}: rivals must be a list of companies, each with a name")
    return Company(
        name=name,
        aliases=_names(data.get("aliases"), "aliases", where),
        fiscal_year_end=_month_day(data.get("fiscal_year_end", "12-31"), where),
        fiscal_year_named_for=named_for,
        currency=currency,
        command=command,
        results_lag_days=_lag(data.get("results_lag_days", 45), where),
        units=_names(data.get("units"), "units", where),
        rivals=tuple(_company(r, f"{where}: rival", rival=True) for r in rivals),
    )


def _names(value: Any, field: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise PackError(f"{where}: {field} must be a list of names, e.g. {field}: [Name One, Name Two]")
    return tuple(str(v).strip() for v in value if str(v).strip())


def _month_day(value: Any, where: str) -> tuple[int, int]:
    match = _MM_DD.match(str(value).strip())
    month, day = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    if not (1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]) or (month, day) == (2, 29):
        raise PackError(f'{where}: fiscal_year_end must be a month and day as "MM-DD" (e.g. "03-31"), got {value!r}')
    return month, day


def _lag(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 366:
        raise PackError(f"{where}: results_lag_days must be a whole number of days from 0 to 366, got {value!r}")
    return value
