"""The secretariat's reports on the real servers: the candidate and honouree lists of a published campaign,
downloaded as Excel and PDF by the secretariat signed in at the real Keycloak, read back; the download is
in the audit trail."""
from __future__ import annotations

import io
import re

import openpyxl
import pypdfium2
import pytest
import sqlalchemy as sa

from services.review.adapters.orm import audit_log
from services.review.domain.people import Role, StaffMember
from services.review.service_layer.candidates import confirm_honourees
from tests import staff as kc
from tests.integration.review.committee import published_list, register
from tests.integration.review.staff_roles import subject_of
from tests.integration.review.test_announcement import end_the_notice

pytestmark = [pytest.mark.integration, pytest.mark.own_campaign(candidates=3)]


@pytest.fixture()
def secretariat_client(stack, review):
    from services.review.entrypoints.web import create_app

    register(review, StaffMember(subject_of(kc.access_token(stack, "secretariat")), "秘书处王", Role.SECRETARIAT,
                                 username="secretariat", unit="中国教育后勤协会"))
    return kc.as_staff(create_app(review=review).test_client(), stack, "secretariat")


def names_in_sheet(data: bytes) -> list[str]:
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    return [row[2] for row in rows[3:] if row and row[0] is not None and isinstance(row[0], int)]


def pdf_text(data: bytes) -> str:
    pdf = pypdfium2.PdfDocument(data)
    try:
        return re.sub(r"\s", "", "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))))
    finally:
        pdf.close()


def test_candidate_and_honouree_reports_read_back_with_the_lists_scores(review, secretariat_client):
    listed = published_list(review, 5, kind_of=lambda i: "team" if i == 1 else "person")
    ids = listed["ids"]
    with review.engine.connect() as conn:
        names = dict(conn.execute(sa.text("select nomination_id, nominee_name from nominations where nomination_id = any(:ids)"),
                                  {"ids": ids}).all())
    client = secretariat_client

    answer = client.get("/reports/candidates.xlsx")
    assert answer.status_code == 200 and answer.mimetype.endswith("spreadsheetml.sheet")
    assert names_in_sheet(answer.data) == [names[i] for i in ids[:3]]
    sheet = list(openpyxl.load_workbook(io.BytesIO(answer.data)).active.iter_rows(values_only=True))
    header = sheet[2]
    first = dict(zip(header, sheet[3]))
    assert first["综合得分"] == 95.0 and first["匠人觉悟"] == 30.0 and first["评分人数"] == 3
    assert first["申报编号"].startswith("2022-") and first["状态"] == "入选候选人"
    text = pdf_text(client.get("/reports/candidates.pdf").data)
    assert "入选候选人名单" in text and all(names[i] in text for i in ids[:3]) and names[ids[3]] not in text

    honourees = client.get("/reports/honourees.xlsx")
    assert honourees.status_code == 200 and names_in_sheet(honourees.data) == []
    assert "通报表扬名单尚未确认" in pdf_text(client.get("/reports/honourees.pdf").data)
    end_the_notice(review)
    confirm_honourees(review, listed["secretariat"])
    assert names_in_sheet(client.get("/reports/honourees.xlsx").data) == [names[i] for i in ids[:3]]
    text = pdf_text(client.get("/reports/honourees.pdf").data)
    assert "通报表扬名单" in text and all(names[i] in text for i in ids[:3]) and "获通报表扬" in text

    assert client.get("/reports/everyone.xlsx").status_code == 404
    assert client.get("/reports/candidates.csv").status_code == 404
    with review.engine.connect() as conn:
        logged = conn.execute(sa.select(audit_log.c.details).where(
            audit_log.c.action == "report.exported", audit_log.c.target == review.campaign.id)
            .order_by(audit_log.c.seq)).scalars().all()
    assert [(d["report"], d["format"]) for d in logged] == [
        ("candidates", "xlsx"), ("candidates", "pdf"), ("honourees", "xlsx"), ("honourees", "pdf"),
        ("honourees", "xlsx"), ("honourees", "pdf")]


def test_reports_are_refused_to_the_committee_and_without_sign_in(stack, review):
    from services.review.entrypoints.web import create_app

    app = create_app(review=review)
    register(review, StaffMember(subject_of(kc.access_token(stack, "committee")), "刘志强", Role.COMMITTEE,
                                 username="committee", unit="示例财经大学"))
    committee = kc.as_staff(app.test_client(), stack, "committee")
    assert committee.get("/reports/candidates.xlsx").status_code == 403
    anonymous = app.test_client().get("/reports/candidates.pdf")
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
