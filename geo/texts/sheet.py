"""A territory's one-page sheet: an A4 PDF in French or English, for people who work on paper.

It holds the territory's name, kind, wave and date; its perimeter drawn on the régions' and
départements' outlines (vector shapes from data/geometry, no tiles, no network); its facts, the
unknown ones named once; its levers with their basis marks and reasons; its région's figures with
their year and basis; its sources as short links; and the date the data was last checked.

fpdf2 writes the PDF (pure Python, on PyPI, with Pillow and fontTools as its only compiled
dependencies, both with wheels); the text is set in DejaVu Sans, shipped in static/fonts, whose
glyphs cover French and the basis marks ● ◐ ○. A sheet always fits one page: it is laid out at a
body size that shrinks step by step until it does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import shapely
from fpdf import FPDF

from geo.config import DATA_DATE, STATIC_DIR
from geo.domain.data import Dataset, split_list
from geo.domain.perimeters import Perimeter, territory_perimeter
from geo.domain.territories import load_placed
from geo.domain.views import Card, territory_card
from geo.geocoding import shapes
from geo.geocoding.kinds import kind_label
from geo.texts.cards import BASIS_MARK, perimeter_summary, territory_facts
from geo.texts.formatting import colon, long_date
from geo.texts.i18n import t

FONT_DIR = STATIC_DIR / "fonts"
FONT = "DejaVu"
PAGE_MARGIN_MM = 12
MAP_SIZE_MM = 72
MIN_FRAME_DEG = 1.2  # a commune's sheet still shows the neighbouring outlines around it
BODY_SIZES = (10.5, 10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0, 5.5, 5.0)  # points, largest first
INK = (30, 30, 30)
OUTLINE = (120, 120, 120)
PERIMETER_FILL = (0, 114, 178)  # Okabe-Ito blue, as the map's selection
SHORT_LINK_CHARS = 48
# The région's facts (geo.texts.cards.region_values) in the sheet's order: its names and
# numbers, then its SSE figures, then the other labelled territories.
SHEET_REGION_KEYS = (
    "chef_lieu",
    "population",
    "cress",
    "region_sse_compared",
    "region_sse_context",
    "others_in_region",
)


class SheetError(KeyError):
    """Raised for a territory id the data does not hold."""


@dataclass(frozen=True)
class Frame:
    """The map's window in degrees and the scale that fits it in the map's square."""

    west: float
    south: float
    east: float
    north: float
    x_scale: float  # longitude degrees shrink by cos(latitude) on the page

    def project(self, lon: np.ndarray, lat: np.ndarray, left: float, top: float, size: float):
        span = max((self.east - self.west) * self.x_scale, self.north - self.south)
        mm = size / span
        x = left + ((lon - self.west) * self.x_scale) * mm
        y = top + (self.north - lat) * mm
        return x, y


def short_link(url: str) -> str:
    """A source as a reader can type it: host and path without scheme or "www.", cut at
    SHORT_LINK_CHARS with an ellipsis (the PDF link itself keeps the full address)."""
    parts = urlsplit(url)
    text = parts.netloc.removeprefix("www.") + parts.path.rstrip("/")
    return text if len(text) <= SHORT_LINK_CHARS else text[: SHORT_LINK_CHARS - 1] + "…"


def plain(markdown: str) -> str:
    """The card's Markdown as plain text: links keep their words, emphasis marks go."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return text.replace("**", "").replace("*", "")


def markdown_links(markdown: str) -> list[str]:
    """The addresses of a Markdown text's links, in order."""
    return re.findall(r"\]\(([^)]*)\)", markdown)


@cache
def _outline_shapes() -> dict[str, list[shapely.Geometry]]:
    """The base map's régions and départements as shapely geometries (decoded once)."""
    return {
        layer: [
            shapely.geometry.shape(feature["geometry"])
            for feature in shapes.outline_geojson(layer)["features"]
        ]
        for layer in ("regions", "departements")
    }


def map_frame(perimeter: Perimeter) -> Frame:
    """A square window around the perimeter, wide enough to show its neighbours."""
    south, west, north, east = perimeter.bounds()
    x_scale = float(np.cos(np.radians((south + north) / 2)))
    half = max((east - west) * x_scale, north - south, MIN_FRAME_DEG / 1.6) * 0.8
    lon0, lat0 = (west + east) / 2, (south + north) / 2
    return Frame(lon0 - half / x_scale, lat0 - half, lon0 + half / x_scale, lat0 + half, x_scale)


def _rings(geometry: shapely.Geometry) -> list[np.ndarray]:
    """Exterior rings of a (multi)polygon's parts (holes are too small to show at this size)."""
    parts = getattr(geometry, "geoms", [geometry])
    return [np.asarray(part.exterior.coords) for part in parts if part.geom_type == "Polygon"]


def draw_map(
    pdf: FPDF, perimeter: Perimeter, seat: tuple[float, float], left: float, top: float
) -> None:
    """The perimeter (filled, dashed when approximate) on the outlines, and the seat's dot."""
    frame = map_frame(perimeter)
    box = shapely.box(frame.west, frame.south, frame.east, frame.north)
    pdf.set_draw_color(*OUTLINE)
    pdf.rect(left, top, MAP_SIZE_MM, MAP_SIZE_MM)
    tolerance = (frame.north - frame.south) / 400
    for layer, width in (("departements", 0.1), ("regions", 0.35)):
        pdf.set_line_width(width)
        for outline in _outline_shapes()[layer]:
            clipped = shapely.intersection(outline, box)
            for ring in _rings(clipped):
                x, y = frame.project(ring[:, 0], ring[:, 1], left, top, MAP_SIZE_MM)
                pdf.polyline(list(zip(x.tolist(), y.tolist(), strict=True)))
    outline = shapely.simplify(perimeter_geometry(perimeter), tolerance)
    pdf.set_fill_color(*PERIMETER_FILL)
    pdf.set_draw_color(*PERIMETER_FILL)
    pdf.set_line_width(0.5)
    if perimeter.approximate:
        pdf.set_dash_pattern(dash=1.2, gap=0.8)
    with pdf.local_context(fill_opacity=0.35):
        for ring in _rings(shapely.intersection(outline, box)):
            x, y = frame.project(ring[:, 0], ring[:, 1], left, top, MAP_SIZE_MM)
            pdf.polygon(list(zip(x.tolist(), y.tolist(), strict=True)), style="DF")
    pdf.set_dash_pattern()
    x, y = frame.project(np.array([seat[1]]), np.array([seat[0]]), left, top, MAP_SIZE_MM)
    pdf.set_fill_color(*INK)
    pdf.circle(x=float(x[0]), y=float(y[0]), radius=0.9, style="F")
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.2)


def perimeter_geometry(perimeter: Perimeter) -> shapely.Geometry:
    """The perimeter's full shipped geometry."""
    return shapes.perimeter(perimeter.level, perimeter.codes)


@dataclass(frozen=True)
class SheetText:
    """Every text of a sheet, in the order it is printed (plain text, no Markdown)."""

    title: str
    caption: str
    facts: list[tuple[str, str]]  # (label, value) of the known facts
    unknown: str  # the unknown facts, named once; empty: none
    perimeter: str
    challenges: list[str]
    levers: list[tuple[str, str]]  # (mark · name, basis and reason)
    region_title: str
    region: list[tuple[str, str]]
    sources: list[str]  # full addresses, shown short
    footer: str


def _card(dataset: Dataset, placed: pd.DataFrame, territory_id: str) -> Card:
    """The card the sheet is drawn from; SheetError if the territory is unknown."""
    card = territory_card(dataset, placed, territory_id)
    if card is None:
        raise SheetError(territory_id)
    return card


def sheet_text(dataset: Dataset, placed: pd.DataFrame, territory_id: str, lang: str) -> SheetText:
    """The texts of the sheet of `territory_id` in "fr" or "en"; SheetError if it is unknown."""
    card = _card(dataset, placed, territory_id)
    row = card.territory
    known = territory_facts(card, dataset, lang)
    facts = {**known.identity, "themes": known.themes, "website": known.website}
    shown = [(t(key, lang), value) for key, value in facts.items() if value]
    missing = [t(key, lang) for key, value in facts.items() if not value]
    if not known.challenges:
        missing.append(t("challenges", lang))
    unknown = t("sheet_unknown", lang, facts=", ".join(missing)) if missing else ""
    perimeter = territory_perimeter(row)
    levers = [
        (
            f"{BASIS_MARK[lever['basis']]} {lever[f'name_{lang}']}",
            t(f"basis_{lever['basis']}", lang) + f" — {lever[f'rationale_{lang}']}",
        )
        for lever in card.levers
    ]
    region = [
        (t(key, lang), plain(known.region[key]) or t("unknown", lang))
        for key in SHEET_REGION_KEYS
        if key in known.region
    ]
    compared = known.region["region_sse_compared"]
    context = known.region.get("region_sse_context", "")
    sources = split_list(row["sources"]) + markdown_links(compared) + markdown_links(context)
    return SheetText(
        title=row["name"],
        caption=" · ".join(
            [
                kind_label(row["kind"], lang),
                t("wave_value", lang, wave=row["wave"]),
                f"{t('label_date', lang)}{colon(lang)}{known.label_date}",
            ]
        ),
        facts=shown,
        unknown=unknown,
        perimeter=plain(perimeter_summary(perimeter, lang)),
        challenges=known.challenges,
        levers=levers,
        region_title=f"{t('region_title', lang)}{colon(lang)}{card.region.get('name', '')}",
        region=region,
        sources=list(dict.fromkeys(sources)),
        footer=t("sheet_footer", lang, date=long_date(DATA_DATE, lang)),
    )


class _Sheet(FPDF):
    """An A4 page in DejaVu Sans with no automatic page break checks of its own."""

    def __init__(self) -> None:
        super().__init__(format="A4", unit="mm")
        self.set_margins(PAGE_MARGIN_MM, PAGE_MARGIN_MM, PAGE_MARGIN_MM)
        self.set_auto_page_break(True, PAGE_MARGIN_MM)
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.add_font(FONT, "I", str(FONT_DIR / "DejaVuSans-Oblique.ttf"))
        self.set_text_color(*INK)


def _layout(text: SheetText, territory: dict, size: float, lang: str) -> _Sheet:
    pdf = _Sheet()
    pdf.set_title(text.title)
    pdf.set_lang(lang)
    pdf.set_creator("Carte ESS — French Impact")
    pdf.add_page()
    width = pdf.epw
    perimeter = territory_perimeter(territory)
    map_left = PAGE_MARGIN_MM + width - MAP_SIZE_MM
    text_width = width - MAP_SIZE_MM - 4
    pdf.set_font(FONT, "B", size + 9)
    pdf.multi_cell(
        text_width, (size + 9) * 0.45, text.title, new_x="LMARGIN", new_y="NEXT", align="L"
    )
    pdf.set_font(FONT, "", size + 1)
    pdf.multi_cell(
        text_width, (size + 1) * 0.5, text.caption, new_x="LMARGIN", new_y="NEXT", align="L"
    )
    pdf.ln(1.5)
    line = size * 0.45

    def heading(words: str, column: float = 0) -> None:
        pdf.ln(1)
        pdf.set_font(FONT, "B", size + 1.5)
        pdf.multi_cell(column, (size + 1.5) * 0.5, words, new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.set_font(FONT, "", size)

    def labelled(label: str, value: str, column: float = 0) -> None:
        pdf.set_font(FONT, "", size)
        pdf.multi_cell(
            column,
            line,
            f"**{label}**{colon(lang)}{value}",
            markdown=True,
            new_x="LMARGIN",
            new_y="NEXT",
            align="L",
        )

    for label, value in text.facts:
        labelled(label, value, text_width)
    labelled(t("perimeter", lang), text.perimeter, text_width)
    if text.unknown:
        pdf.set_font(FONT, "I", size)
        pdf.multi_cell(text_width, line, text.unknown, new_x="LMARGIN", new_y="NEXT", align="L")
    if perimeter is not None:
        draw_map(pdf, perimeter, (territory["lat"], territory["lon"]), map_left, PAGE_MARGIN_MM)
        pdf.set_font(FONT, "", size - 1.5)
        pdf.set_xy(map_left, PAGE_MARGIN_MM + MAP_SIZE_MM + 0.5)
        key = "sheet_map_approximate" if perimeter.approximate else "sheet_map"
        pdf.multi_cell(MAP_SIZE_MM, (size - 1.5) * 0.45, t(key, lang), align="L")
    pdf.set_y(max(pdf.get_y(), PAGE_MARGIN_MM + MAP_SIZE_MM + 8))
    if text.challenges:
        heading(t("challenges", lang))
        for number_, challenge in enumerate(text.challenges, 1):
            pdf.multi_cell(
                0, line, f"{number_}. {challenge}", new_x="LMARGIN", new_y="NEXT", align="L"
            )
    heading(t("levers_title", lang))
    pdf.set_font(FONT, "", size - 0.5)
    pdf.multi_cell(0, line, t("sheet_marks", lang), new_x="LMARGIN", new_y="NEXT", align="L")
    for name, reason in text.levers:
        labelled(name, reason)
    heading(text.region_title)
    for label, value in text.region:
        labelled(label, value)
    heading(t("sources", lang))
    pdf.set_font(FONT, "", size - 1)
    half = width / 2
    for index, url in enumerate(text.sources, 1):
        last_of_row = index % 2 == 0 or index == len(text.sources)
        words = f"[{index}] {short_link(url)}"
        while pdf.get_string_width(words) > half - 3:
            words = words[:-2] + "…"
        pdf.cell(
            half,
            (size - 1) * 0.5,
            words,
            link=url,
            new_x="LMARGIN" if last_of_row else "RIGHT",
            new_y="NEXT" if last_of_row else "TOP",
        )
    pdf.ln(1.5)
    pdf.set_font(FONT, "I", size - 1)
    pdf.multi_cell(0, (size - 1) * 0.45, text.footer, new_x="LMARGIN", new_y="NEXT", align="L")
    return pdf


def sheet_pdf(dataset: Dataset, placed: pd.DataFrame, territory_id: str, lang: str) -> bytes:
    """The territory's sheet as the bytes of a one-page A4 PDF; SheetError if it is unknown."""
    text = sheet_text(dataset, placed, territory_id, lang)
    territory = _card(dataset, placed, territory_id).territory
    for size in BODY_SIZES:
        pdf = _layout(text, territory, size, lang)
        if pdf.page_no() == 1:
            return bytes(pdf.output())
    raise ValueError(f"the sheet of {territory_id!r} does not fit one page at {size} pt")


def sheet_filename(territory_id: str, lang: str) -> str:
    """The file name a sheet is saved under: fiche-ID.pdf, sheet-ID.pdf in English."""
    return f"{'fiche' if lang == 'fr' else 'sheet'}-{territory_id}.pdf"


@lru_cache(maxsize=64)
def territory_sheet(territory_id: str, lang: str) -> bytes:
    """The sheet of a territory of the shipped data, made once per process and language (the
    card's button asks for it when clicked)."""
    dataset, placed = load_placed()
    return sheet_pdf(dataset, placed, territory_id, lang)
