"""`company init` writes a starting company pack; `company show` says what the bot follows and from where.

A pack is a folder with company.yml and optionally entities.yml and article files (see `bot.rules.pack`).
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bot.rules import Company, PackError, Rules, company_from, overridden

EXAMPLE_YEAR = 2025


@dataclass(frozen=True)
class NewPack:
    """What `company init` is given."""

    name: str
    aliases: tuple[str, ...] = ()
    fiscal_year_end: str = "12-31"
    currency: str = "USD"
    named_for: str = "end"
    command: str = ""
    folder: Path = field(default_factory=Path)


def init_pack(new: NewPack) -> list[Path]:
    """Writes company.yml and an entities.yml starter into `new.folder` (made if missing); the files written.
    `PackError` when a field is malformed or either file is already there: nothing is overwritten."""
    company = company_from(
        {
            "name": new.name,
            "aliases": list(new.aliases),
            "fiscal_year_end": new.fiscal_year_end,
            "fiscal_year_named_for": new.named_for,
            "currency": new.currency,
            "command": new.command,
        },
        "company init",
    )
    files = {new.folder / "company.yml": company_text(company), new.folder / "entities.yml": entities_text(company)}
    there = [p for p in files if p.exists()]
    if there:
        raise PackError(f"{there[0]} is already there; nothing was written (remove it or choose another --dir)")
    if new.folder.exists() and not new.folder.is_dir():
        raise PackError(f"{new.folder} is not a folder")
    new.folder.mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    return list(files)


def _q(text: str) -> str:
    """A YAML scalar for any text: JSON's quoting, which YAML reads the same."""
    return json.dumps(text, ensure_ascii=False)


def company_text(c: Company) -> str:
    month, day = c.fiscal_year_end
    aliases = ", ".join(_q(a) for a in c.aliases)
    start, end = fiscal_quarter(c, EXAMPLE_YEAR, 1)
    return f"""# The company this pack follows. The bot's help, digest title, App Home and Slack manifest use these
# names, and its fiscal labels ("fiscal {EXAMPLE_YEAR} Q1", "FY{EXAMPLE_YEAR}") are read on this calendar.
name: {_q(c.name)}
# Other names the articles and questions use for it (matched case-sensitively in articles, not in questions).
aliases: [{aliases}]
# The month and day its fiscal year ends, as "MM-DD".
fiscal_year_end: "{month:02d}-{day:02d}"
# `end`: a fiscal year is named for the calendar year it ends in; `start`: for the year it starts in.
# Here fiscal {EXAMPLE_YEAR} Q1 is {start:%B %-d, %Y} to {end:%B %-d, %Y}.
fiscal_year_named_for: {c.fiscal_year_named_for}
# The ISO 4217 code of the currency it reports in.
currency: {c.currency}
# The Slack slash command; without it, "/" and the name in lower case.
command: {c.slash_command}
# How many days after a quarter ends its results come out: an undated article that reports a quarter's results
# is placed no earlier than that.
results_lag_days: {c.results_lag_days}
# Parts of the company that report on its fiscal calendar, e.g. units: [Its Cloud, Its Bank].
units: []
# Other companies the articles report on, each with its own fiscal calendar, e.g.
# rivals:
#   - name: Other Company
#     aliases: [Other]
#     fiscal_year_end: "06-30"
#     fiscal_year_named_for: end
#     currency: USD
rivals: []
"""


def entities_text(c: Company) -> str:
    return f"""# More names the bot should know, with their other names; the articles teach it the rest.
# Types: person, company, organization, model, product, place. Aliases are matched case-sensitively in articles
# and case-insensitively in questions. The followed company ({c.name}) comes from company.yml.
#
# - name: Full Name
#   type: person
#   aliases: [Other Spelling, Name In Its Own Script]
# - name: Product Name
#   type: product
#   aliases: []
[]
"""


def fiscal_quarter(c: Company, fiscal_year: int, quarter: int) -> tuple[date, date]:
    """The first and last day of a fiscal quarter on the company's calendar: quarters end on the fiscal year's
    closing day of every third month (its last day when the year closes on a month's last day)."""
    month, day = c.fiscal_year_end
    month_end = day == calendar.monthrange(2001, month)[1]
    ends_in = fiscal_year if c.fiscal_year_named_for == "end" or (month, day) == (12, 31) else fiscal_year + 1

    def closing(months_after_year_start: int) -> date:
        y, m = divmod(month - 1 + months_after_year_start, 12)
        year = ends_in - 1 + y
        last = calendar.monthrange(year, m + 1)[1]
        return date(year, m + 1, last if month_end else min(day, last))

    return closing(3 * (quarter - 1)) + timedelta(days=1), closing(3 * quarter)


def describe(rules: Rules, folder: Path) -> dict[str, Any]:
    """What the bot follows, as `company show --json` prints it."""
    c = rules.company
    return {
        **_calendar(c),
        "command": c.slash_command,
        "results_lag_days": c.results_lag_days,
        "units": list(c.units),
        "rivals": [_calendar(r) for r in c.rivals],
        "pack": str(folder),
        "overrides": list(overridden(folder)),
        "entities": len(rules.catalog),
        "articles": sum(1 for p in folder.iterdir() if p.is_file() and not p.name.endswith((".yml", ".yaml"))),
    }


def _calendar(c: Company) -> dict[str, Any]:
    start, end = fiscal_quarter(c, EXAMPLE_YEAR, 1)
    return {
        "name": c.name,
        "aliases": list(c.aliases),
        "currency": c.currency,
        "fiscal_year_end": "{:02d}-{:02d}".format(*c.fiscal_year_end),
        "fiscal_year_named_for": c.fiscal_year_named_for,
        "example": {"label": f"fiscal {EXAMPLE_YEAR} Q1", "start": start.isoformat(), "end": end.isoformat()},
    }


def show_text(d: dict[str, Any]) -> str:
    """`describe`'s answer for a reader."""

    def calendar(one: dict[str, Any]) -> str:
        ex = one["example"]
        return (
            f"fiscal year ends {one['fiscal_year_end']}, named for the year it {one['fiscal_year_named_for']}s "
            f"({ex['label']} = {ex['start']} to {ex['end']}); reports in {one['currency']}"
        )

    lines = [
        f"Following {d['name']}" + (f" (also {', '.join(d['aliases'])})" if d["aliases"] else ""),
        f"  slash command: {d['command']}",
        f"  {calendar(d)}; results about {d['results_lag_days']} days after a quarter ends",
    ]
    if d["units"]:
        lines.append(f"  units on its calendar: {', '.join(d['units'])}")
    for rival in d["rivals"]:
        lines.append(f"  rival {rival['name']}: {calendar(rival)}")
    lines.append(f"  pack: {d['pack']} ({d['entities']} names in the catalog, {d['articles']} article files)")
    lines.append("  rule files extended by the pack: " + (", ".join(d["overrides"]) or "none (all as shipped)"))
    return "\n".join(lines)
