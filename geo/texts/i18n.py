"""Every label of the interface in French (default) and English.

Data text (levers, themes, challenges) carries its own `_fr` / `_en` columns; this module holds
the interface's own words. `t("key", lang, **values)` formats one; a missing key fails loudly in
tests rather than showing a raw key to users.
"""

from __future__ import annotations

from geo.geocoding.errors import INPUT_MESSAGES
from geo.geocoding.online import ProviderFault

__all__ = ["STRINGS", "fault_message", "short_lever_name", "t"]

STRINGS: dict[str, tuple[str, str]] = {
    # key: (français, English)
    "title": ("Carte ESS — Territoires French Impact", "SSE map — French Impact territories"),
    "subtitle": (
        "Les 27 territoires labellisés « Territoire French Impact » en 2019, leurs leviers "
        "d'action pour l'ESS et leurs régions.",
        "The 27 territories labelled “Territoire French Impact” in 2019, their levers for the "
        "social and solidarity economy (SSE) and their regions.",
    ),
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
    "empty_view": (
        "**Aucun territoire ne correspond à ces filtres** ({filters}). Retirez un filtre ou "
        "réinitialisez-les.",
        "**No territory matches these filters** ({filters}). Remove a filter or reset them.",
    ),
    "empty_search": ("recherche « {text} »", "search “{text}”"),
    "empty_region": (
        "{region} ne compte aucun Territoire French Impact. Les plus proches de son chef-lieu : "
        "{nearest}.",
        "{region} holds no French Impact territory. The nearest to its chef-lieu: {nearest}.",
    ),
    "tab_empty": (
        "Rien à afficher : aucun territoire ne correspond aux filtres.",
        "Nothing to show: no territory matches the filters.",
    ),
    "region_option": ("{name} ({count})", "{name} ({count})"),
    "region_option_none": ("{name} (aucun territoire)", "{name} (no territory)"),
    "click_hint": (
        "Cliquez sur un marqueur (ou choisissez un territoire) pour ouvrir sa fiche.",
        "Click a marker (or pick a territory) to open its card.",
    ),
    "pick_territory": ("Territoire", "Territory"),
    "none": ("—", "—"),
    "unknown": ("inconnu", "unknown"),
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
    "others_in_region": (
        "Autres territoires labellisés de la région",
        "Other labelled territories in the region",
    ),
    "no_other": ("aucun", "none"),
    "perimeter": ("Périmètre", "Perimeter"),
    "perimeter_entity": ("{name}", "{name}"),
    "perimeter_departements": (
        "{name} (les départements que les données indiquent)",
        "{name} (the départements the data records)",
    ),
    "perimeter_seat_epci": (
        "{name}, l'intercommunalité de la commune siège (approximatif : aucune source ne "
        "donne le périmètre)",
        "{name}, the seat town's intercommunality (approximate: no source gives the perimeter)",
    ),
    "perimeter_region": (
        "{name}, la région (approximatif : aucune source ne donne le périmètre)",
        "{name}, the region (approximate: no source gives the perimeter)",
    ),
    "perimeter_facts": (
        "{communes} · {population} habitants · {area} km²",
        "{communes} · population {population} · {area} km²",
    ),
    "one_commune": ("{n} commune", "{n} municipality"),
    "n_communes": ("{n} communes", "{n} municipalities"),
    "no_perimeter": ("non cartographié", "not mapped"),
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
        "point du département {code}",
        "point of département {code}",
    ),
    "method_region_code": (
        "point de la région {code}, périmètre inconnu",
        "point of region {code}, perimeter unknown",
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
        "Une marque : le levier (ou domaine) correspond au territoire. Pleine : documenté par une "
        "source ; creuse : suggéré par une règle ; pointillée : déduit du label. Raisons et "
        "sources dans la fiche.",
        "A mark: the lever (or area) fits the territory. Solid: documented by a source; hollow: "
        "suggested by a rule; dashed: inferred from the label. Reasons and sources in its card.",
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
    "map_title": ("Carte des territoires French Impact", "Map of the French Impact territories"),
    "legend_territories": ("Territoires French Impact", "French Impact territories"),
    "legend_list": ("Votre liste", "Your list"),
    "legend_list_points": ("Lignes placées", "Placed rows"),
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
    "inside_territory": (
        "Dans le périmètre du territoire French Impact",
        "Inside the French Impact territory",
    ),
    "tiles_osm": ("OpenStreetMap", "OpenStreetMap"),
    "tiles_positron": ("Clair (CartoDB Positron)", "Light (CartoDB Positron)"),
    "tiles_ign": ("Plan IGN (Géoplateforme)", "IGN Plan (Géoplateforme)"),
    "tiles_outlines": ("Contours seuls", "Outlines only"),
    "tiles_down": (
        "Le fond de carte ne se charge pas (hors ligne ?).",
        "The base map does not load (offline?).",
    ),
    # about
    "about_text": (
        "Données : liste officielle des 27 territoires (2019), étude Avise, RTES et France urbaine "
        "(novembre 2021), chiffres régionaux de l'INSEE et des CRESS. Chaque fait cite sa source "
        "dans les fichiers `data/` ; ce qui n'a pas été trouvé reste vide et s'affiche « inconnu ». "
        "Géographie : code officiel géographique de l'INSEE (paquet @etalab/decoupage-administratif), "
        "contours IGN ADMIN EXPRESS et mairies de l'Annuaire de l'administration (Licence Ouverte "
        "2.0) ; codes postaux La Poste (ODbL). Fonds de carte : © OpenStreetMap contributors, "
        "© CARTO, © IGN.",
        "Data: the official list of the 27 territories (2019), the Avise, RTES and France urbaine "
        "study (November 2021), regional figures from INSEE and the CRESS. Every fact cites its "
        "source in the `data/` files; what was not found stays empty and shows as “unknown”. "
        "Geography: INSEE's official geographic code (package @etalab/decoupage-administratif), "
        "IGN ADMIN EXPRESS outlines and the town halls of the Annuaire de l'administration "
        "(Licence Ouverte 2.0); La Poste postal codes (ODbL). Base maps: © OpenStreetMap "
        "contributors, © CARTO, © IGN.",
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
        "Chaque ligne de votre fichier, entière et dans l'ordre, avec la raison d'un doute. "
        "Choisissez une ligne, puis l'un de ses candidats ou un lieu corrigé : la correction "
        "s'ajoute dans sa propre colonne, votre fichier reste tel quel.",
        "Every row of your file, whole and in order, with the reason for any doubt. Pick a "
        "row, then one of its candidates or a corrected place: the correction goes in a column "
        "of its own, your file stays as it came.",
    ),
    "review_row": ("ligne", "row"),
    "status_resolved": ("placée", "resolved"),
    "status_ambiguous": ("ambiguë : choisir", "ambiguous: pick one"),
    "status_not_found": ("introuvable", "not found"),
    "status_check": ("placée, à vérifier", "placed, to check"),
    "why_not_found": (
        "aucune commune de ce nom, même approché : corrigez le nom ou ajoutez un code postal",
        "no commune of that name, even approximately: correct the name or add a postal code",
    ),
    "why_near_name": (
        "nom approché : « {name} » retenu, vérifiez",
        "near name: “{name}” chosen, please check",
    ),
    "review_status": ("statut", "status"),
    "review_match": ("lieu trouvé", "match"),
    "review_confidence": ("confiance", "confidence"),
    "list_map_title": ("Votre liste sur la carte", "Your list on the map"),
    "download_list_csv": ("Table géocodée (CSV)", "Geocoded table (CSV)"),
    "download_list_geojson": ("Lignes placées (GeoJSON)", "Placed rows (GeoJSON)"),
    "download_list_map": ("Carte (HTML autonome)", "Map (standalone HTML)"),
    "upload_failed": ("Ce fichier ne peut pas être utilisé.", "This file cannot be used."),
    # Issue 11: a list kept for the session, postal code and code columns, row-by-row review.
    "col_postcode_hint": ("Colonne code postal (facultatif)", "Postal code column (optional)"),
    "col_insee": (
        "Colonne code INSEE ou SIREN (facultatif)",
        "INSEE or SIREN code column (optional)",
    ),
    "list_kept": (
        "Liste en cours : {name} ({rows} ligne(s)). Elle reste là pendant toute la session ; "
        "déposez un autre fichier pour la remplacer.",
        "Current list: {name} ({rows} row(s)). It stays for the whole session; upload another "
        "file to replace it.",
    ),
    "forget_list": ("Retirer la liste", "Remove the list"),
    "rows_to_check": (
        "Seulement les lignes à vérifier ({count})",
        "Only the rows to check ({count})",
    ),
    "nothing_to_check": (
        "Toutes les lignes sont placées.",
        "Every row is placed.",
    ),
    "row_to_fix": ("Ligne à corriger", "Row to correct"),
    "pick_candidate": ("Candidats de cette ligne", "This row's candidates"),
    "no_pick": ("— garder la réponse —", "— keep the answer —"),
    "corrected_name": (
        "Ou un lieu corrigé (votre fichier n'est pas modifié)",
        "Or a corrected place (your file is not changed)",
    ),
    "apply_correction": ("Appliquer à cette ligne", "Apply to this row"),
    "review_note": ("pourquoi", "why"),
    "review_correction": ("correction", "correction"),
    "categories_grouped": ("{count} autre(s), regroupée(s)", "{count} more, grouped"),
}


# How a territory → lever link is known (issue 14), similar territories and comparison (issue 15).
STRINGS |= {
    "basis_stated": ("utilisé (documenté)", "used (documented)"),
    "basis_suggested": ("suggéré par une règle", "suggested by a rule"),
    "basis_inferred": ("déduit du label", "inferred from the label"),
    "basis_label": ("Base du lien", "Basis of the link"),
    "basis_stated_text": (
        "une source dit que le territoire agit ainsi",
        "a source says the territory does this",
    ),
    "basis_suggested_text": (
        "suggéré par la règle {rules} de l'étude ([étude Avise]({source})) ; aucune source ne dit "
        "que le territoire le fait",
        "suggested by the rule {rules} from the study ([Avise study]({source})); no source says "
        "the territory does it",
    ),
    "basis_inferred_text": (
        "repose sur le label seul ; aucune source ne décrit d'action précise",
        "rests on the label alone; no source describes a specific action",
    ),
    "basis_filter": ("Liens pris en compte", "Links counted"),
    "basis_all": ("Avec les suggestions", "With suggestions"),
    "basis_stated_only": ("Documentés seulement", "Documented only"),
    "basis_filter_help": (
        "Les liens suggérés (◐) découlent d'une règle écrite ; les liens déduits du label (○) "
        "ne reposent que sur le label. Les liens documentés (●) citent une source.",
        "Suggested links (◐) follow a written rule; links inferred from the label (○) rest on "
        "the label alone. Documented links (●) cite a source.",
    ),
    # a lever's page
    "lever_users": ("Territoires qui l'utilisent (documenté)", "Territories using it (documented)"),
    "lever_no_documented_user": (
        "Aucun territoire affiché ne documente ce levier.",
        "No territory shown documents this lever.",
    ),
    "lever_suggested": ("Suggéré par une règle", "Suggested by a rule"),
    "lever_inferred": (
        "Déduit du label seul ({count}, affiché à part)",
        "Inferred from the label alone ({count}, shown apart)",
    ),
    "metric_lever_used": ("Utilisent ce levier (documenté)", "Use this lever (documented)"),
    "lever_not_documented": (
        "Aucun territoire labellisé ne documente ce levier dans les sources consultées ; "
        "les territoires listés sont suggérés ou déduits, comme indiqué.",
        "No labelled territory documents this lever in the sources consulted; the territories "
        "listed are suggested or inferred, as marked.",
    ),
    "lever_study": ("Ce qu'en dit l'étude", "What the study says"),
    "basis_counts": (
        "{shown} territoire(s) affiché(s), liés au levier choisi : {counts}. Sa page est sous "
        "la carte.",
        "{shown} territory(ies) shown, linked to the chosen lever: {counts}. Its page is below "
        "the map.",
    ),
    # similar territories
    "similar_title": ("Territoires similaires", "Similar territories"),
    "similar_help": (
        "Classés selon ce qu'ils partagent avec {name} (règle dans l'onglet « À propos »).",
        "Ranked by what they share with {name} (the rule is in the “About” tab).",
    ),
    "similar_none": (
        "Aucun territoire ne partage rien avec celui-ci.",
        "No territory shares anything with this one.",
    ),
    "shared_levers": ("leviers", "levers"),
    "shared_themes": ("thématiques", "themes"),
    "shared_keywords": ("mots des défis", "challenge keywords (French)"),
    "shared_kind": ("même type ({kind})", "same kind ({kind})"),
    "distance": ("{km} km entre les sièges", "{km} km between the seats"),
    "distance_unknown": ("distance inconnue", "distance unknown"),
    "compare_with": ("Comparer", "Compare"),
    # side by side
    "compare": ("Comparer (2 ou 3 territoires)", "Compare (2 or 3 territories)"),
    "compare_title": ("Côte à côte", "Side by side"),
    "compare_dropped": (
        "Identifiant(s) inconnu(s) ou en trop, ignoré(s) : {ids}.",
        "Unknown or extra id(s), left out: {ids}.",
    ),
    "compare_more": (
        "Choisissez au moins deux territoires pour les comparer.",
        "Pick at least two territories to compare them.",
    ),
    "compare_close": ("Fermer la comparaison", "Close the comparison"),
    "perimeter_population": ("Population du périmètre", "Population of the perimeter"),
    "perimeter_communes": ("Communes du périmètre", "Communes in the perimeter"),
    "perimeter_unknown": (
        "inconnu (pas de périmètre administratif unique)",
        "unknown (no single administrative perimeter)",
    ),
    "region_sse_compared": (
        "Poids de l'ESS, comparable entre régions",
        "Weight of the SSE, comparable across regions",
    ),
    "region_sse_context": (
        "Autre chiffre de l'ESS (contexte, à ne pas comparer)",
        "Other SSE figure (context, not comparable)",
    ),
    "sse_compared_value": (
        "{share} {basis} en {year} ([source]({source}))",
        "{share} {basis} in {year} ([source]({source}))",
    ),
    "sse_compared_unknown": (
        "pas de chiffre comparable publié",
        "no comparable figure published",
    ),
    "sse_basis_salaried_jobs": ("des emplois salariés", "of salaried jobs"),
    "sse_basis_private_jobs": ("des emplois privés", "of private-sector jobs"),
    "sse_basis_employment": ("de l'emploi", "of employment"),
    "sse_context_value": (
        "{share} {basis} ({year})",
        "{share} {basis} ({year})",
    ),
    "year_unknown": ("année inconnue", "year unknown"),
    "sse_jobs": ("{jobs} emplois dans l'ESS", "{jobs} SSE jobs"),
    # region summary
    "regions_help": (
        "Rang et part : part de l'ESS dans l'emploi salarié en {year}, d'après l'INSEE. C'est le "
        "chiffre publié sur une même base et une même année pour le plus de régions : {known} des "
        "{total}. Pour les autres, pas de chiffre comparable publié (ce n'est pas zéro). La colonne "
        "« autre chiffre » donne pour contexte un chiffre d'une autre année ou d'une autre base, "
        "à ne pas comparer.",
        "Rank and share: the SSE's share of salaried jobs in {year}, from INSEE. It is the figure "
        "published on one basis and one year for the most regions: {known} of the {total}. The "
        "others have no comparable figure published (which is not zero). The “other figure” "
        "column gives, as context, a figure from another year or on another basis: not comparable.",
    ),
    "col_compared_rank": ("Rang (chiffre comparable)", "Rank (comparable figure)"),
    "col_compared_share": (
        "Part de l'ESS dans l'emploi salarié en {year}",
        "SSE share of salaried jobs in {year}",
    ),
    "col_other_figure": ("Autre chiffre ESS (contexte)", "Other SSE figure (context)"),
    # about
    "about_bases_title": ("Comment un lien est connu", "How a link is known"),
    "about_bases": (
        "Chaque lien entre un territoire et un levier (ou domaine) de l'étude a une base :\n\n"
        "- ● **utilisé (documenté)** : une source citée dit que le territoire (ou son collectif) agit "
        "ainsi ;\n"
        "- ◐ **suggéré par une règle** : une des règles écrites ci-dessous le déduit des défis ou thématiques "
        "documentés du territoire, en suivant les champs thématiques de l'étude ; aucune source "
        "ne dit que le territoire le fait ;\n"
        "- ○ **déduit du label** : seul le label, attribué à des collectifs d'acteurs, le "
        "soutient.\n\n"
        "Le filtre « Levier d'action » compte les trois par défaut, marqués ; « Documentés "
        "seulement » (`?basis=stated`) ne garde que les premiers. Seuls les liens documentés "
        "disent qu'un territoire *utilise* un levier : c'est le chiffre des indicateurs ; les "
        "suggestions ont leur propre section, et les liens déduits du label sont montrés à "
        "part, repliés, car chaque territoire labellisé en a par construction (le label désigne "
        "des collectifs d'acteurs qui animent leur territoire) : comptés avec les autres, ils "
        "faisaient de l'animation le levier le plus utilisé sans qu'aucune source le dise.",
        "Every link between a territory and one of the study's levers (or areas) has a basis:\n\n"
        "- ● **used (documented)**: a cited source says the territory (or its collective) does this;\n"
        "- ◐ **suggested by a rule**: one of the written rules below derives it from the territory's "
        "documented challenges or themes, following the study's thematic areas; no source says "
        "the territory does it;\n"
        "- ○ **inferred from the label**: only the label, given to collectives of local actors, "
        "supports it.\n\n"
        "The “Action lever” filter counts all three by default, marked; “Documented only” "
        "(`?basis=stated`) keeps the first kind only. Only documented links say that a territory "
        "*uses* a lever: that is the figure the metrics give; suggestions have a section of "
        "their own, and links inferred from the label are shown apart, folded, since every "
        "labelled territory has them by construction (the label names collectives of actors "
        "who animate their territory): counted with the others, they made animation look like "
        "the most used lever while no source says so.",
    ),
    "about_rules_title": ("Règles de suggestion", "Suggestion rules"),
    "about_similar_title": ("Territoires similaires", "Similar territories"),
    "about_similar": (
        "Chaque fiche finit par les {count} territoires qui partagent le plus avec elle. Chaque "
        "point commun vaut des points : un levier ou domaine partagé {stated} si les deux liens "
        "sont documentés, {suggested} si le plus faible est suggéré, {inferred} s'il est déduit "
        "du label ; une thématique partagée {theme} ; un mot commun de leurs défis (en français, "
        "hors mots vides) {keyword} ; le même type de territoire {kind}. À égalité, le siège le "
        "plus proche passe devant, puis l'ordre alphabétique. La distance est celle, à vol "
        "d'oiseau, entre les communes sièges. Sur la carte, des traits fins joignent le "
        "territoire choisi à ses territoires similaires.",
        "Each card ends with the {count} territories that share the most with it. Each thing in "
        "common scores points: a shared lever or area {stated} when both links are documented, "
        "{suggested} when the weaker one is suggested, {inferred} when it is inferred from the "
        "label; a shared theme {theme}; a word their challenges share (in French, without "
        "filler words) {keyword}; the same kind of territory {kind}. Ties go to the nearer seat, "
        "then to alphabetical order. The distance is the straight-line distance between the "
        "seat towns. On the map, thin lines join the selected territory to its similar ones.",
    ),
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


# The territories' exports, the matrix, the filtered-out card (issue 12).
STRINGS |= {
    "export_entity_code": ("Code de l'entité (SIREN ou INSEE)", "Entity code (SIREN or INSEE)"),
    "export_lat": ("Latitude", "Latitude"),
    "export_lon": ("Longitude", "Longitude"),
    "approximate_position": ("Position approximative", "Approximate position"),
    "filtered_out": (
        "« {name} » est hors des filtres actuels : sa fiche s'affiche, pas son marqueur. "
        "« Réinitialiser les filtres » le montre sur la carte.",
        "“{name}” is outside the current filters: its card shows, its marker does not. "
        "“Reset filters” shows it on the map.",
    ),
    "yes": ("oui", "yes"),
    "no": ("non", "no"),
    # Short lever names (short_lever_name; the full name stays in cards and titles).
    "lever_short_accompagnement-financement": (
        "Accompagnement et financement",
        "Support and financing",
    ),
    "lever_short_soutien-direct": ("Soutien direct", "Direct support"),
    "lever_short_cooperation-territoriale": ("Coopération territoriale", "Local cooperation"),
    "lever_short_foncier-tiers-lieux": ("Foncier et tiers-lieux", "Land and third places"),
    "lever_short_rd-sociale": ("R&D sociale", "Social R&D"),
    "lever_short_achats-responsables": ("Achats responsables", "Responsible buying"),
    "lever_short_animation-sensibilisation": (
        "Animation et sensibilisation",
        "Local dynamics, awareness",
    ),
    "lever_short_economie-circulaire": ("Économie circulaire", "Circular economy"),
    "lever_short_alimentation-durable": ("Alimentation durable", "Sustainable food"),
    "lever_short_habitat-durable": ("Habitat durable", "Sustainable housing"),
    "lever_short_numerique-responsable": ("Numérique responsable", "Responsible digital"),
    "lever_short_cadres-intervention": ("Cadres d'intervention", "Frameworks of intervention"),
    "lever_short_co-construction": ("Co-construction", "Co-construction"),
    "lever_short_articulation-territoriale": ("Articulation territoriale", "Regional integration"),
    "lever_short_evaluation": ("Évaluation des politiques", "Policy evaluation"),
    "lever_short_politique-de-la-ville": ("Politique de la ville", "City policy"),
}


def short_lever_name(lever_id: str, lang: str) -> str:
    """A lever's short name, where space is short (filter pills, table, popups, the matrix's
    headers): the study's names begin alike ("Développement de…" twice)."""
    return t(f"lever_short_{lever_id}", lang)


def t(key: str, lang: str, **values: object) -> str:
    """The interface text `key` in `lang` ("fr" or "en"), formatted with `values`."""
    text = STRINGS[key][0 if lang == "fr" else 1]
    return text.format(**values) if values else text


# What each link rests on, unknowns said once, accessibility (issue 21).
STRINGS |= {
    "undocumented": (
        "Non documenté dans les sources publiques{colon}{fields}",
        "Not documented in public sources{colon}{fields}",
    ),
    "col_levers_stated": ("Leviers utilisés (documentés)", "Levers used (documented)"),
    "col_levers_suggested": ("Leviers suggérés par une règle", "Levers suggested by a rule"),
    "col_levers_inferred": ("Leviers déduits du label", "Levers inferred from the label"),
    "about_a11y_title": ("Accessibilité", "Accessibility"),
    "about_a11y": (
        "Vérifié par les tests avec axe-core 4 (ses règles par défaut : WCAG 2 A et AA, bonnes "
        "pratiques) dans Chromium, sur la page et dans le cadre de la carte, dans cinq états : accueil, "
        "fiche d'un territoire, page d'un levier, comparaison, interface anglaise : aucune "
        "violation. Ce qui est couvert : contrastes des textes (4,5:1), ordre des titres, "
        "repères de page, titre et langue du cadre de la carte, zoom par pincement, marqueurs "
        "nommés et ouvrables au clavier (Entrée), légende et formes qui ne reposent pas sur la "
        "couleur seule. Les onglets « Territoires × leviers », « Par région », « Téléchargements » "
        "et « À propos » sont vérifiés de même. Ce qui ne l'est pas : l'onglet « Ma liste » "
        "(son dépôt de fichier, un composant de Streamlit, porte un conflit de rôle ARIA que "
        "l'application ne peut corriger), les fonds de carte (images des tuiles, sans texte), les tests avec des lecteurs "
        "d'écran réels, le thème sombre du navigateur. **Alternative textuelle à la "
        "carte** : l'onglet « Tableau » donne chaque territoire affiché, sa région, ses défis, "
        "ses thématiques et ses leviers par base ; l'onglet « Territoires × leviers » est un "
        "vrai tableau à en-têtes.",
        "Checked by the tests with axe-core 4 (its default rules: WCAG 2 A and AA, best "
        "practices) in Chromium, on the page and inside the map's frame, in five states: landing page, "
        "a territory's card, a lever's page, a comparison, the English interface: no "
        "violation. Covered: text contrast (4.5:1), heading order, page landmarks, the map "
        "frame's title and language, pinch-zoom, markers named and opened with the keyboard "
        "(Enter), a legend and shapes that do not rest on colour alone. The “Territories × levers”, “By region”, "
        "“Downloads” and “About” tabs are checked the same way. Not covered: the “My list” tab "
        "(its file drop zone, a Streamlit widget, carries an ARIA role conflict the app cannot "
        "fix), the base maps (tile images, no text), tests with real "
        "screen readers, the browser's dark theme. **Text alternative to the map**: the "
        "“Table” tab gives every territory shown, its region, challenges, themes and levers by "
        "basis; the “Territories × levers” tab is a real table with headers.",
    ),
}

# Issue 23: the one-page sheet, find a place, coverage, embed.
STRINGS |= {
    "sheet_unknown": ("Non renseigné : {facts}.", "Not known: {facts}."),
    "sheet_footer": (
        "Carte ESS — French Impact. Données vérifiées auprès de leurs sources le {date}. "
        "Liens : voir les sources numérotées ci-dessus.",
        "SSE map — French Impact. Data checked against their sources on {date}. "
        "Links: see the numbered sources above.",
    ),
    "sheet_map": (
        "Périmètre (bleu) et siège (point) sur les contours des régions et départements.",
        "Perimeter (blue) and seat (dot) on the outlines of régions and départements.",
    ),
    "sheet_map_approximate": (
        "Périmètre approché (tirets, bleu) et siège (point) sur les contours des régions et "
        "départements : aucune source ne donne son contour.",
        "Approximate perimeter (dashed, blue) and seat (dot) on the outlines of régions and "
        "départements: no source gives its outline.",
    ),
    "sheet_marks": (
        "● documenté (une source le dit) · ◐ suggéré (règle écrite depuis ses thématiques) · "
        "○ déduit du label",
        "● documented (a source says so) · ◐ suggested (a written rule from its themes) · "
        "○ inferred from the label",
    ),
    "sheet_download": ("Fiche PDF d'une page", "One-page PDF sheet"),
}
STRINGS |= {
    "place_field": ("Trouver ma commune", "Find my place"),
    "place_help": (
        "Commune, code postal, code INSEE ou adresse",
        "Municipality, postal code, INSEE code or address",
    ),
    "place_choose": (
        "« {query} » désigne plusieurs lieux : choisissez le vôtre.",
        "“{query}” names several places: choose yours.",
    ),
    "place_choice": ("Lequel ?", "Which one?"),
    "place_not_found": (
        "« {query} » n'a pas été trouvé. Essayez le nom de la commune, son code postal ou son "
        "code INSEE.",
        "“{query}” was not found. Try the municipality's name, its postal code or its INSEE code.",
    ),
    "place_inside": (
        "Dans le périmètre de {names}",
        "Inside the perimeter of {names}",
    ),
    "place_outside": (
        "Dans le périmètre d'aucun territoire labellisé",
        "Inside no labelled territory's perimeter",
    ),
    "place_inside_approximate": (
        "Dans le périmètre approché (aucune source ne donne son contour) de {names}",
        "Inside the approximate perimeter (no source gives its outline) of {names}",
    ),
    "place_nearest": (
        "Territoires labellisés les plus proches (distance à leur siège)",
        "Nearest labelled territories (distance to their seat)",
    ),
    "place_km": ("{km} km", "{km} km"),
}
STRINGS |= {
    "coverage_title": (
        "Part de la population dans un territoire labellisé",
        "Share of the population inside a labelled territory",
    ),
    "coverage_help": (
        "Habitants des communes situées dans le périmètre vrai d'au moins un territoire "
        "labellisé, en % de la population (populations légales 2023, INSEE). Les périmètres "
        "approchés (aires et clusters dont aucune source ne donne le contour) sont comptés à "
        "part. Cliquez sur un en-tête pour trier.",
        "People of the municipalities inside the true perimeter of at least one labelled "
        "territory, as a % of the population (INSEE legal populations 2023). Approximate "
        "perimeters (areas and clusters no source outlines) are counted apart. Click a header "
        "to sort.",
    ),
    "coverage_departements": ("Par département", "By département"),
    "coverage_col_code": ("Code", "Code"),
    "coverage_col_population": ("Population", "Population"),
    "coverage_col_share": ("% dans un périmètre vrai", "% in a true perimeter"),
    "coverage_col_people": ("Habitants couverts", "People covered"),
    "coverage_col_approximate": (
        "% dans un périmètre approché seulement",
        "% in an approximate perimeter only",
    ),
    "coverage_col_territories": ("Territoires", "Territories"),
    "coverage_col_approximate_territories": (
        "Territoires au périmètre approché",
        "Territories with an approximate perimeter",
    ),
    "coverage_toggle": ("Couverture du label", "Label coverage"),
    "coverage_legend": (
        "Part de la population dans un périmètre vrai",
        "Share of the population in a true perimeter",
    ),
    "coverage_tip": (
        "{name} : {share} dans un périmètre vrai, {approximate} de plus dans un périmètre "
        "approché seulement",
        "{name}: {share} in a true perimeter, {approximate} more in an approximate one only",
    ),
    "coverage_about_title": ("Couverture du label : la méthode", "Label coverage: the method"),
    "coverage_about": (
        "La couche « Couverture du label » et le tableau de l'onglet Régions donnent, pour "
        "chaque région (et chaque département en zoomant), la part de sa population qui vit "
        "dans le périmètre d'un territoire labellisé. Calculée à la construction "
        "(`scripts/build_coverage.py`, fichier `data/coverage/coverage.csv`) à partir des "
        "périmètres livrés, qui sont des unions de communes entières (COG 2026), et des "
        "populations municipales des communes (populations légales 2023 de l'INSEE ; Mayotte : "
        "2017). Chaque commune compte une fois, même dans plusieurs périmètres. Les périmètres "
        "approchés (aires et clusters tracés par l'intercommunalité de leur siège ou par leur "
        "région) sont comptés à part et ne colorent pas la carte.",
        "The “Label coverage” layer and the table of the Regions tab give, for each région (and "
        "each département when zoomed in), the share of its population living inside a labelled "
        "territory's perimeter. Computed at build time (`scripts/build_coverage.py`, file "
        "`data/coverage/coverage.csv`) from the shipped perimeters, which are unions of whole "
        "municipalities (COG 2026), and the municipalities' populations (INSEE legal "
        "populations 2023; Mayotte: 2017). Each municipality counts once, even inside several "
        "perimeters. Approximate perimeters (areas and clusters drawn by their seat's "
        "intercommunality or their région) are counted apart and do not shade the map.",
    ),
}
STRINGS |= {
    "embed_title": ("Intégrer cette carte", "Embed this map"),
    "embed_help": (
        "Copiez ce code dans une page de votre site : il affiche la vue actuelle (filtres, "
        "territoire choisi, langue) en mode intégré de Streamlit, sans menu. Aperçu : le cadre "
        "occupe toute la largeur et {height} px de haut ; l'adresse doit être celle où la carte "
        "est publiée.",
        "Paste this code in a page of your site: it shows the current view (filters, chosen "
        "territory, language) in Streamlit's embed mode, without the menu. Preview: the frame "
        "takes the full width and {height} px of height; the address must be the one where the "
        "map is published.",
    ),
    "embed_frame_title": (
        "Carte ESS — Territoires French Impact",
        "SSE map — French Impact territories",
    ),
}
