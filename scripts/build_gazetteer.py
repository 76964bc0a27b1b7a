"""Build the offline gazetteer in data/gazetteer/ (maintainer tool, not used at app run time).

Inputs, both pinned so a rebuild gives byte-identical files:

* npm ``@etalab/decoupage-administratif`` (INSEE code officiel géographique as JSON:
  communes, EPCI, EPT, départements, régions, populations), fetched with ``npm pack``
  into a temporary directory, never into the repository;
* the commune points of data/geometry/points.csv.gz (town halls inside their commune, else a
  point inside the commune's polygon; built by scripts/build_geometry.py).

Run from the repository root::

    python scripts/build_gazetteer.py

Outputs: ``communes.csv.gz``, ``groups.csv.gz`` and ``SOURCE.md`` in data/gazetteer/.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import subprocess
import tarfile
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo.geocoding.kinds import GAZETTEER_KINDS

NPM_PACKAGE = "@etalab/decoupage-administratif"
NPM_VERSION = "6.0.0"
# dist.integrity published by the npm registry for 6.0.0; checked so the input cannot drift.
NPM_INTEGRITY = (
    "sha512-"
    "XavYsFlbcM/prKr8hNHPKER94IHw/dsxNM4nxjWMYk6PLFACpEedvn/7wK8Baozm0dCYhWWcf+7bcWpA5pmCaQ=="
)
COG_YEAR = "2026"  # millésime of package 6.0.0 according to its README table
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
OUT_DIR = DATA_DIR / "gazetteer"
POINTS_FILE = DATA_DIR / "geometry" / "points.csv.gz"

# Overseas départements (DROM) kept.
DROM = ("971", "972", "973", "974", "976")

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


@dataclass
class Commune:
    """One INSEE "commune actuelle" in scope, with its point and groups."""

    code: str
    name: str
    departement: str
    region: str
    population: int
    lat: float | None = None
    lon: float | None = None
    epci: str = ""
    ept: str = ""


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


def in_scope(departement: str) -> bool:
    """Keep metropolitan France and the five DROM; drop collectivités d'outre-mer (975, 98x...)."""
    return len(departement) == 2 or departement in DROM


def build_communes(raw: list[dict[str, Any]]) -> dict[str, Commune]:
    """Select the communes actuelles of metropolitan France and the five DROM."""
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
        )
    return communes


# --------------------------------------------------------------------------- points


def assign_points(communes: dict[str, Commune], points: pd.DataFrame) -> dict[str, int]:
    """Give each commune its point from data/geometry/points.csv.gz; count points by method.

    That file (scripts/build_geometry.py) holds every COG commune's town hall when it lies inside
    the commune's polygon, else a point inside the polygon. A commune it leaves without a point
    (no polygon nor town hall in the source) keeps an empty position: none is invented.
    """
    rows = points[(points["kind"] == "commune") & (points["lat"] != "")]
    rows = rows.set_index("code")
    methods: Counter[str] = Counter()
    for code, commune in communes.items():
        if code in rows.index:
            row = rows.loc[code]
            commune.lat = round(float(row["lat"]), 5)
            commune.lon = round(float(row["lon"]), 5)
            methods[row["method"]] += 1
    return dict(sorted(methods.items()))


def load_points() -> pd.DataFrame:
    """The shipped commune points (read as text: codes keep their leading zeros)."""
    return pd.read_csv(POINTS_FILE, dtype=str, keep_default_na=False)


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
        ],
    }


def source_md(cov: dict[str, Any], stats: dict[str, int], groups: pd.DataFrame) -> str:
    """Render SOURCE.md from the figures of this build so the text never goes stale."""
    kinds = groups["kind"].value_counts()
    kind_counts = ", ".join(f"{k} {int(kinds.get(k, 0))}" for k in KIND_ORDER)
    no_point = int((groups["point_commune"].fillna("") == "").sum())
    methods = ", ".join(f"`{k}`: {v:,}" for k, v in stats.items())
    return f"""# Gazetteer: French communes and groups of communes (offline)

Generated by `scripts/build_gazetteer.py`; do not edit by hand. Rebuild from the repository root:

```
python scripts/build_gazetteer.py
```

It needs `npm` on the PATH with access to the npm registry, pandas, and the commune points of
`data/geometry/points.csv.gz` (built first by `scripts/build_geometry.py`, see that folder's
SOURCE.md). The app only reads the two CSV files; the script is never needed at run time. A rebuild with the
same pinned inputs produces byte-identical files (sorted rows, fixed gzip header).

## Files

UTF-8, comma-separated, header row, gzip-compressed. Codes are strings: keep leading zeros
(`01`, `06`, `01001`) and the Corsican `2A`/`2B` (read with `dtype=str`). Unknown = empty cell.

* `communes.csv.gz`: one row per INSEE *commune actuelle* of metropolitan France and of the five
  DROM (971 Guadeloupe, 972 Martinique, 973 Guyane, 974 La Réunion, 976 Mayotte), sorted by code.
  Columns: `code` (INSEE commune code), `name`, `departement`, `region` (INSEE codes),
  `population` (population municipale as shipped in the npm package), `lat`, `lon` (WGS84,
  5 decimals: the commune's point from data/geometry, empty when that has none), `epci` (SIREN of its EPCI à fiscalité
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
* Commune points: `data/geometry/points.csv.gz` (IGN ADMIN EXPRESS polygons and the town halls
  of DILA's Annuaire de l'administration, Licence Ouverte 2.0; see data/geometry/SOURCE.md). The
  point of a commune is its town hall when that lies inside the commune's polygon, else a point
  inside the polygon. Points by method: {methods}.

## Coverage

* Communes with a point: {cov["matched"]:,} of {cov["communes"]:,}
  ({cov["share_communes"]:.1%}), {cov["share_population"]:.1%} of the population.
* Without a point: {cov["unmatched"]:,} ({"; ".join(cov["largest_unmatched"]) or "none"}): the
  geometry source has neither their polygon nor their town hall (data/geometry/defects.csv).

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
    attach_memberships(communes, epci, ept)
    stats = assign_points(communes, load_points())
    groups = groups_frame(build_groups(communes, epci, ept, departements, regions))
    communes_table = communes_frame(communes)
    check_points(communes_table, groups)
    cov = coverage(communes)

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    write_csv_gz(communes_table, OUT_DIR / "communes.csv.gz")
    write_csv_gz(groups, OUT_DIR / "groups.csv.gz")
    (OUT_DIR / "SOURCE.md").write_text(source_md(cov, stats, groups), encoding="utf-8")
    summary = {"coverage": cov, "point_methods": stats, "groups": len(groups)}
    print(json.dumps(summary, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
