"""What the dashboard shows, computed without Streamlit: filters, the URL's view, card contents, summaries.

The view lives in the URL so that it can be sent as a link: `?region=32,76` (INSEE codes),
`?territory=<id>`, `?lever=<id>` (with `?basis=stated`: documented links only), `?lang=en`,
`?compare=<id>,<id>[,<id>]`, plus the other filters (departement, wave, kind, theme, q).
`ViewState.from_query` reads a query string leniently (unknown values are dropped, so an old
link never breaks the page) and `to_query` writes only what differs from the default.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from geo.domain.data import LINK_BASES, Dataset, split_list
from geo.geocoding.normalize import normalize

LANGUAGES = ("fr", "en")
# The lever filter counts every link by default; "stated" keeps the documented ones only.
BASIS_FILTERS = ("", "stated")
MAX_COMPARED = 3
LIST_PARAMS = {
    "region": "regions",
    "departement": "departements",
    "wave": "waves",
    "kind": "kinds",
    "lever": "levers",
    "theme": "themes",
}


@dataclass(frozen=True)
class ViewState:
    """Everything that defines a view of the dashboard."""

    lang: str = "fr"
    regions: tuple[str, ...] = ()
    departements: tuple[str, ...] = ()
    waves: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    levers: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    text: str = ""
    territory: str = ""
    basis: str = ""
    compare: tuple[str, ...] = ()

    @classmethod
    def from_query(cls, params: dict[str, str], vocabulary: dict[str, set[str]]) -> ViewState:
        """Read `params` (one string per key); values not in `vocabulary[key]` are ignored."""
        values: dict = {}
        for param, attribute in LIST_PARAMS.items():
            items = [item.strip() for item in params.get(param, "").split(",") if item.strip()]
            values[attribute] = tuple(i for i in items if i in vocabulary.get(param, set()))
        lang = params.get("lang", "fr")
        territory = params.get("territory", "")
        basis = params.get("basis", "")
        return cls(
            lang=lang if lang in LANGUAGES else "fr",
            text=params.get("q", "")[:100],
            territory=territory if territory in vocabulary.get("territory", set()) else "",
            basis=basis if basis in BASIS_FILTERS else "",
            compare=compared_ids(params.get("compare", ""), vocabulary.get("territory", set()))[0],
            **values,
        )

    def to_query(self) -> dict[str, str]:
        """The query string of this view, without default values."""
        params = {
            param: ",".join(getattr(self, attribute))
            for param, attribute in LIST_PARAMS.items()
            if getattr(self, attribute)
        }
        if self.lang != "fr":
            params["lang"] = self.lang
        if self.text:
            params["q"] = self.text
        if self.territory:
            params["territory"] = self.territory
        if self.basis:
            params["basis"] = self.basis
        if self.compare:
            params["compare"] = ",".join(self.compare)
        return params

    def filters(self) -> ViewState:
        """Only what chooses the shown territories (not the language, selection or comparison):
        a cache key shared by every view showing the same territories."""
        return replace(self, lang="fr", territory="", compare=())

    def cleared(self) -> ViewState:
        """The same language with every filter and the selection reset."""
        return replace(ViewState(), lang=self.lang)


def compared_ids(param: str, known: set[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The known ids of a `?compare=` value (at most MAX_COMPARED, repeats removed) and the
    ones dropped (unknown or beyond the limit), so that the page can say what it left out."""
    kept: list[str] = []
    dropped: list[str] = []
    for item in dict.fromkeys(i.strip() for i in param.split(",") if i.strip()):
        (kept if item in known and len(kept) < MAX_COMPARED else dropped).append(item)
    return tuple(kept), tuple(dropped)


def vocabulary(dataset: Dataset) -> dict[str, set[str]]:
    """Values each query parameter may take, from the data itself."""
    territories = dataset.territories
    return {
        "region": set(dataset.regions["code"]),
        "departement": {d for cell in territories["departement_codes"] for d in split_list(cell)},
        "wave": set(territories["wave"]),
        "kind": set(territories["kind"]),
        "lever": set(dataset.levers["id"]),
        "theme": set(dataset.themes["id"]),
        "territory": set(territories["id"]),
    }


def filter_territories(
    territories: pd.DataFrame, links: pd.DataFrame, view: ViewState
) -> pd.DataFrame:
    """The territories matching every active filter (filters combine with AND, values with OR)."""
    mask = pd.Series(True, index=territories.index)
    if view.regions:
        mask &= territories["region_code"].isin(view.regions)
    if view.departements:
        wanted = set(view.departements)
        mask &= territories["departement_codes"].map(
            lambda cell: bool(wanted & set(split_list(cell)))
        )
    if view.waves:
        mask &= territories["wave"].isin(view.waves)
    if view.kinds:
        mask &= territories["kind"].isin(view.kinds)
    if view.levers:
        counted = links if not view.basis else links[links["basis"] == view.basis]
        linked = set(counted.loc[counted["lever_id"].isin(view.levers), "territory_id"])
        mask &= territories["id"].isin(linked)
    if view.themes:
        wanted_themes = set(view.themes)
        mask &= territories["themes"].map(lambda cell: bool(wanted_themes & set(split_list(cell))))
    if view.text.strip():
        needle = normalize(view.text)
        haystack = territories[
            ["name", "official_name", "seat", "porteur", "challenges", "challenges_en"]
        ]
        mask &= haystack.apply(lambda row: needle in normalize(" ".join(row)), axis=1)
    return territories[mask]


@dataclass(frozen=True)
class Card:
    """Everything the card of one territory shows."""

    territory: dict
    levers: list[dict] = field(default_factory=list)
    region: dict = field(default_factory=dict)
    neighbours: list[dict] = field(default_factory=list)


def territory_card(dataset: Dataset, placed: pd.DataFrame, territory_id: str) -> Card | None:
    """The card of a territory: its row, its levers with the study's text, its region."""
    if not territory_id:  # none selected: skip pandas' row selection, a good part of a rerun
        return None
    rows = placed[placed["id"] == territory_id]
    if rows.empty:
        return None
    territory = rows.iloc[0].to_dict()
    links = dataset.links[dataset.links["territory_id"] == territory_id]
    levers = links.merge(dataset.levers, left_on="lever_id", right_on="id", suffixes=("_link", ""))
    order = {lever_id: i for i, lever_id in enumerate(dataset.levers["id"])}
    levers = levers.assign(order=levers["lever_id"].map(order)).sort_values("order")
    regions = dataset.regions[dataset.regions["code"] == territory["region_code"]]
    neighbours = placed[
        (placed["region_code"] == territory["region_code"]) & (placed["id"] != territory_id)
    ]
    return Card(
        territory=territory,
        levers=levers.drop(columns="order").to_dict("records"),
        region=regions.iloc[0].to_dict() if not regions.empty else {},
        neighbours=neighbours[["id", "name"]].to_dict("records"),
    )


def lever_matrix(dataset: Dataset, territory_ids: list[str], lang: str) -> pd.DataFrame:
    """Long table (territory, lever, lever_id, kind, linked 0/1, basis) for a territory × lever
    matrix; `basis` is the link's stated/suggested/inferred, "" when not linked."""
    names = dataset.territories.set_index("id")["name"]
    basis = {
        (tid, lid): b
        for tid, lid, b in zip(
            dataset.links["territory_id"],
            dataset.links["lever_id"],
            dataset.links["basis"],
            strict=True,
        )
    }
    levers = dataset.levers[dataset.levers["kind"] != "framework"]
    return pd.DataFrame(
        [
            {
                "territory": names[tid],
                "lever": lever[f"name_{lang}"],
                "lever_id": lever["id"],
                "kind": lever["kind"],
                "linked": int((tid, lever["id"]) in basis),
                "basis": basis.get((tid, lever["id"]), ""),
            }
            for tid in territory_ids
            for _, lever in levers.iterrows()
        ],
        columns=["territory", "lever", "lever_id", "kind", "linked", "basis"],
    )


def compared_ranks(regions: pd.DataFrame) -> pd.Series:
    """Each région's rank on the one compared SSE series (1 = largest share), among the régions
    whose figure is known; unknown stays NaN, never zero."""
    share = pd.to_numeric(regions["sse_compared_share_pct"], errors="coerce")
    return share.rank(ascending=False, method="min")


def _sorted_names(names: pd.Series) -> str:
    return ", ".join(sorted(names))


def region_summary(dataset: Dataset, territories: pd.DataFrame) -> pd.DataFrame:
    """One row per region holding at least one of `territories`, with its sourced figures,
    ranked on the compared series (`compared_share`, `compared_rank`; unknown last)."""
    counts = territories.groupby("region_code")["name"].agg(["count", _sorted_names])
    counts.columns = ["territories", "names"]
    regions = dataset.regions.assign(
        compared_share=pd.to_numeric(dataset.regions["sse_compared_share_pct"], errors="coerce"),
        compared_rank=compared_ranks(dataset.regions),
    ).set_index("code")
    summary = regions.join(counts, how="inner").reset_index()
    return summary.sort_values(
        ["compared_share", "territories", "name"],
        ascending=[False, False, True],
        na_position="last",
    )


@dataclass(frozen=True)
class LeverPage:
    """A lever or area of the study and the shown territories linked to it."""

    lever: dict
    users: list[dict]  # link rows with the territory's `name`, documented links first
    documented: bool  # some labelled territory (shown or not) has a documented link to it

    def by_basis(self) -> dict[str, list[dict]]:
        """The users grouped by the basis of their link, every basis present (maybe empty):
        only documented links say a territory uses the lever, so each group is shown and
        counted on its own."""
        return {basis: [u for u in self.users if u["basis"] == basis] for basis in LINK_BASES}


def lever_page(dataset: Dataset, territories: pd.DataFrame, lever_id: str) -> LeverPage:
    """What a lever's page shows: the study's text and, for each of `territories` linked to the
    lever, the link (rationale, source, basis, rules)."""
    lever = dataset.levers[dataset.levers["id"] == lever_id].iloc[0].to_dict()
    links = dataset.links[dataset.links["lever_id"] == lever_id]
    users = links.merge(territories[["id", "name"]], left_on="territory_id", right_on="id")
    basis_order = {basis: i for i, basis in enumerate(LINK_BASES)}
    users = users.assign(order=users["basis"].map(basis_order)).sort_values(["order", "name"])
    return LeverPage(
        lever=lever,
        users=users.drop(columns=["order", "id"]).to_dict("records"),
        documented=bool((links["basis"] == "stated").any()),
    )
