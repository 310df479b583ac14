"""English numbers in words: the one grammar the amount reader uses for "forty-two", "three hundred and twelve",
"one thousand two hundred", "five and a half", "two point nine", "half a", "three quarters".

    number  := ["a" | "an"] part (big part)* ["and a half" | "point" digit...]
    part    := units | teens | tens ["-" units] | part "hundred" ["and"] [tens/units]
    big     := "thousand" | "million" | "billion" | "trillion" | "lakh" | "crore"

A scale word at the end ("five million") is left to the caller, which reads scales after digits the same way
("5 million"): a big word is read here only when more of the number follows it ("one thousand two hundred") or
one came before ("two million five hundred thousand").
English number words are a closed class, so they are written here rather than in the rule files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
BIG = {"thousand": 1e3, "lakh": 1e5, "million": 1e6, "crore": 1e7, "billion": 1e9, "trillion": 1e12}
FRACTIONS = {"half": 0.5, "quarter": 0.25, "quarters": 0.25, "third": 1 / 3, "thirds": 1 / 3}
DIGITS = {**{w: v for w, v in UNITS.items() if v < 10}, "oh": 0}
ONE = ("a", "an")
NUMBERS = {**UNITS, **TENS}
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}


def small_number(word: str) -> int | None:
    """A whole number written as digits or as one word ("nine", "a"): how many months, quarters or years.

    >>> [small_number(w) for w in ("9", "Twelve", "a", "dozens")]
    [9, 12, 1, None]
    """
    word = word.lower()
    if word.isdigit():
        return int(word)
    return 1 if word in ONE else UNITS.get(word)


AFTER_ONE = {"hundred", "dozen", *FRACTIONS, *BIG}  # the words "a" stands for "one" before: "a hundred", "a half"


@dataclass(frozen=True)
class WordNumber:
    value: float
    words: int  # how many of the words it takes
    big: bool  # a big word ("thousand") stands inside it: "one thousand two hundred"
    compound: bool  # more than one number word: "forty-two", "five and a half"


def read_words(words: Sequence[str]) -> WordNumber | None:
    """The number spelled at the start of `words` (lower-cased; a hyphen between two words is its own "-").

    >>> [read_words(s.split()).value for s in ("forty - two", "three hundred and twelve", "a hundred")]
    [42.0, 312.0, 100.0]
    >>> n = read_words("one thousand two hundred units".split()); (n.value, n.words, n.big)
    (1200.0, 4, True)
    >>> [read_words(s.split()).value for s in ("five and a half million", "two point nine percent", "half a million")]
    [5.5, 2.9, 0.5]
    >>> [read_words(s.split()).words for s in ("half a point", "a quarter of a point", "half an hour", "half a dozen")]
    [2, 4, 2, 2]
    >>> [read_words(s.split()).value for s in ("three quarters", "a quarter million", "two million five thousand")]
    [0.75, 0.25, 2005000.0]
    >>> read_words("two and three".split()).value, read_words("one of them".split()).words
    (2.0, 1)
    >>> read_words("the firm".split()) is None, read_words(["a", "firm"]) is None
    (True, True)
    """
    total, current, k, n = 0.0, 0.0, 0, len(words)
    seen = big = False
    count = 0

    def at(j: int) -> str:
        return words[j] if j < n else ""

    while k < n:
        w = at(k)
        if w in UNITS or w in TENS:
            value = UNITS.get(w, TENS.get(w, 0))
            if seen and current % 100 and (w in TENS or (current % 100 < 20 and current % 10)):
                break  # "two three": two numbers, not one
            current += value
            k += 1
            if w in TENS and at(k) == "-" and at(k + 1) in UNITS and UNITS[at(k + 1)] < 10:
                current += UNITS[at(k + 1)]
                k += 2
                count += 1
        elif w == "hundred" and seen:  # "a couple of hundred" is no hundred
            current = (current or 1) * 100
            k += 1
        elif w in BIG and seen and (big or _more_after(words, k + 1)):  # "two million five hundred thousand"
            total += (current or 1) * BIG[w]
            current, big = 0.0, True
            k += 1
        elif (
            w in ONE and not seen and (at(k + 1) in ("hundred", "dozen") or at(k + 1) in FRACTIONS or at(k + 1) in BIG)
        ):
            current, k, seen = 1.0, k + 1, True
            if at(k) in BIG or at(k) == "dozen":
                break  # "a million", "a dozen": the caller reads the scale
            continue
        elif w in FRACTIONS and (seen or k == 0 or at(k - 1) in ONE):
            current = (current or 1) * FRACTIONS[w]
            k += 1
            if at(k) == "of" and at(k + 1) in ONE:
                k += 1  # "a quarter of a percentage point"
            if at(k) in ONE and at(k + 1) not in NUMBERS and at(k + 1) not in FRACTIONS:
                k += 1  # "half a million", "half a percentage point"
        elif w == "and" and seen and at(k + 1) in ONE and at(k + 2) == "half":
            current += 0.5  # "five and a half"
            k += 3
        elif (
            w == "and" and seen and current >= 100 and current % 100 == 0 and (at(k + 1) in UNITS or at(k + 1) in TENS)
        ):
            k += 1  # "two hundred and five"
            continue
        elif w == "point" and seen and at(k + 1) in DIGITS and current == int(current):
            j, fraction = k + 1, ""
            while at(j) in DIGITS:
                fraction += str(DIGITS[at(j)])
                j += 1
            current += float(f"0.{fraction}")
            k = j
        else:
            break
        seen = True
        count += 1
    if not seen:
        return None
    return WordNumber(total + current, k, big, count > 1)


def _more_after(words: Sequence[str], k: int) -> bool:
    """Whether a number goes on after a big word: "thousand two hundred", "thousand and five", "million five"."""
    nxt = words[k] if k < len(words) else ""
    if nxt == "and":
        nxt = words[k + 1] if k + 1 < len(words) else ""
    return nxt in UNITS or nxt in TENS or (nxt in ONE and k + 1 < len(words) and words[k + 1] == "hundred")
