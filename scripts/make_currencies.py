"""Make bot/rules/data/cldr_currencies.json, the currencies of the world as the amount reader knows them, from the
Unicode CLDR data that Babel ships: every ISO 4217 code some territory uses as legal tender today, with its English
names (singular and plural: "Kenyan shilling", "Kenyan shillings"), the signs written for it ("₴", "zł", "NZ$",
"SGD$"), the places it is the money of ("Japan", "Japanese", "Tokyo"), which tell a shared sign's currency, and
whether it has no minor unit ("whole": "Rp 250.000" is a quarter of a million, not 250 rupiah).

A sign goes in only when it is one currency's alone: a sign several currencies write ("$", "kr", "¥") is left to
the hand-written currencies.yml, whose `shared_symbols` choose by the followed company's currency. Letters alone
make a sign only from three letters up with a capital ("KSh"): "R", "kr" or "den" are words as often as money.
Codes that are English words are listed in currencies.yml (`word_codes`) and read only after the number.

    python scripts/make_currencies.py            # writes the file
    python scripts/make_currencies.py --check    # exits 1 if the file differs from what it would write

Needs Babel (the `dev` extra); the bot itself reads only the JSON file.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

from babel import Locale, localedata
from babel.core import get_global
from babel.numbers import get_currency_name, get_currency_precision, get_currency_symbol

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bot" / "rules" / "data" / "cldr_currencies.json"


def tender_now() -> dict[str, set[str]]:
    """Each code in use today (no end date, legal tender) and the territories that use it."""
    territories: dict[str, set[str]] = defaultdict(set)
    for territory, spans in get_global("territory_currencies").items():
        for code, _start, end, tender in spans:
            if end is None and tender and re.fullmatch(r"[A-Z]{3}", code) and not code.startswith("X"):
                territories[code].add(territory)
    return territories


def local_symbols(code: str, territories: set[str], locales: list[str]) -> set[str]:
    """The signs the locales of the currency's own territories write for it: "zł" in Polish, "₴" in Ukrainian."""
    found = set()
    for ident in locales:
        parts = ident.split("_")
        if len(parts) >= 2 and parts[-1] in territories:
            found.add(get_currency_symbol(code, ident))
    return found


def cities(territories: set[str]) -> set[str]:
    """The cities the time zones of these territories are named for: "Tokyo" (Asia/Tokyo), "Shanghai"."""
    zones = get_global("zone_territories")
    return {zone.rsplit("/", 1)[-1].replace("_", " ") for zone, t in zones.items() if t in territories and "/" in zone}


def usable(sign: str, code: str) -> bool:
    """A sign the reader may take for this currency: not the code, not a blank or invisible mark, and letters alone
    only from three up with a capital ("KSh"): "R", "Ft", "kr" or "den" are read too often as words."""
    if sign == code or not sign.strip() or " " in sign or any(unicodedata.category(c) == "Cf" for c in sign):
        return False
    if re.fullmatch(r"[A-Za-z.]+", sign):
        return len(sign.replace(".", "")) >= 3 and sign != sign.lower()
    return True


def build() -> dict[str, dict[str, Any]]:
    en = Locale("en")
    locales = localedata.locale_identifiers()
    territories = tender_now()
    signs: dict[str, set[str]] = {}
    for code, where in territories.items():
        marks = {get_currency_symbol(code, "en")} | local_symbols(code, where, locales)
        if any("$" in m for m in marks):
            marks.add(f"{code}$")  # "SGD$4.90": the code said before a dollar sign
        signs[code] = {m for m in marks if usable(m, code)}
    owners: dict[str, set[str]] = defaultdict(set)
    for code, marks in signs.items():
        for m in marks:
            owners[m.lower()].add(code)
    data: dict[str, dict[str, Any]] = {}
    for code in sorted(territories):
        names = {en.currencies.get(code, ""), *(get_currency_name(code, n, "en") for n in (1, 2))}
        display = en.currencies.get(code, "")
        adjective = display.rsplit(" ", 1)[0] if " " in display else ""  # "Japanese" of "Japanese Yen"
        places = {en.territories.get(t, "") for t in territories[code]} | {adjective} | cities(territories[code])
        data[code] = {
            "names": sorted({n.lower() for n in names if n and n != code}),
            "places": sorted(p for p in places if p and "," not in p),
            "symbols": sorted(m for m in signs[code] if len(owners[m.lower()]) == 1),
        }
        if get_currency_precision(code) == 0:
            data[code]["whole"] = True  # no minor unit: "Rp 250.000" is a quarter of a million
    return data


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the file is not what this script writes")
    text = json.dumps(build(), ensure_ascii=False, indent=0, sort_keys=True) + "\n"
    if ap.parse_args().check:
        sys.exit(0 if OUT.read_text("utf-8") == text else 1)
    OUT.write_text(text, "utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
