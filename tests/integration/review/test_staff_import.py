"""The secretariat imports a staff list in two steps through review's pages (real Keycloak, PostgreSQL and
S3): the preview says whom the file adds and what it changes and saves nothing; the confirmation saves every
row of that same file; a file with a bad row gets no token; a token is used once, and not after an hour."""
from __future__ import annotations

import io
import re
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from services.review.adapters.orm import staff as staff_table
from services.review.domain.people import Role, StaffMember
from tests import staff as kc
from tests.integration.review.committee import register
from tests.integration.review.staff_roles import subject_of

pytestmark = [pytest.mark.integration, pytest.mark.own_campaign()]
HEADER = "账号标识,姓名,角色,业务领域,在岗\n"


@pytest.fixture()
def secretariat(stack, review):
    from services.review.entrypoints.web import create_app

    register(review, StaffMember(subject_of(kc.access_token(stack, "secretariat")), "王晓梅", Role.SECRETARIAT,
                                 username="secretariat"))
    return kc.as_staff(create_app(review=review).test_client(), stack, "secretariat")


def csrf(client) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/staff/").text).group(1)


def preview(client, text: str):
    data = {"csrf_token": csrf(client), "file": (io.BytesIO(text.encode()), "人员.csv")}
    return client.post("/staff/import", data=data, content_type="multipart/form-data")


def saved(review, tag: str) -> list[tuple]:
    with review.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(sa.select(staff_table.c.subject, staff_table.c.role)
                                                   .where(staff_table.c.subject.like(f"kc-{tag}-%"))
                                                   .order_by(staff_table.c.subject))]


def test_the_preview_says_what_changes_and_saves_nothing_until_confirmed(review, secretariat):
    tag = uuid.uuid4().hex[:8]
    register(review, StaffMember(f"kc-{tag}-1", "林静", Role.WORKING_GROUP, domains=("伙食管理",)))
    answer = preview(secretariat, HEADER + f"kc-{tag}-1,林静,协会秘书处,,1\nkc-{tag}-2,马晓东,评审委员会,,1\n")
    assert answer.status_code == 200
    assert "新增 1 人，变更 1 人，无变化 0 人" in answer.text and "角色：评审工作组 → 协会秘书处" in answer.text
    assert saved(review, tag) == [(f"kc-{tag}-1", "working_group")]
    token = re.search(r'name="token" value="([^"]+)"', answer.text).group(1)
    done = secretariat.post("/staff/import/confirm", data={"csrf_token": csrf(secretariat), "token": token})
    assert done.status_code == 302
    assert saved(review, tag) == [(f"kc-{tag}-1", "secretariat"), (f"kc-{tag}-2", "committee")]
    assert "已导入 2 人" in secretariat.get("/staff/").text
    again = secretariat.post("/staff/import/confirm", data={"csrf_token": csrf(secretariat), "token": token},
                             follow_redirects=True)
    assert "预览已失效（文件已导入或已过期）" in again.text


def test_a_file_with_a_bad_row_gets_its_problems_and_no_token(review, secretariat):
    tag = uuid.uuid4().hex[:8]
    answer = preview(secretariat, HEADER + f"kc-{tag}-1,甲,评审委员会,,1\nkc-{tag}-2,乙,院长,,1\n")
    assert answer.status_code == 422 and "第 2 行" in answer.text and 'name="token"' not in answer.text
    assert saved(review, tag) == []


def test_a_preview_older_than_an_hour_or_a_forged_token_is_refused(review, secretariat):
    tag = uuid.uuid4().hex[:8]
    token = re.search(r'name="token" value="([^"]+)"',
                      preview(secretariat, HEADER + f"kc-{tag}-1,甲,评审委员会,,1\n").text).group(1)
    later = review.clock() + timedelta(hours=1, minutes=1)
    review.clock = lambda: later
    late = secretariat.post("/staff/import/confirm", data={"csrf_token": csrf(secretariat), "token": token},
                            follow_redirects=True)
    assert "预览已超过 1 小时失效" in late.text and saved(review, tag) == []
    assert not review.store.exists(f"staff-imports/{token}")
    forged = secretariat.post("/staff/import/confirm", data={"csrf_token": csrf(secretariat), "token": "../x"},
                              follow_redirects=True)
    assert "导入请求无效" in forged.text


def test_a_held_file_never_confirmed_is_removed_after_its_hour(review, secretariat):
    from services.review.service_layer.staff_imports import forget_stale_staff_imports

    tag = uuid.uuid4().hex[:8]
    token = re.search(r'name="token" value="([^"]+)"',
                      preview(secretariat, HEADER + f"kc-{tag}-1,甲,评审委员会,,1\n").text).group(1)
    forget_stale_staff_imports(review)
    assert review.store.exists(f"staff-imports/{token}"), "within its hour it stays"
    later = review.clock() + timedelta(hours=1, minutes=1)
    review.clock = lambda: later
    assert forget_stale_staff_imports(review) >= 1 and not review.store.exists(f"staff-imports/{token}")


def test_a_list_without_people_an_unreadable_file_and_odd_characters_get_clear_refusals(review, secretariat):
    header_only = preview(secretariat, HEADER)
    assert header_only.status_code == 422 and "文件中没有人员" in header_only.text and 'name="token"' not in header_only.text
    data = {"csrf_token": csrf(secretariat), "file": (io.BytesIO(b"PK\x03\x04" + bytes(500)), "人员.xlsx")}
    unreadable = secretariat.post("/staff/import", data=data, content_type="multipart/form-data", follow_redirects=True)
    assert "无法读取该 Excel 文件" in unreadable.text
    tag = uuid.uuid4().hex[:8]
    odd = preview(secretariat, HEADER + f"kc-{tag}-1,\u202e林\u200b静\u0000<b>,评审委员会,,1\n")
    assert odd.status_code in (200, 422) and "<b>" not in odd.text
    assert secretariat.get("/staff/").status_code == 200
