"""Password rules: at least 12 characters, not common, not all digits, not like the username or
the person's name, and never containing the username or the servant's IIN."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(body):
    user = factories.user("karlygash")
    servant = factories.servant(body)
    servant.user = user
    servant.save()
    return user


@pytest.mark.parametrize("password, code", [
    ("Short-pw-1", "password_too_short"),
    ("password12345", "password_too_common"),
    ("738291046583", "password_entirely_numeric"),
    ("my-karlygash-2025", "password_has_username"),
])
def test_weak_passwords_are_refused_with_the_rule(person, password, code):
    with pytest.raises(ValidationError) as exc:
        validate_password(password, person)
    assert code in [e.code for e in exc.value.error_list]


def test_a_password_with_the_iin_is_refused(person):
    iin = person.servant.iin
    with pytest.raises(ValidationError) as exc:
        validate_password(f"Qz!{iin}-rtm", person)
    assert "password_has_iin" in [e.code for e in exc.value.error_list]


def test_a_long_unrelated_password_passes(person):
    validate_password("Tulpar-kokpar-2025!", person)
