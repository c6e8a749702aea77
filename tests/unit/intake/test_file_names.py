import pytest

from services.intake.domain.file_names import shown_file_name

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("given", ["..", ".", "...", "../..", "dir/..", "", None, " \x00 "])
def test_shown_file_name_of_a_directory_name_or_nothing_is_file(given):
    assert shown_file_name(given) == "file"


@pytest.mark.parametrize("given, shown", [("../../etc/passwd.jpg", "passwd.jpg"), ("C:\\Users\\a\\photo.jpg", "photo.jpg"),
                                          ("photo\r\n\x00\x1b.jpg", "photo.jpg"), ("photo\u202egpj.exe", "photogpj.exe"),
                                          (".hidden.jpg", ".hidden.jpg")])
def test_shown_file_name_keeps_only_the_printable_last_component(given, shown):
    assert shown_file_name(given) == shown


def test_shown_file_name_is_at_most_200_characters():
    assert len(shown_file_name("长" * 5000 + ".jpg")) == 200
