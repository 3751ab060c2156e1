"""jsna: a static site generator for Joint Strategic Needs Assessment chapters.

Indicator data in YAML and narrative in Markdown become HTML pages, SVG charts and PDFs.
"""

__version__ = "0.1.0"
