"""JSON export and import of one application: lossless, with a schema version.

``export_json`` writes the model's own field order (not sorted), two-space indentation, Chinese as is and a
trailing newline, so export → import → export gives a byte-identical file. ``import_json`` checks the file before
anything is changed and raises :class:`~scoring.formats.common.ImportProblem` with Chinese reasons.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from ..application.errors import format_validation_error
from .common import MAX_UPLOAD_BYTES, ImportProblem
from ..application.models import SCHEMA_VERSION, AnyApplication, dump_application, parse_application

# json's English messages, in Chinese
_JSON_MESSAGES: dict[str, str] = {
    "Expecting value": "此处缺少值（或文件不完整）",
    "Expecting property name enclosed in double quotes": "字段名应使用英文双引号（或多了一个逗号）",
    "Expecting ',' delimiter": "缺少英文逗号",
    "Expecting ':' delimiter": "缺少英文冒号",
    "Unterminated string starting at": "文字缺少结束的英文双引号",
    "Invalid control character at": "文字中含有不允许的控制字符",
    "Invalid \\escape": "含有无效的转义字符（反斜杠）",
    "Invalid \\uXXXX escape": "含有无效的 \\u 转义",
    "Extra data": "数据之后还有多余内容",
}


def export_json(app: AnyApplication) -> str:
    """The application as JSON text (UTF-8 when encoded), including ``schema_version``; deterministic."""
    return json.dumps(dump_application(app), ensure_ascii=False, indent=2) + "\n"


def _json_reason(e: json.JSONDecodeError) -> str:
    msg = _JSON_MESSAGES.get(e.msg, e.msg)
    return f"不是有效的 JSON：第 {e.lineno} 行第 {e.colno} 列：{msg}。"


def check_schema_version(data: dict[str, Any], what: str = "该文件") -> None:
    """Raise ImportProblem when ``schema_version`` is present and not the version this tool supports."""
    if "schema_version" not in data:
        return  # a hand-written file without a version is read as the current one (then fully validated)
    v = data["schema_version"]
    if isinstance(v, bool) or not isinstance(v, int):
        raise ImportProblem([f"{what}的数据格式版本“{v}”无效（应为整数）；本工具支持版本 {SCHEMA_VERSION}。"])
    if v == SCHEMA_VERSION:
        return
    newer = v > SCHEMA_VERSION
    raise ImportProblem([
        f"{what}的数据格式版本为 {v}，本工具支持版本 {SCHEMA_VERSION}。",
        ("该文件由较新版本的自评工具导出，请升级本工具后再导入。" if newer else
         "该文件由较旧版本的自评工具导出，请用导出它的版本打开，或在本工具中重新填报。"),
        "已填写的内容未作任何改动。",
    ])


def import_json(data: bytes | str) -> AnyApplication:
    """Read an exported application; raise :class:`ImportProblem` (Chinese reasons) when it cannot be used."""
    if isinstance(data, bytes):
        if len(data) > MAX_UPLOAD_BYTES["json"]:
            raise ImportProblem([f"文件过大（{len(data) // 1024} KB），JSON 数据文件上限 "
                                 f"{MAX_UPLOAD_BYTES['json'] // (1024 * 1024)} MB。"])
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportProblem(["不是 UTF-8 编码的文本文件，无法作为 JSON 数据读取。"]) from None
    else:
        text = data[1:] if data.startswith("\ufeff") else data
    if not text.strip():
        raise ImportProblem(["文件是空的。"])
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise ImportProblem([_json_reason(e), "已填写的内容未作任何改动。"]) from None
    except RecursionError:
        raise ImportProblem(["JSON 嵌套层级过深，不是本工具的数据文件。"]) from None
    if not isinstance(obj, dict):
        raise ImportProblem([f"JSON 顶层应为一个对象（一份申报数据），实际为{_kind(obj)}。"])
    check_schema_version(obj)
    try:
        return parse_application(obj)
    except ValidationError as e:
        lines = format_validation_error(e)
        raise ImportProblem([f"数据校验未通过（{len(lines)} 处），未导入：", *lines]) from None


def _kind(obj: Any) -> str:
    return {list: "列表", str: "文字", int: "数字", float: "数字", bool: "真假值"}.get(type(obj), "空值")
