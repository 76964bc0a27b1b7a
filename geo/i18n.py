"""Every label of the interface in French (default) and English.

Data text (levers, themes, challenges) carries its own `_fr` / `_en` columns; this module holds
the interface's own words. `t("key", lang, **values)` formats one; a missing key fails loudly in
tests rather than showing a raw key to users.
"""

from __future__ import annotations

from geo.geocoding.errors import INPUT_MESSAGES
from geo.geocoding.kinds import kind_label
from geo.geocoding.online import ProviderFault

__all__ = ["STRINGS", "fault_message", "kind_label", "t"]

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
    "approximate": ("position approximative", "approximate position"),
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
    "legend_square": ("Région, département", "Region, département"),
    "legend_circle": ("Métropole, communauté urbaine", "Metropolis, urban community"),
    "legend_triangle": ("Agglo, comm. de communes, EPT", "Agglomeration, community, EPT"),
    "legend_dot": ("Commune", "Municipality"),
    "legend_diamond": ("Cluster, territoire de projet", "Cluster, project area"),
    "choose": ("Choisir…", "Choose…"),
    "goto": ("Aller à", "Go to"),
    "metropole": ("Métropole", "Mainland"),
    "popup_levers": ("Leviers", "Levers"),
    "nearest_territory": (
        "Territoire French Impact le plus proche",
        "Nearest French Impact territory",
    ),
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

STRINGS |= INPUT_MESSAGES  # problems with a user's file, owned by geo.geocoding

# Bring your own list.
STRINGS |= {
    "upload_label": ("Votre fichier (CSV ou Excel .xlsx)", "Your file (CSV or Excel .xlsx)"),
    "upload_empty": (
        "Déposez un tableau de lieux ou d'initiatives : une ligne par lieu, une colonne avec le "
        "nom du lieu (commune, intercommunalité, département, région…), et si vous voulez une "
        "colonne région ou département pour lever les homonymies et une colonne catégorie pour "
        "colorer les points. CSV (UTF-8 ou Windows-1252, séparateur « ; », « , » ou tabulation) "
        "ou .xlsx, jusqu'à {rows} lignes et {mb} Mo. Tout reste sur ce serveur, sauf si vous "
        "choisissez un géocodeur en ligne.",
        "Upload a table of places or initiatives: one row per place, a column with the place "
        "name (commune, intercommunality, département, region…), optionally a region or "
        "département column to settle homonyms and a category column to colour the points. CSV "
        "(UTF-8 or Windows-1252, “;”, “,” or tab separated) or .xlsx, up to {rows} rows and "
        "{mb} MB. Everything stays on this server unless you choose an online geocoder.",
    ),
    "col_place": ("Colonne du nom de lieu", "Place name column"),
    "col_region_hint": ("Colonne région (facultatif)", "Region column (optional)"),
    "col_dep_hint": ("Colonne département (facultatif)", "Département column (optional)"),
    "col_category": (
        "Colonne catégorie, pour colorer (facultatif)",
        "Category column, for colours (optional)",
    ),
    "col_label": ("Colonne libellé des points (facultatif)", "Point label column (optional)"),
    "no_column": ("— aucune —", "— none —"),
    "provider": ("Géocodeur", "Geocoder"),
    "provider_offline": ("Hors ligne (rapide, privé)", "Offline (fast, private)"),
    "provider_nominatim": (
        "Nominatim (OpenStreetMap, en ligne)",
        "Nominatim (OpenStreetMap, online)",
    ),
    "provider_ban": (
        "Géoplateforme IGN (adresses, en ligne)",
        "IGN Géoplateforme (addresses, online)",
    ),
    "provider_warning": (
        "Un géocodeur en ligne est lent (environ {minutes} min pour ce fichier) et envoie les "
        "noms de vos lignes à un service extérieur. En cas de panne, les lignes sont géocodées "
        "hors ligne.",
        "An online geocoder is slow (about {minutes} min for this file) and sends your rows' "
        "names to an outside service. If it fails, rows are geocoded offline.",
    ),
    "provider_cap_note": (
        "Le serveur public de Nominatim accepte une requête par seconde au plus et décourage le "
        "géocodage en masse : un géocodage lui envoie au plus {cap} noms nouveaux (environ "
        "{minutes} min), les autres sont géocodés hors ligne. Pour plus, choisissez la "
        "Géoplateforme IGN, ou un Nominatim à vous (ligne de commande, --domain).",
        "The public Nominatim server takes one request a second at most and discourages bulk "
        "geocoding: one run sends it at most {cap} new names (about {minutes} min); the others "
        "are geocoded offline. For more, choose the IGN Géoplateforme, or a Nominatim of your "
        "own (command line, --domain).",
    ),
    "provider_name_nominatim": ("Nominatim", "Nominatim"),
    "provider_name_ban": ("Géoplateforme IGN", "IGN Géoplateforme"),
    # one line per provider fault in a run (geo.geocoding.online.ProviderFault, fault_message)
    "fault_unreachable": (
        "Géocodeur {provider} injoignable (connexion refusée ou adresse inconnue) : {names} "
        "nom(s) géocodé(s) hors ligne.",
        "{provider} geocoder unreachable (connection refused or unknown address): {names} "
        "name(s) geocoded offline.",
    ),
    "fault_unavailable": (
        "Géocodeur {provider} en panne ou trop lent : {names} nom(s) géocodé(s) hors ligne.",
        "{provider} geocoder down or too slow: {names} name(s) geocoded offline.",
    ),
    "fault_rate_limited": (
        "Géocodeur {provider} saturé (trop de requêtes ; il accepte de nouveau dans {seconds} s) "
        ": {names} nom(s) géocodé(s) hors ligne.",
        "{provider} geocoder refusing requests (too many; it takes them again in {seconds} s): "
        "{names} name(s) geocoded offline.",
    ),
    "fault_rate_limited_later": (
        "Géocodeur {provider} saturé (trop de requêtes ; réessayez plus tard) : {names} nom(s) "
        "géocodé(s) hors ligne.",
        "{provider} geocoder refusing requests (too many; try again later): {names} name(s) "
        "geocoded offline.",
    ),
    "fault_malformed": (
        "Géocodeur {provider} : réponse illisible (est-ce bien ce géocodeur à cette adresse ?) "
        ": {names} nom(s) géocodé(s) hors ligne.",
        "{provider} geocoder: unreadable answer (is this geocoder really at that address?): "
        "{names} name(s) geocoded offline.",
    ),
    "fault_capped": (
        "Serveur public de Nominatim : plafond de {cap} noms nouveaux par géocodage atteint ; "
        "{names} nom(s) géocodé(s) hors ligne. Pour plus, choisissez la Géoplateforme IGN, ou "
        "un Nominatim à vous (ligne de commande, --domain).",
        "Public Nominatim server: cap of {cap} new names per run reached; {names} name(s) "
        "geocoded offline. For more, choose the IGN Géoplateforme, or a Nominatim of your own "
        "(command line, --domain).",
    ),
    "geocode_button": ("Géocoder la liste", "Geocode the list"),
    "progress": (
        "Géocodage : {done} / {total} noms distincts",
        "Geocoding: {done} / {total} distinct names",
    ),
    "status_summary": (
        "{resolved} placée(s), {ambiguous} ambiguë(s), {not_found} introuvable(s) sur {total} ligne(s).",
        "{resolved} placed, {ambiguous} ambiguous, {not_found} not found, of {total} row(s).",
    ),
    "review_title": ("Vérifier et corriger", "Review and correct"),
    "review_help": (
        "Chaque ligne de votre fichier, dans l'ordre. Corrigez un nom ou un indice, ou choisissez "
        "un candidat dans la colonne « choix » pour les lignes ambiguës, puis « Géocoder à nouveau ».",
        "Every row of your file, in order. Correct a name or a hint, or pick a candidate in the "
        "“choice” column for ambiguous rows, then “Geocode again”.",
    ),
    "choice": ("choix", "choice"),
    "review_row": ("ligne", "row"),
    "status_resolved": ("placée", "resolved"),
    "status_ambiguous": ("ambiguë : choisir", "ambiguous: pick one"),
    "status_not_found": ("introuvable", "not found"),
    "review_status": ("statut", "status"),
    "review_match": ("lieu trouvé", "match"),
    "review_confidence": ("confiance", "confidence"),
    "regeocode": ("Géocoder à nouveau", "Geocode again"),
    "list_map_title": ("Votre liste sur la carte", "Your list on the map"),
    "download_list_csv": ("Table géocodée (CSV)", "Geocoded table (CSV)"),
    "download_list_geojson": ("Lignes placées (GeoJSON)", "Placed rows (GeoJSON)"),
    "download_list_map": ("Carte (HTML autonome)", "Map (standalone HTML)"),
    "upload_failed": ("Ce fichier ne peut pas être utilisé.", "This file cannot be used."),
}


def fault_message(fault: ProviderFault, lang: str) -> str:
    """The one line that tells the user about a provider's fault in a run, in `lang`."""
    key = f"fault_{fault.kind}"
    if fault.kind == "rate_limited" and fault.retry_after is None:
        key += "_later"
    return t(
        key,
        lang,
        provider=t(f"provider_name_{fault.provider}", lang),
        names=fault.names_offline,
        seconds=round(fault.retry_after or 0),
        cap=fault.cap,
    )


def t(key: str, lang: str, **values: object) -> str:
    """The interface text `key` in `lang` ("fr" or "en"), formatted with `values`."""
    text = STRINGS[key][0 if lang == "fr" else 1]
    return text.format(**values) if values else text
