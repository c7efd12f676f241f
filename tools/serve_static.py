"""Serve a built ``site/`` on localhost from a background thread (tests, screenshots)."""

from __future__ import annotations

import functools
import http.server
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib name)
        pass


@contextmanager
def serve(directory: Path, port: int = 0) -> Iterator[str]:
    """Yield the base URL (``http://127.0.0.1:PORT/``) of ``directory`` served over HTTP.

    ``port=0`` picks a free port. The site's instant navigation needs the URL it was
    built for (``site_url``), so tests build for a port they then serve on.
    """
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    """``python -m tools.serve_static DIR``: serve DIR at the course's url until Ctrl-C."""
    import sys
    import time
    from urllib.parse import urlparse

    from generators.build.yamlfile import load_yaml

    url = urlparse(str(load_yaml(Path("site_config/course.yml")).get("url") or "http://127.0.0.1:8000/"))
    if url.hostname not in ("127.0.0.1", "localhost"):
        url = urlparse("http://127.0.0.1:8000/")
    with serve(Path(sys.argv[1] if len(sys.argv) > 1 else "site"), url.port or 8000) as base:
        print(f"serving at {base} (Ctrl-C to stop)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
