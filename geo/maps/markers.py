"""The territories' markers as data: an SVG symbol per kind and wave, one row per territory
(what TerritoryLayer draws), its accessible name and its popup.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from geo.domain.data import split_list
from geo.geocoding.kinds import KIND, kind_label
from geo.maps.framing import MAINLAND_BOUNDS
from geo.texts.formatting import colon
from geo.texts.i18n import t

WAVE_COLORS = {"1": "#0072B2", "2": "#B84E00"}  # 3.8:1 and 3.7:1 on the no-tile grey #ddd


WAVE_MARK = {"2": '<circle cx="11" cy="11.5" r="3.2" fill="#fff" stroke="none"/>'}


SVG_SHAPES = {
    "square": '<rect x="3" y="3" width="16" height="16" rx="2"/>',
    "circle": '<circle cx="11" cy="11" r="8.5"/>',
    "triangle": '<polygon points="11,2 20.5,19 1.5,19"/>',
    "dot": '<circle cx="11" cy="11" r="6"/>',
    "diamond": '<polygon points="11,1.5 20.5,11 11,20.5 1.5,11"/>',
}


MARKER_CLASS = "fi-marker"


def marker_svg(shape: str, color: str, selected: bool = False, wave: str = "") -> str:
    """A 22-px SVG symbol; the selected territory gets a thick black outline, a second-wave
    territory a white centre (the wave is not told by colour alone)."""
    stroke = 'stroke="#000" stroke-width="3"' if selected else 'stroke="#fff" stroke-width="1.5"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="22" height="22" viewBox="0 0 22 22" '
        f'fill="{color}" {stroke} aria-hidden="true">{SVG_SHAPES[shape]}'
        f"{WAVE_MARK.get(wave, '')}</svg>"
    )


def marker_rows(
    shown: pd.DataFrame,
    lever_names: dict[str, list[str]],
    lang: str,
    selected: str,
    popups: bool = True,
) -> dict:
    """One compact row per placed territory ([id, lat, lon, symbol, class, tooltip, popup,
    z-offset, accessible name]) and each distinct symbol once. Tooltip and popup texts are escaped here, as
    folium would (Leaflet shows them as HTML); without `popups` (a map beside the page's card)
    the popup is left empty."""
    symbols: dict[str, int] = {}
    rows = []
    for row in shown.dropna(subset=["lat", "lon"]).to_dict("records"):
        is_selected = row["id"] == selected
        svg = marker_svg(
            KIND[row["kind"]].shape if row["kind"] in KIND else "dot",
            WAVE_COLORS.get(row["wave"], "#666"),
            is_selected,
            row["wave"],
        )
        rows.append(
            [
                row["id"],
                round(float(row["lat"]), 5),
                round(float(row["lon"]), 5),
                symbols.setdefault(svg, len(symbols)),
                f"{MARKER_CLASS} fi-wave-{row['wave']} fi-kind-{row['kind']}"
                + (" fi-selected" if is_selected else ""),
                escape(row["name"]),
                popup_html(row, lever_names.get(row["id"], []), lang) if popups else "",
                1000 if is_selected else 0,
                marker_name(row["name"], row["kind"], row["wave"], lang),
            ]
        )
    return {"rows": rows, "icons": list(symbols)}


def marker_name(name: str, kind: str, wave: str, lang: str) -> str:
    """What a screen reader says for a marker: its name, kind and wave (an attribute, so not
    HTML-escaped: the browser sets it as text)."""
    return f"{name} — {kind_label(kind, lang)}, {t('wave_value', lang, wave=wave)}"


def popup_html(row: dict, levers: list[str], lang: str) -> str:
    """The essentials of a territory, every value escaped; unknown shown as unknown."""
    unknown = f"<i>{t('unknown', lang)}</i>"

    def line(label: str, value: str) -> str:
        return f"<b>{escape(label)}</b>{colon(lang)}{escape(value) if value else unknown}<br>"

    challenges = split_list(row.get("challenges" if lang == "fr" else "challenges_en", "") or "")
    return (
        f'<div class="fi-popup" lang="{lang}"><h4 style="margin:0 0 4px">{escape(row["name"])}</h4>'
        + line(t("kind", lang), kind_label(row["kind"], lang))
        + line(t("official_name", lang), row.get("official_name", ""))
        + line(t("departements", lang), ", ".join(split_list(row.get("departement_codes", ""))))
        + line(t("region", lang), row.get("region_name", ""))
        + line(t("porteur", lang), row.get("porteur", ""))
        + line(t("challenges", lang), " · ".join(challenges))
        + line(t("popup_levers", lang), " · ".join(levers))
        + "</div>"
    )


def overseas_places(placed: pd.DataFrame) -> list[tuple[str, str, float, float]]:
    """(id, name, lat, lon) of the placed territories outside mainland France, for the go-to
    control."""
    (south, west), (north, east) = MAINLAND_BOUNDS
    rows = placed.dropna(subset=["lat", "lon"])
    outside = rows[~rows["lat"].between(south, north) | ~rows["lon"].between(west, east)]
    return list(outside[["id", "name", "lat", "lon"]].itertuples(index=False, name=None))
