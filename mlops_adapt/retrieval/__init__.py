"""The versioned API-docs corpus, its embeddings and Chroma store, and hybrid retrieval."""
