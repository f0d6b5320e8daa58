"""A real learning record store for the xAPI browser tests and for trying xAPI locally.

Starts Ralph's statements API (the PyPI package ralph-malph, installed into
.tools/lrs by `bash scripts/install.sh lrs`) with its filesystem backend, on
127.0.0.1 only, with one Basic-auth user and the CORS origins a test page
needs. Run it with the virtual environment's Python:

    .tools/lrs/bin/python scripts/lrs.py --port 8100 --data-dir /tmp/lrs \\
        --cors-origin http://127.0.0.1:8080 [--user learner --password secret123]

Once the server listens it prints one line, `lrs: ready at http://127.0.0.1:PORT/xAPI/`
(with the real port when `--port 0` asked for a free one), and it exits
cleanly on SIGTERM or Ctrl-C. Statements land in DATA_DIR/fs_lrs.jsonl;
the user goes to APP_DIR/auth.json (default DATA_DIR/.ralph).

Why not `ralph runserver`: Ralph 5.1.0's filesystem data backend writes in
"create" mode, so only the first statement is ever stored and every later
POST fails with a 500 ("fs_lrs.jsonl already exists and overwrite is not
allowed"). This launcher switches the backend's default operation to
APPEND and serves Ralph's own app (`ralph.api:app`) with uvicorn in this
process; `ralph runserver` starts uvicorn with reload, in a fresh process
that would not keep the setting. Everything else (validation, Basic auth,
409 for a differing statement with a known id) is Ralph's own.
"""

import argparse
import asyncio
import json
import os
import signal
import sys
from pathlib import Path


def main() -> int:
    # A clean exit (status 0) on SIGTERM or Ctrl-C: while serving, uvicorn catches the signal,
    # shuts down gracefully and then raises it again, which lands here.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, _exit_cleanly)
    args = parse_args()
    data_dir = Path(args.data_dir).resolve()
    app_dir = Path(args.app_dir).resolve() if args.app_dir else data_dir / ".ralph"
    data_dir.mkdir(parents=True, exist_ok=True)
    app_dir.mkdir(parents=True, exist_ok=True)

    # Ralph reads its settings from the environment when ralph.conf is first
    # imported, so they are set before any ralph import.
    os.environ["RALPH_APP_DIR"] = str(app_dir)
    os.environ["RALPH_RUNSERVER_BACKEND"] = "fs"
    os.environ["RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH"] = str(data_dir)
    os.environ["RALPH_RUNSERVER_CORS_ALLOW_ORIGINS"] = json.dumps(args.cors_origin)
    os.environ.pop("RALPH_AUTH_FILE", None)
    if args.page_size:
        os.environ["RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT"] = str(args.page_size)

    write_user(app_dir / "auth.json", args.user, args.password, args.mbox)

    from ralph.backends.data.base import BaseOperationType
    from ralph.backends.data.fs import FSDataBackend

    FSDataBackend.default_operation_type = BaseOperationType.APPEND

    import uvicorn
    from ralph.api import app

    config = uvicorn.Config(app, host="127.0.0.1", port=args.port, log_level=args.log_level, access_log=False)
    server = uvicorn.Server(config)
    return asyncio.run(serve(server))


def _exit_cleanly(_sig, _frame) -> None:
    raise SystemExit(0)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Serve Ralph's xAPI statements API on 127.0.0.1 (filesystem backend).")
    parser.add_argument("--port", type=int, default=8100, help="port to listen on; 0 picks a free one (default 8100)")
    parser.add_argument("--data-dir", required=True, help="folder for the statements (fs_lrs.jsonl)")
    parser.add_argument("--app-dir", help="Ralph's app folder, for auth.json (default DATA_DIR/.ralph)")
    parser.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        help="an origin whose pages may call the API, such as http://127.0.0.1:8080 (repeatable)",
    )
    parser.add_argument("--user", default="learner", help="Basic-auth user name (default learner)")
    parser.add_argument("--password", default="secret123", help="Basic-auth password (default secret123)")
    parser.add_argument("--mbox", default="mailto:learner@example.org", help="the user's agent, as a mailto: IRI")
    parser.add_argument(
        "--page-size",
        type=int,
        help="the most statements one GET returns, Ralph's RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT (default Ralph's own, 100)",
    )
    parser.add_argument("--log-level", default="warning", help="uvicorn's log level (default warning)")
    return parser.parse_args()


def write_user(auth_file: Path, user: str, password: str, mbox: str) -> None:
    """Writes auth.json with one user of every scope, as `ralph auth -s all -w` would.

    Written directly (bcrypt is one of Ralph's own dependencies) rather than
    through the CLI, which would cost a second Python start-up per launch.
    """
    import bcrypt

    entry = {
        "agent": {"mbox": mbox, "objectType": "Agent"},
        "scopes": ["all"],
        "hash": bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii"),
        "username": user,
    }
    auth_file.write_text(json.dumps([entry], indent=2), encoding="utf-8")


async def serve(server) -> int:
    """Runs uvicorn (which handles SIGTERM and SIGINT) and prints the ready line once it listens."""
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            # Failed to start (the port is taken, say): uvicorn has logged why.
            await task
            return 1
        await asyncio.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    print(f"lrs: ready at http://127.0.0.1:{port}/xAPI/", flush=True)
    await task
    return 0


if __name__ == "__main__":
    sys.exit(main())
