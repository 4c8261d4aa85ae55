"""painwise.client and the CLI's --server/--token against a live server (pytest-django live_server)."""

from __future__ import annotations

import json
import socket

import pytest
from typer.testing import CliRunner

from painwise.client import ApiError, Client
from tests.fhir.test_fhir_exchange import lab_bundle
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

runner = CliRunner()


def token(user):
    from painwise.accounts.auth import token_create

    return token_create(user=user)


def cli(*args):
    from painwise.cli import app

    return runner.invoke(app, list(args))


def test_the_client_logs_in_and_reads_over_http(live_server, cast):
    client = Client.login(live_server.url, "alice", PASSWORD)
    assert client.me()["username"] == "alice"
    [patient] = client.patients()
    assert patient["username"] == "alice" and patient["id"] == str(cast.alice_patient.id)
    bundle = client.fhir_bundle(patient["id"])
    assert bundle["resourceType"] == "Bundle" and bundle["entry"][0]["resource"]["id"] == patient["id"]


def test_the_client_pushes_labs_and_reads_them_back(live_server, cast):
    client = Client(live_server.url, token(cast.bob))
    report = client.fhir_import_labs(str(cast.alice_patient.id), lab_bundle())
    assert report["imported"] == {"Observation": 2}
    assert {s["resource"] for s in report["skipped"]} >= {"Observation/glu-1"}
    assert client.labs(str(cast.alice_patient.id))["count"] == 2
    cards = client.cds_cards(str(cast.alice_patient.id))
    assert all(card["indicator"] in ("info", "warning", "critical") and card["summary"] for card in cards)


def test_errors_arrive_in_the_api_shape(live_server, cast):
    with pytest.raises(ApiError) as caught:
        Client(live_server.url, token(cast.carol)).fhir_bundle(str(cast.alice_patient.id))
    assert caught.value.status == 404 and caught.value.code == "not_found"
    with pytest.raises(ApiError) as bad_login:
        Client.login(live_server.url, "alice", "wrong password")
    assert bad_login.value.status in (401, 422)
    with pytest.raises(ApiError) as no_token:
        Client(live_server.url).patients()
    assert no_token.value.status == 401 and no_token.value.field == "Authorization"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_or_malformed_server_is_a_clear_error():
    with pytest.raises(ApiError) as unreachable:
        Client(f"http://127.0.0.1:{free_port()}", "t", timeout=5).patients()
    assert unreachable.value.code == "client.unreachable" and unreachable.value.field == "--server"
    with pytest.raises(ApiError) as malformed:
        Client("ftp://example.org", "t")
    assert malformed.value.field == "--server"


def test_the_cli_exports_and_imports_against_a_remote_server(live_server, cast, tmp_path):
    out = tmp_path / "alice.json"
    bob = token(cast.bob)
    result = cli("fhir", "export", "--patient", "alice", "--out", str(out), "--server", live_server.url, "--token", bob)
    assert result.exit_code == 0, result.output
    bundle = json.loads(out.read_text())
    assert bundle["type"] == "searchset" and bundle["entry"][0]["resource"]["resourceType"] == "Patient"
    labs = tmp_path / "labs.json"
    labs.write_text(json.dumps(lab_bundle()))
    result = cli(
        "fhir", "import", str(labs), "--json", "--patient", "alice", "--server", live_server.url, "--token", bob
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["imported"] == {"Observation": 2}


@pytest.mark.parametrize(
    ("args", "field"),
    [(["--token", "nope"], "Authorization"), ([], "--token")],  # an invalid token (the server's 401); none
)
def test_cli_remote_errors_exit_2(live_server, cast, tmp_path, args, field):
    out = tmp_path / "x.json"
    result = cli("fhir", "export", "--patient", "alice", "--out", str(out), "--server", live_server.url, *args)
    assert result.exit_code == 2 and f"[{field}]" in result.output
    assert not out.exists()


def test_a_remote_import_needs_the_patient(live_server, cast, tmp_path):
    path = tmp_path / "labs.json"
    path.write_text(json.dumps(lab_bundle()))
    result = cli("fhir", "import", str(path), "--server", live_server.url, "--token", token(cast.bob))
    assert result.exit_code == 2 and "[--patient]" in result.output


def test_the_client_downloads_reports_and_sets_research_consent(live_server, cast):
    import datetime as dt
    import io
    import zipfile

    alice = Client(live_server.url, token(cast.alice))
    patient_id = str(cast.alice_patient.id)
    assert alice.report(patient_id).startswith(b"%PDF")
    today = dt.date.today()
    html = alice.report(patient_id, start=today - dt.timedelta(days=30), end=today, format="html")
    assert b"<html" in html.lower()
    names = zipfile.ZipFile(io.BytesIO(alice.csv_export(patient_id))).namelist()
    assert "README.txt" in names
    consent = alice.research_consent()
    assert consent["decision"] is None and consent["text"]
    decided = alice.set_research_consent("opt_in", consent["version"])
    assert decided["decision"] == "opt_in" and decided["current"] is True
    with pytest.raises(ApiError) as stale:
        alice.set_research_consent("opt_out", "old-version")
    assert stale.value.status == 422 and stale.value.field == "version"
    with pytest.raises(ApiError) as carol:
        Client(live_server.url, token(cast.carol)).report(patient_id)
    assert carol.value.status == 404
