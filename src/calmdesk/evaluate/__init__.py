"""Measuring calmdesk's judgement on labelled data (`calmdesk eval`) and the data it trains on.

Pure Python like the core: it reads the shared dataset layout, maps each dataset's labels onto
calmdesk's taxonomy and scores the detectors; no web, database or cluster library.
"""
