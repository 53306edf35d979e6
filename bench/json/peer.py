#!/usr/bin/env python3
"""The peers a user would otherwise pick: json (stdlib) and orjson, on the same JSONL file.

Prints `name: value unit` lines like sluice-bench: best of ROUNDS runs, by thread CPU time and
by wall clock, MB meaning 10^6 bytes of input.
    python bench/json/peer.py FILE [ROUNDS]
"""
import json
import sys
import time

path = sys.argv[1]
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
with open(path, "rb") as fh:
    data = fh.read()
lines = [line for line in data.split(b"\n") if line]
mb = len(data) / 1e6
print(f"python_corpus: {len(data)} bytes, {len(lines)} docs")


def best(fn):
    cpu = wall = float("inf")
    for _ in range(rounds):
        c0, w0 = time.thread_time(), time.perf_counter()
        fn()
        cpu = min(cpu, time.thread_time() - c0)
        wall = min(wall, time.perf_counter() - w0)
    return cpu, wall


def report(name, fn):
    cpu, wall = best(fn)
    print(f"{name}_cpu: {mb / cpu:.1f} MB/s")
    print(f"{name}_wall: {mb / wall:.1f} MB/s")


def json_parse():
    for line in lines:
        json.loads(line)


def json_parse_write():
    for line in lines:
        json.dumps(json.loads(line), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


report("python_json_parse", json_parse)
report("python_json_parse_write", json_parse_write)

try:
    import orjson
except ImportError:
    print("orjson: not installed")
else:
    def orjson_parse():
        for line in lines:
            orjson.loads(line)

    def orjson_parse_write():
        for line in lines:
            orjson.dumps(orjson.loads(line))

    report("python_orjson_parse", orjson_parse)
    report("python_orjson_parse_write", orjson_parse_write)
