"""The coverage layer of the map (`?coverage=1`): static/js/coverage.js with the shares of
geo.domain.coverage, coloured by class, and the update that shows or hides it."""

from __future__ import annotations

from geo.domain.coverage import load_coverage
from geo.geocoding import shapes
from geo.maps.assets import script_text
from geo.maps.element import NAMESPACE, script_json
from geo.texts.formatting import number, percent
from geo.texts.i18n import t

# The map's classes (lower bounds, % of the population in a true perimeter) and their colours:
# ColorBrewer's sequential Greens (lightness carries the order, so it reads with colour-vision
# deficiencies and stays apart from the markers' blue and vermilion); a share of 0 is its own
# class, so that "none" never looks like "a little".
BREAKS = (0.0, 0.005, 10.0, 33.0, 66.0)
COLORS = ("#f7fcf5", "#c7e9c0", "#74c476", "#31a354", "#006d2c")


def coverage_payload(lang: str) -> dict:
    """The figures the map's coverage layer shades by (format in static/js/coverage.js)."""
    table = load_coverage()
    regions = table[table["level"] == "region"].set_index("code")
    departements = table[table["level"] == "departement"].set_index("code")
    order = [feature["code"] for feature in shapes.outline_layers()["departements"]]
    labels = [percent("0", lang)] + [
        f"{number(low, lang)}–{percent(str(high), lang)}"
        for low, high in zip((0, *BREAKS[2:]), (*BREAKS[2:], 100), strict=True)
    ]
    labels[1] = f"< {percent(str(BREAKS[2]), lang)}"
    return {
        "regions": {
            code: [float(covered), float(approximate)]
            for code, covered, approximate in regions[
                ["covered_pct", "approximate_pct"]
            ].itertuples(name=None)
        },
        "departements": [
            [code, float(covered), float(approximate), name]
            for code, covered, approximate, name in departements.loc[
                order, ["covered_pct", "approximate_pct", "name"]
            ].itertuples(name=None)
        ],
        "breaks": list(BREAKS),
        "colors": list(COLORS),
        "labels": labels,
        "legend": t("coverage_legend", lang),
        "tip": t("coverage_tip", lang, name="{name}", share="{share}", approximate="{approximate}"),
        "locale": "fr-FR" if lang == "fr" else "en-GB",
    }


def coverage_script(lang: str) -> str:
    """static/js/coverage.js with its figures, as one script to publish."""
    return script_text("coverage.js") + (
        f"window.fiCoveragePayload={script_json(coverage_payload(lang))};"
    )


def coverage_update_script(on: bool, url: str, map_name: str) -> str:
    """The JavaScript, evaluated with the map's other updates, that shows or hides the layer,
    loading its script the first time it is shown (static/js/coverage-toggle.js)."""
    return f"{NAMESPACE}.toggleCoverage({map_name}, {script_json(on)}, {script_json(url)});"
