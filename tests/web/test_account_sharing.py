"""Alice shares with a code, Carol redeems it, Alice revokes; bad input stores nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from painwise.patients.models import AccessGrant, ShareInvitation
from tests.personas import logged_in

pytestmark = pytest.mark.django_db

CODE = re.compile(r'id="share-code">([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})<')


def share(client: Client, **fields: object) -> tuple[int, str]:
    data = {"scopes": ["diary", "plan"], "access": "read", **fields}
    response = client.post(reverse("web:share_create"), data)
    return response.status_code, response.content.decode()


def test_it_shows_a_new_share_code_once_and_carol_redeems_it_to_see_alice(cast):
    status, html = share(logged_in(cast.alice), access="comment")
    assert status == 201
    code = CODE.search(html).group(1)  # type: ignore[union-attr]
    assert "7 days" in html
    carol = logged_in(cast.carol)
    response = carol.post(reverse("web:redeem"), {"code": code.lower()})
    assert response.status_code == 302 and response["Location"] == reverse("web:home")
    home = carol.get(reverse("web:home")).content.decode()
    assert "alice shared their data with you" in home
    assert reverse("web:patient_detail", args=[cast.alice_patient.id]) in home
    grant = AccessGrant.objects.get(grantee=cast.carol)
    assert grant.scopes == ["diary", "plan"] and grant.can_comment and not grant.can_enter_data
    assert code not in logged_in(cast.alice).get(reverse("web:sharing")).content.decode()


def test_it_refuses_a_used_or_unknown_code_at_the_code_field(cast):
    _, html = share(logged_in(cast.alice))
    code = CODE.search(html).group(1)  # type: ignore[union-attr]
    logged_in(cast.carol).post(reverse("web:redeem"), {"code": code})
    bob = logged_in(cast.bob)
    response = bob.post(reverse("web:redeem"), {"code": code})
    assert response.status_code == 422
    assert "this share code is unknown, used or expired" in response.content.decode()
    assert bob.post(reverse("web:redeem"), {"code": "AAAA-BBBB-CCCC"}).status_code == 422
    assert AccessGrant.objects.filter(grantee=cast.bob).count() == 1  # only the persona's grant


def test_it_revokes_carols_access_so_alices_page_becomes_404(cast):
    _, html = share(logged_in(cast.alice))
    carol = logged_in(cast.carol)
    carol.post(reverse("web:redeem"), {"code": CODE.search(html).group(1)})  # type: ignore[union-attr]
    detail = reverse("web:patient_detail", args=[cast.alice_patient.id])
    assert carol.get(detail).status_code == 200
    grant = AccessGrant.objects.get(grantee=cast.carol)
    alice = logged_in(cast.alice)
    listing = alice.get(reverse("web:sharing")).content.decode()
    assert "clinician carol" in listing and reverse("web:grant_revoke", args=[grant.id]) in listing
    response = alice.post(reverse("web:grant_revoke", args=[grant.id]))
    assert response.status_code == 302
    assert carol.get(detail).status_code == 404
    assert "revoked" in alice.get(reverse("web:sharing")).content.decode()


def test_it_refuses_an_unknown_scope_and_stores_nothing(cast):
    status, html = share(logged_in(cast.alice), scopes=["diary", "passwords"])
    assert status == 422
    assert "scopes must be one of: diary, plan" in html and 'id="id_scopes_error"' in html
    assert not ShareInvitation.objects.exists()


def test_it_refuses_a_past_expiry_date_at_the_date_field(cast):
    yesterday = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    status, html = share(logged_in(cast.alice), expires_on=yesterday)
    assert status == 422
    assert "the access expiry must be in the future" in html and 'id="id_expires_on_error"' in html
    assert not ShareInvitation.objects.exists()


def test_it_keeps_the_sharing_page_for_patients_and_the_redeem_page_for_clinicians(cast):
    assert logged_in(cast.bob).get(reverse("web:sharing")).status_code == 403
    assert logged_in(cast.alice).get(reverse("web:redeem")).status_code == 403


def test_it_gives_404_when_dave_tries_to_revoke_alices_grant(cast):
    response = logged_in(cast.dave).post(reverse("web:grant_revoke", args=[cast.grant.id]))
    assert response.status_code == 404
    cast.grant.refresh_from_db()
    assert cast.grant.revoked_at is None
