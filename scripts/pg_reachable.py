"""Exit 0 when the PostgreSQL server in DATABASE_URL answers (creating nothing), 1 otherwise."""

import sys
from urllib.parse import urlparse

import psycopg

url = urlparse(sys.argv[1])
try:
    with psycopg.connect(
        host=url.hostname or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password or None,
        dbname="postgres",
        connect_timeout=3,
    ):
        pass
except psycopg.Error as exc:
    print(f"PostgreSQL not reachable: {exc}".strip(), file=sys.stderr)
    sys.exit(1)
