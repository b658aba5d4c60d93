"""What the tests and the benchmarks share, so neither imports the other's internals: a client for Dash's
callback endpoint, the browser both start, and a free port. Not part of the product: the wheel ships only the
packages pyproject.toml lists, and nothing under dashboard/ imports this."""
