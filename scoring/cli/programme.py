"""``python -m scoring packs [--json]``: the rule packs (one per call of the programme) with their deadlines.

The global option ``--pack ID`` (accepted before or after any command, see :mod:`.entry`) chooses the pack every
command reads its rules from; without it the default pack is used (the newest call, or ``$SFJD_PACK``).
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any, Optional

from ..programme.packs import PackInfo, active_pack, default_pack, list_packs
from .common import EXIT_OK


def pack_json(p: PackInfo, today: Optional[date] = None) -> dict[str, Any]:
    """A pack as the CLI prints it in JSON (identity, deadline and whether it has passed)."""
    return {"id": p.id, "name": p.name, "province": p.province, "year": p.year, "batch": p.batch,
            "notice": p.citation, "issuer": p.issuer.name, "notice_date": p.notice_date.date.isoformat(),
            "deadline": p.deadline.date.isoformat(), "days_left": p.days_left(today),
            "deadline_passed": p.deadline_passed(today), "deadline_status": p.deadline_status(today),
            "directory": str(p.directory)}


def cmd_packs(args: argparse.Namespace) -> int:
    packs = list_packs()
    default, active = default_pack().id, active_pack().id
    if args.json:
        print(json.dumps([{**pack_json(p), "default": p.id == default, "active": p.id == active} for p in packs],
                         ensure_ascii=False, indent=2))
        return EXIT_OK
    for p in packs:
        marks = "".join(m for m, on in (("（默认）", p.id == default), ("（本次使用）", p.id == active)) if on)
        print(f"{p.id}{marks}\n  {p.name}\n  {p.citation}\n  截止：{p.deadline.date.isoformat()}，"
              f"{p.deadline_status()}\n  目录：{p.directory}")
    return EXIT_OK


def register(sub: Any) -> None:
    s = sub.add_parser("packs", help="列出规则包（申报批次）及其截止日期",
                       description="列出全部规则包：编号、名称、通知、截止日期及是否已截止。"
                                   "任一命令加 --pack 编号 即按该规则包评分。")
    s.add_argument("--json", action="store_true", help="以 JSON 输出")
    s.set_defaults(func=cmd_packs)
