"""Load and validate: jsna.yaml, indicators.yaml and chapters/ read into the frozen model, every
problem raised with its file, line and column."""
