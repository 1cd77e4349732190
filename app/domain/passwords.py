"""The password policy (issue 8, finding 8): a minimum length and a number of
character kinds among lowercase letters, capital letters, digits and other
characters (symbols, spaces). Vietnamese letters count as letters ("ư", "Đ")."""
from __future__ import annotations

from dataclasses import dataclass


def character_kinds(password: str) -> int:
    kinds = (any(c.islower() for c in password), any(c.isupper() for c in password),
             any(c.isdigit() for c in password), any(not c.isalnum() for c in password))
    return sum(kinds)


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = 8
    required_kinds: int = 3  # of the 4 kinds above

    def accepts(self, password: str) -> bool:
        return len(password or "") >= self.min_length and character_kinds(password or "") >= self.required_kinds
