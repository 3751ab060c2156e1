"""Render a chapter's print HTML to PDF bytes with WeasyPrint.

Resources come only from the files given (the chapter's figures), never from the disk or the
network. The PDF is tagged (PDF/UA-1 variant) and its dates come from the content, so the same
input gives the same bytes. WeasyPrint is imported only here, only when a PDF is rendered.
"""

from __future__ import annotations

import hashlib
import io
import logging

_BASE = "file:///jsna-chapter/"


def render_pdf(html: str, files: dict[str, bytes]) -> tuple[bytes, int]:
    """The PDF for one chapter and its page count; `files` maps names (figure-1.svg) to bytes."""
    import weasyprint
    from weasyprint.urls import URLFetcherResponse

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)

    class _Fetcher(weasyprint.URLFetcher):
        """Serve the chapter's own files from memory; refuse everything else."""

        def fetch(self, url, headers=None):
            if url.startswith(_BASE) and url[len(_BASE):] in files:
                name = url[len(_BASE):]
                kind = "image/svg+xml" if name.endswith(".svg") else "application/octet-stream"
                return URLFetcherResponse(url, files[name], {"Content-Type": kind})
            raise ValueError(f"jsna does not fetch {url}: PDFs use only the chapter's own files")

    document = weasyprint.HTML(string=html, base_url=_BASE, url_fetcher=_Fetcher()).render()
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    out = io.BytesIO()
    document.write_pdf(out, pdf_variant="pdf/ua-1", pdf_identifier=identifier)
    return out.getvalue(), len(document.pages)
