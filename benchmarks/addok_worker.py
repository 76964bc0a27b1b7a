"""``ADDOK_PYTHON benchmarks/addok_worker.py DOCUMENTS.jsonl``: index municipality documents into
addok, then answer batches of queries read from standard input, in this process, timing the
searches alone.

Run by benchmarks/peer.py with the interpreter of addok's own throwaway environment (never the
project's), in a child process: addok reads its configuration once per process
(ADDOK_CONFIG_MODULE, set by the parent) and keeps it global. Once indexed it prints one line
(the index seconds); then each input line is a JSON list of queries, and each output line the
top result's [citycode, score] (or null) per query and the seconds the searches took. The
parent times our geocoder on the same batch in between, so both see the same machine load.
"""

from __future__ import annotations

import json
import sys
import time


def main(documents: str) -> int:
    from addok.batch import batch
    from addok.config import config
    from addok.core import search

    config.load()
    start = time.perf_counter()
    with open(documents, encoding="utf-8") as lines:
        batch(lines)
    search("Paris", limit=1)  # the first search opens the connections
    reply({"index_seconds": time.perf_counter() - start})
    for line in sys.stdin:
        queries = json.loads(line)
        answers: list[list | None] = []
        start = time.perf_counter()
        for query in queries:
            results = search(query, limit=1, autocomplete=False)
            answers.append([results[0].citycode, float(results[0].score)] if results else None)
        reply({"answers": answers, "seconds": time.perf_counter() - start})
    return 0


def reply(message: dict) -> None:
    sys.__stdout__.write(json.dumps(message) + "\n")
    sys.__stdout__.flush()


if __name__ == "__main__":
    sys.stdout = sys.stderr  # addok prints as it loads: keep the reply channel clean
    sys.exit(main(sys.argv[1]))
