"""Build: what a site is made of, the cache that keeps its pieces, the worker processes that
make them, and the write that swaps a finished site in."""
