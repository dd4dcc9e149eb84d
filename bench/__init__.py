"""ExCon benchmarks: each module generates its data, measures, and prints figures (never asserts on time)."""
