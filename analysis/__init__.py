"""Pure analysis over polars frames: rankings, quotas, progress. Never imports streamlit."""
