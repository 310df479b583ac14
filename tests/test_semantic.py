"""The packaged static embeddings: words and sentences that mean alike score alike, offline and deterministic."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.answering import semantic
from bot.answering.semantic import MODEL_DIR, StaticModel, encode, neighbours, similarity
from bot.settings import PROJECT_ROOT


# (word, nearer, farther): a model that ignores meaning (or reads the wrong rows) gets some of these backwards.
@pytest.mark.parametrize(
    ("word", "nearer", "farther"),
    [
        ("released", "unveiled", "dividend"),
        ("released", "launched", "lawsuit"),
        ("staff", "employees", "revenue"),
        ("staff", "workforce", "shares"),
        ("ceo", "chief executive", "spokesperson"),
        ("ceo", "chairman", "dividend"),
        ("leads", "ceo", "weather"),
        ("cheap", "cost", "team"),
        ("team", "members", "revenue"),
        ("spending", "investment", "lawsuit"),
        ("big", "large", "late"),
    ],
)
def test_a_word_is_nearer_its_synonym_than_an_unrelated_word(word: str, nearer: str, farther: str) -> None:
    close, far = similarity(word, [nearer, farther])
    assert close > far + 0.1, (close, far)


@pytest.mark.parametrize(
    ("query", "answer", "others"),
    [
        ("how many people work at the company", "The firm has 200,000 employees.", ["The stock rose 5%."]),
        (
            "how much is the bank spending on new branches",
            "The lender will invest 2 billion pounds opening outlets across the north.",
            ["The lender's shares slipped 2 percent on Friday.", "The lender employs 9,000 people."],
        ),
        (
            "is the service cheap",
            "The service costs a tenth of what rivals charge.",
            ["The service was launched in Berlin.", "The service has a new logo."],
        ),
        (
            "how big is the engineering team",
            "The engineering group now has 800 members.",
            ["The engineering budget is 800 million yuan."],
        ),
    ],
)
def test_the_sentence_that_answers_ranks_first(query: str, answer: str, others: list[str]) -> None:
    scores = similarity(query, [answer, *others])
    assert scores[0] == max(scores) and scores.count(scores[0]) == 1, scores


def test_encode_gives_unit_rows_and_zero_rows_for_text_without_known_pieces() -> None:
    texts = ["Cloud revenue rose 26%.", "", "阿里巴巴", "   ", "the cloud unit"]
    vectors = encode(texts)
    assert vectors.shape == (5, semantic.model().dims) and vectors.dtype == np.float32
    norms = np.linalg.norm(vectors, axis=1)
    assert norms[[0, 4]] == pytest.approx([1.0, 1.0], abs=1e-5)
    # Empty text, spaces only, and a script the model dropped carry no meaning: zero rows, similarity 0.
    assert norms[[1, 2, 3]].tolist() == [0.0, 0.0, 0.0]
    assert similarity("阿里巴巴", ["Cloud revenue rose 26%."]) == [0.0]
    assert encode([]).shape == (0, semantic.model().dims)


def test_encode_is_deterministic_and_independent_of_the_batch() -> None:
    texts = [f"The unit hired {n} engineers in {2020 + n % 5}." for n in range(50)]
    alone = np.vstack([encode([t]) for t in texts[:5]])
    together = encode(texts)
    assert np.array_equal(together, encode(texts))
    assert np.allclose(together[:5], alone, atol=1e-6)
    # Different texts get different vectors: a model reading one row for everything would fail here.
    assert not np.allclose(together[0], together[1])


def test_the_mean_of_pieces_is_order_free_and_case_free() -> None:
    a, b, c = encode(["Revenue of the cloud unit", "the cloud unit REVENUE of", "profit of the cloud unit"])
    assert float(a @ b) == pytest.approx(1.0, abs=1e-5)
    assert float(a @ c) < 0.99


VOCABULARY = [
    "employees",
    "workforce",
    "dividend",
    "revenue",
    "shares",
    "unveiled",
    "launched",
    "weather",
    "chairman",
    "executives",
    "profit",
    "expenditure",
    "budget",
    "members",
    "price",
    "costs",
    "lawsuit",
    "staff",
]


@pytest.mark.parametrize(
    ("word", "expected", "never"),
    [
        ("staff", {"employees", "workforce"}, {"dividend", "weather", "lawsuit", "staff"}),
        ("released", {"launched", "unveiled"}, {"dividend", "weather", "lawsuit"}),
        ("ceo", {"executives", "chairman"}, {"weather", "price", "lawsuit"}),
        ("spending", {"expenditure", "budget"}, {"weather", "chairman", "members"}),
        ("cheap", {"costs", "price"}, {"chairman", "weather", "members"}),
    ],
)
def test_neighbours_are_the_corpus_words_that_mean_alike(word: str, expected: set[str], never: set[str]) -> None:
    found = neighbours(word, VOCABULARY, k=3)
    words = [w for w, _ in found]
    assert len(found) == 3 and expected <= set(words) and not never & set(words), found
    scores = [s for _, s in found]
    assert scores == sorted(scores, reverse=True)


def test_neighbours_do_not_depend_on_the_vocabulary_order_or_on_the_cache() -> None:
    first = neighbours("staff", VOCABULARY, k=5)
    again = neighbours("staff", list(reversed(VOCABULARY)) + VOCABULARY, k=5)
    assert first == again
    # A fresh model and cache give the same answer as the warmed one.
    fresh = semantic.WordVectors(StaticModel.load())
    rows = fresh.rows([w for w, _ in first])
    target = fresh.model.encode(["staff"])[0]
    assert [round(float(s), 5) for s in fresh.matrix[rows] @ target] == [round(s, 5) for _, s in first]


def test_neighbours_bounds() -> None:
    assert neighbours("staff", VOCABULARY, k=0) == []
    assert neighbours("", VOCABULARY) == []
    assert neighbours("staff", []) == []
    assert neighbours("阿里巴巴", VOCABULARY) == []
    everything = neighbours("staff", VOCABULARY, k=100, min_score=-1.0)
    assert {w for w, _ in everything} == set(VOCABULARY) - {"staff"}
    assert "staff" not in {w for w, _ in neighbours(" Staff ", VOCABULARY, k=100, min_score=-1.0)}
    assert neighbours("staff", ["staff", "Staff"]) == []
    assert all(s > 0.3 for _, s in neighbours("staff", VOCABULARY, k=100, min_score=0.3))


def test_the_model_files_agree_and_say_where_they_came_from() -> None:
    config = json.loads((MODEL_DIR / "config.json").read_text())
    model = semantic.model()
    assert model.table.shape == (config["tokens"], config["dims"]) and model.table.dtype == np.float16
    assert not model.table[:5].any() and model.table[5:].any(axis=1).all()
    readme = (MODEL_DIR / "README.md").read_text()
    assert "Apache" in readme and config["model_safetensors_sha256"] in readme
    assert "Apache License" in (MODEL_DIR / "LICENSE").read_text()
    with pytest.raises(ValueError, match="tokens"):
        StaticModel(model.tokenizer, model.table[:-1])


# Runs in a fresh interpreter: an audit hook sees every socket the process would open, and cannot be removed.
OFFLINE_PROBE = """
import sys
events = []
sys.addaudithook(lambda name, args: events.append(name) if name.startswith(("socket.", "urllib.")) else None)
from bot.answering import semantic
scores = semantic.similarity("staff", ["employees", "weather"])
assert scores[0] > scores[1], scores
print(sorted(set(events)))
"""


def test_loading_and_encoding_never_touch_the_network() -> None:
    done = subprocess.run(
        [sys.executable, "-c", OFFLINE_PROBE], capture_output=True, text=True, timeout=120, cwd=PROJECT_ROOT
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_built_package_carries_the_model_files(tmp_path: Path) -> None:
    # Build from a clean copy of the sources, so no egg-info left by an editable install can add the files.
    source = tmp_path / "src"
    shutil.copytree(PROJECT_ROOT / "bot", source / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(PROJECT_ROOT / name, source / name)
    built = subprocess.run(
        [sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "build_py", "-d", str(tmp_path / "out")],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert built.returncode == 0, built.stderr
    packaged = {p.name for p in (tmp_path / "out" / "bot" / "answering" / "embeddings").glob("*")}
    assert packaged == {p.name for p in MODEL_DIR.iterdir() if p.is_file()}
    assert {"embeddings.npy", "tokenizer.json", "LICENSE", "README.md"} <= packaged
