"""What an application must have before it can be submitted: the required fields of the form, and credit codes
checked with their check digit.

Required means: the 申请书 cannot go out without it (who applies, where, who to call). The form marks these fields,
the eligibility checks list the empty ones, and the pages warn before an export. A missing one is 待确认, not a
failure of a rule of the notice: the applicant fills it in.

Credit codes (统一社会信用代码, GB 32100-2015) are checked by python-stdnum (:mod:`stdnum.cn.uscc`): the format and
the check digit, so a typing error in one character is found.
"""

from __future__ import annotations

from typing import Any, Optional

from .formspec import get_in

REQUIRED_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "park": (
        ("applicant_name", "申报单位名称"),
        ("city", "所在设区市"),
        ("basic.park_name", "园区名称"),
        ("basic.address", "园区地址"),
        ("basic.management_body", "管理机构"),
        ("basic.contact", "联系人及职务"),
        ("basic.phone", "联系电话"),
    ),
    "enterprise": (
        ("applicant_name", "申报单位名称"),
        ("city", "所在设区市"),
        ("basic.name", "企业名称"),
        ("basic.credit_code", "统一社会信用代码"),
        ("basic.address", "注册地址"),
        ("basic.legal_rep", "法定代表人"),
        ("basic.contact", "联系人及职务"),
        ("basic.phone", "联系电话"),
    ),
}
"""Per applicant type: (path in the application's JSON, label on the form)."""


def _type_key(app_type: Any) -> str:
    value = getattr(app_type, "value", app_type)
    return "enterprise" if str(value) == "enterprise" else "park"


def required_paths(app_type: Any) -> dict[str, str]:
    """path -> label of the required fields of an applicant type."""
    return dict(REQUIRED_FIELDS[_type_key(app_type)])


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def missing_required(app: Any) -> list[str]:
    """Labels of the required fields that are empty, in the order of the form."""
    data = app.model_dump(mode="json") if hasattr(app, "model_dump") else dict(app)
    return [label for path, label in REQUIRED_FIELDS[_type_key(data.get("type"))] if _blank(get_in(data, path))]


def credit_code_problem(code: str) -> Optional[str]:
    """None when ``code`` is empty or a valid 统一社会信用代码; otherwise the Chinese reason."""
    code = (code or "").strip().upper()
    if not code:
        return None
    try:
        from stdnum.cn import uscc
        from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError
    except ImportError:  # pragma: no cover - python-stdnum is in requirements.txt
        return None
    try:
        uscc.validate(code)
    except InvalidLength:
        return f"统一社会信用代码应为 18 位，“{code}”为 {len(code)} 位"
    except InvalidChecksum:
        right = uscc.calc_check_digit(code[:17])
        return (f"统一社会信用代码“{code}”的校验位（第 18 位）不正确，按前 17 位应为“{right}”；"
                "请按营业执照逐位核对（常见错误：字母 O 与数字 0、字母 I 与数字 1）")
    except ValidationError:
        return f"统一社会信用代码“{code}”格式不正确：应为 18 位数字或大写字母（不含 I、O、Z、S、V）"
    return None
