"""Every label of the interface in French (default) and English.

Data text (levers, themes, challenges) carries its own `_fr` / `_en` columns; this module holds
the interface's own words. `t("key", lang, **values)` formats one; a missing key fails loudly in
tests rather than showing a raw key to users.
"""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    # key: (français, English)
    "title": ("Carte ESS — Territoires French Impact", "SSE map — French Impact territories"),
    "subtitle": (
        "Les 27 territoires labellisés « Territoire French Impact » en 2019, leurs leviers "
        "d'action pour l'ESS et leurs régions.",
        "The 27 territories labelled “Territoire French Impact” in 2019, their levers for the "
        "social and solidarity economy (SSE) and their regions.",
    ),
    "language": ("Langue", "Language"),
    "filters": ("Filtres", "Filters"),
    "region": ("Région", "Region"),
    "departement": ("Département", "Département"),
    "wave": ("Vague", "Wave"),
    "wave_value": ("Vague {wave}", "Wave {wave}"),
    "kind": ("Type de territoire", "Kind of territory"),
    "lever": ("Levier d'action", "Action lever"),
    "theme": ("Thématique", "Theme"),
    "search": ("Recherche", "Search"),
    "search_help": ("Nom, ville, collectif, défi…", "Name, town, collective, challenge…"),
    "reset": ("Réinitialiser les filtres", "Reset filters"),
    "basemap": ("Fond de carte", "Base map"),
    "metric_territories": ("Territoires affichés", "Territories shown"),
    "metric_regions": ("Régions concernées", "Regions covered"),
    "empty": (
        "Aucun territoire ne correspond à ces filtres. Retirez un filtre ou cliquez sur "
        "« Réinitialiser les filtres ».",
        "No territory matches these filters. Remove a filter or click “Reset filters”.",
    ),
    "click_hint": (
        "Cliquez sur un marqueur (ou choisissez un territoire) pour ouvrir sa fiche.",
        "Click a marker (or pick a territory) to open its card.",
    ),
    "pick_territory": ("Territoire", "Territory"),
    "none": ("—", "—"),
    "unknown": ("inconnu", "unknown"),
    "close_card": ("Fermer la fiche", "Close card"),
    # card
    "official_name": ("Entité officielle", "Official entity"),
    "departements": ("Département(s)", "Département(s)"),
    "seat": ("Siège", "Seat"),
    "porteur": ("Collectif porteur", "Lead collective"),
    "challenges": ("Défis", "Challenges"),
    "themes": ("Thématiques", "Themes"),
    "label_date": ("Date du label", "Label date"),
    "website": ("Site web", "Website"),
    "sources": ("Sources", "Sources"),
    "note": ("Remarque", "Note"),
    "position": ("Position sur la carte", "Position on the map"),
    "levers_title": ("Leviers et domaines d'action de l'étude", "The study's levers and areas"),
    "why": ("Pourquoi", "Why"),
    "tools": ("Outils", "Tools"),
    "region_title": ("La région", "The region"),
    "chef_lieu": ("Chef-lieu", "Regional capital"),
    "population": ("Population", "Population"),
    "cress": ("CRESS", "CRESS (regional SSE chamber)"),
    "sse_weight": ("Poids de l'ESS", "Weight of the SSE"),
    "sse_value": ("{jobs} emplois{share}{year}", "{jobs} jobs{share}{year}"),
    "others_in_region": (
        "Autres territoires labellisés de la région",
        "Other labelled territories in the region",
    ),
    "no_other": ("aucun", "none"),
    "extent_note": (
        "Points gris : les communes membres (contour approximatif).",
        "Grey points: member communes (approximate outline).",
    ),
    "no_extent": (
        "Périmètre exact non cartographié (pas d'entité administrative unique).",
        "Exact perimeter not mapped (no single administrative entity).",
    ),
    "method_entity_code": (
        "code officiel de l'entité ({code})",
        "official code of the entity ({code})",
    ),
    "method_seat_code": ("commune siège ({code})", "seat town ({code})"),
    "method_label": (
        "nom du territoire (géocodeur hors ligne)",
        "territory name (offline geocoder)",
    ),
    "method_departement_code": (
        "point du département {code} (position approximative)",
        "point of département {code} (approximate position)",
    ),
    "method_region_code": (
        "point de la région {code} (périmètre inconnu, position approximative)",
        "point of region {code} (perimeter unknown, approximate position)",
    ),
    # views
    "tab_table": ("Tableau", "Table"),
    "tab_matrix": ("Territoires × leviers", "Territories × levers"),
    "tab_regions": ("Par région", "By region"),
    "tab_downloads": ("Téléchargements", "Downloads"),
    "tab_upload": ("Ma liste", "My list"),
    "tab_about": ("À propos", "About"),
    "col_name": ("Territoire", "Territory"),
    "col_kind": ("Type", "Kind"),
    "col_region": ("Région", "Region"),
    "col_levers": ("Leviers", "Levers"),
    "col_link": ("Lien", "Link"),
    "col_count": ("Territoires labellisés", "Labelled territories"),
    "matrix_help": (
        "Une case colorée : le levier (ou domaine) correspond à ce que le territoire a déclaré "
        "travailler. Détail et sources dans la fiche.",
        "A coloured cell: the lever (or area) fits what the territory said it works on. "
        "Details and sources in its card.",
    ),
    "linked": ("lié", "linked"),
    "not_linked": ("non lié", "not linked"),
    "download_csv": ("Territoires filtrés (CSV)", "Filtered territories (CSV)"),
    "download_geojson": ("Territoires filtrés (GeoJSON)", "Filtered territories (GeoJSON)"),
    "download_map": ("Carte actuelle (HTML autonome)", "Current map (standalone HTML)"),
    "download_help": (
        "Le CSV s'ouvre dans un tableur français (séparateur « ; », accents conservés).",
        "The CSV opens in a French spreadsheet (“;” separator, accents kept).",
    ),
    # map
    "legend_title": ("Légende", "Legend"),
    "legend_wave1": ("1re vague (février 2019)", "1st wave (February 2019)"),
    "legend_wave2": ("2e vague (fin 2019)", "2nd wave (end of 2019)"),
    "goto": ("Aller à", "Go to"),
    "metropole": ("Métropole", "Mainland"),
    "popup_levers": ("Leviers", "Levers"),
    "tiles_osm": ("OpenStreetMap", "OpenStreetMap"),
    "tiles_positron": ("Clair (CartoDB Positron)", "Light (CartoDB Positron)"),
    "tiles_ign": ("Plan IGN (Géoplateforme)", "IGN Plan (Géoplateforme)"),
    # about
    "about_text": (
        "Données : liste officielle des 27 territoires (2019), étude Avise, RTES et France urbaine "
        "(novembre 2021), chiffres régionaux de l'INSEE et des CRESS. Chaque fait cite sa source "
        "dans les fichiers `data/` ; ce qui n'a pas été trouvé reste vide et s'affiche « inconnu ». "
        "Géographie : code officiel géographique de l'INSEE (paquet @etalab/decoupage-administratif, "
        "Licence Ouverte 2.0) et GeoNames (CC BY 4.0). Fonds de carte : © OpenStreetMap "
        "contributors, © CARTO, © IGN.",
        "Data: the official list of the 27 territories (2019), the Avise, RTES and France urbaine "
        "study (November 2021), regional figures from INSEE and the CRESS. Every fact cites its "
        "source in the `data/` files; what was not found stays empty and shows as “unknown”. "
        "Geography: INSEE's official geographic code (package @etalab/decoupage-administratif, "
        "Licence Ouverte 2.0) and GeoNames (CC BY 4.0). Base maps: © OpenStreetMap contributors, "
        "© CARTO, © IGN.",
    ),
    "data_date": ("Données à jour au {date}.", "Data as of {date}."),
}

KINDS: dict[str, tuple[str, str]] = {
    "region": ("Région", "Region"),
    "departement": ("Département", "Département"),
    "metropole": ("Métropole", "Metropolis"),
    "communaute_urbaine": ("Communauté urbaine", "Urban community"),
    "agglomeration": ("Communauté d'agglomération", "Agglomeration community"),
    "communes": ("Communauté de communes", "Community of communes"),
    "ept": ("Établissement public territorial", "Territorial public body (EPT)"),
    "commune": ("Commune", "Municipality"),
    "cluster": ("Pôle de coopération (cluster)", "Cooperation cluster"),
    "area": ("Territoire de projet", "Project area"),
    "place": ("Lieu", "Place"),
}


def t(key: str, lang: str, **values: object) -> str:
    """The interface text `key` in `lang` ("fr" or "en"), formatted with `values`."""
    text = STRINGS[key][0 if lang == "fr" else 1]
    return text.format(**values) if values else text


def kind_label(kind: str, lang: str) -> str:
    """Readable name of a territory kind."""
    labels = KINDS.get(kind)
    return labels[0 if lang == "fr" else 1] if labels else kind
