"""The JSON API's direct uploads: a file sent straight to the S3 server with a signed form, then confirmed
(service_layer/direct_uploads.py says how it is kept safe). The routes join the API's blueprint."""
from __future__ import annotations

from flask.views import MethodView
from marshmallow import Schema, fields

from services.intake.domain import file_names
from services.intake.entrypoints.api import (
    ApiErrorSchema, FileSchema, _at_most, _BodySchema, _call, _file, _id, blp, intake,
)
from services.intake.field_messages import Range, field_messages, field_problem
from services.intake.service_layer.direct_uploads import offer_direct_upload, record_direct_upload

CONTENT_TYPE_MAX_CHARS = 100
SLOT_MAX_CHARS = 2000
LARGEST_DECLARED = 2**40


class DirectUploadSchema(_BodySchema):
    filename = fields.String(required=True, validate=_at_most("filename", file_names.MAX_CHARS),
                             error_messages=field_messages("filename", "intake.hint.text"), metadata={"description": "文件名（仅用于显示）"})
    content_type = fields.String(required=True, validate=_at_most("content_type", CONTENT_TYPE_MAX_CHARS),
                                 error_messages=field_messages("content_type", "intake.hint.text"), metadata={"description": "文件类型，如 image/jpeg、application/pdf"})
    size = fields.Integer(required=True, strict=True, error_messages=field_messages("size", "intake.hint.file_size"),
                          validate=Range(field_problem("size", "intake.hint.file_size"), min=1, max=LARGEST_DECLARED),
                          metadata={"description": "文件大小（字节）"})


class UploadFormSchema(Schema):
    url = fields.String(metadata={"description": "以 multipart/form-data POST 文件的存储服务地址"})
    form_fields = fields.Dict(keys=fields.String(), values=fields.String(), data_key="fields",
                              metadata={"description": "按原样放在表单里的字段；文件放在最后，字段名 file"})


class DirectUploadOfferSchema(Schema):
    upload_id = fields.String()
    form = fields.Nested(UploadFormSchema)
    slot = fields.String(metadata={"description": "上传凭据：文件上传后，POST 到 confirm_url 时原样带上"})
    confirm_url = fields.String()
    expires_at = fields.String(metadata={"description": "表单失效时间（UTC）"})
    max_bytes = fields.Integer(metadata={"description": "存储服务接受的最大文件大小"})


class DirectUploadDoneSchema(_BodySchema):
    slot = fields.String(required=True, validate=_at_most("slot", SLOT_MAX_CHARS),
                         error_messages=field_messages("slot", "intake.hint.text"))


@blp.route("/<token>/files/<kind>/direct")
class DirectUploads(MethodView):
    @blp.arguments(DirectUploadSchema)
    @blp.response(201, DirectUploadOfferSchema)
    @blp.alt_response(409, schema=ApiErrorSchema)
    def post(self, body, token, kind):
        """直接上传第一步：申请一个上传凭据。文件不经过本服务，而是按返回的表单直接 POST 到存储服务
        （类型、大小上限和有效期由签名限定），上传后再调用 confirm_url 确认，文件随即登记并检查。"""
        offer = _call(offer_direct_upload, intake(), _id(token), kind, **body)
        return {"upload_id": offer.upload_id, "form": {"url": offer.form.url, "form_fields": offer.form.fields},
                "slot": offer.slot, "expires_at": offer.expires_at.isoformat(timespec="seconds"),
                "max_bytes": offer.max_bytes,
                "confirm_url": f"{blp.url_prefix}/{token}/files/{kind}/direct/{offer.upload_id}"}


@blp.route("/<token>/files/<kind>/direct/<upload_id>")
class DirectUpload(MethodView):
    @blp.arguments(DirectUploadDoneSchema)
    @blp.response(201, FileSchema)
    @blp.alt_response(409, schema=ApiErrorSchema)
    def post(self, body, token, kind, upload_id):
        """直接上传第二步：文件已上传到存储服务后确认。本服务读取存储的文件（大小、类型和校验值以存储的为准），
        登记为待检查的文件；重复确认同一凭据答同一文件。"""
        return _file(_call(record_direct_upload, intake(), _id(token), kind, upload_id, body["slot"]))
