"""Developer tooling shared by the browser tests and the benchmark (not imported by the app)."""
