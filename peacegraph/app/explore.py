"""The network explorer: the `/explore` page and its bundle, with strict security headers.

The page is plain files built by `npm run build` into `static/dist/` (Cytoscape.js comes
from npm, never from the repository), so a checkout that has not been built answers 503
with the command to run rather than a broken page. It talks to the app only through the
public GraphQL API, which is why the Content-Security-Policy can allow nothing but this
origin: no inline script or style, no third-party host, no framing.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

DIST_DIR = Path(__file__).parent / "static" / "dist"

CONTENT_SECURITY_POLICY = "; ".join(
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
        "frame-ancestors 'none'",
    ]
)

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


def explore_routes(dist: Path = DIST_DIR) -> list[BaseRoute]:
    """Routes for the page and its assets, served from `dist` as it is at request time
    (so a build made while the server runs is picked up without a restart)."""

    async def page(_: Request) -> Response:
        index = dist / "index.html"
        if not index.is_file():
            return HTMLResponse(NOT_BUILT, status_code=503, headers=SECURITY_HEADERS)
        headers = {**SECURITY_HEADERS, "Cache-Control": "no-cache"}
        return FileResponse(index, media_type="text/html; charset=utf-8", headers=headers)

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
        Route("/explore/assets/{name}", asset, methods=["GET", "HEAD"]),
    ]
