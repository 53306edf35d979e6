"""Writes a held-out charset evaluation set (same TSV format as charset-samples.tsv) from the
translations this machine already has: the gettext catalogues under /usr/share/locale. The text
was written by translators, not by Sluice's authors, so detection was not tuned on it.

    python3 bench/repair/held_out_samples.py OUT.tsv [LINES_PER_LANGUAGE]

Each output line joins a few translated messages (format directives and markup removed) that
hold characters beyond ASCII. Deterministic: catalogues and messages are taken in sorted order.
"""
import gettext
import os
import re
import sys

LANGS = {
    "fr": "fr", "de": "de", "es": "es", "pt": "pt", "it": "it",
    "pl": "pl", "cs": "cs", "sk": "sk", "hu": "hu", "ro": "ro", "hr": "hr",
    "ru": "ru", "uk": "uk", "bg": "bg",
    "ja": "ja", "zh-Hans": "zh_CN", "zh-Hant": "zh_TW", "ko": "ko",
}
DOMAINS = ["coreutils", "apt", "dpkg", "glib20", "gtk20", "bash", "grep", "tar", "sed", "findutils", "wget", "libc"]
CLEAN = re.compile(r"%[-+ #0-9.*]*[a-zA-Z]|%%|\\[nt]|[\n\t\r]|<[^>]*>|`|'|_")


def messages(locale_dir):
    out = []
    for domain in DOMAINS:
        path = os.path.join("/usr/share/locale", locale_dir, "LC_MESSAGES", domain + ".mo")
        if not os.path.exists(path):
            continue
        with open(path, "rb") as f:
            try:
                catalog = gettext.GNUTranslations(f)._catalog
            except Exception:
                continue
        for key in sorted(catalog, key=str):
            if not key:  # the catalogue header
                continue
            text = catalog[key]
            if not isinstance(text, str):
                continue
            text = " ".join(CLEAN.sub(" ", text).split())
            if len(text) >= 30 and any(ord(c) > 127 for c in text):
                out.append(text)
    return out


def main():
    out_path = sys.argv[1]
    per_lang = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    lines = ["# Held-out charset evaluation set from /usr/share/locale gettext catalogues (generated)."]
    for lang, locale_dir in LANGS.items():
        msgs = messages(locale_dir)
        if not msgs:
            continue
        step = max(1, len(msgs) // (per_lang * 3))
        picked = msgs[::step][: per_lang * 3]
        for i in range(0, len(picked) - 2, 3):
            joined = " ".join(m.rstrip(".") + "." for m in picked[i : i + 3])
            lines.append(f"{lang}\t{joined}")
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"held-out samples: {len(lines) - 1} lines -> {out_path}")


if __name__ == "__main__":
    main()
