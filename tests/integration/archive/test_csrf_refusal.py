"""A form posted without its CSRF token is refused in Chinese, not with Werkzeug's English page (found by
`make chaos`, part 5)."""
import pytest

from services.archive.entrypoints.web import create_app

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("path", ["/honourees/preview", "/honourees/import", "/auth/logout"])
def test_form_without_csrf_token_is_refused_in_chinese(archive, archive_env, path):
    answer = create_app(archive_env, archive=archive).test_client().post(path, data={"name": "x"})
    assert answer.status_code == 400
    assert "页面已过期" in answer.get_data(as_text=True)
