"""What changed between two versions of an application: the changed fields with their Chinese labels, a short
summary for the version list, and stored values as Chinese text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..application.derived import fmt
from ..application.attachments import AWARD_KINDS, MATERIAL_STATUS_LABELS, STANDARD_KINDS
from ..application.errors import field_label
from ..application.ids import AiKind, City, Domain


@dataclass(frozen=True)
class Change:
    path: tuple[Any, ...]
    label: str  # Chinese path of the field
    old: Any
    new: Any


def _walk(old: Any, new: Any, path: tuple[Any, ...], out: list[tuple[tuple[Any, ...], Any, Any]]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for k in list(old) + [k for k in new if k not in old]:
            _walk(old.get(k), new.get(k), path + (k,), out)
    elif (isinstance(old, list) and isinstance(new, list)
          and all(isinstance(x, dict) for x in old + new) and (old or new)):
        for i in range(max(len(old), len(new))):
            _walk(old[i] if i < len(old) else None, new[i] if i < len(new) else None, path + (i,), out)
    elif isinstance(old, dict) or isinstance(new, dict):  # a row added or removed
        o = old if isinstance(old, dict) else {}
        n = new if isinstance(new, dict) else {}
        for k in list(o) + [k for k in n if k not in o]:
            _walk(o.get(k), n.get(k), path + (k,), out)
    elif old != new:
        out.append((path, old, new))


def diff_data(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """The fields that differ between two application dicts, each with its Chinese label."""
    raw: list[tuple[tuple[Any, ...], Any, Any]] = []
    _walk(old, new, (), raw)
    t = str(new.get("type") or old.get("type") or "")
    changes = []
    for path, o, n in raw:
        if (o in (None, "") and n in (None, "")):
            continue
        label = field_label((t, *path)) if t in ("park", "enterprise") else ".".join(map(str, path))
        if path[0] == "coverage_claims" and len(path) > 1:  # a point by its title, not its id
            label = label.replace(str(path[1]), _point_titles(t).get(str(path[1]), str(path[1])))
        if path[0] == "materials" and len(path) > 1:  # a checklist item by its number and words
            label = label.replace(str(path[1]), _material_labels().get(str(path[1]), str(path[1])))
        changes.append(Change(path, label, o, n))
    return changes


def _point_titles(app_type: str) -> dict[str, str]:
    from ..programme.points import load_points_file

    try:
        return {p.id: p.title for p in load_points_file(app_type).points}
    except Exception:  # noqa: BLE001 - a label is only a convenience: fall back to the id
        return {}


def _material_labels() -> dict[str, str]:
    from ..programme.materials import load_materials

    try:
        return {m.id: m.label for m in load_materials().items}
    except Exception:  # noqa: BLE001 - a label is only a convenience: fall back to the id
        return {}


def _short_label(label: str) -> str:
    parts = label.split(" › ")
    return " › ".join(parts[-2:]) if len(parts) > 2 else label


def summarize_changes(changes: list[Change], limit: int = 3) -> str:
    """``修改 5 处：总营业收入 › 2024年；园区名称 等`` (no change: ``无变化``)."""
    if not changes:
        return "无变化"
    names: list[str] = []
    for c in changes:
        s = _short_label(c.label)
        if s not in names:
            names.append(s)
    shown = "；".join(names[:limit])
    more = " 等" if len(names) > limit else ""
    return f"修改 {len(changes)} 处：{shown}{more}"


_CHOICES: dict[str, dict[str, str]] = {
    "ownership": {"state": "国有", "private": "民营", "joint": "合资", "other": "其他"},
    "sub_park_manager": {"parent_park": "所在园区管理机构", "local_government": "所在地人民政府", "other": "其他"},
    "action": {"confirmed": "本人确认已覆盖", "rejected": "判定有误（未覆盖）", "not_applicable": "不适用"},
    "status": dict(MATERIAL_STATUS_LABELS),  # a 附件清单 item
    "kind": {**AWARD_KINDS, **STANDARD_KINDS},  # an award or a standard
}


def display_value(v: Any, key: Any = None) -> str:
    """A stored value as Chinese text for the version view (empty, yes/no, numbers without trailing zeros, the
    Chinese names of ids); ``key`` is the field's key (the last part of its path)."""
    if v is None or v == "":
        return "（空）"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, (int, float)):
        return fmt(float(v))
    if isinstance(v, list):
        return "、".join(display_value(x, key) for x in v) if v else "（空）"
    if isinstance(v, str):
        enum = ({"domain": Domain, "other_domains": Domain, "city": City, "ai_kind": AiKind}.get(key)
                if isinstance(key, str) else None)
        if enum is not None:
            try:
                return enum.parse(v).label
            except ValueError:
                return v
        if isinstance(key, str) and key in _CHOICES:
            return _CHOICES[key].get(v, v)
        return v if len(v) <= 60 else v[:60] + f"…（共 {len(v)} 字）"
    return str(v)


__all__ = ["Change", "diff_data", "display_value", "summarize_changes"]
