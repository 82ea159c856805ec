"""Files in: read, map, normalise, match. Nothing here writes the published database."""
