"""One chapter's computed view, as a build's target makes it (jsna/build/pipeline.py)."""

from __future__ import annotations

from jsna.compute.views import ChapterView, compute_site
from jsna.model import Site


def chapter_view(site: Site, slug: str, key: str) -> ChapterView:
    """The view of chapter `slug` (its key: `views.view_keys`), with only its own indicators'
    small counts suppressed."""
    return compute_site(site, lambda _key, make: make(), only={slug}, keys={slug: key})[0]
