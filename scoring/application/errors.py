"""Validation errors in Chinese, naming each field by its form label."""

from __future__ import annotations

import types
import typing
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from .models import EnterpriseApplication, ParkApplication

_ROOTS: dict[str, type[BaseModel]] = {"park": ParkApplication, "enterprise": EnterpriseApplication}


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/Annotated/list to the inner model class (or the plain type)."""
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        elif origin in (list, tuple):
            annotation = get_args(annotation)[0]
        else:
            return annotation


def field_label(loc: tuple[Any, ...], root: type[BaseModel] | None = None) -> str:
    """Chinese path of a validation location, e.g. ('main','total_revenue','y2024') -> 近三年主要发展指标 › 总营业收入 › 2024年."""
    parts = list(loc)
    if parts and isinstance(parts[0], str) and parts[0] in _ROOTS and root is None:
        root = _ROOTS[parts.pop(0)]
    model: Any = root
    labels: list[str] = []
    for p in parts:
        if isinstance(p, int):
            labels.append(f"第{p + 1}行")
            continue
        if get_origin(model) is dict:  # a mapping's key (e.g. an evaluation point's id), then its value's fields
            labels.append(str(p))
            model = _unwrap(get_args(model)[1])
            continue
        if isinstance(model, type) and issubclass(model, BaseModel) and p in model.model_fields:
            f = model.model_fields[p]
            labels.append(f.title or str(p))
            model = _unwrap(f.annotation)
        else:
            labels.append(str(p))
            model = None
    return " › ".join(labels) if labels else "（整份申报）"


_MESSAGES: dict[str, str] = {
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "必须大于 {gt}",
    "less_than_equal": "不能大于 {le}",
    "less_than": "必须小于 {lt}",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "bool_parsing": "应为“是”或“否”",
    "bool_type": "应为“是”或“否”",
    "missing": "缺少必填项",
    "extra_forbidden": "不是本表的字段",
    "string_pattern_mismatch": "格式不正确",
    "string_type": "应为文字",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "too_long": "条目过多（最多 {max_length} 条）",
    "union_tag_invalid": "申报类别应为 park（示范园区）或 enterprise（示范企业）",
    "union_tag_not_found": "缺少申报类别 type（park 或 enterprise）",
    "model_type": "应为一个表格对象",
    "list_type": "应为列表",
    "json_invalid": "不是有效的 JSON：{error}",
    "finite_number": "应为有限的数字（不能是无穷大或非数字）",
    "int_parsing_size": "数字位数过多",
    "string_too_long": "文字过长（上限 {max_length} 字）",
    "recursion_loop": "数据嵌套过深",
}


def _message(err: dict[str, Any]) -> str:
    typ = err.get("type", "")
    ctx = err.get("ctx") or {}
    if typ == "greater_than_equal" and ctx.get("ge") == 0:
        return "不能为负数"
    if typ == "less_than_equal" and ctx.get("le") == 100:
        return "百分比不能超过 100"
    if typ == "less_than_equal" and isinstance(ctx.get("le"), (int, float)) and ctx["le"] >= 10_000:
        return f"数值过大（上限 {ctx['le']:,.0f}），请检查单位和小数点"
    if typ == "value_error" and ctx.get("error") is not None:
        return str(ctx["error"])
    if typ in ("enum", "literal_error"):
        return f"取值无效，应为：{ctx.get('expected', '')}"
    tmpl = _MESSAGES.get(typ)
    if tmpl:
        try:
            return tmpl.format(**ctx)
        except (KeyError, IndexError):
            return tmpl
    return str(err.get("msg", "无效"))


def _shown(value: Any) -> str:
    """The input as shown in a message: escaped (control characters visible), at most 60 characters."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**30:
        return f"{len(str(abs(value)))} 位的整数"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def format_validation_error(exc: ValidationError, root: type[BaseModel] | None = None) -> list[str]:
    """One Chinese line per error: '字段路径：原因（输入值：…）'."""
    lines = []
    for err in exc.errors():
        loc = tuple(err.get("loc", ()))
        label = field_label(loc, root)
        msg = _message(err)
        value = err.get("input")
        shown = "" if isinstance(value, (dict, list)) or value is None else f"（输入值：{_shown(value)}）"
        lines.append(f"{label}：{msg}{shown}")
    return lines
