"""Python peers for `sluice-bench repair`: ftfy.fix_text / fix_encoding and charset-normalizer,
on the exact inputs the Swift benchmark wrote (clean.txt, mojibake.txt, eval/).

    bench/.venv/bin/python bench/repair/peer.py DATA_DIR

Prints `name: value unit` lines comparable with sluice-bench's (both in MB per CPU-second).
"""
import codecs
import os
import sys
import time
from collections import defaultdict

import ftfy
import charset_normalizer


def best_of(n, fn):
    """Least CPU time of n runs (time.process_time), as sluice-bench measures itself: the
    machine is shared, so wall-clock time would count other people's work."""
    best = float("inf")
    for _ in range(n):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def throughput(name, lines, fn, runs=1):
    nbytes = sum(len(l.encode("utf-8")) for l in lines)
    secs = best_of(runs, lambda: [fn(l) for l in lines])
    print(f"{name}: {nbytes / 1e6 / secs:.2f} MB/s")


def canonical(name):
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name.lower()


def main():
    root = sys.argv[1]
    clean = open(os.path.join(root, "clean.txt"), encoding="utf-8").read().split("\n")[:-1]
    mojibake = open(os.path.join(root, "mojibake.txt"), encoding="utf-8").read().split("\n")[:-1]
    ascii_lines = [l for l in clean if l.isascii()]
    print(f"ftfy {ftfy.__version__}, charset-normalizer {charset_normalizer.__version__}")
    throughput("ftfy_fix_text_clean_ascii", ascii_lines, ftfy.fix_text)
    throughput("ftfy_fix_text_clean_corpus", clean, ftfy.fix_text)
    throughput("ftfy_fix_text_mojibake", mojibake, ftfy.fix_text)
    throughput("ftfy_fix_encoding_mojibake", mojibake, ftfy.fix_encoding)
    fixed = sum(1 for l in mojibake if ftfy.fix_encoding(l) != l)
    print(f"ftfy_mojibake_lines_changed: {fixed}/{len(mojibake)} lines")

    negatives = os.path.join(root, "negatives.txt")
    if os.path.exists(negatives):
        lines = open(negatives, encoding="utf-8").read().split("\n")[:-1]
        changed = sum(1 for l in lines if ftfy.fix_encoding(l) != l)
        print(f"ftfy_false_positives: {changed}/{len(lines)} lines of correct text changed (fix_encoding)")
    evaluate(os.path.join(root, "eval"), "charset_normalizer")
    for n in (1, 2):
        d = os.path.join(root, f"eval-heldout{n}")
        if os.path.isdir(d):
            evaluate(d, f"charset_normalizer_heldout{n}")


def evaluate(ev, prefix):
    rows = [l.split("\t") for l in open(os.path.join(ev, "labels.tsv"), encoding="utf-8").read().splitlines()[1:]]
    samples = []
    for name, charset, unit, lang in rows:
        data = open(os.path.join(ev, name + ".bin"), "rb").read()
        text = open(os.path.join(ev, name + ".txt"), encoding="utf-8").read()
        samples.append((charset, data, text))
    total_bytes = sum(len(d) for _, d, _ in samples)
    results = []

    def detect_all():
        results.clear()
        for charset, data, text in samples:
            best = charset_normalizer.from_bytes(data).best()
            results.append((charset, best, text))

    secs = best_of(1, detect_all)
    print(f"{prefix}: {total_bytes / 1e6 / secs:.2f} MB/s ({len(samples)} samples, {total_bytes} bytes)")
    tally = defaultdict(lambda: [0, 0, 0])
    for charset, best, text in results:
        t = tally[charset]
        t[0] += 1
        if best is not None:
            if canonical(best.encoding) == canonical(charset):
                t[1] += 1
            if str(best) == text:
                t[2] += 1
    overall = [0, 0, 0]
    for charset in sorted(tally):
        n, exact, same = tally[charset]
        overall = [overall[0] + n, overall[1] + exact, overall[2] + same]
        print(f"{prefix}_accuracy_{charset}: {100 * same / n:.1f} % same text, {100 * exact / n:.1f} % exact label ({n} samples)")
    n, exact, same = overall
    print(f"{prefix}_accuracy_overall: {100 * same / n:.1f} % same text, {100 * exact / n:.1f} % exact label ({n} samples)")


if __name__ == "__main__":
    main()
