"""The S3 test server: moto's server mode with its requests handled one at a time.

moto checks a conditional write (If-None-Match: *, If-Match: etag) and then stores the object
as two separate steps, and its stock server (`moto_server`) runs each request in a thread of its
own. Under load a thread switch can fall between the two, and two writers then both "win" a
create-only-if-absent: two processes hold the state lock at once, which real S3 never allows
(it decides conditional writes atomically). Serialising requests restores S3's guarantee, so
the remote-state tests test Strata, not a race in the stand-in server.

Usage: python s3_server.py HOST PORT [OWNER_PID]

With OWNER_PID the server exits once that process is gone, so a test process that ends (or is
killed) never leaves its server behind.
"""

import os
import signal
import sys
import threading
import time

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import run_simple


def serialised(app):
    """A WSGI app that runs `app` for one request at a time, body included."""
    one_at_a_time = threading.Lock()

    def handle(environ, start_response):
        with one_at_a_time:
            return list(app(environ, start_response))

    return handle


def exit_with(owner):
    """Exit the whole server once process `owner` no longer exists."""
    while True:
        time.sleep(1)
        try:
            os.kill(owner, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:
            pass


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if len(sys.argv) > 3:
        threading.Thread(target=exit_with, args=(int(sys.argv[3]),), daemon=True).start()
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(
        host,
        port,
        serialised(app),
        threaded=True,
        request_handler=MotoRequestHandler,
    )


if __name__ == "__main__":
    main()
