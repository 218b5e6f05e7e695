"""The network explorer: the `/explore` page and its bundle, with strict security headers.

The page is plain files built by `npm run build` into `static/dist/` (Cytoscape.js comes
from npm, never from the repository), so a checkout that has not been built answers 503
with the command to run rather than a broken page. It talks to the app only through the
public GraphQL API, which is why the Content-Security-Policy can allow nothing but this
origin: no inline script or style, no third-party host, no framing.

`/embed` is the same page as a read-only view for a partner's site. It is the one
response that may be framed, and only by the origins the deployment names
(`PEACEGRAPH_EMBED_FRAME_ANCESTORS`, default `'none'`: embedding is off until asked
for); `/explore` and the assets keep `frame-ancestors 'none'` and `X-Frame-Options: DENY`.
"""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

DIST_DIR = Path(__file__).parent / "static" / "dist"


def content_security_policy(frame_ancestors: str = "'none'") -> str:
    """The page's policy, with the sources allowed to frame it."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )


CONTENT_SECURITY_POLICY = content_security_policy()

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

#: Only these kinds of built file are served, with these types (no directory listing,
#: no dotfiles, no guessing).
ASSET_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".map": "application/json",
    ".svg": "image/svg+xml",
}

NOT_BUILT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Explorer not built</title></head>
<body>
<h1>The PeaceGraph explorer has not been built</h1>
<p>The page is bundled from npm packages at install time. At the repository root, run:</p>
<pre>npm ci &amp;&amp; npm run build</pre>
<p>(<code>make run</code> and <code>make test</code> do it for you), then reload this page.
The GraphQL API itself is available at <a href="/graphql">/graphql</a>.</p>
</body></html>
"""


def embed_headers(frame_ancestors: str) -> dict[str, str]:
    """The embedded view's headers: the page's, but framable by `frame_ancestors`.
    X-Frame-Options cannot name origins, so it goes when framing is allowed (browsers
    that know CSP ignore it next to frame-ancestors anyway)."""
    headers = {
        **SECURITY_HEADERS,
        "Content-Security-Policy": content_security_policy(frame_ancestors),
    }
    if frame_ancestors != "'none'":
        del headers["X-Frame-Options"]
    return headers


def with_tiles(headers: dict[str, str], tiles: str) -> dict[str, str]:
    """Headers that let the page load map tiles from the origin of `tiles` (checked by
    settings.map_tiles: one https host), or `headers` unchanged when there are none."""
    if not tiles:
        return headers
    origin = "https://" + urlsplit(tiles).netloc
    policy = headers["Content-Security-Policy"].replace(
        "img-src 'self'", f"img-src 'self' {origin}"
    )
    return {**headers, "Content-Security-Policy": policy}


API_META = '<meta name="peacegraph-api" content="/graphql">'


def explore_routes(
    dist: Path = DIST_DIR, *, embed_frame_ancestors: str = "'none'", map_tiles: str = ""
) -> list[BaseRoute]:
    """Routes for the page, its embeddable view and its assets, served from `dist` as it
    is at request time (so a build made while the server runs is picked up without a
    restart). `embed_frame_ancestors` is the CSP source list allowed to frame `/embed`;
    `map_tiles`, a tile URL template for the map (PEACEGRAPH_MAP_TILES, '' for none),
    is given to the page in a meta tag and its origin allowed as an image source."""
    framable = with_tiles(embed_headers(embed_frame_ancestors), map_tiles)
    full = with_tiles(SECURITY_HEADERS, map_tiles)
    tiles_meta = f'<meta name="peacegraph-tiles" content="{html.escape(map_tiles)}">'

    def index_page(headers: dict[str, str]) -> Response:
        index = dist / "index.html"
        if not index.is_file():
            return HTMLResponse(NOT_BUILT, status_code=503, headers=headers)
        headers = {**headers, "Cache-Control": "no-cache"}
        if map_tiles:
            text = index.read_text(encoding="utf-8").replace(API_META, API_META + tiles_meta, 1)
            return HTMLResponse(text, headers=headers)
        return FileResponse(index, media_type="text/html; charset=utf-8", headers=headers)

    async def page(_: Request) -> Response:
        return index_page(full)

    async def embedded(_: Request) -> Response:
        return index_page(framable)

    async def review(_: Request) -> Response:
        """The review page: its data needs an editor token, which the page asks for."""
        page = dist / "review.html"
        if not page.is_file():
            return HTMLResponse(NOT_BUILT, status_code=503, headers=SECURITY_HEADERS)
        headers = {**SECURITY_HEADERS, "Cache-Control": "no-cache"}
        return FileResponse(page, media_type="text/html; charset=utf-8", headers=headers)

    async def asset(request: Request) -> Response:
        name: str = request.path_params["name"]
        path = dist / name
        media_type = ASSET_TYPES.get(path.suffix)
        if media_type is None or name.startswith(".") or not path.is_file():
            return PlainTextResponse("not found", status_code=404, headers=SECURITY_HEADERS)
        headers = {**SECURITY_HEADERS, "Cache-Control": "no-cache"}
        return FileResponse(path, media_type=media_type, headers=headers)

    return [
        Route("/explore", page, methods=["GET", "HEAD"]),
        Route("/embed", embedded, methods=["GET", "HEAD"]),
        Route("/explore/review", review, methods=["GET", "HEAD"]),
        Route("/explore/assets/{name}", asset, methods=["GET", "HEAD"]),
    ]
