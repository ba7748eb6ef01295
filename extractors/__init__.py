"""paperfacts extractors: what is found in a paper's title and abstract, and by which rule."""
