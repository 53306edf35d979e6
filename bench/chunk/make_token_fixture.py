#!/usr/bin/env python3
"""Writes the reference token counts the Swift tests compare against.

Run from the package root (it makes bench/.venv when missing):
    bench/chunk/make_token_fixture.py
It loads ../shared/corpora/tokenizers/all-MiniLM-L6-v2/tokenizer.json with the Hugging Face
`tokenizers` package (truncation and padding switched off, no special tokens, as
`encode(text, add_special_tokens=False)`), splits each corpus in ../shared/corpora/text on
"\n\n" and records every paragraph's token count, plus the ids of a list of tricky strings
(accents, CJK, control characters, emoji, long words, special-token text). The output is
Tests/SluiceTextTests/Chunking/Fixtures/minilm_token_counts.json.

For BPE it also trains two small tokenizers with the same package (deterministic trainer, on
room_with_a_view.txt and commonmark_spec.md) and saves them next to it, with their counts:
- bpe_bytelevel.json: NFC normalizer, ByteLevel pre-tokenizer (prefix space), byte-level BPE;
- bpe_whitespace.json: NFD + StripAccents + Lowercase, Whitespace pre-tokenizer, BPE with
  [UNK] (fuse_unk) and a small alphabet, so unknown characters occur;
- bpe_metaspace.json: NFKC, SentencePiece-style Metaspace pre-tokenizer (prepend "first",
  split), BPE with byte_fallback (the 256 <0xXX> tokens) and a small alphabet;
- wordlevel_whitespace.json: Lowercase, WhitespaceSplit pre-tokenizer, WordLevel with [UNK].
Their counts are in *_counts.json. The trainer may break ties differently from run to run, so
a tokenizer file and its counts are always written (and committed) together.
"""
import hashlib
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV = os.path.join(ROOT, "bench", ".venv")
if sys.prefix != VENV:
    if not os.path.exists(os.path.join(VENV, "bin", "python")):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    subprocess.check_call([os.path.join(VENV, "bin", "pip"), "install", "-q", "tokenizers==0.23.3"])
    os.execv(os.path.join(VENV, "bin", "python"), [os.path.join(VENV, "bin", "python")] + sys.argv)

from tokenizers import Tokenizer, __version__ as tokenizers_version  # noqa: E402

SHARED = os.environ.get("SLUICE_SHARED", os.path.join(os.path.dirname(ROOT), "shared"))
TOKENIZER = os.path.join(SHARED, "corpora", "tokenizers", "all-MiniLM-L6-v2", "tokenizer.json")
CORPORA = ["room_with_a_view.txt", "commonmark_spec.md", "romeo_and_juliet.txt", "github_flavored.md"]
STRINGS = [
    "Hello, World!",
    "Café au lait, naïve résumé — “quoted” ‘text’…",
    "İstanbul ΣΊΣΥΦΟΣ Ärger Øre Ångström façade",
    "中文字符和日本語のテキスト한국어",
    "tab\there\x0bvertical\x0cform\x1ffeed\x7fdel\u0085nel\u2028ls\u00a0nbsp",
    "zero\u200bwidth\u200djoiner\ufeffbom\ufffdreplacement\U000e0001tag",
    "emoji 👩‍👩‍👧 🇺🇸 ✔️ 1️⃣ e\u0301 a\u0308",
    "supercalifragilisticexpialidocious" * 4,
    "[CLS] tokens [SEP] inside [MASK] text[UNK]x [PAD]",
    "don't won’t it's 3.14159 1,000,000 $5 #hashtag @user e-mail a_b",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ﬁ ﬀ ½ ² ℃ Ⅻ",
    "",
    "   \n\n  ",
]


FIXTURES = os.path.join(ROOT, "Tests", "SluiceTextTests", "Chunking", "Fixtures")


def reference(tok, name):
    out = {"generator": "bench/chunk/make_token_fixture.py", "tokenizers_version": tokenizers_version,
           "tokenizer": name, "split": "paragraphs are text.split('\\n\\n')", "files": [], "strings": []}
    for corpus in CORPORA:
        with open(os.path.join(SHARED, "corpora", "text", corpus), encoding="utf-8") as f:
            text = f.read()
        counts, digest = [], hashlib.sha256()
        for para in text.split("\n\n"):
            ids = tok.encode(para, add_special_tokens=False).ids
            counts.append(len(ids))
            digest.update((",".join(map(str, ids)) + ";").encode())
        whole = len(tok.encode(text, add_special_tokens=False).ids)
        out["files"].append({"file": corpus, "whole_count": whole, "paragraph_counts": counts,
                             "paragraph_ids_sha256": digest.hexdigest()})
    for s in STRINGS + ["x" * 3000, " " * 500 + "a", "ab" * 700]:
        out["strings"].append({"text": s, "ids": tok.encode(s, add_special_tokens=False).ids})
    return out


def train_bpe():
    from tokenizers import decoders, models, normalizers, pre_tokenizers, trainers
    texts = []
    for corpus in ["room_with_a_view.txt", "commonmark_spec.md"]:
        with open(os.path.join(SHARED, "corpora", "text", corpus), encoding="utf-8") as f:
            texts.append(f.read())

    byte_level = Tokenizer(models.BPE())
    byte_level.normalizer = normalizers.NFC()
    byte_level.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True)
    byte_level.decoder = decoders.ByteLevel()
    byte_level.train_from_iterator(texts, trainers.BpeTrainer(
        vocab_size=700, special_tokens=["<|endoftext|>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False))

    whitespace = Tokenizer(models.BPE(unk_token="[UNK]", fuse_unk=True))
    whitespace.normalizer = normalizers.Sequence([normalizers.NFD(), normalizers.StripAccents(), normalizers.Lowercase()])
    whitespace.pre_tokenizer = pre_tokenizers.Whitespace()
    whitespace.train_from_iterator(texts, trainers.BpeTrainer(
        vocab_size=600, special_tokens=["[UNK]"], limit_alphabet=50, show_progress=False))
    metaspace = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True))
    metaspace.normalizer = normalizers.NFKC()
    metaspace.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="first", split=True)
    metaspace.train_from_iterator(texts, trainers.BpeTrainer(
        vocab_size=900, special_tokens=["<unk>"] + [f"<0x{b:02X}>" for b in range(256)], limit_alphabet=70,
        show_progress=False))
    word_level = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    word_level.normalizer = normalizers.Lowercase()
    word_level.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    word_level.train_from_iterator(texts, trainers.WordLevelTrainer(vocab_size=1500, special_tokens=["[UNK]"], show_progress=False))
    return [("bpe_bytelevel", byte_level), ("bpe_whitespace", whitespace), ("bpe_metaspace", metaspace),
            ("wordlevel_whitespace", word_level)]


def main():
    for name, tok in train_bpe():
        tok.save(os.path.join(FIXTURES, name + ".json"))
        tok = Tokenizer.from_file(os.path.join(FIXTURES, name + ".json"))
        with open(os.path.join(FIXTURES, name + "_counts.json"), "w", encoding="utf-8") as f:
            json.dump(reference(tok, "Tests/SluiceTextTests/Chunking/Fixtures/" + name + ".json"), f,
                      ensure_ascii=False, separators=(",", ":"))
            f.write("\n")
        print(f"wrote {name}.json and {name}_counts.json")
    tok = Tokenizer.from_file(TOKENIZER)
    tok.no_truncation()
    tok.no_padding()
    out = {
        "generator": "bench/chunk/make_token_fixture.py",
        "tokenizers_version": tokenizers_version,
        "tokenizer": "corpora/tokenizers/all-MiniLM-L6-v2/tokenizer.json",
        "split": "paragraphs are text.split('\\n\\n')",
        "files": [],
        "strings": [],
    }
    for name in CORPORA:
        with open(os.path.join(SHARED, "corpora", "text", name), encoding="utf-8") as f:
            text = f.read()
        counts, digest = [], hashlib.sha256()
        for para in text.split("\n\n"):
            ids = tok.encode(para, add_special_tokens=False).ids
            counts.append(len(ids))
            digest.update((",".join(map(str, ids)) + ";").encode())
        whole = len(tok.encode(text, add_special_tokens=False).ids)
        out["files"].append({"file": name, "whole_count": whole, "paragraph_counts": counts,
                             "paragraph_ids_sha256": digest.hexdigest()})
    for s in STRINGS:
        out["strings"].append({"text": s, "ids": tok.encode(s, add_special_tokens=False).ids})
    path = os.path.join(ROOT, "Tests", "SluiceTextTests", "Chunking", "Fixtures", "minilm_token_counts.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}: " + ", ".join(f"{x['file']} {x['whole_count']} tokens" for x in out["files"]))


if __name__ == "__main__":
    main()
