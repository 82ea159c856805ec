"""Data-quality stage: what must hold before anything is published."""
