"""The site's pages besides the chapters and the index: the accessibility statement, the search
page, the page for a missing address (404.html), the data sources (data.html, where the site
reads data files), sitemap.xml and, for a site without a logo, a neutral
favicon (every page names its icon, the logo when there is one, so no browser asks for a missing
/favicon.ico). Pure: site in, `{path: bytes}` out.
"""

from __future__ import annotations

import datetime as dt
import html
from urllib.parse import urlsplit

import jinja2

from jsna.compute.attribution import attribution
from jsna.model import Chapter, Site

ACCESSIBILITY = "accessibility.html"
SEARCH = "search.html"
NOT_FOUND = "404.html"
DATA_SOURCES = "data.html"
SITEMAP = "sitemap.xml"
FAVICON = "favicon.svg"
# A neutral icon: three bars of a chart, white on the GOV.UK text colour.
FAVICON_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<rect width="32" height="32" rx="4" fill="#0b0c0c"/>'
    '<path fill="#fff" d="M7 24h4V14H7zm7 0h4V8h-4zm7 0h4V18h-4z"/></svg>\n'
).encode("ascii")


def render_pages(env: jinja2.Environment, site: Site) -> dict[str, bytes]:
    """Every extra page; sitemap.xml only when the config gives the site's `base_url`."""
    config = site.config
    pages = {
        ACCESSIBILITY: _page(
            env, site, "accessibility.html", "",
            f"Accessibility statement: {config.title}",
            f"How accessible the {config.title} website is, and how to report a problem",
        ),
        SEARCH: _page(env, site, "search.html", "", f"Search: {config.title}", f"Search the {config.title} chapters"),
        # Served for any missing address, at any depth: links start at the site's own path.
        NOT_FOUND: _page(
            env, site, "404.html", base_path(config.base_url),
            f"Page not found: {config.title}", "The page you asked for is not here",
        ),
    }
    sources = attribution(config, site.indicators)
    if sources.files:
        pages[DATA_SOURCES] = _page(
            env, site, "data.html", "", f"Data sources: {config.title}",
            f"The data files the {config.title} figures are read from, and who published them", sources=sources,
        )
    if config.base_url:
        pages[SITEMAP] = sitemap(site)
    if not config.logo:
        pages[FAVICON] = FAVICON_SVG
    return pages


def _page(env: jinja2.Environment, site: Site, template: str, root: str, title: str, description: str, **more) -> bytes:
    page = env.get_template(template).render(site=site.config, root=root, page_title=title, description=description, **more)
    return page.encode("utf-8")


def base_path(base_url: str | None) -> str:
    """The path the site is served from, ending in '/': 'https://x.org/jsna' -> '/jsna/'."""
    path = urlsplit(base_url).path if base_url else "/"
    return path if path.endswith("/") else path + "/"


def _chapter_date(chapter: Chapter) -> dt.date:
    return max([chapter.last_updated] + [s.last_updated for s in chapter.sections if s.last_updated])


def sitemap(site: Site) -> bytes:
    """sitemap.xml (sitemaps.org 0.9): the index, each chapter with the date it last changed, and
    the accessibility statement. Not the search page or the 404 page."""
    base = site.config.base_url or ""
    base = base if base.endswith("/") else base + "/"
    dates = {c.slug: _chapter_date(c) for c in site.chapters}
    entries = [(base, max(dates.values()) if dates else None)]
    entries += [(f"{base}{slug}/", dates[slug]) for slug in sorted(dates)]
    entries.append((f"{base}{ACCESSIBILITY}", None))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for loc, date in entries:
        lastmod = f"<lastmod>{date.isoformat()}</lastmod>" if date else ""
        lines.append(f"<url><loc>{html.escape(loc, quote=False)}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")
