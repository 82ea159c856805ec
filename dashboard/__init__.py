"""The Streamlit app: a router entry file and thin pages."""
