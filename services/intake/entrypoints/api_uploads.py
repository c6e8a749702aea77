"""The JSON API's uploads through intake (POST …/files/<kind>) and their removal; the routes join the API's
blueprint. A file comes as a multipart form's `file` field, or as the whole body itself, its type in
Content-Type and its name in Content-Disposition (`curl --data-binary`).

The bare body is the cheaper way in: nothing to parse around the file (werkzeug compiles two regular
expressions for each multipart boundary; `make bench` measures a body at 0.87× a form's CPU), and its size is
known from Content-Length before a byte is read, so an oversize file is refused at once."""
from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from flask import Request, request
from flask.views import MethodView
from werkzeug.http import parse_options_header

from services.intake.entrypoints.api import ApiError, ApiErrorSchema, FileSchema, _call, _file, _id, blp, intake
from services.intake.service_layer.uploads import remove_upload, store_upload
from shared.i18n import message

MULTIPART = "multipart/form-data"
FILE_TYPES = ("image/jpeg", "image/png", "application/pdf")  # the campaign says which each kind accepts

REQUEST_BODY = {"content": {
    MULTIPART: {"schema": {"type": "object", "required": ["file"],
                           "properties": {"file": {"type": "string", "format": "binary"}}}},
    **{file_type: {"schema": {"type": "string", "format": "binary"}} for file_type in FILE_TYPES},
}}


@dataclass(frozen=True)
class IncomingFile:
    stream: BinaryIO
    filename: str
    content_type: str
    declared_size: int  # 0: not known before the file is read


class NoFile(Exception):
    """Neither a form with a `file` field nor a typed body."""


def incoming_file(request: Request) -> IncomingFile:
    if request.mimetype == MULTIPART:
        part = request.files.get("file")
        if part is None:
            raise NoFile(message("intake.no_file_field"))
        return IncomingFile(part.stream, part.filename or "", part.mimetype or "application/octet-stream", 0)
    if not request.mimetype:
        raise NoFile(message("intake.no_file_field"))
    return IncomingFile(request.stream, file_name_of(request.headers.get("Content-Disposition", "")),
                        request.mimetype, request.content_length or 0)


def file_name_of(content_disposition: str) -> str:
    """The name in `attachment; filename*=UTF-8''…` or `filename="…"` (RFC 6266); "" when none is given."""
    _, options = parse_options_header(content_disposition)
    return options.get("filename", "")


@blp.route("/<token>/files/<kind>")
class Files(MethodView):
    @blp.doc(requestBody=REQUEST_BODY)
    @blp.response(201, FileSchema)
    @blp.alt_response(400, schema=ApiErrorSchema)
    def post(self, token, kind):
        """上传一个文件（photo、sealed_form、certificate、media_proof）：multipart/form-data，字段名 file；或以文件本身
        为请求体，类型放在 Content-Type，文件名放在 Content-Disposition（attachment; filename*=UTF-8''…）。"""
        try:
            sent = incoming_file(request)
        except NoFile as missing:
            raise ApiError(missing.args[0], "no_file", 400) from None
        return _file(_call(store_upload, intake(), _id(token), kind, sent.stream, filename=sent.filename,
                           content_type=sent.content_type, declared_size=sent.declared_size))


@blp.route("/<token>/files/<kind>/<upload_id>")
class File(MethodView):
    @blp.response(204)
    def delete(self, token, kind, upload_id):
        """删除（草稿）或替换（退回修改时）一个文件。"""
        _call(remove_upload, intake(), _id(token), upload_id)
