"""gunicorn's settings for the production run (``make serve``; docs/deploy.md, "gunicorn").

    gunicorn -c config/gunicorn.conf.py config.wsgi:application

Every value can be changed from the environment. gunicorn listens behind the council's
reverse proxy (nginx), which ends HTTPS, limits the request size and buffers slow clients.
"""

from __future__ import annotations

import os
from pathlib import Path


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, "") or default)


# Behind the proxy on the same machine; "0.0.0.0:8000" when the proxy is elsewhere.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# gunicorn's own advice, two workers per core plus one, capped: each worker holds a
# database connection and, while it builds one, a whole report in memory.
workers = _int("GUNICORN_WORKERS", min(2 * (os.cpu_count() or 1) + 1, _int("GUNICORN_MAX_WORKERS", 8)))
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"

# Load the product once, in gunicorn's master process, made ready there (URLs, templates,
# the charts' library: config/warmup.py), and fork the workers from it. A worker started by
# a reload (HUP: `systemctl reload`) or recycled after max_requests then serves at once,
# rather than importing Django while requests queue. The price: a reload keeps the code
# loaded, so new code needs a restart (docs/deploy.md, "Deploying new code").
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").strip().lower() not in {"0", "false", "no", "off"}


def when_ready(server):  # noqa: ANN001, ANN201 - gunicorn's hook: once, when the master is up
    if preload_app:
        from config.warmup import warm_process

        server.log.info("Made ready before forking the workers: %s", warm_process())


# Long exports and imports run on the task worker, but the committee paper's preview
# and the establishment's CSV of 40,000 posts are built while the request waits.
timeout = _int("GUNICORN_TIMEOUT", 120)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5

# Recycle each worker after a thousand requests or so (jittered, so they do not all
# restart together): a report's memory is given back to the machine.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10

# Trust X-Forwarded-Proto (HTTPS) only from the proxy. Django's SECURE_PROXY_SSL_HEADER
# reads the same header, so a request that did not come through the proxy is not secure.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# One line per request on standard output for the journal: the client as the proxy saw
# it, the path without its query string (filters can carry names), status, size and time.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'

# Workers' heartbeats on a memory disk where there is one (containers' /tmp may be overlayfs).
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"

proc_name = "workforce"
