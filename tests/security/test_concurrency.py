"""Revoking a grant while the clinician is reading: no read gets through once the revocation commits."""

import threading
import time

import pytest
from django.db import connection
from django.test import Client

from tests.personas import bearer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_it_lets_no_read_through_after_a_revocation_commits(cast):
    if connection.vendor != "postgresql":
        from tests.pg import postgres_url_or_skip

        postgres_url_or_skip()
        pytest.skip("runs in the PostgreSQL pass of make test (this pass uses SQLite)")
    from painwise.patients.services import grant_revoke

    headers = bearer(cast.bob)
    url = f"/api/v1/patients/{cast.alice_patient.id}/pain_entries"
    results: list[tuple[float, int]] = []
    committed_at: list[float] = []
    stop = threading.Event()

    def reader() -> None:
        client = Client()
        try:
            while not stop.is_set():
                started = time.monotonic()
                results.append((started, client.get(url, headers=headers).status_code))
        finally:
            connection.close()

    def revoker() -> None:
        try:
            time.sleep(0.3)
            grant_revoke(actor=cast.alice, grant=cast.grant)
            committed_at.append(time.monotonic())
        finally:
            connection.close()

    readers = [threading.Thread(target=reader) for _ in range(2)]
    revoking = threading.Thread(target=revoker)
    for thread in (*readers, revoking):
        thread.start()
    revoking.join()
    time.sleep(0.3)
    stop.set()
    for thread in readers:
        thread.join()

    assert committed_at, "the revocation did not commit"
    before = [status for started, status in results if started < committed_at[0]]
    after = [status for started, status in results if started > committed_at[0]]
    assert 200 in before, "no read happened while the grant was active"
    assert after, "no read happened after the revocation"
    assert set(after) == {404}
