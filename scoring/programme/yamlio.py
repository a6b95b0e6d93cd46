"""Reading a rubric YAML file, and the error every rubric loader raises (message in Chinese)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class RubricError(RuntimeError):
    """A rubric file is missing or malformed (message in Chinese)."""


def read_yaml(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_YamlLoader)  # noqa: S506 (a SafeLoader)
    except FileNotFoundError as e:
        raise RubricError(f"找不到规则文件：{path}") from e
    except yaml.YAMLError as e:
        raise RubricError(f"规则文件格式错误：{path}：{e}") from e
