"""Benchmarks of the whole pipeline: accuracy (pass@k over the corpus) and the verifier's precision."""
