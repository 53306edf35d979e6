"""Writes the same article-like records as JSON Lines, a JSON array, CSV and an RSS-like XML feed.

    python3 bench/formats/generate.py OUT_DIR MB

Seeded, streaming (never holds the corpus); each file is about MB megabytes.
"""
import json
import os
import random
import sys

WORDS = ("tide harbour council ferry market garden library storm bridge station repair volunteer "
         "river estuary lantern quay beach café naïve über smörgåsbord").split()


def main(out_dir: str, mb: int) -> None:
    os.makedirs(out_dir, exist_ok=True)
    rng = random.Random(7)
    target = mb * 1_000_000
    paths = {k: os.path.join(out_dir, f"corpus.{k}") for k in ("jsonl", "json", "csv", "xml")}
    with open(paths["jsonl"], "w", encoding="utf-8") as jl, open(paths["json"], "w", encoding="utf-8") as ja, \
            open(paths["csv"], "w", encoding="utf-8", newline="") as cs, open(paths["xml"], "w", encoding="utf-8") as xm:
        ja.write("[\n")
        cs.write("id,title,author,body\r\n")
        xm.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n')
        i = 0
        while jl.tell() < target:
            body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(150, 450)))
            rec = {"id": f"doc-{i}", "title": f"Notes, part {i}", "author": rng.choice(["Ana", "Jon \"JJ\" Lee", "Mira"]), "body": body}
            line = json.dumps(rec, ensure_ascii=False)
            jl.write(line + "\n")
            ja.write(("" if i == 0 else ",\n") + line)
            cs.write(",".join('"' + str(v).replace('"', '""') + '"' for v in rec.values()) + "\r\n")
            author = rec["author"].replace('"', "&quot;")
            xm.write(f'<item id="{i}"><title>{rec["title"]}</title><author name="{author}"/><body>{body}</body></item>\n')
            i += 1
        ja.write("\n]\n")
        xm.write("</channel></rss>\n")
    print(f"{i} records in {out_dir}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
