"""The offline geocoder against addok, the engine of France's national address API (BAN).

A French user with a list of communes would send it to the BAN; its engine, addok, installs from
PyPI and runs on Redis, so it can be run here, offline, as a peer: its own redis-server on
loopback (stopped at the end), a municipality index built from the gazetteer and postal codes we
ship (one document per commune, and per arrondissement of Paris, Lyon and Marseille, shaped as
the BAN's own writer shapes them), the BAN's production settings (addok-fr and addok-france
processors and synonyms). Both geocoders answer the same export-shaped draw in one run, each
row scored against its true INSEE code, overall and per slice.

``python -m benchmarks geocoding --peer addok`` runs this section alone; ``python -m benchmarks``
runs it after section 1. When addok or redis-server is missing the section says so.
"""

from __future__ import annotations

import json
import math
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import Section, median, timed
from benchmarks.draw import add_typo, change_case, strip_accents
from benchmarks.exports import ARRONDISSEMENT_SPELLINGS, cedex_code, sirene_spelling
from geo.geocoding.gazetteer import Gazetteer
from geo.geocoding.geocoder import RESOLVED, Match, OfflineGeocoder
from geo.geocoding.rows import Row, resolve_row
from geo.web.harness import free_port

SEED = 20261201
ROWS = 10_000
ADDOK_PACKAGES = (
    "addok==1.3.2",
    "addok-fr==1.1.0",
    "addok-france==1.2.0",
    "addok-sqlite-store==1.1.0",
)
ADDOK_MODULES = ("addok", "addok_fr", "addok_france", "addok_sqlite_store")
WORKER = Path(__file__).resolve().parent / "addok_worker.py"
BATCH = 500  # rows sent to addok, then to ours, in turn
ADDOK_CUT_OFF = 0.5  # addok-csv's and the BAN's usual threshold for a result to be kept
SLICES = {
    "postcode": "postal code given",
    "typo": "typo",
    "homonym_alone": "same-name communes, no hint",
    "arrondissement": "arrondissements",
    "cedex": "CEDEX",
    "st": "ST/STE",
    "overseas": "overseas",
}
P_POSTCODE, P_TYPO, P_SIRENE = 0.30, 0.10, 0.70
P_ARRONDISSEMENT, P_OVERSEAS, P_CEDEX = 0.06, 0.04, 0.05
_CITIES = {"75056", "69123", "13055"}  # communes with municipal arrondissements
# The BAN's settings for France (addok's own France configuration): addok-france's query and
# label processors, addok-fr's phonemisation; both plugins add their synonyms when loaded.
ADDOK_SETTINGS = """
REDIS = {{"host": "127.0.0.1", "port": {port}, "indexes": {{"db": 0}}, "documents": {{"db": 1}}}}
DOCUMENT_STORE_PYPATH = "addok_sqlite_store.SQLiteStore"
SQLITE_DB_PATH = {sqlite!r}
BATCH_WORKERS = 1
QUERY_PROCESSORS_PYPATHS = [
    "addok.helpers.text.check_query_length",
    "addok_france.extract_address",
    "addok_france.clean_query",
    "addok_france.remove_leading_zeros",
]
SEARCH_RESULT_PROCESSORS_PYPATHS = [
    "addok.helpers.results.match_housenumber",
    "addok_france.make_labels",
    "addok.helpers.results.score_by_importance",
    "addok.helpers.results.score_by_autocomplete_distance",
    "addok.helpers.results.score_by_ngram_distance",
    "addok.helpers.results.score_by_geo_distance",
]
PROCESSORS_PYPATHS = [
    "addok.helpers.text.tokenize",
    "addok.helpers.text.normalize",
    "addok_france.glue_ordinal",
    "addok_france.fold_ordinal",
    "addok_france.flag_housenumber",
    "addok.helpers.text.synonymize",
    "addok_fr.phonemicize",
]
"""


@dataclass(frozen=True)
class PeerRow:
    """One row of the draw: the place and postal code cells, the true INSEE code, its slices."""

    place: str
    postcode: str
    truth: str
    slices: frozenset[str]

    @property
    def query(self) -> str:
        """What a BAN user sends: the row's cells joined, as addok-csv joins its columns."""
        return f"{self.place} {self.postcode}".strip()


def postcodes_of(gaz: Gazetteer) -> dict[int, list[str]]:
    """Entity index → the postal codes serving it (a city with arrondissements: all of theirs)."""
    found: dict[int, list[str]] = defaultdict(list)
    for postcode, indexes in sorted(gaz.by_postcode.items()):
        for index in indexes:
            found[index].append(postcode)
            if index in gaz.parent and postcode not in found[gaz.parent[index]]:
                found[gaz.parent[index]].append(postcode)
    return found


def draw_peer(gaz: Gazetteer, count: int = ROWS, seed: int = SEED) -> list[PeerRow]:
    """`count` rows drawn like real exports, reproducibly.

    Communes half uniformly, half in proportion to population (lists hold establishments);
    spelt as SIRENE does on 7 rows in 10 (upper case, ST/STE, hyphens as spaces, no accents),
    else with accents dropped or kept and case changed; one typo in ten; a postal code on 3 rows
    in 10; CEDEX mentions or codes, arrondissements in their usual spellings, overseas communes.
    """
    rng = random.Random(seed)
    postcodes = postcodes_of(gaz)
    communes = [i for i, kind in enumerate(gaz.kinds) if kind == "commune" and postcodes[i]]
    overseas = [i for i in communes if gaz.departements[i].startswith("97")]
    mainland = [i for i in communes if not gaz.departements[i].startswith("97")]
    weights = [gaz.populations[i] + 1 for i in mainland]
    arrondissements = [i for i, kind in enumerate(gaz.kinds) if kind == "arrondissement"]
    shared = {core for core, ids in _commune_cores(gaz, communes).items() if len(ids) > 1}
    rows = []
    for _ in range(count):
        roll = rng.random()
        if roll < P_ARRONDISSEMENT:
            rows.append(_arrondissement_row(gaz, rng.choice(arrondissements), postcodes, rng))
            continue
        if roll < P_ARRONDISSEMENT + P_OVERSEAS:
            index = rng.choice(overseas)
        elif rng.random() < 0.5:
            index = rng.choice(mainland)
        else:
            index = rng.choices(mainland, weights=weights)[0]
        rows.append(
            _commune_row(
                gaz, index, postcodes[index], index_shared=gaz.cores[index] in shared, rng=rng
            )
        )
    return rows


def _commune_cores(gaz: Gazetteer, communes: list[int]) -> dict[str, list[int]]:
    cores: dict[str, list[int]] = defaultdict(list)
    for index in communes:
        cores[gaz.cores[index]].append(index)
    return cores


def _arrondissement_row(
    gaz: Gazetteer, index: int, postcodes: dict[int, list[str]], rng: random.Random
) -> PeerRow:
    city, number = gaz.names[index].split()[:2]
    digits = int("".join(ch for ch in number if ch.isdigit()))
    spelling = rng.choice(ARRONDISSEMENT_SPELLINGS)
    place = spelling.format(city=city.upper(), City=city, n=digits)
    code = rng.choice(postcodes[index]) if rng.random() < 0.5 else ""
    slices = {"arrondissement"} | ({"postcode"} if code else set())
    return PeerRow(place, code, gaz.codes[index], frozenset(slices))


def _commune_row(
    gaz: Gazetteer, index: int, postcodes: list[str], index_shared: bool, rng: random.Random
) -> PeerRow:
    name, slices = gaz.names[index], set()
    if rng.random() < P_TYPO:
        typed = add_typo(name, gaz, rng)
        if typed:
            name, slices = typed, {"typo"}
    if rng.random() < P_SIRENE:
        place = sirene_spelling(name)
    else:
        place = name if rng.random() < 0.5 else strip_accents(name)
        place = change_case(place.replace("-", " ") if rng.random() < 0.5 else place, rng)
    code = rng.choice(postcodes) if rng.random() < P_POSTCODE else ""
    if gaz.codes[index] in _CITIES:
        code = ""  # "MARSEILLE 13001" means the arrondissement: those rows are drawn apart
    if rng.random() < P_CEDEX:
        slices.add("cedex")
        if rng.random() < 0.5 or not code:
            place += rng.choice((" CEDEX", f" CEDEX {rng.randint(1, 9)}"))
        else:
            code = cedex_code(code, gaz, rng)
    if code:
        slices.add("postcode")
    elif index_shared:
        slices.add("homonym_alone")
    if set(place.upper().split()) & {"ST", "STE"}:
        slices.add("st")
    if gaz.departements[index].startswith("97"):
        slices.add("overseas")
    return PeerRow(place, code, gaz.codes[index], frozenset(slices))


def municipality_documents(gaz: Gazetteer) -> list[dict]:
    """One addok document per commune and per arrondissement, as the BAN's writer makes its
    municipality documents: type, name, postcodes, citycode, point, importance, context.

    Importance grows with the logarithm of population, from 0 to 1 (the BAN's scale); an
    arrondissement, whose population the gazetteer leaves at 0, counts as its city's share.
    Context is "département code, département name, région name".
    """
    postcodes = postcodes_of(gaz)
    names = {(gaz.kinds[i], gaz.codes[i]): gaz.names[i] for i in range(len(gaz.codes))}
    shares = defaultdict(int)
    for child, parent in gaz.parent.items():
        shares[child] = gaz.populations[parent]
    for child, parent in gaz.parent.items():
        shares[child] //= sum(1 for p in gaz.parent.values() if p == parent)
    populations = {i: gaz.populations[i] or shares.get(i, 0) for i in range(len(gaz.codes))}
    placed = [i for i, kind in enumerate(gaz.kinds) if kind in ("commune", "arrondissement")]
    top = math.log10(1 + max(populations[i] for i in placed))
    documents = []
    for index in placed:
        dep = gaz.departements[index]
        context = ", ".join(
            part
            for part in (
                dep,
                names.get(("departement", dep)),
                names.get(("region", gaz.regions[index])),
            )
            if part
        )
        codes = (
            {"postcode": postcodes[index]} if postcodes.get(index) else {}
        )  # 1 commune lacks one
        documents.append(
            {
                "id": gaz.codes[index],
                "type": "municipality",
                "name": gaz.names[index],
                **codes,
                "citycode": gaz.codes[index],
                "city": gaz.names[index],
                "lat": gaz.lats[index],
                "lon": gaz.lons[index],
                "importance": round(math.log10(1 + populations[index]) / top, 4),
                "population": populations[index],
                "context": context,
            }
        )
    return documents


def addok_python() -> tuple[Path | None, str]:
    """The throwaway environment's interpreter with addok in it, made on first use, else why not.

    addok lives in a virtual environment of its own (ADDOK_VENV, else ~/.cache/carte-ess/addok),
    never in the project's: its package registers a pytest plugin that sets logging to DEBUG and
    flushes Redis databases 14 and 15 of localhost after every test of any suite it is installed
    beside, and its dependencies (falcon, redis, ...) are none of ours.
    """
    if shutil.which("redis-server") is None:
        return None, "redis-server not found: `apt-get install -y redis-server`"
    venv = Path(os.environ.get("ADDOK_VENV") or Path.home() / ".cache" / "carte-ess" / "addok")
    python = venv / "bin" / "python"
    check = [str(python), "-c", "import " + ", ".join(ADDOK_MODULES)]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return python, ""
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *ADDOK_PACKAGES],
                       check=True, capture_output=True, timeout=600)  # fmt: skip
    except (subprocess.SubprocessError, OSError) as err:
        return None, f"addok could not be installed in {venv} ({type(err).__name__})"
    return python, ""


@contextmanager
def redis_server(directory: Path) -> Iterator[int]:
    """A redis-server of our own on a free loopback port, nothing persisted; stopped at the end."""
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass
class Answers:
    """Per row: the top answer's INSEE code ("" for none) and whether it counts as resolved."""

    codes: list[str]
    resolved: list[bool]
    seconds_per_row: float


def run_both(rows: list[PeerRow], gaz: Gazetteer, python: Path) -> tuple[Answers, Answers, float]:
    """Ours and addok's answers (resolved for addok: score ≥ ADDOK_CUT_OFF) and addok's index
    build time. The rows go by batches, to addok then to ours, in turn: both are timed over the
    same moments of a shared, noisy machine."""
    with tempfile.TemporaryDirectory(prefix="addok-") as folder:
        work = Path(folder)
        with redis_server(work) as port:
            settings = work / "addok_local.py"
            settings.write_text(ADDOK_SETTINGS.format(port=port, sqlite=str(work / "addok.db")))
            documents = work / "municipalities.jsonl"
            documents.write_text(
                "\n".join(
                    json.dumps(doc, ensure_ascii=False) for doc in municipality_documents(gaz)
                ),
                encoding="utf-8",
            )
            log = work / "addok.log"
            with log.open("w") as errors:
                worker = subprocess.Popen(
                    [str(python), str(WORKER), str(documents)],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=errors,
                    text=True,
                    env=os.environ | {"ADDOK_CONFIG_MODULE": str(settings)},
                    cwd=work,
                )
                try:
                    return _in_turn(rows, gaz, worker, log)
                finally:
                    worker.stdin.close()
                    try:
                        worker.wait(timeout=60)
                    except subprocess.TimeoutExpired:
                        worker.kill()
                        worker.wait()


def _in_turn(
    rows: list[PeerRow], gaz: Gazetteer, worker: subprocess.Popen, log: Path
) -> tuple[Answers, Answers, float]:
    def ask(message: str | None) -> dict:
        if message is not None:
            worker.stdin.write(message + "\n")
            worker.stdin.flush()
        line = worker.stdout.readline()
        if not line:
            raise RuntimeError("addok stopped: " + log.read_text()[-500:])
        return json.loads(line)

    index_seconds = ask(None)["index_seconds"]
    geocoder = OfflineGeocoder(gaz)
    found, matches = [], []
    addok_seconds = our_seconds = 0.0
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        reply = ask(json.dumps([row.query for row in batch]))
        found += reply["answers"]
        addok_seconds += reply["seconds"]
        seconds, answered = timed(lambda b=batch: _resolve_all(geocoder, b))
        our_seconds += seconds
        matches += answered
    addok = Answers(
        [a[0] if a else "" for a in found],
        [bool(a) and a[1] >= ADDOK_CUT_OFF for a in found],
        addok_seconds / len(rows),
    )
    return _answers(matches, our_seconds / len(rows)), addok, index_seconds


def _resolve_all(geocoder: OfflineGeocoder, rows: list[PeerRow]) -> list[Match]:
    return [resolve_row(geocoder, Row(place=row.place, postcode=row.postcode)) for row in rows]


def _answers(matches: list[Match], seconds_per_row: float) -> Answers:
    codes = [m.location.raw["code"] if m.location is not None else "" for m in matches]
    return Answers(codes, [m.status == RESOLVED for m in matches], seconds_per_row)


def run_ours(rows: list[PeerRow], gaz: Gazetteer, samples: int = 1) -> Answers:
    """Our answers alone, row by row as a list's rows reach the geocoder (no de-duplication),
    each sample with a fresh geocoder (no answer built before); the median time per row."""
    times, matches = [], []
    for _ in range(samples):
        geocoder = OfflineGeocoder(gaz)
        seconds, matches = timed(lambda g=geocoder: _resolve_all(g, rows))
        times.append(seconds)
    return _answers(matches, median(times) / len(rows))


def scores(rows: list[PeerRow], answers: Answers) -> dict[str, dict[str, float]]:
    """Per slice and overall: shares right (top answer), resolved-and-wrong, not resolved."""
    table = {}
    for name in ("all", *SLICES):
        picked = [i for i, row in enumerate(rows) if name == "all" or name in row.slices]
        right = sum(answers.codes[i] == rows[i].truth for i in picked)
        wrong = sum(answers.resolved[i] and answers.codes[i] != rows[i].truth for i in picked)
        unresolved = sum(not answers.resolved[i] for i in picked)
        n = max(1, len(picked))
        table[name] = {"rows": len(picked), "right": right / n, "wrong": wrong / n,
                       "unresolved": unresolved / n}  # fmt: skip
    return table


def run(geocoder: OfflineGeocoder | None = None, samples: int = 3) -> Section:
    """Both geocoders on the same draw, in turn (ours alone, `samples` times, when addok cannot
    run): figures, then a slice-by-slice table in the notes."""
    section = Section("1b. Geocoding against addok (the BAN's engine), same draw")
    gaz = (geocoder or OfflineGeocoder()).gazetteer
    rows = draw_peer(gaz)
    python, reason = addok_python()
    addok = None
    if python is None:
        section.notes.append(f"addok skipped: {reason}")
        ours = run_ours(rows, gaz, samples)
    else:
        ours, addok, index_seconds = run_both(rows, gaz, python)
        section.notes.append(
            f"addok index: {len(municipality_documents(gaz))} municipality documents, "
            f"{index_seconds:.0f} s; rows by batches of {BATCH}, to addok then to ours, in turn"
        )
    our_scores = scores(rows, ours)
    wrong_with_code = our_scores["postcode"]["wrong"] * our_scores["postcode"]["rows"]
    section.add(
        "geocode_right",
        round(our_scores["all"]["right"], 4),
        "",
        ">= 0.96",
        "top answer, true INSEE",
    )
    section.add(
        "geocode_resolved_wrong",
        round(our_scores["all"]["wrong"], 4),
        "",
        "<= 0.003",
        "resolved to another commune",
    )
    section.add(
        "geocode_resolved_wrong_with_postcode",
        round(wrong_with_code),
        "",
        "= 0",
        "rows with a postal code",
    )
    section.add(
        "geocode_seconds_per_row", ours.seconds_per_row, "s", "", "resolve_row, one row at a time"
    )
    peer_scores = None
    if addok is not None:
        peer_scores = scores(rows, addok)
        behind = [name for name in SLICES if our_scores[name]["right"] < peer_scores[name]["right"]]
        section.add(
            "geocode_peer_addok_right",
            round(peer_scores["all"]["right"], 4),
            "",
            "",
            "top answer, true INSEE",
        )
        section.add(
            "geocode_peer_addok_wrong",
            round(peer_scores["all"]["wrong"], 4),
            "",
            "",
            f"score ≥ {ADDOK_CUT_OFF} and wrong",
        )
        section.add(
            "geocode_peer_addok_seconds_per_row",
            addok.seconds_per_row,
            "s",
            "",
            "addok.core.search in-process",
        )
        section.add(
            "geocode_vs_addok_speed_ratio",
            round(addok.seconds_per_row / ours.seconds_per_row, 1),
            "",
            ">= 10",
            "addok's time per row / ours",
        )
        section.add(
            "geocode_slices_behind_addok", len(behind), "", "= 0", ", ".join(behind) or "none"
        )
    per_row = f"per row: ours {ours.seconds_per_row * 1e6:.0f} µs"
    if addok is not None:
        per_row += f", addok {addok.seconds_per_row * 1e6:.0f} µs"
    section.notes.append(per_row)
    section.notes.extend(slice_table(our_scores, peer_scores))
    return section  # fmt: skip


def slice_table(ours: dict, peer: dict | None) -> list[str]:
    """One line per slice: rows, then right / resolved-wrong / not resolved for each geocoder."""
    lines = [
        "slice (rows): ours right / resolved-wrong / not resolved"
        + (" | addok right / wrong (score ≥ 0.5) / score < 0.5" if peer else "")
    ]
    for name in ("all", *SLICES):
        label = SLICES.get(name, "overall")
        line = f"{label} ({ours[name]['rows']}): " + _triple(ours[name])
        if peer:
            line += " | " + _triple(peer[name])
        lines.append(line)
    return lines  # fmt: skip


def _triple(score: dict[str, float]) -> str:
    return f"{score['right']:.1%} / {score['wrong']:.2%} / {score['unresolved']:.1%}"
