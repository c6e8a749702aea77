"""English for the texts of intake that are not message codes yet: the form's field messages (the
schemas' `标签：提示`), the scan's reasons (stored and published in Chinese), the imports' row problems and a
few web-layer sentences. Refusals of the rules are codes rendered from the catalogs (shared.i18n,
services/intake/translations); this module is what is left to move there.

The Chinese message stays the source of truth here; `to_english` recognises it (an exact sentence, a
`标签：提示` field message, or a pattern with its values) and renders the English. Values that are
campaign data or typed by the user (a unit's name, an honour's name) stay as they were, in quotes;
known terms (field labels, upload kinds, states, campaign names of the 2022 campaign) are translated.
Anything not recognised comes back in Chinese, unchanged.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from services.intake.domain.priority import MEDIA_HONOUR_LEVELS

# Every path of schemas.FIELD_LABELS (the unit test checks that none is missing).
FIELD_LABELS_EN = {
    "campaign_id": "Campaign",
    "channel": "Nomination channel",
    "recommender": "Recommending organisation",
    "nominee_kind": "Nominee type",
    "person": "Nominee details",
    "person.name": "Name",
    "person.gender": "Gender",
    "person.ethnic_group": "Ethnic group",
    "person.age": "Age",
    "person.political_status": "Political status",
    "person.phone": "Phone",
    "person.email": "E-mail",
    "person.unit": "Unit",
    "person.department": "Department",
    "person.position": "Position/title",
    "person.address": "Postal address",
    "person.postcode": "Postcode",
    "team": "Team details",
    "team.name": "Team name",
    "team.unit": "Unit",
    "team.department": "Department",
    "team.leader": "Team leader",
    "team.leader.name": "Leader's name",
    "team.leader.position": "Leader's position/title",
    "team.leader.phone": "Leader's phone",
    "team.leader.email": "Leader's e-mail",
    "team.members": "Team members",
    "team.address": "Postal address",
    "team.postcode": "Postcode",
    "domain": "Business domain",
    "deeds": "Account of deeds",
    "media_honours": "Honours and awards from media platforms",
    "contact": "Contact",
    "contact.name": "Contact's name",
    "contact.email": "Contact's e-mail",
    "contact.phone": "Contact's mobile phone",
}

# Chinese labels as the messages show them (those of FIELD_LABELS and the nested rows' own).
LABELS = {
    "活动": "Campaign", "推荐渠道": "Nomination channel", "推荐单位": "Recommending organisation",
    "推荐对象类型": "Nominee type", "被推荐人信息": "Nominee details", "姓名": "Name", "性别": "Gender",
    "民族": "Ethnic group", "年龄": "Age", "政治面貌": "Political status", "联系电话": "Phone",
    "邮箱": "E-mail", "单位名称": "Unit", "部门": "Department", "职务/职称": "Position/title",
    "通讯地址": "Postal address", "邮编": "Postcode", "团队信息": "Team details", "团队名称": "Team name",
    "团队负责人": "Team leader", "负责人姓名": "Leader's name", "负责人职务/职称": "Leader's position/title",
    "负责人联系电话": "Leader's phone", "负责人邮箱": "Leader's e-mail", "团队成员": "Team members",
    "成员姓名": "Member's name", "成员分工": "Member's role", "所属业务领域": "Business domain",
    "事迹材料": "Account of deeds", "曾获媒体平台表彰与奖励情况": "Honours and awards from media platforms",
    "媒体平台表彰与奖励": "Honour or award from a media platform", "表彰或奖励名称": "Honour or award",
    "级别": "Level", "颁发单位": "Issued by", "获得日期": "Date received", "联系人": "Contact",
    "联系人姓名": "Contact's name", "联系人邮箱": "Contact's e-mail", "联系人手机": "Contact's mobile phone",
    "密码": "Password", "撤回原因": "Reason for withdrawal", "幂等键": "Submit key",
}

_MOBILE_EN = "please enter an 11-digit mobile number, e.g. 13812345678"

# What follows `标签：` in a field message, when it has no values of its own.
HINTS = {
    "必填": "required",
    "请填写文字": "please enter text",
    "格式不正确": "not in the right format",
    "格式不正确，应为列表": "not in the right format: a list is expected",
    "请输入 11 位手机号码，如 13812345678": _MOBILE_EN,
    "请输入 11 位手机号码，如 13812345678；固定电话请带区号，如 010-62512345":
        f"{_MOBILE_EN}; a landline needs its area code, e.g. 010-62512345",
    "请输入有效的电子邮箱地址，如 name@example.com": "please enter a valid e-mail address, e.g. name@example.com",
    "请从列表中选择，如 中共党员、群众": "please choose from the list, e.g. 中共党员 (CPC member) or 群众 (no affiliation)",
    "请填写单位全称，4–100 个字，如 中国人民大学":
        "please enter the unit's full name, 4–100 characters, e.g. 中国人民大学 (Renmin University of China)",
    "请填写所在部门（单位名称须填写至部门），如 后勤集团":
        "please enter the department (the unit must be given down to the department), e.g. 后勤集团",
    "请输入 6 位数字邮政编码，如 100872": "please enter a 6-digit postcode, e.g. 100872",
    "请填写 2–30 个字，不含数字和符号": "please enter 2–30 characters, without digits or symbols",
    "请选择 男 或 女": "please choose 男 (male) or 女 (female)",
    "请从列表中选择，如 汉族": "please choose from the list, e.g. 汉族 (Han)",
    "请填写整数，如 45": "please enter a whole number, e.g. 45",
    "请选择 个人 或 团队": "please choose 个人 (person) or 团队 (team)",
    f"请选择 {'、'.join(MEDIA_HONOUR_LEVELS)} 之一":
        "please choose one of " + ", ".join(f"{level} ({english})" for level, english in zip(
            MEDIA_HONOUR_LEVELS, ("national", "provincial or ministerial", "municipal", "county or district",
                                  "school", "media platform"))),
    "请按 2022-06-01 的格式填写": "please use the format 2022-06-01",
    "不是本次活动": "not this campaign",
    "不是本次活动，请从活动页面重新进入": "not this campaign; please start again from the campaign's page",
    "请选择推荐渠道": "please choose a nomination channel",
    "请选择一个业务领域": "please choose a business domain",
    "不能晚于今天": "cannot be later than today",
    "请选择本次活动的推荐渠道": "please choose one of this campaign's nomination channels",
    "本次活动不接受这类推荐对象": "this campaign does not accept this type of nominee",
    "组织推荐须填写推荐单位名称": "a nomination by an organisation must name the recommending organisation",
}

# Terms that appear inside refusals: upload kinds and names, states, actions, the 2022 campaign's names.
TERMS = {
    "申报": "nomination", "文件": "file",
    "一寸免冠照": "1-inch bareheaded photo", "加盖公章的纸质报名表": "sealed paper registration form",
    "最高荣誉证书扫描件": "scan of the highest honour certificate",
    "媒体平台表彰与奖励证明": "proof of a media platform honour or award",
    "photo": "photo", "sealed_form": "sealed registration form", "certificate": "honour certificate",
    "media_proof": "media honour proof",
    "草稿": "draft", "已提交": "submitted", "已退回待修改": "returned for correction",
    "已重新提交": "resubmitted", "已撤回": "withdrawn", "已取消资格": "disqualified",
    "提交": "submit", "退回修改": "return for correction", "重新提交": "resubmit", "撤回": "withdraw",
    "取消资格": "disqualify", "未提交（征集已截止）": "not submitted (submissions closed)",
    "截止未提交": "lapse at the close of submissions",
    "地方教育后勤社团组织推荐": "nomination by a local education logistics association",
    "协会理事单位推荐": "nomination by a council unit of the association",
    "协会会员单位推荐": "nomination by a member unit of the association",
    "协会分支机构推荐": "nomination by a branch of the association", "个人自荐": "self-nomination",
    **LABELS,
}

# The scan's labels of what a refused file is (sniff.REFUSED_TYPE_LABELS), of what hides after an
# image (pipeline.PAYLOAD_LABELS), of a PDF's active content (pdf_content.ACTIVE_CONTENT), and its hints.
SCAN_TERMS = {
    "ELF 可执行文件": "an ELF executable", "Windows 可执行文件 EXE/DLL": "a Windows executable (EXE/DLL)",
    "macOS 可执行文件": "a macOS executable", "脚本文件": "a script", "脚本": "a script",
    "ZIP 压缩包或 Word、Excel 文档": "a ZIP archive or a Word/Excel document", "RAR 压缩包": "a RAR archive",
    "7z 压缩包": "a 7z archive", "GZIP 压缩包": "a GZIP archive", "Word、Excel 文档": "a Word/Excel document",
    "HTML 网页": "an HTML page", "SVG 矢量图": "an SVG drawing", "XML 文档": "an XML document",
    "GIF 图片": "a GIF image", "WebP 图片": "a WebP image", "HEIC 图片": "a HEIC image",
    "视频文件": "a video", "BMP 图片": "a BMP image", "TIFF 图片": "a TIFF image",
    "文件头前带有多余数据的 PDF": "a PDF with extra data before its header", "空文件": "an empty file",
    "无法识别的格式": "an unrecognised format", "ZIP 压缩包": "a ZIP archive", "可执行程序": "an executable",
    "JavaScript 脚本": "JavaScript", "打开时自动执行的动作 OpenAction": "an action run on opening (OpenAction)",
    "自动触发的动作 AA": "automatic actions (AA)", "启动外部程序的动作 Launch": "a launch action (Launch)",
    "嵌入的附件": "embedded attachments", "多媒体内容 RichMedia": "rich media (RichMedia)",
    "XFA 动态表单": "an XFA dynamic form",
}
TYPE_HINTS_EN = {
    "：请在手机相册中将照片导出为 JPG 后上传": ": please export the photo as JPG from the phone's album",
    "：压缩包请解压后逐个上传，Word、Excel 文档请打印后扫描上传":
        ": unpack an archive and upload its files one by one; print and scan Word or Excel documents",
    "：请打印后扫描，或导出为 PDF 后上传": ": please print and scan it, or export it as PDF",
    "：请另存为 JPG 或 PNG 后上传": ": please save it as JPG or PNG",
    "：请另存为 JPG、PNG 或 PDF 后上传": ": please save it as JPG, PNG or PDF",
}

# Whole sentences without values.
EXACT = {
    "表单中没有这一项": "This field is not part of the form",
    "格式不正确，应为一组字段": "Not in the right format: a group of fields is expected",
    "链接无效或已被篡改，请使用邮件中的完整链接": "This link is not valid or has been altered; please use the full link from the e-mail",
    "邀请链接无效，请联系活动秘书处": "This invitation link is not valid; please contact the campaign's secretariat",
    "邀请链接已过期，请联系活动秘书处重新发送邀请":
        "This invitation link has expired; please ask the campaign's secretariat to send a new invitation",
    "两次输入的密码不一致": "The two passwords are not the same",
    "验证链接无效，请使用邮件中的完整链接": "This verification link is not valid; please use the full link from the e-mail",
    "验证链接已过期，请在申报页面重新发送验证邮件":
        "This verification link has expired; please send another one from the nomination's page",
    "请选择要上传的文件": "Please choose a file to upload",
}

# The scan's reasons, by their stable code (every code of shared/scans and service_layer/scans).
_REUPLOAD = "please export it again and upload it"
SCAN_REASONS = {
    "empty_file": [(r"文件为空（0 字节）：请重新选择文件上传", "The file is empty (0 bytes): please choose the file again")],
    "unsupported_type": [(r"文件类型不受支持：仅接受 JPG、PNG、PDF（检测到 (?P<what>[^）]+)）(?P<hint>.*)",
                          "This type of file is not accepted: only JPG, PNG and PDF are (this is {what}){hint}")],
    "file_too_large": [(r"文件过大：最大 (?P<max>\d+) MB，本文件 (?P<size>[\d.]+) MB",
                        "The file is too large: at most {max} MB, this file is {size} MB")],
    "photo_not_image": [(r"照片须为 JPG 或 PNG 图片，不接受 PDF：请上传一寸证件照图片",
                         "The photo must be a JPG or PNG image, not a PDF: please upload a 1-inch ID photo")],
    "image_truncated": [(r"图片文件不完整（可能上传中断或文件已损坏）：请重新上传",
                         "The image is incomplete (the upload may have been interrupted or the file is damaged): "
                         "please upload it again")],
    "image_damaged": [(r"图片文件已损坏或不完整，无法读取：请重新拍摄或导出后上传",
                       "The image is damaged or incomplete and cannot be read: please take or export it again")],
    "image_too_large": [(r"图片尺寸过大(?:（(?P<w>\d+)×(?P<h>\d+) 像素）)?：最多 (?P<wan>\d+) 万像素，请缩小后重新上传",
                         "The image is too large{size}: at most {megapixels} megapixels, please make it smaller")],
    "image_appended_data": [(r"图片末尾附带了额外数据（(?P<what>[^）]+)），可能被改动过：预览已去除这些数据，"
                             r"请上传相机或扫描仪生成的原始图片",
                             "The image carries extra data after its end ({what}) and may have been altered: the "
                             "preview leaves it out; please upload the original image from the camera or scanner")],
    "image_embedded_markup": [(r"图片内部含有网页代码，可能被改动过：请上传相机或扫描仪生成的原始图片",
                               "The image contains web page code and may have been altered: please upload the "
                               "original image from the camera or scanner")],
    "unreadable": [(r"文件无法读取，可能已损坏：请重新导出后上传",
                    f"The file cannot be read and may be damaged: {_REUPLOAD}"),
                   (r"文件无法读取（多次检查均失败），请重新导出或扫描后上传",
                    "The file cannot be read (several checks failed): please export or scan it again and upload it")],
    "file_missing": [(r"文件未能保存，请重新上传", "The file was not saved: please upload it again")],
    "pdf_encrypted": [(r"PDF 设有打开密码：请取消密码后重新上传",
                       "The PDF has an opening password: please remove the password and upload it again"),
                      (r"PDF 已加密：请取消加密或权限限制后重新上传",
                       "The PDF is encrypted: please remove the encryption or restrictions and upload it again")],
    "pdf_damaged": [(r"PDF 文件已损坏，无法读取：请重新导出后上传", f"The PDF is damaged and cannot be read: {_REUPLOAD}"),
                    (r"PDF 没有任何页面：请重新导出后上传", f"The PDF has no pages: {_REUPLOAD}"),
                    (r"PDF 页面尺寸异常，无法显示：请重新导出后上传",
                     f"The PDF's page size is abnormal and cannot be shown: {_REUPLOAD}")],
    "pdf_too_many_pages": [(r"PDF 页数过多：最多 (?P<max>\d+) 页，本文件有 (?P<count>\d+) 页",
                            "The PDF has too many pages: at most {max}, this file has {count}")],
    "pdf_active_content": [(r"PDF 含有不允许的内容（(?P<what>[^）]+)）：请打印或扫描为普通 PDF 后重新上传",
                            "The PDF contains content that is not allowed ({what}): please print or scan it to a "
                            "plain PDF and upload it again")],
    "pdf_uninspectable": [(r"PDF 内部结构无法检查（使用了不常见的压缩方式）：请重新导出为普通 PDF 后上传",
                           "The PDF's structure cannot be checked (it uses an unusual compression): please export "
                           "it again as a plain PDF")],
    "pdf_too_complex": [(r"PDF 内部结构过大，无法检查：请重新导出或打印为普通 PDF 后上传",
                         "The PDF's structure is too large to check: please export or print it again as a plain PDF")],
    "seal_missing": [(r"未检测到公章：请上传加盖单位公章的报名表扫描件",
                      "No seal was found: please upload a scan of the registration form bearing the unit's seal")],
    "qr_other_nomination": [(r"报名表上的二维码属于另一份推荐材料：请上传本推荐对应报名表的盖章扫描件",
                             "The QR code on the form belongs to another nomination: please upload the sealed scan "
                             "of this nomination's own form")],
    "photo_aspect": [(r"照片比例不符合一寸证件照（宽:高约 5:7，本照片 (?P<w>\d+)×(?P<h>\d+) 像素）：请上传一寸证件照",
                      "The photo's proportions are not those of a 1-inch ID photo (width:height about 5:7, this "
                      "photo is {w}×{h} pixels): please upload a 1-inch ID photo")],
    "photo_low_resolution": [(r"照片分辨率偏低（(?P<w>\d+)×(?P<h>\d+) 像素，至少需 (?P<mw>\d+)×(?P<mh>\d+)）：请上传更清晰的证件照",
                              "The photo's resolution is low ({w}×{h} pixels, at least {mw}×{mh} needed): please "
                              "upload a sharper ID photo")],
}

# Parameterised refusals of the domain, the service layer and the web layer: (pattern, English).
PATTERNS = [
    (r"曾获“(?P<honour>.+)”，按通知不予参与本年度推举",
     'Previously honoured as "{honour}"; under the notice, not eligible this year'),
    (r"第 (?P<row>\d+) 行缺少：(?P<missing>[^；（）]+)（所需列：(?P<columns>[^；（）]+)）",
     "Row {row} is missing: {missing} (the columns needed: {columns})"),
    (r"第 (?P<row>\d+) 行「年度」须为四位数字", 'Row {row}: "年度" (year) must be four digits'),
    (r"已删除第 (?P<n>\d+) 项表彰。", "Honour {n} was deleted."),
    (r"一次最多导入 (?P<max>\d+) 条记录（文件中有 (?P<count>\d+) 行），请分批导入",
     "At most {max} records can be imported at once (the file has {count} rows); please import in parts"),
    (r"第 (?P<row>\d+) 行「(?P<column>[^」]+)」不能超过 (?P<max>\d+) 个字",
     'Row {row}: "{column}" cannot be longer than {max} characters'),
    (r"文件超过大小上限 (?P<max>\d+) MB / file exceeds (?P<bytes>\d+) bytes",
     "The file exceeds the size limit of {max} MB"),
]

# Hints with values, after `标签：`.
HINT_PATTERNS = [
    (r"请填写 (?P<min>\d+)–(?P<max>\d+) 个字", "please enter {min}–{max} characters"),
    (r"请填写 (?P<min>\d+) 至 (?P<max>\d+) 之间的整数", "please enter a whole number from {min} to {max}"),
    (r"请填写 (?P<min>\d+) 至 (?P<max>\d+) 名成员（现 (?P<count>\d+) 名）",
     "please list {min} to {max} members (now {count})"),
    (r"请从 (?P<n>\d+) 个业务领域中选择一个", "please choose one of the {n} business domains"),
    (r"请填写 (?P<min>\d+)–(?P<max>\d+) 字（现 (?P<count>\d+) 字，不计空白）",
     "please write {min}–{max} characters (now {count}, not counting whitespace)"),
    (r"最多填写 (?P<max>\d+) 项", "at most {max} items"),
    (r"推荐个人时不填写此项", "leave this out when nominating a person"),
    (r"推荐团队时不填写此项", "leave this out when nominating a team"),
    (r"至少 (?P<min>\d+) 位", "at least {min} characters"),
    (r"最多 (?P<max>\d+) 位", "at most {max} characters"),
    (r"最多 (?P<max>\d+) 个字", "at most {max} characters"),
    (r"最多 (?P<max>\d+) 个字（现 (?P<count>\d+) 字）", "at most {max} characters (now {count})"),
]

def _compiled(pairs) -> list[tuple[re.Pattern, str]]:
    return [(re.compile(pattern), english) for pattern, english in pairs]


_PATTERNS = _compiled(PATTERNS)
_HINT_PATTERNS = _compiled(HINT_PATTERNS)
_SCAN_PATTERNS = {code: _compiled(pairs) for code, pairs in SCAN_REASONS.items()}


def to_english(message_zh: str) -> str:
    """The English of a Chinese refusal, or `message_zh` itself when it is not recognised."""
    return _translated(message_zh) or message_zh


def scan_reason_to_english(code: str, reason_zh: str) -> str:
    """The English of one scan reason, recognised by its stable code."""
    for pattern, english in _SCAN_PATTERNS.get(code, []):
        match = pattern.fullmatch(reason_zh)
        if match:
            return _render(english, match)
    return to_english(reason_zh)


def has_english(message_zh: str) -> bool:
    return _translated(message_zh) is not None


def _translated(message: str) -> str | None:
    for attempt in (_exact, _patterned, _scan_reason, _field_message, _honour_row, _joined_problems):
        english = attempt(message)
        if english is not None:
            return english
    return None


def _exact(message: str) -> str | None:
    return EXACT.get(message)


def _patterned(message: str) -> str | None:
    return _first_match(_PATTERNS, message)


def _scan_reason(message: str) -> str | None:
    return next((english for patterns in _SCAN_PATTERNS.values()
                 if (english := _first_match(patterns, message)) is not None), None)


def _field_message(message: str) -> str | None:
    """`联系电话：请输入 11 位手机号码…` -> `Phone: please enter an 11-digit mobile number…`."""
    label, separator, hint = message.partition("：")
    if not separator or label not in LABELS:
        return None
    english = HINTS.get(hint) or _first_match(_HINT_PATTERNS, hint)
    return None if english is None else f"{LABELS[label]}: {english}"


_HONOUR_ROW = re.compile(r"第 (?P<n>\d+) 项表彰·(?P<rest>.+)")


def _honour_row(message: str) -> str | None:
    """`第 2 项表彰·颁发单位：必填` -> `Honour 2: Issued by: required`."""
    match = _HONOUR_ROW.fullmatch(message)
    rest = match and _translated(match["rest"])
    return f"Honour {match['n']}: {rest}" if rest else None


def _joined_problems(message: str) -> str | None:
    """UploadsIncomplete joins its problems with `；`: each must be recognised."""
    parts = message.split("；")
    if len(parts) < 2:
        return None
    english = [_translated(part) for part in parts]
    return None if None in english else "; ".join(english)


def _first_match(patterns: list[tuple[re.Pattern, str]], message: str) -> str | None:
    for pattern, english in patterns:
        match = pattern.fullmatch(message)
        if match:
            return _render(english, match)
    return None


def _render(english: str, match: re.Match) -> str:
    values = {name: _value(name, value or "") for name, value in match.groupdict().items()}
    if "wan" in values:  # image_too_large: 万像素 -> megapixels, and the optional stated size
        values["megapixels"] = f"{int(match['wan']) / 100:g}"
        values["size"] = f" ({match['w']}×{match['h']} pixels)" if match["w"] else ""
    return english.format(**values)


_VALUE_RENDERERS: dict[str, Callable[[str], str]] = {
    "hint": lambda text: TYPE_HINTS_EN.get(text, text),
    "missing": lambda text: _column_names(text),
    "columns": lambda text: _column_names(text),
}


def _column_names(text: str) -> str:
    """An import file's column headers stay as the file must spell them."""
    return ", ".join(f'"{name}"' for name in text.split("、"))


def _value(name: str, value: str) -> str:
    renderer = _VALUE_RENDERERS.get(name)
    if renderer is not None:
        return renderer(value)
    if value in TERMS or value in SCAN_TERMS:
        return _term(value)
    return ", ".join(_term(part) for part in value.split("、"))


def _term(text: str) -> str:
    return TERMS.get(text) or SCAN_TERMS.get(text) or text
