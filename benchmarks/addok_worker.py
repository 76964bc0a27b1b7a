"""``ADDOK_PYTHON benchmarks/addok_worker.py JOB.json``: index municipality documents into addok and
answer queries with it, in this process, timing the searches alone.

Run by benchmarks/peer.py with the interpreter of addok's own throwaway environment (never the
project's), in a child process: addok reads its configuration once per process
(ADDOK_CONFIG_MODULE, set by the parent) and keeps it global. JOB.json names the documents
(JSON lines), the queries and the file to write the answers to: per query the top result's
citycode and score (or null), and the seconds the searches took.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(job_path: str) -> int:
    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    from addok.batch import batch
    from addok.config import config
    from addok.core import search

    config.load()
    start = time.perf_counter()
    with open(job["documents"], encoding="utf-8") as lines:
        batch(lines)
    indexed = time.perf_counter() - start
    queries = job["queries"]
    search(queries[0], limit=1)  # the first search opens the connections
    answers: list[list | None] = []
    start = time.perf_counter()
    for query in queries:
        results = search(query, limit=1, autocomplete=False)
        answers.append([results[0].citycode, float(results[0].score)] if results else None)
    seconds = time.perf_counter() - start
    out = {"answers": answers, "search_seconds": seconds, "index_seconds": indexed}
    Path(job["out"]).write_text(json.dumps(out), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
