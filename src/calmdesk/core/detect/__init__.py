"""Named detectors for every label of the taxonomy; see `registry` for the full list."""
