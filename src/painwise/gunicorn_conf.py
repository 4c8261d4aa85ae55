"""gunicorn configuration for `painwise serve` (docs/operations.md, "Sizing").

Threaded workers (`gthread`): a request waiting on the database holds a thread, not a process.
Workers default to 2 x CPUs + 1 (capped at 12) and threads to 4, so this machine's concurrency is
workers x threads requests at once; each thread keeps at most one database connection, which bounds
PostgreSQL connections at the same number (keep it below the server's `max_connections`). Every
value can be overridden from the environment (PAINWISE_WEB_*), and gunicorn's own flags win over both.
"""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
from typing import Any

from painwise.env import env_bool, env_int, env_str


def default_workers(cpus: int | None = None) -> int:
    count = cpus if cpus is not None else (os.cpu_count() or 1)
    return max(2, min(2 * count + 1, 12))


bind = env_str("PAINWISE_WEB_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = env_int("PAINWISE_WEB_WORKERS", default_workers(), minimum=1)
threads = env_int("PAINWISE_WEB_THREADS", 4, minimum=1)
timeout = env_int("PAINWISE_WEB_TIMEOUT", 60, minimum=5)  # a worker silent this long is restarted
graceful_timeout = 30  # on SIGTERM, in-flight requests get this long to finish
keepalive = 5
backlog = 2048
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 5000
max_requests_jitter = 500
accesslog = "-"  # stdout: journald or the container runtime keeps it
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(L)ss rid=%({x-request-id}o)s'
forwarded_allow_ips = env_str("PAINWISE_FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "painwise.wsgi:application"

# Persistent database connections (one per thread) unless the operator chose otherwise.
os.environ.setdefault("PAINWISE_DB_CONN_MAX_AGE", "60")
# gunicorn 27's runtime control socket would be one path shared by every server on the machine.
control_socket_disable = True

# Writes queue their patient's re-evaluation instead of running it inside the request (monitoring.queue);
# the master starts one `painwise monitor work` beside the workers, at a lower CPU priority so requests
# come first. Run it as its own service instead with PAINWISE_EVALUATION_WORKER=0 (docs/operations.md).
os.environ.setdefault("PAINWISE_EVALUATION", "queue")
_evaluation_worker: list[subprocess.Popen[bytes]] = []


def post_worker_init(worker: Any) -> None:
    # Everything imported so far (Django, pandas, numpy: millions of objects) lives as long as the worker:
    # move it out of the collector's reach so full collections stop scanning it on every request burst.
    gc.collect()
    gc.freeze()


def when_ready(server: Any) -> None:
    if os.environ["PAINWISE_EVALUATION"] != "queue" or not env_bool("PAINWISE_EVALUATION_WORKER", True):
        return
    argv = [sys.executable, "-m", "painwise.cli.main", "monitor", "work", "--parent", str(os.getpid())]
    _evaluation_worker.append(subprocess.Popen(argv, preexec_fn=lambda: os.nice(10)))  # noqa: S603
    server.log.info("evaluation worker started (pid %s)", _evaluation_worker[0].pid)


def on_exit(server: Any) -> None:
    for proc in _evaluation_worker:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=graceful_timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
