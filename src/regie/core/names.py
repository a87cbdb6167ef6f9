"""Dutch names: tussenvoegsels, accent folding, search keys, register sort order and the letter's salutation.

Plain Python. The casework app stores the search keys on the client (``Client.name_key`` and friends) so that a
search works the same on SQLite and PostgreSQL: both compare the same pre-folded ASCII text, no database collation
or extension (``unaccent``) is involved.

Conventions (sources):
- A Dutch surname may start with a *voorvoegsel* (tussenvoegsel): "van der Linden". In the BRP it is a separate
  element (``voorvoegsel``, GBA table 36 "Voorvoegsels"); Regie's client keeps the family name as one text, so
  :func:`split_surname` splits it off using the common voorvoegsels of that table (the list below is a subset:
  the Dutch, German and French ones; Arabic "El"/"Al" are kept as part of the surname, as municipalities usually
  register them -- assumption).
- Dutch registers (telephone books, the BRP's own lists, archives) sort on the surname without the voorvoegsel:
  "van der Linden" files under L (Taalunie, "Alfabetiseren van namen met voorvoegsels"; Belgian usage differs).
- In running text and after a title the voorvoegsel is capitalised when no given name or initial precedes it:
  "Geachte mevrouw Van der Linden", but "Sanne van der Linden" (Taalunie, "Hoofdletters in achternamen").
"""

from __future__ import annotations

import re
import unicodedata

# Longest first, so "van der" wins over "van". Lower case; apostrophes normalised to "'".
VOORVOEGSELS: tuple[str, ...] = tuple(
    sorted(
        {
            "van",
            "van de",
            "van der",
            "van den",
            "van het",
            "van 't",
            "van ter",
            "van ten",
            "van de l'",
            "de",
            "den",
            "der",
            "het",
            "'t",
            "te",
            "ter",
            "ten",
            "in",
            "in de",
            "in den",
            "in der",
            "in het",
            "in 't",
            "op",
            "op de",
            "op den",
            "op der",
            "op het",
            "op 't",
            "onder de",
            "onder den",
            "over de",
            "uit de",
            "uit den",
            "uit het",
            "uit 't",
            "uijt de",
            "aan de",
            "aan den",
            "aan het",
            "aan 't",
            "bij de",
            "bij 't",
            "voor de",
            "voor den",
            "vd",
            "v.d.",
            "von",
            "von der",
            "von dem",
            "vom",
            "zu",
            "zum",
            "zur",
            "du",
            "des",
            "la",
            "le",
            "les",
            "d'",
            "l'",
            "da",
            "di",
            "del",
            "della",
            "dos",
            "das",
        },
        key=lambda v: (-len(v), v),
    )
)

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
# Letters that Unicode does not decompose into a base letter plus accent.
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "đ": "d",
        "Đ": "d",
        "ı": "i",  # Turkish dotless i
        "þ": "th",
        "ð": "d",
    }
)
_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower case without accents, whitespace collapsed: "Öztürk" -> "ozturk", "Çelik" -> "celik",
    "Émile" -> "emile", "İlhan" -> "ilhan", "Groß" -> "gross"."""
    if not text:
        return ""
    text = text.translate(_APOSTROPHES).translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", plain.casefold()).strip()


def split_surname(family_name: str) -> tuple[str, str]:
    """("van der", "Linden") for "van der Linden"; ("", "Jansen") without a voorvoegsel. The voorvoegsel keeps the
    case it was written in; a surname that is only a voorvoegsel ("De") is not split."""
    name = _SPACES.sub(" ", (family_name or "").translate(_APOSTROPHES)).strip()
    low = name.lower()
    for prefix in VOORVOEGSELS:
        glue = "" if prefix.endswith("'") else " "
        head = prefix + glue
        if low.startswith(head) and len(name) > len(head) and name[len(head) :].strip():
            return name[: len(prefix)], name[len(head) :].strip()
    return "", name


def _glue(prefix: str) -> str:
    return "" if prefix.endswith("'") else " "


def surname_key(family_name: str) -> str:
    """The folded surname without voorvoegsel: the search and sort key ("van der Linden" -> "linden")."""
    return fold(split_surname(family_name)[1])


def sort_key(family_name: str, given_name: str = "") -> tuple[str, str, str]:
    """Dutch register order: surname without voorvoegsel, then given name, then the voorvoegsel."""
    prefix, rest = split_surname(family_name)
    return fold(rest), fold(given_name), fold(prefix)


def capitalised_surname(family_name: str) -> str:
    """The surname as it stands after a title: "van der Linden" -> "Van der Linden" (only the first letter of
    the voorvoegsel); a name without voorvoegsel is unchanged."""
    prefix, rest = split_surname(family_name)
    if not prefix:
        return rest
    return f"{prefix[0].upper()}{prefix[1:]}{_glue(prefix)}{rest}"


def initials(given_name: str) -> str:
    """ "Sanne Maria" -> "S.M."; a hyphenated name keeps its parts ("Jan-Willem" -> "J.W.")."""
    parts = [p for p in re.split(r"[\s\-]+", given_name or "") if p]
    return "".join(f"{p[0].upper()}." for p in parts)


def display_name(given_name: str, family_name: str) -> str:
    """ "Sanne van der Linden" (voorvoegsel in lower case after a given name)."""
    prefix, rest = split_surname(family_name)
    surname = f"{prefix.lower()}{_glue(prefix)}{rest}" if prefix else rest
    return " ".join(p for p in ((given_name or "").strip(), surname) if p)


def search_terms(query: str) -> tuple[str, str]:
    """A typed name query as (folded text, the same with a leading voorvoegsel removed): "Van der Lin" ->
    ("van der lin", "lin"); "linden" -> ("linden", "linden")."""
    folded = fold(query)
    prefix, rest = split_surname(folded)
    return folded, fold(rest) if prefix else folded
