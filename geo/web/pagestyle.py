"""CSS the page adds where Streamlit's theme has no option: captions readable at 4.5:1.

Streamlit draws a caption in the body's text colour at 60 % opacity (#828180 on white, 3.88:1,
below WCAG 1.4.3's 4.5:1 for small text; axe-core's color-contrast rule); no theme setting
changes it alone. One rule gives captions a colour of their own, opaque.
"""

from __future__ import annotations

CAPTION_COLOR = "#5c5b59"  # 6.8:1 on white, 6.1:1 on the sidebar's grey (axe-core measures it)


def page_style() -> str:
    """The <style> element the page adds once. `html` outranks the one class of Streamlit's
    own rule, which is inserted later."""
    caption = 'html [data-testid="stCaptionContainer"]'
    return f"<style>{caption} {{ opacity: 1; color: {CAPTION_COLOR}; }}</style>"
