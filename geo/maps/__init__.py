"""Build the folium maps of the territories in two parts: a base map that no filter changes
(tiles, the outlines of régions and départements, legend, go-to control, and the script that
draws territories) and a dynamic layer
(the shown markers, the selected territory's shapes, the framing) that updates a mounted map.

The dashboard mounts the base map once per language and base map, and sends the dynamic layer
as a script that streamlit-folium evaluates in the mounted map (the channel its
`feature_group_to_add` uses; see geo/web/mounted.py): a filter change moves markers in place, so
clicks, an open popup and the user's pan and zoom survive it. `build_territory_map` puts both
parts in one standalone map (downloads, the user's list, the command line).

Where new map content goes: what no filter or selection changes (outlines of régions, for
instance) is an element of the base map; what they change (a perimeter, lines to similar
territories) is a GeoJSON feature in the dynamic layer's "shapes", styled by its
`properties.style` (see perimeter_shape and feature); the régions in the filter are
restyled in place (OutlineLayer's `select`). An element's JavaScript is a file of static/js that
adds a factory to the one namespace (carteEss); the element only calls it with its options as
JSON (geo.maps.element.FactoryElement), and geo.maps.assets joins the files into the map's one
script.

Every text that reaches HTML is escaped in this package (names come from data files and from users'
uploads). Colours are the Okabe-Ito palette (readable with colour-vision deficiencies), the
vermilion darkened to reach 3:1 on the grey of a map without tiles (WCAG 1.4.11); the second
wave also has a white centre and each kind of territory its own shape, so colour is never the
only cue.
"""
