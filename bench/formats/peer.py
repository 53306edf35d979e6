"""Python standard-library peers for `sluice-bench formats`: read one file into dicts.

    python3 bench/formats/peer.py FILE

JSON Lines: json.loads per line. JSON: json.load of the whole array (the standard library cannot
stream one). CSV: csv.DictReader. XML: ElementTree.iterparse, clearing each <item> after use.
Prints MB/s (per wall second and per CPU second, which includes the interpreter's start-up),
records/s and the process's peak RSS, like sluice-bench. No hashing: the Sluice side also computes
two SHA-256 passes (file and record) that these loops skip.
"""
import csv
import json
import os
import resource
import sys
import time
import xml.etree.ElementTree as ET


def read(path: str) -> int:
    n = 0
    if path.endswith(".jsonl"):
        with open(path, "rb") as f:
            for line in f:
                if line.strip():
                    json.loads(line)
                    n += 1
    elif path.endswith(".json"):
        with open(path, "rb") as f:
            n = len(json.load(f))
    elif path.endswith(".csv"):
        with open(path, newline="", encoding="utf-8") as f:
            for _ in csv.DictReader(f):
                n += 1
    elif path.endswith(".xml"):
        for _, elem in ET.iterparse(path, events=("end",)):
            if elem.tag == "item":
                {child.tag: child.text for child in elem}
                n += 1
                elem.clear()
    return n


def main(path: str) -> None:
    size = os.path.getsize(path)
    start = time.perf_counter()
    n = read(path)
    secs = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    rss = usage.ru_maxrss // 1024
    cpu = usage.ru_utime + usage.ru_stime
    name = f"formats/{os.path.basename(path)}/python"
    print(f"{name}/read: {size / secs / 1e6:.1f} MB/s")
    print(f"{name}/read_cpu: {size / cpu / 1e6:.1f} MB per CPU-second")
    print(f"{name}/records: {n / secs:.0f} records/s ({n} records)")
    print(f"{name}/peak_rss: {rss} MB (file {size // 1_000_000} MB)")


if __name__ == "__main__":
    main(sys.argv[1])
