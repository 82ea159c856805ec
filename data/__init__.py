"""The rules, reference figures and vocabularies parboard ships: read as files, installed as package data."""
