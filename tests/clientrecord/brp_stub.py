"""A local stub of the BRP API Personen (Haal Centraal BRP Bevragen 2.x), serving the published specification's
example responses (brp/openapi.json, brp/README.md). Standard library only; the tests start it on a free port.

It answers ``POST <base>/personen`` like the specification: 415 without a JSON content type, 401 without the
expected API key, 400 (``paramsRequired``) for a question without its required parameters, otherwise
``{"type": <question>, "personen": [...]}`` with only the requested ``fields``. ``mode`` forces an answer for a
test: ``"503"`` (the specification's 503 example), ``"slow"`` (answers after ``delay`` seconds), ``"garbage"``.
Every request body is kept in ``requests`` (so a test can check what Regie sent, and that nothing was sent).
"""

from __future__ import annotations

import copy
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SPEC = json.loads((Path(__file__).parent / "brp" / "openapi.json").read_text())
API_KEY = "stub-sleutel"


def example(status: str) -> dict:
    """The specification's own example problem+json for an HTTP status."""
    return copy.deepcopy(SPEC["components"]["responses"][status]["content"]["application/problem+json"]["example"])


def _datum(iso: str, lang: str) -> dict:
    return {"type": "Datum", "datum": iso, "langFormaat": lang}


PERSONS = [
    {
        "burgerservicenummer": "000000024",
        "geslacht": {"code": "V", "omschrijving": "vrouw"},
        "naam": {
            "voornamen": "Suzanne Maria",
            "voorvoegsel": "van der",
            "geslachtsnaam": "Linden",
            "voorletters": "S.M.",
            "volledigeNaam": "Suzanne Maria van der Linden",
        },
        "geboorte": {"datum": _datum("1986-04-12", "12 april 1986")},
        "gemeenteVanInschrijving": {"code": "0599", "omschrijving": "Rotterdam"},
        "verblijfplaats": {
            "type": "Adres",
            "verblijfadres": {
                "officieleStraatnaam": "Jaffalaan",
                "korteStraatnaam": "Jaffalaan",
                "huisnummer": 2,
                "postcode": "2628HJ",
                "woonplaats": "Delft",
            },
            "datumVan": _datum("2019-06-01", "1 juni 2019"),
        },
        "adressering": {
            "adresregel1": "Jaffalaan 2",
            "adresregel2": "2628 HJ  DELFT",
            "aanhef": "Geachte mevrouw Van der Linden",
            "aanschrijfwijze": {"naam": "S.M. van der Linden"},
            "gebruikInLopendeTekst": "mevrouw Van der Linden",
        },
    },
    {
        "burgerservicenummer": "000000036",
        "geslacht": {"code": "M", "omschrijving": "man"},
        "naam": {
            "voornamen": "Ahmet",
            "geslachtsnaam": "Öztürk",
            "voorletters": "A.",
            "volledigeNaam": "Ahmet Öztürk",
        },
        "geboorte": {"datum": _datum("1979-11-02", "2 november 1979")},
        "gemeenteVanInschrijving": {"code": "0599", "omschrijving": "Rotterdam"},
        "verblijfplaats": {
            "type": "Adres",
            "verblijfadres": {
                "officieleStraatnaam": "Jaffalaan",
                "korteStraatnaam": "Jaffalaan",
                "huisnummer": 2,
                "huisletter": "A",
                "postcode": "2628HJ",
                "woonplaats": "Delft",
            },
            "datumVan": _datum("2021-02-15", "15 februari 2021"),
        },
        "adressering": {
            "adresregel1": "Jaffalaan 2 A",
            "adresregel2": "2628 HJ  DELFT",
            "aanhef": "Geachte heer Öztürk",
            "aanschrijfwijze": {"naam": "A. Öztürk"},
            "gebruikInLopendeTekst": "de heer Öztürk",
        },
    },
]
BEPERKT = ("burgerservicenummer", "geboorte", "geslacht", "naam", "adressering", "leeftijd")


def _project(person: dict, fields: list[str], allowed: tuple[str, ...] | None = None) -> dict:
    out: dict = {}
    for path in fields:
        head, _, rest = path.partition(".")
        if allowed is not None and head not in allowed:
            continue
        if head not in person:
            continue
        if not rest:
            out[head] = copy.deepcopy(person[head])
        elif isinstance(person[head], dict):
            sub = _project(person[head], [rest])
            if sub:
                out.setdefault(head, {}).update(sub)
    return out


def _bad_request(name: str) -> tuple[int, dict]:
    body = example("400")
    body["invalidParams"] = [
        {
            "type": "https://www.vng.nl/realisatie/api/validaties/required",
            "name": name,
            "code": "required",
            "reason": "Parameter is verplicht.",
        }
    ]
    body["title"] = "Een of meerdere parameters zijn niet correct."
    return 400, body


def answer(body: dict) -> tuple[int, dict]:
    """The stub's answer to one query body (status, JSON)."""
    kind = body.get("type")
    fields = body.get("fields") or []
    if not fields:
        return _bad_request("fields")
    if kind == "RaadpleegMetBurgerservicenummer":
        bsns = body.get("burgerservicenummer") or []
        if not bsns:
            return _bad_request("burgerservicenummer")
        found = [_project(p, fields) for p in PERSONS if p["burgerservicenummer"] in bsns]
        return 200, {"type": kind, "personen": found}
    if kind == "ZoekMetPostcodeEnHuisnummer":
        for name in ("postcode", "huisnummer"):
            if not body.get(name):
                return _bad_request(name)
        postcode = str(body["postcode"]).replace(" ", "").upper()
        found = []
        for p in PERSONS:
            adres = p["verblijfplaats"]["verblijfadres"]
            if adres["postcode"] != postcode or adres["huisnummer"] != int(body["huisnummer"]):
                continue
            if body.get("huisletter") and adres.get("huisletter", "").upper() != body["huisletter"].upper():
                continue
            if body.get("geslachtsnaam") and p["naam"]["geslachtsnaam"].lower() != body["geslachtsnaam"].lower():
                continue
            if body.get("geboortedatum") and p["geboorte"]["datum"]["datum"] != body["geboortedatum"]:
                continue
            found.append(_project(p, fields, BEPERKT))
        return 200, {"type": kind, "personen": found}
    return _bad_request("type")


class StubServer:
    def __init__(self, api_key: str = API_KEY):
        self.api_key, self.mode, self.delay = api_key, "", 3.0
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _send(self, status: int, body, content_type: str = "application/json; charset=utf-8"):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                stub.headers.append(dict(self.headers))
                if not self.path.rstrip("/").endswith("/personen"):
                    return self._send(404, {"status": 404, "title": "Niet gevonden"}, "application/problem+json")
                if not (self.headers.get("Content-Type") or "").startswith("application/json"):
                    return self._send(415, example("415"), "application/problem+json")
                if stub.api_key and self.headers.get("X-API-KEY") != stub.api_key:
                    return self._send(401, example("401"), "application/problem+json")
                try:
                    body = json.loads(raw.decode("utf-8"))
                except ValueError:
                    return self._send(*_bad_request("body"))
                stub.requests.append(body)
                if stub.mode == "503":
                    return self._send(503, example("503"), "application/problem+json")
                if stub.mode == "slow":
                    time.sleep(stub.delay)
                if stub.mode == "garbage":
                    return self._send(200, b"<html>geen json</html>", "text/html")
                status, out = answer(body)
                self._send(
                    status, out, "application/json; charset=utf-8" if status == 200 else "application/problem+json"
                )

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/haalcentraal/api/brp"

    def __enter__(self) -> StubServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
