"""Make bot/store/common_words.txt, the preset dictionary that compresses each stored sentence on SQLite.

A sentence is short (about 130 bytes): deflate alone saves a fifth of it, because it has seen nothing before the
sentence starts. Given a dictionary of common English words to refer back to, it saves nearly half. The words are
the whole alphabetic words of the embedding tokenizer's vocabulary (bot/answering/embeddings/tokenizer.json, a
general English word-piece vocabulary, ordered from the most frequent), written least frequent first, because
deflate codes a nearer reference in fewer bits, up to deflate's 32 KB window.

    python scripts/make_sentence_dictionary.py            # writes the file
    python scripts/make_sentence_dictionary.py --check    # exits 1 if the file differs from what it would write

Stored sentences are compressed against this exact file, so it must never change: a new dictionary needs a new
format byte in bot/store/packed.py, with the old file kept to read what is already stored.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOKENIZER = ROOT / "bot" / "answering" / "embeddings" / "tokenizer.json"
OUT = ROOT / "bot" / "store" / "common_words.txt"
WORDS = 4000
WINDOW = 32 * 1024  # deflate refers back at most this far


def dictionary() -> bytes:
    vocab: dict[str, int] = json.loads(TOKENIZER.read_text(encoding="utf-8"))["model"]["vocab"]
    words = [
        w for w, _ in sorted(vocab.items(), key=lambda item: item[1]) if w.isascii() and w.isalpha() and len(w) > 1
    ][:WORDS]
    return (" ".join(reversed(words)) + " ").encode("ascii")[-WINDOW:]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the file instead of writing it")
    args = parser.parse_args(argv)
    data = dictionary()
    if args.check:
        same = OUT.exists() and OUT.read_bytes() == data
        print(f"{OUT.relative_to(ROOT)}: {'up to date' if same else 'differs from what the script makes'}")
        return 0 if same else 1
    OUT.write_bytes(data)
    print(f"wrote {OUT.relative_to(ROOT)}: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
