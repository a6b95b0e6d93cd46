"""JSON export and import of one application: lossless, with a schema version.

``export_json`` writes the model's own field order (not sorted), two-space indentation, Chinese as is and a
trailing newline, so export → import → export gives a byte-identical file. ``import_json`` checks the file before
anything is changed and raises :class:`~scoring.formats.common.ImportProblem` with Chinese reasons.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from ..application.errors import format_validation_error
from .common import MAX_UPLOAD_BYTES, ImportProblem
from ..limits import LIMITS, json_depth
from ..application.models import SCHEMA_VERSION, AnyApplication, dump_application, parse_application

_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
_LONG_NUMBER = re.compile(r"\d{%d,}" % (LIMITS.number_digits + 1))

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


def load_json_object(data: bytes | str) -> dict[str, Any]:
    """The JSON object of an application file, checked against :data:`scoring.limits.LIMITS` before parsing.

    Size, encoding, nesting depth and the number of digits are checked first, so a hostile file (a 5,000-digit
    number, JSON nested 2,000 deep) is refused with a Chinese reason instead of costing time or a traceback.
    """
    if isinstance(data, bytes):
        if len(data) > MAX_UPLOAD_BYTES["json"]:
            raise ImportProblem([f"文件过大（{len(data) // 1024} KB），JSON 数据文件上限 "
                                 f"{MAX_UPLOAD_BYTES['json'] // (1024 * 1024)} MB。"])
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportProblem(["不是 UTF-8 编码的文本文件，无法作为 JSON 数据读取。"]) from None
    else:
        if len(data) > MAX_UPLOAD_BYTES["json"]:
            raise ImportProblem([f"文字过长，JSON 数据上限 {MAX_UPLOAD_BYTES['json'] // (1024 * 1024)} MB。"])
        text = data[1:] if data.startswith("\ufeff") else data
    if not text.strip():
        raise ImportProblem(["文件是空的。"])
    depth = json_depth(text)
    if depth > LIMITS.json_depth:
        raise ImportProblem([f"JSON 嵌套层级过深（{depth} 层，上限 {LIMITS.json_depth} 层），不是本工具的数据文件。"])
    if _LONG_NUMBER.search(_STRINGS.sub('""', text)):
        raise ImportProblem([f"文件中有超过 {LIMITS.number_digits} 位的数字，不是合理的申报数据。"])
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise ImportProblem([_json_reason(e), "已填写的内容未作任何改动。"]) from None
    except (RecursionError, ValueError) as e:
        raise ImportProblem([f"不是有效的 JSON（{type(e).__name__}）。", "已填写的内容未作任何改动。"]) from None
    if not isinstance(obj, dict):
        raise ImportProblem([f"JSON 顶层应为一个对象（一份申报数据），实际为{_kind(obj)}。"])
    return obj


def import_json(data: bytes | str) -> AnyApplication:
    """Read an exported application; raise :class:`ImportProblem` (Chinese reasons) when it cannot be used."""
    obj = load_json_object(data)
    check_schema_version(obj)
    try:
        return parse_application(obj)
    except ValidationError as e:
        lines = format_validation_error(e)
        raise ImportProblem([f"数据校验未通过（{len(lines)} 处），未导入：", *lines]) from None


def _kind(obj: Any) -> str:
    return {list: "列表", str: "文字", int: "数字", float: "数字", bool: "真假值"}.get(type(obj), "空值")
