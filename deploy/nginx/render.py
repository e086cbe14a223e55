#!/usr/bin/env python3
"""Write deploy/nginx's configuration for nginx running straight on a machine (no container):
this machine's port, app instances and frontend folder, and a prefix folder of its own for
nginx's pid and temporary files. Standard library only.

    python3 deploy/nginx/render.py --out /tmp/smarterchat-nginx --port 8080 \\
        --app 127.0.0.1:8001 --app 127.0.0.1:8002 --frontend build/frontend
    nginx -c /tmp/smarterchat-nginx/nginx.conf -p /tmp/smarterchat-nginx
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMP_KINDS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def _replace_once(text: str, old: str, new: str, name: str) -> str:
    # Exactly once: if the files change shape this must fail loudly, not write a half edit.
    if text.count(old) != 1:
        raise SystemExit(f"render.py: expected {old!r} exactly once in {name}")
    return text.replace(old, new)


def render(out: Path, port: int, apps: list[str], frontend: Path,
           listen_host: str = "127.0.0.1") -> Path:
    out.mkdir(parents=True, exist_ok=True)
    servers = "\n    ".join(f"server {app} max_fails=1 fail_timeout=5s;" for app in apps)
    upstream = _replace_once((HERE / "upstream.conf").read_text(),
                             "server app1:8000 max_fails=1 fail_timeout=5s;\n"
                             "    server app2:8000 max_fails=1 fail_timeout=5s;",
                             servers, "upstream.conf")
    (out / "upstream.conf").write_text(upstream)

    site = (HERE / "smarterchat.conf").read_text()
    site = _replace_once(site, "listen 8080;", f"listen {listen_host}:{port};",
                         "smarterchat.conf")
    site = _replace_once(site, "root /srv/smarterchat/frontend;",
                         f"root {frontend.resolve()};", "smarterchat.conf")
    site = _replace_once(site, "include /etc/nginx/smarterchat/upstream.conf;",
                         f"include {out / 'upstream.conf'};", "smarterchat.conf")
    (out / "smarterchat.conf").write_text(site)

    main = (HERE / "nginx.conf").read_text()
    # Debian's nginx keeps its temporary files under /var/lib/nginx: give it its own.
    temp = "".join(f"    {kind}_temp_path {out / kind};\n" for kind in TEMP_KINDS)
    main = _replace_once(main, "    include /etc/nginx/conf.d/smarterchat.conf;\n",
                         f"    include {out / 'smarterchat.conf'};\n{temp}", "nginx.conf")
    main = _replace_once(main, "pid /tmp/nginx.pid;", f"pid {out / 'nginx.pid'};",
                         "nginx.conf")
    main = _replace_once(main, "access_log /dev/stdout smarterchat;",
                         f"access_log {out / 'access.log'} smarterchat;", "nginx.conf")
    main = _replace_once(main, "error_log /dev/stderr warn;",
                         f"error_log {out / 'error.log'} warn;", "nginx.conf")
    path = out / "nginx.conf"
    path.write_text(main)
    return path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the files")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--listen-host", default="127.0.0.1")
    parser.add_argument("--app", action="append", required=True,
                        help="host:port of an app instance (repeat for each)")
    parser.add_argument("--frontend", type=Path, required=True,
                        help="the folder manage.py frontend built")
    args = parser.parse_args(argv)
    if not (args.frontend / "index.html").exists():
        parser.error(f"{args.frontend} has no index.html: run python3 manage.py frontend first")
    print(render(args.out, args.port, args.app, args.frontend, args.listen_host))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
