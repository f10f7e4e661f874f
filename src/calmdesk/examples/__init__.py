"""Bundled example conversations and sample files in every input format."""
