"""The near-duplicate threshold, measured: syndicated copies (another headline, paragraph order, furniture, light
edits, a shortened copy) score at or above `COPY_THRESHOLD`; different reports of the same event (same names and
figures, other words) score below it; and the LSH bands make each copy a candidate. The articles are written for
these tests."""

from __future__ import annotations

import pytest

from bot.reading import similar
from tests.feeds_site import LOGISTICS, PRICE_CUT, PRICE_CUT_ANALYSIS, PRICE_CUT_COPY

EARNINGS = [
    "Alibaba Group reported revenue of 247 billion yuan for the quarter that ended in September, up 5 percent "
    "from a year earlier and slightly ahead of what analysts had expected.",
    "Net income fell by a third because of losses on the value of its equity investments, the company said, "
    "while adjusted earnings per share rose 4 percent.",
    "The Taobao and Tmall group grew customer management revenue by 10 percent, helped by a new software service "
    "fee charged to merchants, and the cloud intelligence group grew 26 percent.",
    "The company bought back shares worth 800 million dollars during the quarter and said it would keep investing "
    "in AI infrastructure and in quick commerce, where it competes with Meituan.",
]
EARNINGS_OTHER = [
    "Shares of Alibaba rose in Hong Kong after the group posted a 5 percent increase in quarterly sales to 247 "
    "billion yuan, beating the average forecast of analysts polled by data providers.",
    "Investors focused on the cloud business, whose growth of 26 percent was the fastest in more than two years, "
    "and on the commission merchants now pay on Taobao and Tmall.",
    "Profit was dragged down by markdowns on stakes the company holds in other listed firms, a recurring theme "
    "in its results since 2022.",
    "The chief executive told analysts on a call that spending on AI would stay high and that quick delivery "
    "would lose less money from next year as order volumes grow.",
]
CHIPS = [
    "T-Head, the chip design unit of Alibaba Group, unveiled a server processor built on a 5-nanometre process "
    "that it says runs AI inference twice as fast as its previous design.",
    "The chip will first be used in Alibaba Cloud data centres in Hangzhou and Ulanqab before it is offered to "
    "outside customers in the second half of next year.",
    "Engineers said the processor has 128 cores and supports memory made by several Chinese suppliers, reducing "
    "reliance on parts subject to export controls.",
    "Alibaba did not say which foundry manufactures the chip or how many units it has ordered.",
]
CHIPS_OTHER = [
    "Alibaba has designed a new data centre processor for artificial intelligence work, the latest sign that "
    "Chinese tech groups are building their own silicon as access to foreign chips narrows.",
    "The 128-core part from its T-Head unit doubles inference speed over the last generation, according to the "
    "company, and will go into its own cloud facilities first.",
    "Industry analysts noted that the firm gave no details on production volumes or the contract manufacturer, "
    "leaving open how quickly it could ship in large numbers.",
]
LOGISTICS_OTHER = [
    "Hungary's trade minister cut the ribbon on Wednesday at a new parcel hub run by Cainiao, the delivery arm of "
    "Alibaba, on the southern edge of Budapest.",
    "The facility, which can process up to two million packages daily, is meant to speed up orders placed on "
    "AliExpress by shoppers in Hungary and neighbouring countries.",
    "Robots and camera systems do much of the sorting, and the company plans a workforce of roughly 400 when the "
    "site is fully running next year.",
]


def _text(title: str, paragraphs: list[str], furniture: str = "") -> str:
    return "\n".join([title, *paragraphs, furniture]).strip()


COPIES = {
    "another headline, order and light edits": (
        _text("Alibaba Cloud cuts Qwen model prices by up to 60%", PRICE_CUT),
        _text(
            "China's AI price war deepens as Alibaba slashes rates", PRICE_CUT_COPY, "Reporting by Daily Ledger staff"
        ),
    ),
    "paragraphs reversed, a dateline and a sign-off": (
        _text("Cainiao opens Budapest parcel hub", LOGISTICS),
        _text(
            "Alibaba logistics arm opens its biggest hub in central Europe",
            ["BUDAPEST (Wire) - " + LOGISTICS[0], *reversed(LOGISTICS[1:])],
            "Editing by the regional desk. Follow us for more business news.",
        ),
    ),
    "figures rewritten and a paragraph trimmed": (
        _text("Alibaba revenue rises 5% in September quarter", EARNINGS),
        _text(
            "Alibaba beats forecasts as cloud grows 26%",
            [
                EARNINGS[0].replace("5 percent", "5%"),
                EARNINGS[1].replace("fell by a third", "dropped by about a third"),
                EARNINGS[2].replace("26 percent", "26%"),
                EARNINGS[3].split(", where")[0] + ".",
            ],
        ),
    ),
    "a shortened copy": (
        _text("Alibaba's T-Head unveils 5nm AI server chip", CHIPS),
        _text("T-Head shows a faster server processor", CHIPS[:3]),
    ),
}
SAME_EVENT = {
    "price cut: news and analysis": (
        _text("Alibaba Cloud cuts Qwen model prices by up to 60%", PRICE_CUT),
        _text("Analysts split on Alibaba's AI price cuts", PRICE_CUT_ANALYSIS),
    ),
    "parcel hub: two reporters": (
        _text("Cainiao opens Budapest parcel hub", LOGISTICS),
        _text("Minister opens Cainiao hub in Budapest", LOGISTICS_OTHER),
    ),
    "results: two reports": (
        _text("Alibaba revenue rises 5% in September quarter", EARNINGS),
        _text("Alibaba shares rise after sales beat", EARNINGS_OTHER),
    ),
    "chip: two reports": (
        _text("Alibaba's T-Head unveils 5nm AI server chip", CHIPS),
        _text("Alibaba designs its own AI processor", CHIPS_OTHER),
    ),
}


def score(pair: tuple[str, str]) -> float:
    return similar.jaccard(similar.shingles(pair[0]), similar.shingles(pair[1]))


@pytest.mark.parametrize("name", sorted(COPIES))
def test_a_copy_scores_at_or_above_the_threshold(name: str) -> None:
    assert score(COPIES[name]) >= similar.COPY_THRESHOLD


@pytest.mark.parametrize("name", sorted(SAME_EVENT))
def test_another_report_of_the_same_event_scores_below_it(name: str) -> None:
    assert score(SAME_EVENT[name]) < similar.COPY_THRESHOLD


def test_the_threshold_leaves_a_margin_on_both_sides() -> None:
    """The least copy and the most similar different report are well apart, not on either side of a hair."""
    least_copy = min(score(p) for p in COPIES.values())
    most_alike = max(score(p) for p in SAME_EVENT.values())
    assert least_copy - similar.COPY_THRESHOLD >= 0.1
    assert similar.COPY_THRESHOLD - most_alike >= 0.2


@pytest.mark.parametrize("name", sorted(COPIES))
def test_every_copy_shares_a_band_with_its_original(name: str) -> None:
    first, second = (set(similar.text_bands(text)[1]) for text in COPIES[name])
    assert first & second


def test_unrelated_reports_share_no_band() -> None:
    """A different report of the same event is not even a candidate: the lookup reads no row for it."""
    shared = [
        name for name, (a, b) in SAME_EVENT.items() if set(similar.text_bands(a)[1]) & set(similar.text_bands(b)[1])
    ]
    assert shared == []


def test_signatures_are_the_same_in_every_process() -> None:
    """Bands stored by one replica are looked up by another: they depend on the text only."""
    assert similar.text_bands("Alibaba Cloud said on Monday it would cut prices")[1][:2] == [
        similar.band_keys(similar.signature(similar.shingles("alibaba cloud said on monday it would cut prices")))[i]
        for i in range(2)
    ]
