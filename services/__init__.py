"""The Streamlit-free service layer: what pages, the command line, the report and the tests share."""
