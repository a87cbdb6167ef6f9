"""Password rules: refuse passwords that are easy to guess, offline.

Why this validator: NIST SP 800-63B (5.1.1.2) and the NCSC ask to check new passwords against lists of commonly
used, expected or compromised values, and to drop composition rules (which make ``Welkom2024!`` "complex").
Django's ``CommonPasswordValidator`` checks one list of 20,000 passwords, exact match only: ``weak7weak7`` or
``Zomer2025!!`` pass. Online breach checks (Have I Been Pwned, ``pwned-passwords-django``) send a hash prefix to an
outside service, which a municipality's network may not allow and which fails open when that service is away.

zxcvbn (Dropbox's estimator; the Python port is MIT-licensed and needs no network) estimates how many guesses a
password takes from bundled frequency lists (the most common passwords of leaked sets, English words, names,
surnames) and patterns (repeats such as ``weak7weak7``, sequences, keyboard walks, dates, l33t substitutions). It
knows no Dutch, so this module adds the words Dutch users build passwords from and the user's own data (username,
name, municipality name and code). A password must need at least 10^10 guesses by zxcvbn's estimate
(``MIN_GUESSES_LOG10``; zxcvbn's top score, "strong protection from an offline slow-hash scenario"; a random
10-character password just reaches it, ``Zomer2025!!`` at 10^8 does not), on top of the length and
common-password validators.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_GUESSES_LOG10 = 10.0
# zxcvbn's cost grows with length; the first 100 characters decide (longer passwords are long enough).
MAX_CHECKED = 100

# Words Dutch users build passwords from (assumption: the Dutch words among the top entries of published
# password-list analyses, plus seasons, months, days, places and this domain's own vocabulary).
DUTCH_WORDS = (
    "welkom",
    "wachtwoord",
    "geheim",
    "hallo",
    "hoi",
    "doei",
    "liefde",
    "schat",
    "schatje",
    "lieverd",
    "prinses",
    "voetbal",
    "ajax",
    "feyenoord",
    "psv",
    "oranje",
    "nederland",
    "holland",
    "amsterdam",
    "rotterdam",
    "utrecht",
    "denhaag",
    "eindhoven",
    "groningen",
    "tilburg",
    "almere",
    "breda",
    "nijmegen",
    "zomer",
    "winter",
    "lente",
    "herfst",
    "voorjaar",
    "najaar",
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
    "gemeente",
    "bijstand",
    "participatie",
    "regie",
    "werk",
    "inkomen",
    "uitkering",
    "klantmanager",
    "consulent",
    "teammanager",
    "beleid",
    "auditor",
    "beheer",
    "beheerder",
    "gebruiker",
    "inloggen",
    "toegang",
    "kantoor",
    "computer",
    "koffie",
    "fiets",
    "konijn",
    "hond",
    "kat",
    "poes",
    "paard",
    "vakantie",
    "kerst",
    "pasen",
    "sinterklaas",
    "koning",
    "koningin",
    "wilhelmus",
    "moeder",
    "vader",
    "mama",
    "papa",
    "opa",
    "oma",
    "zonneschijn",
    "bloem",
    "tulp",
    "molen",
    "kaas",
    "drop",
    "stroopwafel",
)


def _user_inputs(user) -> list[str]:
    if user is None:
        return []
    values = [getattr(user, a, "") or "" for a in ("username", "first_name", "last_name", "email", "role")]
    muni = getattr(user, "municipality", None) if getattr(user, "municipality_id", None) else None
    if muni is not None:
        values += [muni.name, muni.code]
    parts = []
    for v in values:
        parts.append(v)
        parts += re.split(r"[\s._@()-]+", v)  # "teammanager.0518" -> "teammanager", "0518"
    return [p.lower() for p in parts if p]


class GuessablePasswordValidator:
    """Refuse passwords zxcvbn guesses in fewer than 10^``min_guesses_log10`` tries, counting Dutch words and the
    user's own data."""

    def __init__(self, min_guesses_log10: float = MIN_GUESSES_LOG10):
        self.min_guesses_log10 = float(min_guesses_log10)

    def validate(self, password: str, user=None) -> None:
        from zxcvbn import zxcvbn

        result = zxcvbn(password[:MAX_CHECKED], user_inputs=[*DUTCH_WORDS, *_user_inputs(user)])
        if result["guesses_log10"] < self.min_guesses_log10:
            raise ValidationError(
                _(
                    "Dit wachtwoord is te makkelijk te raden (een bekend wachtwoord, woord, naam, herhaling of "
                    "patroon). Kies een langere zin van losse woorden."
                ),
                code="password_too_guessable",
            )

    def get_help_text(self) -> str:
        return _(
            "Je wachtwoord mag niet makkelijk te raden zijn: geen bekend wachtwoord, woord, naam, herhaling "
            "of patroon. Een zin van drie of vier losse woorden werkt goed."
        )
