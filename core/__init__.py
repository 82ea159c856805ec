"""The leaf every layer shares: translation, formatting, errors, vocabularies, programme years, file writing.

It imports nothing of the project."""
