import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """These tests read the services' messages, which are written in English and translated for
    users; pin the language so a catalog update does not change what they compare."""
    with translation.override("en"):
        yield
