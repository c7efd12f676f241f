"""Serve a built ``site/`` on localhost as GitHub Pages would: tests, screenshots, ``make preview``.

The site is served under the path of the address it is published at (course.yml's
``url``: ``https://USER.github.io/REPO/`` is previewed at ``http://127.0.0.1:8000/REPO/``),
``/`` redirects there, and a missing page gets the site's ``404.html`` with status 404.
"""

from __future__ import annotations

import functools
import http.server
import posixpath
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_URL = "http://127.0.0.1:8000/"


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Files of ``directory`` under ``base`` (a path such as ``/REPO/``), quietly."""

    base = "/"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib name)
        pass

    def do_GET(self) -> None:  # noqa: N802 (stdlib name)
        if self._rebase():
            super().do_GET()

    def do_HEAD(self) -> None:  # noqa: N802 (stdlib name)
        if self._rebase():
            super().do_HEAD()

    def _rebase(self) -> bool:
        """Map the request under ``base`` to the site's root; False if answered here."""
        path = urlsplit(self.path).path
        if path.startswith(self.base):
            self.path = "/" + self.path[len(self.base):]
            return True
        if path in ("/", "", self.base.rstrip("/")):
            self.send_response(302)  # the site lives under its base path, as on GitHub Pages
            self.send_header("Location", self.base)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return False
        self.send_error(404)
        return False

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A 404 answers with the site's own ``404.html`` (status 404), as GitHub Pages does."""
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def base_path(url: str) -> str:
    """The path part of a site address, with slashes at both ends (``/`` for none)."""
    path = posixpath.normpath("/" + urlsplit(url).path.strip("/"))
    return path if path.endswith("/") else path + "/"


@contextmanager
def serve(directory: Path, port: int = 0, base: str = "/") -> Iterator[str]:
    """Yield the base URL (``http://127.0.0.1:PORT/BASE/``) of ``directory`` served over HTTP.

    ``port=0`` picks a free port. The site's instant navigation needs the URL it was
    built for (``site_url``), so tests build for a port they then serve on.
    """
    handler = functools.partial(type("Handler", (SiteHandler,), {"base": base_path(base)}),
                                directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{base_path(base)}"
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def preview_address(course_url: str | None) -> tuple[int, str]:
    """(port, base path) to preview a site published at ``course_url``, locally."""
    url = urlsplit(str(course_url or DEFAULT_URL))
    local = url.hostname in ("127.0.0.1", "localhost")
    return (url.port or 8000) if local else 8000, base_path(url.path)


def main() -> None:
    """``python -m tools.serve_static [DIR]``: serve DIR (site/) at the course's url until Ctrl-C."""
    import sys
    import time

    from generators.build.yamlfile import ConfigError, load_yaml

    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    if not (folder / "index.html").is_file():
        sys.exit(f"error: {folder}/ holds no built site: run `make` first")
    try:
        course = load_yaml(Path("site_config/course.yml")) or {}
    except ConfigError as exc:
        sys.exit(f"error: {exc}")
    port, base = preview_address(course.get("url") if isinstance(course, dict) else None)
    try:
        with serve(folder, port, base) as address:
            print(f"serving the last good build of {folder}/ at {address} (Ctrl-C to stop)", flush=True)
            while True:
                time.sleep(3600)
    except OSError as exc:
        sys.exit(f"error: cannot serve on port {port}: {exc.strerror}")
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
