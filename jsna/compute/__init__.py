"""Compute: from the model to what the pages show: statistics, judgements, disclosure control,
headline tables, open data, and each chapter's view (figures, captions, tables)."""
