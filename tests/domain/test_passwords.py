"""The password policy: a length and a number of character kinds (issue 8, finding 8)."""
from app.domain.passwords import PasswordPolicy, character_kinds


def test_character_kinds_count_lowercase_capitals_digits_and_symbols():
    assert character_kinds("abc") == 1
    assert character_kinds("abcD") == 2
    assert character_kinds("abcD1") == 3
    assert character_kinds("abcD1!") == 4
    assert character_kinds("đường") == 1 and character_kinds("Đường") == 2  # Vietnamese letters are letters


def test_the_default_policy_wants_8_characters_of_3_kinds():
    policy = PasswordPolicy()
    assert not policy.accepts("abc12345")  # two kinds
    assert not policy.accepts("Ab1!")  # too short
    assert policy.accepts("Abc12345") and policy.accepts("Demo@2026")


def test_a_stricter_policy_refuses_what_the_default_accepts():
    assert not PasswordPolicy(min_length=12, required_kinds=4).accepts("Abc12345!")
    assert PasswordPolicy(min_length=12, required_kinds=4).accepts("Abc12345!xyz")
