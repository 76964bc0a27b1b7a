"""The sidebar's filters as one spec: for each, its widget key, label, options and their names.

The page draws one multiselect per entry; the widget keys map the widgets to ViewState's
attributes both ways (a shared link sets the widgets, the widgets write the link).
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.domain.data import Dataset, split_list
from geo.domain.views import BASIS_FILTERS, LIST_PARAMS
from geo.geocoding.kinds import kind_label
from geo.geocoding.normalize import normalize
from geo.texts.i18n import short_lever_name, t

# ViewState attribute → session-state key of the widget that edits it.
WIDGET_KEYS = {
    "regions": "f_region",
    "departements": "f_departement",
    "waves": "f_wave",
    "kinds": "f_kind",
    "levers": "f_lever",
    "themes": "f_theme",
    "text": "f_text",
    "territory": "f_territory",
    "basis": "f_basis",
    "compare": "f_compare",
}


@dataclass(frozen=True)
class Filter:
    """One multiselect of the sidebar."""

    key: str
    label: str
    options: dict[str, str]  # value → what the reader sees

    def name(self, value: str) -> str:
        """What the reader sees for an option (format_func)."""
        return self.options.get(value, value)


def sidebar_filters(dataset: Dataset, lang: str) -> list[Filter]:
    """The sidebar's multiselects in order: région, département, wave, kind, lever, theme."""
    territories = dataset.territories
    departements = sorted(
        {d for cell in territories["departement_codes"] for d in split_list(cell)}
    )
    names = {
        "regions": region_options(dataset, lang),
        "departements": {code: code for code in departements},
        "waves": {wave: t("wave_value", lang, wave=wave) for wave in ("1", "2")},
        "kinds": {kind: kind_label(kind, lang) for kind in sorted(set(territories["kind"]))},
        "levers": {lid: short_lever_name(lid, lang) for lid in dataset.levers["id"]},
        "themes": dataset.themes.set_index("id")[f"name_{lang}"].to_dict(),
    }
    # Each filter's query parameter is also the key of its label's text ("region" → Région).
    return [
        Filter(WIDGET_KEYS[attribute], t(param, lang), names[attribute])
        for param, attribute in LIST_PARAMS.items()
    ]


def region_options(dataset: Dataset, lang: str) -> dict[str, str]:
    """The régions by code, in alphabetical order (accents aside), each with how many labelled
    territories it holds, "none" said in words: the list offers every région of the data."""
    counts = dataset.territories["region_code"].value_counts()
    regions = sorted(
        zip(dataset.regions["code"], dataset.regions["name"], strict=True),
        key=lambda region: normalize(region[1]),
    )
    return {
        code: t("region_option", lang, name=name, count=int(counts[code]))
        if code in counts
        else t("region_option_none", lang, name=name)
        for code, name in regions
    }


def basis_filter(lang: str) -> Filter:
    """The lever filter's toggle: count every link (suggested and inferred ones marked), or the
    documented ones only (`?basis=stated`)."""
    labels = (t("basis_all", lang), t("basis_stated_only", lang))
    names = dict(zip(BASIS_FILTERS, labels, strict=True))
    return Filter(WIDGET_KEYS["basis"], t("basis_filter", lang), names)
