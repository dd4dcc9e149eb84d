"""Pages for licence applications, split by topic: exporter, casework, departments, commission, config."""
