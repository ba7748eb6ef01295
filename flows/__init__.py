"""paperfacts flows: how papers move from inputs to published Parquet tables."""
