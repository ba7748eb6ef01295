"""The analytics report: DuckDB queries, rendered as rich tables or one self-contained HTML page."""
