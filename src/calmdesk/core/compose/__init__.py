"""Reply drafts and rewrites (DESIGN.md 3.5): template and LLM engines behind one interface,
every output checked by calmdesk's own analysis before it is returned."""
