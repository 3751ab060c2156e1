"""The print HTML behind the PDFs: each chapter's own, and the compendium's pieces (site/jsna.pdf:
every chapter behind one title page, one contents list and one outline).

The compendium is not laid out as one document (for 50 chapters that took as long as all their
own PDFs together, and 1.7 GiB): each chapter is rendered on its own as a part (its title page
and body, `chapter_pdf.html` with `part`), and jsna/render/assemble.py puts the parts behind the front
(`compendium_pdf.html`: title page and contents, with the page numbers the parts' headings land
on) and stamps every page's number: i, ii, ... on the front, and from 1 on the chapters, so the
front's length never moves the numbers it lists. A part is made again only when its chapter
changes.

What only print needs, added to a chapter's page dict (from `render_html.chapter_page`):

- dates: "Date published" and the PDF's creation and modification dates come from the content
  (the chapter's and its sections' last_updated) or from SOURCE_DATE_EPOCH, never the clock;
- relative links (to other chapters, or to files on the site): within the compendium a link to
  another chapter jumps to it (written as a `GOTO` address, which assemble.py turns into a jump
  once the parts are one document); otherwise they go to the web address when the site has a
  `base_url`, and are plain text when it has none (a relative link means nothing in a
  downloaded PDF);
- in a compendium part, every id, fragment link and figure file is prefixed with the chapter's
  slug, so chapters cannot collide ("figure-1", "references").
"""

from __future__ import annotations

import datetime as dt
import html
import re
from urllib.parse import urljoin

from markupsafe import Markup

from jsna.model import Site
from jsna.numbers import format_date

_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
_ID = re.compile(r'(\sid=")([^"]*")')
_FRAGMENT = re.compile(r'(\shref="#)')
_IMG_SRC = re.compile(r'(\ssrc=")(?![a-z][a-z0-9+.-]*:|/)')
_RELATIVE_LINK = re.compile(r'<a((?:\s[^<>]*?)?)\shref="(?![a-zA-Z][a-zA-Z0-9+.-]*:|#)([^"]*)"([^<>]*)>(.*?)</a>', re.S)
_CHAPTER_HREF = re.compile(r"\.\./([^/#]+)/(?:index\.html)?(?:#(.*))?")
_BARE_URL = re.compile(r'<a href="(https?://[^"]+)">([^<]*)</a>')
COMPENDIUM = "jsna.pdf"
GOTO = "jsna-goto:"  # a jump to a named destination in another part of the compendium


def _latest(page: dict) -> dt.date:
    dates = [page["last_updated_iso"]] + [s["last_updated_iso"] for s in page["sections"] if s["last_updated_iso"]]
    return dt.date.fromisoformat(max(dates))


def _dates(created: str, published: dt.date) -> dict:
    return {
        "published": format_date(published),
        "published_iso": published.isoformat(),
        "created_iso": created,
        "modified_iso": max(created, published.isoformat()),
    }


def _rewrite(markup: str, slug: str | None, link_target) -> Markup:
    """Relative links (to other chapters, or other files) through `link_target`, unlinked where
    it gives None; in the compendium (`slug` given), ids, fragment links and relative image
    files prefixed with the chapter's slug."""

    def relative_link(match: re.Match) -> str:
        before, href, after, inner = match.groups()
        target = link_target(html.unescape(href))
        if target is None:
            return inner
        return f'<a{before} href="{html.escape(target)}"{after}>{inner}</a>'

    def bare(match: re.Match) -> str:
        # A link whose text is its address is not printed with its address a second time.
        if html.unescape(match.group(2)).strip() == html.unescape(match.group(1)):
            return f'<a class="url" href="{match.group(1)}">{match.group(2)}</a>'
        return match.group(0)

    text = str(markup)
    if slug is not None:

        def tag(match: re.Match) -> str:
            t = _ID.sub(rf"\g<1>{slug}--\g<2>", match.group(0))
            t = _FRAGMENT.sub(rf"\g<1>{slug}--", t)
            if t.startswith("<img"):
                t = _IMG_SRC.sub(rf"\g<1>{slug}/", t)
            return t

        text = _TAG.sub(tag, text)
    return Markup(_BARE_URL.sub(bare, _RELATIVE_LINK.sub(relative_link, text)))


def print_page(site: Site, page: dict, edition: dt.date | None, *, in_compendium: bool = False) -> dict:
    """A chapter's page dict with what its print version needs (see the module's docstring)."""
    slugs = {c.slug for c in site.chapters}
    base_url = site.config.base_url
    slug = page["slug"] if in_compendium else None

    def link_target(href: str) -> str | None:
        """Where a relative link from the chapter's web page goes in print (None: nowhere)."""
        chapter = _CHAPTER_HREF.fullmatch(href)
        if chapter and chapter.group(1) in slugs and (in_compendium or chapter.group(1) == page["slug"]):
            fragment = chapter.group(2) or "top"
            if not in_compendium:
                return f"#{fragment}"
            return f"{'#' if chapter.group(1) == page['slug'] else GOTO}{chapter.group(1)}--{fragment}"
        if base_url:
            return urljoin(f"{base_url.rstrip('/')}/{page['slug']}/", href)
        return None

    def rewrite(markup):
        return _rewrite(markup, slug, link_target)

    related = [{**link, "print_href": link_target(link["href"])} for link in page["related"]]
    return {
        **page,
        **_dates(page["last_updated_iso"], edition or _latest(page)),
        "prefix": f"{slug}--" if slug else "",
        "contents": [{"title": t, "href": f"#{slug}--{a}" if slug else f"#{a}"} for t, a in contents_targets(page)],
        "intro_pdf": rewrite(page["intro_pdf"]),
        "sections": [{**s, "pdf_html": rewrite(s["pdf_html"])} for s in page["sections"]],
        "related": related,
    }


def render_compendium_part(env, site: Site, page: dict, pdf_css: str, edition: dt.date | None) -> str:
    """The HTML WeasyPrint turns into a chapter's part of the compendium."""
    chapter = print_page(site, page, edition, in_compendium=True)
    return env.get_template("chapter_pdf.html").render(
        site=site.config, page={**chapter, "intro_html": chapter["intro_pdf"]}, pdf_css=Markup(pdf_css), part=True
    )


def contents_targets(page: dict) -> list[tuple[str, str]]:
    """(title, anchor) of a chapter's entries in a contents list, in order."""
    entries = [("Headline figures", "headline")] if page["headline"].rows else []
    entries += [(s["title"], s["id"]) for s in page["sections"]]
    entries += [("Related chapters", "related")] if page["related"] else []
    entries += [("References", "references")] if page["references"] else []
    entries += [("Data sources", "data-sources")] if page["sources"].files else []
    return entries


def contents_page(view) -> dict:
    """What the compendium's front needs of a chapter (a `ChapterView`), in the shape of its page
    dict, without rendering its Markdown."""
    chapter = view.chapter
    return {
        "slug": chapter.slug,
        "title": chapter.title,
        "theme": chapter.theme,
        "headline": view.headline,
        "last_updated_iso": chapter.last_updated.isoformat(),
        "sections": [
            {"id": s.id, "title": s.title, "last_updated_iso": s.last_updated.isoformat() if s.last_updated else None}
            for s in chapter.sections
        ],
        "related": chapter.related,
        "references": chapter.references,
        "sources": view.sources,
    }


def render_compendium_front(
    env, site: Site, pages: list[dict], pdf_css: str, edition: dt.date | None, anchor_pages: dict[str, int]
) -> str:
    """The HTML of the compendium's title page and contents list. `pages` are the chapters
    (page dicts, or `contents_page`s) in the order they appear (grouped by theme, as on the index
    page); `anchor_pages` gives the page each heading lands on, counted from the first chapter's
    title page (the front's own pages are numbered apart, i, ii, ..., as a book's are: so its
    length never moves the numbers it lists)."""
    def entry(slug: str, title: str, anchor: str) -> dict:
        name = f"{slug}--{anchor}"
        return {"title": title, "href": GOTO + name, "page": anchor_pages[name]}

    chapters = [
        {**entry(p["slug"], p["title"], "top"), "entries": [entry(p["slug"], t, a) for t, a in contents_targets(p)]}
        for p in pages
    ]
    created = min(p["last_updated_iso"] for p in pages)
    published = edition or max(_latest(page) for page in pages)
    themes = list(dict.fromkeys(p["theme"] for p in pages))
    book = {
        **_dates(created, published),
        "keywords": ", ".join(dict.fromkeys(["JSNA", *themes, site.config.area])),
        "description": f"Every chapter of the {site.config.title} for {site.config.area}, in one document.",
        "themes": themes,
        "chapters": chapters,
    }
    return env.get_template("compendium_pdf.html").render(site=site.config, book=book, pdf_css=Markup(pdf_css))


def chapter_numbering(parts: list[tuple[int, dict[str, int]]]) -> tuple[dict[str, int], int]:
    """From each part's (page count, page of each anchor from 0), in order: the page number each
    anchor lands on (the chapters are numbered from 1, the front apart) and the chapters' pages."""
    anchor_pages, pages = {}, 0
    for count, anchors in parts:
        anchor_pages.update({name: pages + number + 1 for name, number in anchors.items()})
        pages += count
    return anchor_pages, pages


def render_page_numbers(env, site: Site, pdf_css: str, pages: int, *, roman: bool) -> str:
    """The HTML of `pages` blank pages with only their page numbers, to lay over the compendium's:
    "Page X of Y" for the chapters' pages, "Page ii" (`roman`) for the front's."""
    return env.get_template("page_numbers_pdf.html").render(
        site=site.config, pdf_css=Markup(pdf_css), pages=pages, roman=roman
    )


def compendium_order(site: Site) -> list[str]:
    """Chapter slugs in the compendium's order: by theme, then title, as the index lists them."""
    ordered = sorted(site.chapters, key=lambda c: (c.theme.casefold(), c.title.casefold()))
    return [c.slug for c in ordered]
