"""What the page says of a found place (`?place=`): where it is, the territories whose perimeter
holds it, else the nearest ones.
"""

from __future__ import annotations

import pandas as pd

from geo.domain.data import Dataset
from geo.domain.places import PlaceAnswer
from geo.geocoding.gazetteer import load_gazetteer
from geo.texts.cards import count_text, region_sse_texts
from geo.texts.formatting import colon, number
from geo.texts.i18n import t


def place_text(answer: PlaceAnswer, dataset: Dataset, placed: pd.DataFrame, lang: str) -> str:
    """The answer as Markdown in "fr" or "en"."""
    if not answer.found:
        key = "place_choose" if answer.choices else "place_not_found"
        return t(key, lang, query=answer.query)
    names = placed.set_index("id")["name"]
    gazetteer = load_gazetteer()
    lines = [f"**{answer.name}** ({answer.code})"]
    if answer.inside:
        inside = ", ".join(f"**{names[tid]}**" for tid in answer.inside)
        lines.append(t("place_inside", lang, names=inside))
    else:
        lines.append(t("place_outside", lang))
    if answer.inside_approximate:
        approximate = ", ".join(names[tid] for tid in answer.inside_approximate)
        lines.append(t("place_inside_approximate", lang, names=approximate))
    nearest = ", ".join(
        f"{names[tid]} ({t('place_km', lang, km=count_text(round(km), lang))})"
        for tid, km in answer.nearest
    )
    lines.append(f"{t('place_nearest', lang)}{colon(lang)}{nearest}")
    departement = _unit_name(gazetteer, answer.departement, "departement")
    region = dataset.regions.set_index("code").to_dict("index").get(answer.region, {})
    lines.append(f"{t('departement', lang)}{colon(lang)}{departement} ({answer.departement})")
    lines.append(f"{t('region', lang)}{colon(lang)}**{region.get('name', answer.region)}**")
    if region:
        region = {"code": answer.region, **region}
        if region.get("population"):
            population = number(int(region["population"]), lang)
            lines.append(
                f"{t('population', lang)}{colon(lang)}{population} ({region['population_year']})"
            )
        compared, context = region_sse_texts(region, lang)
        lines.append(f"{t('region_sse_compared', lang)}{colon(lang)}{compared}")
        if context:
            lines.append(f"{t('region_sse_context', lang)}{colon(lang)}{context}")
    return "\n".join(f"- {line}" if i else line for i, line in enumerate(lines))


def _unit_name(gazetteer, code: str, kind: str) -> str:
    index = gazetteer.find_code(code, kind) if code else None
    return code if index is None else gazetteer.names[index]
