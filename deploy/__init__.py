"""Run the dashboard as several Streamlit processes behind Debian's nginx: ``python -m deploy``."""
