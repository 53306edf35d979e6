"""The mapping of `sluice-bench map` as a plain Python function (json + re + datetime), over the
records the Swift benchmark wrote: records per second of the function alone (the records are
parsed before the clock starts, as the `map` stage receives them parsed), and with json.loads and
json.dumps around it. Checks its results against the stage's output for the first records.

usage: python3 bench/map/python_peer.py DATA_DIR [ROUNDS]
"""
import json
import re
import sys
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

CAPTURE = re.compile(r"/(?P<kind>[a-z]+)-(?P<id>[a-z0-9]+)\.txt$")
BOOLEANS = {"true": True, "yes": True, "on": True, "1": True, "false": False, "no": False, "off": False, "0": False}
DIGITS = re.compile(r"^\s*[-+]?\d+\s*$")


def to_int(v, default):
    if isinstance(v, str) and DIGITS.match(v):
        return int(v)
    return default


def to_float(v, default):
    try:
        return float(v)
    except (TypeError, ValueError):
        return default


def to_bool(v, default):
    return BOOLEANS.get(v.lower(), default) if isinstance(v, str) else default


def parse_timestamp(v):
    """RFC 3339, RFC 2822 or %Y-%m-%d, as RFC 3339 in UTC; None when none fits."""
    if not isinstance(v, str):
        return None
    try:
        if len(v) == 10:
            t = datetime.strptime(v, "%Y-%m-%d").replace(tzinfo=timezone.utc)
        elif v[:4].isdigit():
            t = datetime.fromisoformat(v)
        else:
            t = parsedate_to_datetime(v)
    except (TypeError, ValueError):
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def mapping(r, input_name):
    r["count"] = to_int(r.get("count"), 0)
    r["price"] = to_float(r.get("price"), 0)
    r["active"] = to_bool(r.get("active"), False)
    r["version"] = to_int(r.get("version"), 1)
    r["tags"] = r["tags"].split("|")
    r["author"] = {"name": r["author_name"].strip(), "email": r["author_email"].lower()}
    r["published"] = parse_timestamp(r.get("published"))
    m = CAPTURE.search(r.get("url", ""))
    r["doc_id"] = m.group("id") if m else None
    r["title"] = r["title"].strip()
    r["lang"] = r["lang"].lower()
    r["source"] = "feed:" + input_name
    r["words"] = len(r["summary"].split(" "))
    return r


def main():
    data = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with open(f"{data}/records.jsonl", encoding="utf-8") as f:
        lines = f.read().splitlines()
    with open(f"{data}/expected.jsonl", encoding="utf-8") as f:
        expected = [json.loads(line) for line in f]
    agree = sum(1 for line, want in zip(lines, expected) if mapping(json.loads(line), "feed") == want)
    print(f"python_agrees_with_sluice: {agree}/{len(expected)} records")

    best = float("inf")
    for _ in range(rounds):
        records = [json.loads(line) for line in lines]
        t0 = time.process_time()
        for r in records:
            mapping(r, "feed")
        best = min(best, time.process_time() - t0)
    print(f"python_map_records_per_sec: {len(lines) / best:.0f} records/s (the function alone, CPU time)")

    best = float("inf")
    for _ in range(rounds):
        t0 = time.process_time()
        for line in lines:
            json.dumps(mapping(json.loads(line), "feed"))
        best = min(best, time.process_time() - t0)
    print(f"python_map_with_json_records_per_sec: {len(lines) / best:.0f} records/s (json.loads + function + json.dumps)")


if __name__ == "__main__":
    main()
