"""Render: chapter views to HTML pages (Jinja2, Python-Markdown), PDFs (WeasyPrint), the
compendium, and the search index."""
