"""Streamlit's own widget texts ("No results", "Upload", "200MB per file"…) in the page's language.

Streamlit 1.67 has no locale setting: its widgets write English. The page therefore carries one
small script (static/js/widget-text.js: no network, no library) that rewrites those texts, and the names screen readers
read, wherever they appear, now and after every rerun (a MutationObserver). Each pair is a
whole-text pattern, so a user's own text that merely contains these words is never touched; in
the English interface the same pairs run backwards, undoing a French page left from before.
"""

from __future__ import annotations

from geo.geocoding.readers import MAX_UPLOAD_BYTES, MB
from geo.maps.assets import script_text
from geo.maps.element import NAMESPACE, script_json

_LIMIT = MAX_UPLOAD_BYTES // MB  # an integer: the same figure in French and English

# (English pattern, French replacement), each anchored on the whole text; \1 keeps a number.
WIDGET_TEXTS: tuple[tuple[str, str], ...] = (
    (r"No results", "Aucun résultat"),
    (r"Select all", "Tout sélectionner"),
    (r"Clear all", "Tout effacer"),
    (r"Clear value", "Effacer"),
    (r"Selected values", "Valeurs choisies"),
    (r"Multiselect options", "Options"),
    (r"Selectbox options", "Options"),
    (r"Open", "Ouvrir"),
    (r"Upload", "Choisir un fichier"),
    (r"Add files", "Ajouter des fichiers"),
    (r"Drag and drop file here", "Glissez-déposez un fichier ici"),
    (r"Drag and drop a file here", "Glissez-déposez un fichier ici"),
    (r"Drag and drop files here", "Glissez-déposez des fichiers ici"),
    (r"Limit (\d+(?:\.\d+)?) ?MB per file(.*)", r"Limite : \1 Mo par fichier\2"),
    (r"(\d+(?:\.\d+)?) ?MB per file(.*)", r"\1 Mo par fichier\2"),
    # A file over the upload limit: Streamlit writes the limit in decimal MB ("21.0MB" for 20 MiB),
    # so the page says the app's own figure.
    (r"File must be [\d.]+ ?[KMG]?B or smaller\.", f"Le fichier doit peser au plus {_LIMIT} Mo."),
    (r"Press Enter to apply", "Appuyez sur Entrée pour valider"),
    # An uploaded file's size ("2.9KB"): French units and decimal comma.
    (r"(\d+)\.(\d+)(K|M|G)B", r"\1,\2 \3o"),
    (r"(\d+)(K|M|G)?B", r"\1 \2o"),
    (r"Running\.\.\.", "Calcul en cours…"),
    (r"Stop", "Arrêter"),
    (r"Download as CSV", "Télécharger en CSV"),
    (r"Show/hide columns", "Afficher ou masquer des colonnes"),
    (r"Skip to main content", "Aller au contenu principal"),
    (r"Search", "Rechercher"),
    (r"Fullscreen", "Plein écran"),
    (r"Close fullscreen", "Quitter le plein écran"),
)

_BACKWARDS: tuple[tuple[str, str], ...] = (
    (f"Le fichier doit peser au plus {_LIMIT} Mo\\.", f"File must be {_LIMIT} MB or smaller."),
    (r"Limite : (\d+(?:\.\d+)?) Mo par fichier(.*)", r"Limit \1MB per file\2"),
    (r"(\d+(?:\.\d+)?) Mo par fichier(.*)", r"\1MB per file\2"),
    (r"(\d+),(\d+) (K|M|G)o", r"\1.\2\3B"),
    (r"(\d+) (K|M|G)?o", r"\1\2B"),
)


def _js_replacement(replacement: str) -> str:
    return replacement.replace("\\1", "$1").replace("\\2", "$2").replace("\\3", "$3")


def widget_rules(lang: str) -> list[tuple[str, str]]:
    """(JavaScript pattern, replacement) pairs for `lang`: English to French, or back."""
    if lang == "fr":
        return [(english, _js_replacement(french)) for english, french in WIDGET_TEXTS]
    plain = [(f, e) for e, f in WIDGET_TEXTS if "\\" not in e]
    backwards = [(f, _js_replacement(e)) for f, e in _BACKWARDS]
    return backwards + [(_escape_js_regex(f), e.replace("\\.", ".")) for f, e in plain]


def _escape_js_regex(text: str) -> str:
    return "".join("\\" + c if c in r".*+?^${}()|[]\/" else c for c in text)


def widget_text_script(lang: str) -> str:
    """The <script> that keeps Streamlit's widget texts in `lang` (for st.html): the rewriter
    (static/js/widget-text.js) and its call with this language's rules."""
    call = f"{NAMESPACE}.widgetText({script_json(widget_rules(lang))});"
    return f"<script>{script_text('widget-text.js')}{call}</script>"
