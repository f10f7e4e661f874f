"""Batch analysis at scale: partitions of conversations analysed on Dask, Parquet out, and an
offline HTML report. A thin layer over the core; nothing here runs at import.
"""
