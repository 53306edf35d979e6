#!/usr/bin/env python3
"""Chunking throughput of the Python splitters people use, on the same texts and sizes as
`sluice-bench chunk`: LangChain's RecursiveCharacterTextSplitter (langchain-text-splitters) and
semantic-text-splitter (Rust, via Python). Prints `name: value unit` lines like the Swift bench.

    bench/chunk/peers.py [SHARED_DIR]

Sizes: 512 and 2048 characters (both count code points), and 256 tokens of the MiniLM
tokenizer (HF `tokenizers`, no special tokens: LangChain with a length function that encodes,
semantic-text-splitter with from_huggingface_tokenizer). Each figure is the best of several
timed runs (at least 3, and at least 1 s in all); the tokenizer is loaded before timing.
"""
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV = os.path.join(ROOT, "bench", ".venv")
PACKAGES = ["tokenizers==0.23.3", "langchain-text-splitters==1.1.3", "semantic-text-splitter==0.33.1"]
if sys.prefix != VENV:
    if not os.path.exists(os.path.join(VENV, "bin", "python")):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    subprocess.check_call([os.path.join(VENV, "bin", "pip"), "install", "-q"] + PACKAGES)
    os.execv(os.path.join(VENV, "bin", "python"), [os.path.join(VENV, "bin", "python")] + sys.argv)

from langchain_text_splitters import RecursiveCharacterTextSplitter  # noqa: E402
from semantic_text_splitter import MarkdownSplitter, TextSplitter  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402

SHARED = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SLUICE_SHARED", os.path.join(os.path.dirname(ROOT), "shared"))
FILES = ["room_with_a_view.txt", "commonmark_spec.md"]


def best_rate(fn, nbytes):
    times, total = [], 0.0
    while len(times) < 3 or total < 1.0:
        t = time.perf_counter()
        chunks = fn()
        dt = time.perf_counter() - t
        times.append(dt)
        total += dt
        if total > 20:
            break
    return nbytes / min(times) / 1e6, len(chunks)


def histogram(sizes, max_size, name):
    buckets = [0] * 10
    for s in sizes:
        buckets[min(9, max(0, (s - 1) * 10 // max_size))] += 1
    mean = sum(sizes) // len(sizes) if sizes else 0
    return f"{name}: {' '.join(map(str, buckets))} chunks per tenth of max_size (mean {mean})"


def main():
    tok = Tokenizer.from_file(os.path.join(SHARED, "corpora", "tokenizers", "all-MiniLM-L6-v2", "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()

    def count_tokens(s):
        return len(tok.encode(s, add_special_tokens=False).ids)

    for name in FILES:
        with open(os.path.join(SHARED, "corpora", "text", name), encoding="utf-8") as f:
            text = f.read()
        nbytes = len(text.encode("utf-8"))
        cases = [("chars-512", 512, None), ("chars-2048", 2048, None), ("tokens-256", 256, tok)]
        for label, size, tokenizer in cases:
            if tokenizer is None:
                lc = RecursiveCharacterTextSplitter(chunk_size=size, chunk_overlap=0)
                sts = TextSplitter(size)
            else:
                lc = RecursiveCharacterTextSplitter(chunk_size=size, chunk_overlap=0, length_function=count_tokens)
                sts = TextSplitter.from_huggingface_tokenizer(tokenizer, size)
            for peer, fn in [("langchain", lambda: lc.split_text(text)), ("semantic-text-splitter", lambda: sts.chunks(text))]:
                rate, n = best_rate(fn, nbytes)
                print(f"chunk/{name}/{peer}/recursive/{label}: {rate:.2f} MB/s ({n} chunks)", flush=True)
            if label == "chars-512":
                # Sizes in code points (Python len), the splitters' own unit.
                print(histogram([len(c) for c in lc.split_text(text)], 512, f"chunk/{name}/langchain/recursive/chars-512/sizes"))
                print(histogram([len(c) for c in sts.chunks(text)], 512, f"chunk/{name}/semantic-text-splitter/recursive/chars-512/sizes"))
            if name.endswith(".md"):
                md = MarkdownSplitter(size) if tokenizer is None else MarkdownSplitter.from_huggingface_tokenizer(tokenizer, size)
                rate, n = best_rate(lambda: md.chunks(text), nbytes)
                print(f"chunk/{name}/semantic-text-splitter/markdown/{label}: {rate:.2f} MB/s ({n} chunks)", flush=True)


if __name__ == "__main__":
    main()
