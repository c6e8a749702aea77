"""The review service's web process. The reviewer UI grows here; for now: the queue of nominations
received from intake, health and metrics."""
import sqlalchemy as sa
from flask import Flask, jsonify, render_template

from services.review.adapters.orm import nominations, scan_findings
from services.review.bootstrap import bootstrap
from shared.config import Settings
from shared.web import database_check, kafka_check, register_ops, s3_check


STATE_NAMES = {"submitted": "已提交", "resubmitted": "已重新提交", "withdrawn": "已撤回"}
CHANNEL_NAMES = {"self": "个人自荐", "local_association": "地方协会推荐", "council_unit": "理事单位推荐",
                 "member_unit": "会员单位推荐", "branch": "分支机构推荐"}


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    review = bootstrap(Settings.from_env("review", test_config))
    app.extensions["review"] = review
    register_ops(app, {
        "database": database_check(review.engine),
        "kafka": kafka_check(review.settings.kafka_bootstrap),
        "s3": s3_check(review.store),
    })

    @app.get("/")
    def queue():
        with review.sessions() as session:
            rows = session.execute(sa.select(nominations).order_by(nominations.c.updated_at.desc()).limit(500)).all()
            flags = dict(session.execute(
                sa.select(scan_findings.c.nomination_id, sa.func.count())
                .where(scan_findings.c.verdict != "ok").group_by(scan_findings.c.nomination_id)).all())
        return render_template("queue.html", rows=rows, flags=flags, channels=CHANNEL_NAMES, states=STATE_NAMES)

    @app.get("/api/nominations")
    def api_nominations():
        with review.sessions() as session:
            rows = session.execute(sa.select(nominations.c.nomination_id, nominations.c.nominee_name,
                                             nominations.c.domain, nominations.c.status, nominations.c.version)).all()
        return jsonify(nominations=[dict(r._mapping) for r in rows])

    return app
