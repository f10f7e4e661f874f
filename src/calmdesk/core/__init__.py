"""The analysis core: pure Python, imports nothing from web, store or batch layers."""
