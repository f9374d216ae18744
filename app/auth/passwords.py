"""The password rule for passwords people choose: 12 to 128 characters, not a common one."""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

MIN_LENGTH, MAX_LENGTH = 12, 128
COMMON_PASSWORDS_FILE = Path(__file__).parents[1] / "security_data" / "common_passwords.txt"
# "aaaaaaaaaaaa" and "121212121212" pass a length rule but not a guesser.
MIN_DISTINCT_CHARACTERS = 5

LENGTH_MESSAGE = _l("The password must have 12 to 128 characters.")
COMMON_MESSAGE = _l("This password is too common. Choose a less predictable one.")
SIMPLE_MESSAGE = _l("This password repeats too few characters. Choose a less predictable one.")
USERNAME_MESSAGE = _l("The password must not contain the username.")


def normalized(password: str) -> str:
    """Lower case, without spaces or Vietnamese accents: 'Mật khẩu 123456' and 'matkhau123456' are one password."""
    password = password.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", password)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) and not ch.isspace()).lower()


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The refused passwords of the word list, normalized."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(normalized(line) for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, username: str = "") -> str | None:
    """Why the password is refused (a translated message), or None when it is acceptable."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        return str(LENGTH_MESSAGE)
    plain = normalized(password)
    if plain in common_passwords():
        return str(COMMON_MESSAGE)
    if len(set(plain)) < MIN_DISTINCT_CHARACTERS:
        return str(SIMPLE_MESSAGE)
    if len(username) >= 3 and normalized(username) in plain:
        return str(USERNAME_MESSAGE)
    return None
