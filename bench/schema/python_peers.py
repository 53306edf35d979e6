#!/usr/bin/env python3
"""Validates the documents `sluice-bench schema --write-data DIR` wrote with Python's
`jsonschema` (with its format checkers, extras `format-nongpl` installed) and `jsonschema-rs`,
format assertion on for both, and prints `name: value unit` lines like sluice-bench. Rates are
per second of thread CPU time (best of ROUNDS), as sluice-bench measures them.

usage: python_peers.py DIR [ROUNDS]
"""
import json
import sys
import time

import jsonschema
import jsonschema_rs


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def best_of(rounds, fn):
    best = float("inf")
    for _ in range(rounds):
        start = time.thread_time()
        fn()
        best = min(best, time.thread_time() - start)
    return best


def main():
    data = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with open(f"{data}/schema.json", encoding="utf-8") as f:
        schema = json.load(f)
    valid, invalid = load(f"{data}/valid.jsonl"), load(f"{data}/invalid.jsonl")
    with open(f"{data}/valid.jsonl", "rb") as f:
        size = len(f.read())

    py = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    rs = jsonschema_rs.validator_for(schema, validate_formats=True)
    assert all(py.is_valid(d) for d in valid), "jsonschema rejects a valid document"
    assert all(rs.is_valid(d) for d in valid), "jsonschema-rs rejects a valid document"
    assert not any(py.is_valid(d) for d in invalid), "jsonschema accepts an invalid document"
    assert not any(rs.is_valid(d) for d in invalid), "jsonschema-rs accepts an invalid document"

    # Python jsonschema is slow: time it on a slice so the run stays short (rates are per doc).
    sample = valid[: min(len(valid), 1000)]
    sample_bytes = size * len(sample) / len(valid)
    t = best_of(rounds, lambda: [py.is_valid(d) for d in sample])
    print(f"python_jsonschema_is_valid_docs_per_sec: {int(len(sample) / t)} docs/s")
    print(f"python_jsonschema_is_valid_mb_per_sec: {sample_bytes / t / 1e6:.2f} MB/s")
    t = best_of(rounds, lambda: [list(py.iter_errors(d)) for d in invalid])
    print(f"python_jsonschema_invalid_with_errors_docs_per_sec: {int(len(invalid) / t)} docs/s")

    t = best_of(rounds, lambda: [rs.is_valid(d) for d in valid])
    print(f"jsonschema_rs_is_valid_docs_per_sec: {int(len(valid) / t)} docs/s")
    print(f"jsonschema_rs_is_valid_mb_per_sec: {size / t / 1e6:.1f} MB/s")
    t = best_of(rounds, lambda: [list(rs.iter_errors(d)) for d in invalid])
    print(f"jsonschema_rs_invalid_with_errors_docs_per_sec: {int(len(invalid) / t)} docs/s")


if __name__ == "__main__":
    main()
