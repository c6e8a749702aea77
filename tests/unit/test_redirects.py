import pytest

from shared.redirects import safe_next

pytestmark = pytest.mark.unit

OFF_SITE = ["https://evil.example/", "//evil.example/", "/\\evil.example/", "\\\\evil.example", "http:/evil.example",
            "/\t/evil.example", " //evil.example", "javascript:alert(1)", "/ok\x00"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_safe_next_refuses_every_way_off_the_site(target):
    assert safe_next(target, "/home") == "/home"


def test_safe_next_keeps_a_path_of_this_site():
    assert safe_next("/admin/?page=2", "/home") == "/admin/?page=2"
