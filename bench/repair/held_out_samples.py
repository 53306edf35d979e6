"""Writes a held-out charset evaluation set (same TSV format as charset-samples.tsv) from the
translations this machine already has: the gettext catalogues under /usr/share/locale. The text
was written by translators, not by Sluice's authors, so detection was not tuned on it.

    python3 bench/repair/held_out_samples.py [--set2] OUT.tsv [LINES_PER_LANGUAGE]
    python3 bench/repair/held_out_samples.py --negatives OUT.txt

With --negatives it writes every translated message with characters beyond ASCII, for all
the languages in NEGATIVE_LOCALES, one per line: correct text that mojibake repair must leave
unchanged (a false-positive check at scale).

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
# A second, disjoint set of catalogues: the first set was used while the scorer was adjusted,
# this one was not looked at before measuring.
DOMAINS_2 = ["systemd", "shadow", "Linux-PAM", "PackageKit", "appstream", "gnupg2", "gettext-tools", "diffutils",
             "make", "xdg-user-dirs", "psmisc", "software-properties"]
CLEAN = re.compile(r"%[-+ #0-9.*]*[a-zA-Z]|%%|\\[nt]|[\n\t\r]|<[^>]*>|`|'|_")


def messages(locale_dir, domains):
    out = []
    for domain in domains:
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


NEGATIVE_LOCALES = ["fr", "de", "es", "pt", "it", "pl", "cs", "sk", "hu", "ro", "hr", "ru", "uk", "bg",
                    "ja", "zh_CN", "zh_TW", "ko", "el", "tr", "vi", "he", "ar"]
NEGATIVE_DOMAINS = DOMAINS + ["gettext-tools", "xkeyboard-config", "iso_639-3", "iso_3166-2"]


def negatives(out_path):
    count = 0
    with open(out_path, "w", encoding="utf-8") as out:
        for loc in NEGATIVE_LOCALES:
            for domain in NEGATIVE_DOMAINS:
                path = os.path.join("/usr/share/locale", loc, "LC_MESSAGES", domain + ".mo")
                if not os.path.exists(path):
                    continue
                with open(path, "rb") as f:
                    try:
                        catalog = gettext.GNUTranslations(f)._catalog
                    except Exception:
                        continue
                for key in sorted(catalog, key=str):
                    text = catalog[key]
                    if key and isinstance(text, str) and any(ord(c) > 127 for c in text):
                        out.write(" ".join(text.split()) + "\n")
                        count += 1
    print(f"negatives: {count} lines -> {out_path}")


def main():
    if sys.argv[1] == "--negatives":
        negatives(sys.argv[2])
        return
    args = sys.argv[1:]
    domains = DOMAINS
    if args and args[0] == "--set2":
        domains = DOMAINS_2
        args = args[1:]
    out_path = args[0]
    per_lang = int(args[1]) if len(args) > 1 else 20
    lines = ["# Held-out charset evaluation set from /usr/share/locale gettext catalogues (generated)."]
    for lang, locale_dir in LANGS.items():
        msgs = messages(locale_dir, domains)
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
