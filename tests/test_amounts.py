"""Table-driven tests of amount recognition: one row per way the news writes money, percentages and counts,
through the real spaCy pipeline and the rules shipped in bot/rules/data/."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.reading.amounts import read_amounts, recognise
from bot.rules import load_amount_rules
from bot.rules.pack import SHIPPED

# (sentence, expected figures as (kind, value, unit) in reading order)
MONEY = [
    # currency names and nationality adjectives
    ("The chipmaker booked sales of 4,350 Chinese yuan per unit.", [("money", 4350, "CNY")]),
    ("Tickets cost 12.50 Australian dollars each.", [("money", 12.5, "AUD")]),
    ("The fine was 25,000 Swiss francs.", [("money", 25_000, "CHF")]),
    ("Her rent is 900 us dollar a month.", [("money", 900, "USD")]),
    ("Its market value is 2.3 trillion yen.", [("money", 2.3e12, "JPY")]),
    ("The grant is 250 million rupees.", [("money", 250e6, "INR")]),
    ("The mill was sold for 80 million Swedish kronor.", [("money", 80e6, "SEK")]),
    # symbols after the number, with or without a space
    ("The lamp sells for 2,400€ online.", [("money", 2400, "EUR")]),
    ("A coffee costs 4 $ at the kiosk.", [("money", 4, "USD")]),
    # ISO codes before the number, spaced or glued, and with scales
    ("The lender wrote off GBP 725 in fees.", [("money", 725, "GBP")]),
    ("The fund raised AUD2.3m last week.", [("money", 2.3e6, "AUD")]),
    ("Exports were worth USD2,450 per tonne.", [("money", 2450, "USD")]),
    ("The budget reached INR3 trillion.", [("money", 3e12, "INR")]),
    ("The shop took 310 usd on Sunday.", [("money", 310, "USD")]),
    # prefixed dollars, glued, spaced or after the "$"
    ("The deal was worth $US41,200,000 ($A63,900,000).", [("money", 41.2e6, "USD"), ("money", 63.9e6, "AUD")]),
    ("The port handled HK $4.8 billion of cargo.", [("money", 4.8e9, "HKD")]),
    ("The startup raised C $9 million.", [("money", 9e6, "CAD")]),
    ("the mine sold for c $ 22.7 million .", [("money", 22.7e6, "CAD")]),
    ("The tower cost A$120 million and the bridge S$45 million.", [("money", 120e6, "AUD"), ("money", 45e6, "SGD")]),
    ("The lender raised NT$12 billion.", [("money", 12e9, "TWD")]),
    ("The bonus was U.S $ 3,000 per head.", [("money", 3000, "USD")]),
    ("A $5 bill was found.", [("money", 5, "USD")]),  # the article "a" is no Australian mark
    ("The band's $7 million tour ended.", [("money", 7e6, "USD")]),  # nor the "s" of a possessive Singaporean
    # scale words and letters in every place
    ("The firm lost 60 USD million last year.", [("money", 60e6, "USD")]),
    ("Losses reached 45 MEUR in the period.", [("money", 45e6, "EUR")]),
    ("Sales were MUSD 12 in the quarter.", [("money", 12e6, "USD")]),
    ("The grant was half a million dollars.", [("money", 500_000, "USD")]),
    ("They spent a quarter million euros.", [("money", 250_000, "EUR")]),
    ("Its value hit $3.1T on Friday.", [("money", 3.1e12, "USD")]),
    ("The bank lent Rs 500 crore to farmers.", [("money", 5e9, "INR")]),
    ("The payout was 15 000 euros in total.", [("money", 15_000, "EUR")]),
    # spelled-out amounts
    ("The grant was worth five billion yuan.", [("money", 5e9, "CNY")]),
    ("The toy cost fifteen dollars twenty-five cents.", [("money", 15.25, "USD")]),
    ("The miner took a three-yen charge.", [("money", 3, "JPY")]),
    ("It sold for three quarters billion pounds.", [("money", 0.75e9, "GBP")]),
    ("Change of 3 dollars 20 cents was left.", [("money", 3.2, "USD")]),
    # ranges and lists keep both ends and share the unit
    ("Tickets cost about 6 or $8 each.", [("money", 6, "USD"), ("money", 8, "USD")]),
    ("Fares were $11/$14 depending on the day.", [("money", 11, "USD"), ("money", 14, "USD")]),
    ("The firm expects revenue of between 2 and 3 billion yuan.", [("money", 2e9, "CNY"), ("money", 3e9, "CNY")]),
    ("The round raised $1.5-2 billion.", [("money", 1.5e9, "USD"), ("money", 2e9, "USD")]),
    (
        "The company paid $40 million, 25 million and 12 million in three rounds.",
        [("money", 40e6, "USD"), ("money", 25e6, "USD"), ("money", 12e6, "USD")],
    ),
    ("The fees were €30, 45 and 60.", [("money", 30, "EUR"), ("money", 45, "EUR"), ("money", 60, "EUR")]),
    ("It priced the shares at $9 while 14 were unsold.", [("money", 9, "USD")]),  # a new clause, not a list
    (
        "Notes of 20 €, 50 € and 100 € were printed.",
        [("money", 20, "EUR"), ("money", 50, "EUR"), ("money", 100, "EUR")],
    ),
]

# every currency in use (CLDR), an explicit code over a bare "$", groupings other than the English one, numbers
# in words with the whole English grammar
MORE_MONEY = [
    ("Porters earn 6,000 Tanzanian shillings a day.", [("money", 6000, "TZS")]),
    ("A coffee costs 3 Georgian laris.", [("money", 3, "GEL")]),
    ("The levy is 2,500 won per bag.", [("money", 2500, "KRW")]),
    ("The retailer reported sales of 310 million PEN.", [("money", 310e6, "PEN")]),
    ("Lunch is $14.50 NZD at the cafe.", [("money", 14.5, "NZD")]),
    ("The ferry costs TTD$120 one way.", [("money", 120, "TTD")]),
    ("The bond paid $3 million AUD in coupons.", [("money", 3e6, "AUD")]),
    ("The chair costs 2.199,90 € in the store.", [("money", 2199.9, "EUR")]),
    ("A pastry is 3,20 € at the bakery.", [("money", 3.2, "EUR")]),
    ("The lamp sells for 1.349 € online.", [("money", 1349, "EUR")]),
    ("The rent is CHF 3'150.00 a month.", [("money", 3150, "CHF")]),
    ("The clinic spent 4 500 000 euros on scanners.", [("money", 4.5e6, "EUR")]),
    ("Gum costs .60 € at the kiosk.", [("money", 0.6, "EUR")]),
    ("The toy sold for six and a half million dollars at auction.", [("money", 6.5e6, "USD")]),
    ("Losses were three point seven billion yen.", [("money", 3.7e9, "JPY")]),
    ("The fund received 40 lakh rupees.", [("money", 4e6, "INR")]),
    ("Each family gets ₹2,50,000 a year.", [("money", 250_000, "INR")]),  # lakh grouping
    ("The reserve holds Rs 1,25,40,000.", [("money", 12_540_000, "INR")]),
    ("He paid 20 bucks for the ticket.", [("money", 20, "USD")]),
    # a currency without a minor unit groups thousands with a dot; one with cents keeps the decimals
    ("A scooter rental is Rp 95.000 a day.", [("money", 95_000, "IDR")]),
    ("The set menu is ₩23.000.", [("money", 23_000, "KRW")]),
    ("The pen costs $4.250 at the kiosk.", [("money", 4.25, "USD")]),
    ("The ticket was 7 dollars and 25 cents.", [("money", 7.25, "USD")]),
    ("The desk is 1 450,00 € delivered.", [("money", 1450, "EUR")]),  # spaced groups, comma cents
    ("The bike costs 1.890,- € in store.", [("money", 1890, "EUR")]),  # a whole price: no cents
]

PERCENT = [
    ("Profit rose 2.45pc in the half.", [("percent", 2.45, "%")]),
    ("Shares were up 7pc on Monday.", [("percent", 7, "%")]),
    ("Rates will rise from 3 to 4 per cent.", [("percent", 3, "%"), ("percent", 4, "%")]),
    ("Margins widened by 5-6%.", [("percent", 5, "%"), ("percent", 6, "%")]),
    ("The bank cut rates by 25 basis points.", [("percent", 0.25, "pp")]),
    ("Turnout fell five percent.", [("percent", 5, "%")]),
    ("Costs rose 12% to 5.2 billion yuan.", [("percent", 12, "%"), ("money", 5.2e9, "CNY")]),
    ("Turnout rose to fifty-one point five percent.", [("percent", 51.5, "%")]),
    ("Yields fell 7,25 % in a week.", [("percent", 7.25, "%")]),
    ("The bank posted a 15-percent gain.", [("percent", 15, "%")]),  # a hyphen before the mark
    ("It holds a 9-per-cent stake.", [("percent", 9, "%")]),
    ("Yields fell half a percentage point.", [("percent", 0.5, "pp")]),
    ("The cut was a quarter of a percentage point.", [("percent", 0.25, "pp")]),
    # a sign before the amount is its own; a hyphen between two numbers is a range's
    ("Real pay moved minus four percent.", [("percent", -4, "%")]),
    ("The fund returned -2.5% and the index (−1.5%).", [("percent", -2.5, "%"), ("percent", -1.5, "%")]),
    ("Costs rose 3-4%.", [("percent", 3, "%"), ("percent", 4, "%")]),
]

COUNTS = [
    ("The network has 450 million users.", [("count", 450e6, "users")]),
    ("It sold 40 thousand cars.", [("count", 40_000, "cars")]),
    ("The city has 9 B residents in the model.", [("count", 9e9, "residents")]),
    ("The chain plans from 3000 to 5000 hires next year.", [("count", 3000, "hires"), ("count", 5000, "hires")]),
    ("The firm sold 1,200 units and 85 licences.", [("count", 1200, "units"), ("count", 85, "licences")]),
    ("In 1998 the company had 30 staff.", [("count", 30, "staff")]),
    ("The model grew from one billion to ten billion.", [("count", 1e9, None), ("count", 10e9, None)]),
    # numbers that identify rather than count
    ("The museum shows tools from A.D. 1200 and coins from 300 BC.", []),
    ("The S&P 500 and the Nasdaq 100 fell while the FTSE 250 rose.", []),
    ("She bought an iPhone 15 Pro and a Galaxy S24.", []),
    ("The office at 1600 Amphitheatre Parkway opened in 2004.", []),
    ("He lives at 14 Elm Street, postcode 90210.", []),
    ("Please quote reference number 48213 and invoice No. 77.", []),
    ("Room 101 was booked for Flight 370 passengers.", []),
    ("The Lumo2-70B-X8 release is out.", []),  # a model's name, not 70 billion of anything
    ("The firm hired three engineers.", []),  # small numbers in words are not read as counts
    ("The 5-year plan uses 32-bit chips and 5G.", []),
    ("Meta lifted its 2025 capital expenditure forecast.", []),  # a year naming the forecast, not 2025 of them
    ("The retailer's 2026 budget was cut.", []),
    ("The group said its 2000 employees will move.", [("count", 2000, "employees")]),  # plural: a count
    # numbers in words count the noun they stand before; small ones (style guides spell them out) do not
    ("The studio hired twenty-six animators.", [("count", 26, "animators")]),
    ("The chain runs four hundred and six shops.", [("count", 406, "shops")]),
    ("It shipped one thousand three hundred boxes.", [("count", 1300, "boxes")]),
    ("The bakery sold a dozen pies.", [("count", 12, "pies")]),
    ("The park counted 1 204 300 visitors.", [("count", 1_204_300, "visitors")]),
    ("The plant will hire 3 400 workers.", [("count", 3400, "workers")]),  # one space-split group before a noun
    ("The group sold 900 Nova Ultra handsets.", []),  # a model's name between the number and the noun
    ("Seven analysts agreed.", []),
    ("A couple of hundred fans waited.", []),  # "hundred" alone is no number
    ("Sales of the Forty Winks range rose.", []),  # a capitalised number word mid-sentence is a name's
    # digits in links, addresses, timestamps, versions and lists are never figures
    ("Prices are at https://shop.example.com/item/4521-99-eur now.", []),
    ("Write to team42@example.com for details.", []),
    ("Filed 2024-03-09T08:15:00Z by the desk.", []),
    ("The update 3.14.159 is out.", []),
    ("She rated it 4,5 in the poll.", []),
    ("Reach the desk on +49 30 1234 5678 or (617) 555-0142.", []),
    ("The home side won 4-2 on Sunday.", []),  # a score, not a range
    ("The lender's 10-K was filed late.", []),
    ("Highs reach 38°C this week.", []),
]


def _figures(sentence: str, nlp, rules) -> list[tuple]:  # type: ignore[no-untyped-def]
    sent = next(iter(nlp(sentence).sents))
    return [(f.kind, f.value, f.unit) for f in recognise(sent, [], rules)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    MONEY + MORE_MONEY + PERCENT + COUNTS,
    ids=[c[0][:48] for c in MONEY + MORE_MONEY + PERCENT + COUNTS],
)
def test_amounts_in_a_sentence(sentence: str, expected: list[tuple], nlp, rules) -> None:  # type: ignore[no-untyped-def]
    assert _figures(sentence, nlp, rules) == [(k, pytest.approx(v), u) for k, v, u in expected]


def test_figure_text_and_span_cover_currency_and_scale(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Analysts said the lender raised HK $4.8 billion in bonds.")
    sent = next(iter(doc.sents))
    (fig,) = recognise(sent, [], rules)
    assert fig.text == "HK $4.8 billion"
    assert doc.text[fig.start : fig.end] == "HK $4.8 billion"


def test_the_amounts_of_a_sentence_mark_every_amount(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    sent = next(iter(nlp("It paid 6 or $8 in 2024 and 12% more.").sents))
    amounts = read_amounts(sent, [], rules)
    assert [sent.text[s:e] for s, e in amounts.spans] == ["6", "$8", "2024", "12%"]
    assert [f.text for f in amounts.figures] == [f.text for f in recognise(sent, [], rules)]


def test_a_form_meaning_two_currencies_is_refused(tmp_path: Path) -> None:
    figure_rules = yaml.safe_load((SHIPPED / "figure_rules.yml").read_text())
    clash = {"currencies": {"AUD": {"name": "dollar", "bare": True}, "USD": {"name": "dollar", "bare": True}}}
    with pytest.raises(ValueError, match="'dollar' means both"):
        load_amount_rules(figure_rules, clash)


AMOUNT_FRAMES = [
    "{}",
    "a {}",
    "an {}",
    "half a {}",
    "two {}",
    "{} million",
    "{} cents",
    "{} per cent",
    "three {} yuan",
    "one-{}",
    "{}-billion",
    "twenty {} and thirty",
    "a hundred {}",
]


def test_a_sentence_that_holds_an_amount_is_always_read(rules) -> None:  # type: ignore[no-untyped-def]
    """Sentences are lexed for amounts only when a quick look finds digits or a number, fraction or scale word:
    every sentence the full reading finds an amount in passes that look, whatever word or mark it is built on."""
    from bot.reading.amount_grammar import _may_hold_amount, _read_amounts

    ar = rules.amounts
    forms = [*ar.exact, *ar.folded, *(f.upper() for f in ar.folded), *(f.title() for f in ar.folded)]
    with_amounts = 0
    for form in forms:
        for frame in AMOUNT_FRAMES:
            text = f"Sales were {frame.format(form)} this week."
            if _read_amounts(text, ar):
                with_amounts += 1
                assert _may_hold_amount(ar).search(text), text
    assert with_amounts > 500
    assert _may_hold_amount(ar).search("The company said its cloud unit grew fast and hired more people.") is None


def test_a_sign_two_currencies_share_is_the_followed_company_s(nlp, rules, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """ "¥" alone is yuan for a company that reports in yuan, or in neither, and yen for one that reports in yen;
    "JP¥" and "CN¥" say which whatever the company."""
    from bot.rules import load_rules

    (tmp_path / "company.yml").write_text("name: Kaede Holdings\ncurrency: JPY\n", encoding="utf-8")
    yen_reporting = load_rules(tmp_path)
    sentence = "Net sales were ¥4.2 trillion, against CN¥30 billion at its Shanghai unit and JP¥9 billion in fees."
    assert _figures(sentence, nlp, yen_reporting) == [
        ("money", pytest.approx(4.2e12), "JPY"),
        ("money", pytest.approx(30e9), "CNY"),
        ("money", pytest.approx(9e9), "JPY"),
    ]
    assert _figures(sentence, nlp, rules)[0] == ("money", pytest.approx(4.2e12), "CNY")
    (tmp_path / "company.yml").write_text("name: Kaede Holdings\ncurrency: EUR\n", encoding="utf-8")
    assert _figures(sentence, nlp, load_rules(tmp_path))[0] == ("money", pytest.approx(4.2e12), "CNY")


def test_a_number_and_its_unit_stay_in_one_sentence(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    """A line that is a price alone ("319.00 GBP", "NOK 2,150") or a sentence the parser would split after its
    first word ("Five dozen ...") keeps the number and what follows it in one sentence, so the amount is read whole."""
    for text, expected in [
        ("319.00 GBP", ("money", 319, "GBP")),
        ("Five dozen runners set off.", ("count", 60, "runners")),
    ]:
        doc = nlp(text)
        assert len(list(doc.sents)) == 1, text
        assert _figures(text, nlp, rules) == [(expected[0], pytest.approx(expected[1]), expected[2])]


def test_a_shared_sign_is_the_currency_of_the_place_the_sentence_names(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    """ "¥" in a sentence that names Japan (or calls something Japanese) is yen, one that names China yuan, whatever
    the followed company reports in; naming both, or neither, leaves it to the company's currency (yuan here)."""
    assert _figures("The Japanese carmaker expects ¥410 billion in profit.", nlp, rules) == [
        ("money", pytest.approx(410e9), "JPY")
    ]
    assert _figures("Sales in China reached ¥8.5 billion.", nlp, rules) == [("money", pytest.approx(8.5e9), "CNY")]
    assert _figures("The fund paid ¥2 billion for the stake.", nlp, rules) == [("money", pytest.approx(2e9), "CNY")]
    assert _figures("A ramen bowl in Tokyo costs ¥1.100.", nlp, rules) == [("money", pytest.approx(1100), "JPY")]
    both = "Its Japan and China units earned ¥6 billion."
    assert _figures(both, nlp, rules) == [("money", pytest.approx(6e9), "CNY")]


def test_a_name_several_currencies_share_is_the_followed_company_s_after_a_number(nlp, rules, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """ "crowns" after a number is the crown the company reports in (Norway's, Sweden's, Denmark's …), else the
    first listed; never "the crown", and never after a number spelled out ("won two crowns": titles)."""
    from bot.rules import load_rules

    (tmp_path / "company.yml").write_text("name: Fjell Robotics\ncurrency: NOK\n", encoding="utf-8")
    krone_reporting = load_rules(tmp_path)
    sentence = "Sales rose to 4.2 billion crowns, the crown jewel of its results, and its skiers won two crowns."
    assert _figures(sentence, nlp, krone_reporting) == [("money", pytest.approx(4.2e9), "NOK")]
    assert _figures(sentence, nlp, rules) == [("money", pytest.approx(4.2e9), "SEK")]
    # The followed company's crown, whatever other country the sentence names; a crown its place qualifies is that
    # place's, for any company.
    sale = "It sold its stake in a Danish robot maker for 2.3 billion crowns."
    assert _figures(sale, nlp, krone_reporting) == [("money", pytest.approx(2.3e9), "NOK")]
    assert _figures(sale, nlp, rules) == [("money", pytest.approx(2.3e9), "DKK")]
    paid = "The buyer paid 640 million Swedish crowns for the plant."
    assert _figures(paid, nlp, krone_reporting) == [("money", pytest.approx(640e6), "SEK")]
    assert _figures(paid, nlp, rules) == [("money", pytest.approx(640e6), "SEK")]


def test_a_bare_scaled_amount_spent_or_compared_is_in_the_sentences_currency(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    spent = "Of the 6 billion crowns Keller set aside for robots, it had spent about 2.1 billion by June."
    assert _figures(spent, nlp, rules)[-1] == ("money", pytest.approx(2.1e9), "SEK")
    compared = "Orders rose to €7.2 billion from 6.4 billion."
    assert _figures(compared, nlp, rules)[-1] == ("money", pytest.approx(6.4e9), "EUR")
    # a count stays a count; two currencies before it say nothing of which
    assert (
        _figures("Its model has 40 billion parameters, against 9 billion for the old one.", nlp, rules)[-1][0]
        == "count"
    )
    mixed = "It paid $2 billion and 9 billion crowns, then spent 1.5 billion more."
    assert _figures(mixed, nlp, rules)[-1][2] is None


def test_what_a_count_counts_from_the_subject_a_verb_takes_to_it(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    # a word that says which count it is stays with the noun
    assert _figures("Cumulative deliveries topped 8 million last year.", nlp, rules) == [
        ("count", pytest.approx(8e6), "cumulative deliveries")
    ]
    # what the verb takes to the number is what it counts, not what the sentence before counted
    assert _figures("Deliveries rose to 2.3 million in the quarter.", nlp, rules)[0][2].lower() == "deliveries"
    # a range's first end says what both count (the records read it from there), not the verb's subject
    went = _figures("The game climbed from roughly 4 million downloads to 7.5 million in a month.", nlp, rules)
    assert went[0][2] == "downloads" and went[1][2] in (None, "downloads"), went
    # a bare number set against a count counts the same
    against = _figures("The fleet had 640 robots, up from 410 a year before.", nlp, rules)
    assert [u for _, _, u in against] == ["robots", "robots"]
    beside = _figures("The fleet had 640 robots, with room for more than 900.", nlp, rules)
    assert [u for _, _, u in beside] == ["robots", "robots"]
