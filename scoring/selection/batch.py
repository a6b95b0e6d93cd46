"""Batch import: many application files at once, for a city's 工信局.

Accepted files:

* ``.json`` — the app's own JSON export (:func:`scoring.formats.json_io.import_json`);
* ``.docx`` — the filled Word 申请书 (:func:`scoring.formats.word.import_application_docx`, when that module exists;
  otherwise each .docx is reported as “Word 导入暂不可用”);
* ``.xlsx`` — the batch template of :mod:`scoring.selection.batch_template` (one row per candidate), or the app's own
  single-application workbook (:func:`scoring.formats.excel.import_xlsx`).

Every file, row and cell that cannot be used is reported as a :class:`BatchProblem` (file, row, column, Chinese
reason); every good application becomes a :class:`Candidate`. Nothing is dropped silently: each file gives at least
one candidate or one problem, and :class:`FileReport` says which. A folder given to :func:`import_paths` is read
file by file (``*.json``, ``*.docx``, ``*.xlsx``; other files are reported).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Literal, Optional

from .batch_template import SHEET_TITLES, read_workbook
from ..application.models import AnyApplication

Progress = Callable[[int, int, str], None]
"""``progress(done, total, message)``: called after each file (import) or candidate (scoring)."""

SUPPORTED_EXTS: tuple[str, ...] = ("json", "docx", "xlsx")
MAX_FILES = 500
"""Files per batch at most (a city receives a few dozen applications)."""

Level = Literal["错误", "提示"]


@dataclass(frozen=True)
class BatchProblem:
    file: str
    reason: str
    row: Optional[int] = None
    column: Optional[str] = None
    sheet: Optional[str] = None
    level: Level = "错误"

    def where(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column:
            parts.append(self.column)
        return " · ".join(parts)

    def text(self) -> str:
        return f"{self.where()}：{self.reason}"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "column": self.column,
                "reason": self.reason, "level": self.level}


@dataclass
class Candidate:
    cid: str
    """Stable id within the batch: ``C001``, ``C002`` … in the order the files (and rows) were read."""
    source: str
    """Where it came from, for people: ``a.json`` or ``批次.xlsx · 示范企业 第 3 行``."""
    app: AnyApplication
    file: str = ""
    row: Optional[int] = None
    notes: list[str] = field(default_factory=list)
    """Problems of this candidate's own file or row (cells not imported): it is ranked, with these shown."""


@dataclass
class FileReport:
    file: str
    kind: str
    candidates: int
    errors: int
    warnings: int

    @property
    def status(self) -> str:
        if self.candidates == 0:
            return "未导入"
        if self.errors:
            return "部分导入"
        return "已导入"


@dataclass
class BatchImport:
    candidates: list[Candidate] = field(default_factory=list)
    problems: list[BatchProblem] = field(default_factory=list)
    files: list[FileReport] = field(default_factory=list)

    @property
    def errors(self) -> list[BatchProblem]:
        return [p for p in self.problems if p.level == "错误"]

    def extend(self, other: "BatchImport") -> None:
        self.candidates.extend(other.candidates)
        self.problems.extend(other.problems)
        self.files.extend(other.files)


# ---------------------------------------------------------------------------------------------------------------
# readers of one file


def _reasons(exc: Exception) -> list[str]:
    reasons = getattr(exc, "reasons", None)
    if reasons:
        return [str(r) for r in reasons]
    return [f"文件无法读取（{type(exc).__name__}）"]


def _read_json(name: str, data: bytes) -> tuple[list[tuple[AnyApplication, Optional[int], list[str]]], list[BatchProblem]]:
    from ..formats.json_io import import_json

    try:
        return [(import_json(data), None, [])], []
    except Exception as e:  # ImportProblem (Chinese reasons) or anything unexpected from a malformed file
        reasons = _reasons(e)
        reason = reasons[0] + ("" if len(reasons) == 1 else "\n" + "\n".join(f"  - {r}" for r in reasons[1:]))
        return [], [BatchProblem(name, reason)]


def _read_docx(name: str, data: bytes) -> tuple[list[tuple[AnyApplication, Optional[int], list[str]]], list[BatchProblem]]:
    try:
        from ..formats.word import import_application_docx  # type: ignore[import-not-found]
    except ImportError:
        return [], [BatchProblem(name, "Word 导入暂不可用：请先在“填报”页导入，或使用 JSON / Excel 批量模板")]
    try:
        app, problems = import_application_docx(data)
    except Exception as e:
        return [], [BatchProblem(name, "；".join(_reasons(e)))]
    lines = [str(p) for p in (problems or [])]
    if app is None:
        return [], [BatchProblem(name, ln) for ln in (lines or ["无法读取申请书内容"])]
    return [(app, None, lines)], [BatchProblem(name, ln) for ln in lines]  # fields left empty, as bad cells


def _is_batch_template(data: bytes) -> bool:
    from openpyxl import load_workbook

    from ..formats.xlsx_guard import prune_workbook

    try:
        wb = load_workbook(io.BytesIO(prune_workbook(data, lambda name: False)), read_only=True)
        names = {n.strip() for n in wb.sheetnames}
        wb.close()
    except Exception:
        return True  # let the template reader report the broken file
    return bool(names & set(SHEET_TITLES.values()))


def _read_xlsx(name: str, data: bytes) -> tuple[list[tuple[AnyApplication, Optional[int], list[str]]], list[BatchProblem]]:
    if not _is_batch_template(data):
        try:
            from ..formats.excel import import_xlsx
        except ImportError:
            return [], [BatchProblem(name, "不是批量导入模板（没有“示范园区”“示范企业”工作表）")]
        try:
            app, found = import_xlsx(data)
        except Exception as e:
            return [], [BatchProblem(name, "；".join(_reasons(e)))]
        lines = [str(p) for p in found]
        return [(app, None, lines)], [BatchProblem(name, ln) for ln in lines]
    rows, sheet_issues = read_workbook(data)
    out: list[tuple[AnyApplication, Optional[int], list[str]]] = []
    problems = [BatchProblem(name, i.reason, row=i.row, column=i.column, sheet=i.sheet or None, level=i.level)
                for i in sheet_issues]
    for r in rows:
        ps = [BatchProblem(name, i.reason, row=i.row, column=i.column, sheet=i.sheet, level=i.level) for i in r.issues]
        problems.extend(ps)
        if r.app is not None:
            out.append((r.app, r.row, [f"{p.column or '本行'}：{p.reason}" for p in ps]))
    if not rows and not sheet_issues:
        problems.append(BatchProblem(name, "模板中没有填写任何候选对象（第 2 行起每行一个）"))
    return out, problems


def read_file(name: str, data: bytes) -> tuple[list[tuple[AnyApplication, Optional[int], list[str]]], list[BatchProblem]]:
    """One file -> ([(application, row, notes)], problems). Never raises for a bad file."""
    from ..formats.common import ImportProblem, check_upload

    try:
        kind = check_upload(name, data, SUPPORTED_EXTS)
    except ImportProblem as e:  # its reasons start with the file name, which BatchProblem shows already
        reasons = [r[len(name) + 1:] if r.startswith(name + "：") else r for r in e.reasons]
        return [], [BatchProblem(name, "；".join(reasons))]
    try:
        if kind == "json":
            return _read_json(name, data)
        if kind == "docx":
            return _read_docx(name, data)
        return _read_xlsx(name, data)
    except Exception as e:  # a reader's bug must not lose the other files of the batch
        return [], [BatchProblem(name, f"文件无法读取（{type(e).__name__}：{e}）")]


# ---------------------------------------------------------------------------------------------------------------
# batches


def import_files(files: Iterable[tuple[str, bytes]], progress: Optional[Progress] = None,
                 start: int = 1) -> BatchImport:
    """Import ``(file name, content)`` pairs; candidates get ids ``C{start:03d}``… in reading order."""
    items = list(files)
    out = BatchImport()
    if len(items) > MAX_FILES:
        for name, _ in items[MAX_FILES:]:
            out.problems.append(BatchProblem(name, f"一次最多导入 {MAX_FILES} 个文件，本文件未读取"))
            out.files.append(FileReport(name, "", 0, 1, 0))
        items = items[:MAX_FILES]
    n = start
    for k, (name, data) in enumerate(items, 1):
        apps, problems = read_file(name, data)
        kind = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        for app, row, notes in apps:
            source = name if row is None else f"{name} · 第 {row} 行"
            out.candidates.append(Candidate(cid=f"C{n:03d}", source=source, app=app, file=name, row=row,
                                            notes=list(notes)))
            n += 1
        if not apps and not problems:  # pragma: no cover - every reader reports why it gave nothing
            problems = [BatchProblem(name, "文件中没有可导入的申报数据")]
        out.problems.extend(problems)
        out.files.append(FileReport(name, kind, len(apps), sum(p.level == "错误" for p in problems),
                                    sum(p.level == "提示" for p in problems)))
        if progress:
            progress(k, len(items), f"已读取 {name}")
    return out


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[BatchProblem]]:
    """Files of the given paths (a folder: its ``*.json``, ``*.docx``, ``*.xlsx``, sorted); missing paths reported."""
    files: list[Path] = []
    problems: list[BatchProblem] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and not f.name.startswith((".", "~$")))
            usable = [f for f in found if f.suffix.lower().lstrip(".") in SUPPORTED_EXTS]
            for f in found:
                if f not in usable:
                    problems.append(BatchProblem(str(f), "文件类型不受支持（只接受 .json、.docx、.xlsx），未读取",
                                                 level="提示"))
            if not usable:
                problems.append(BatchProblem(str(p), "文件夹中没有 .json、.docx 或 .xlsx 文件"))
            files.extend(usable)
        elif p.exists():
            files.append(p)
        else:
            problems.append(BatchProblem(str(p), "文件或文件夹不存在"))
    return files, problems


def import_paths(paths: Iterable[str | Path], progress: Optional[Progress] = None) -> BatchImport:
    """Import files and folders from disk (the CLI); file names in problems are the paths as given."""
    files, problems = expand_paths(paths)
    blobs: list[tuple[str, bytes]] = []
    unreadable: list[BatchProblem] = []
    from ..limits import LIMITS

    largest = max(LIMITS.json_bytes, LIMITS.xlsx_bytes, LIMITS.docx_bytes)
    for f in files:
        try:
            if f.stat().st_size > largest:  # not read at all: check_upload would refuse it by its kind's limit
                unreadable.append(BatchProblem(str(f), f"文件超过 {largest // (1024 * 1024)} MB，未读取"))
                continue
            blobs.append((str(f), f.read_bytes()))
        except OSError as e:
            unreadable.append(BatchProblem(str(f), f"无法读取（{e.strerror or type(e).__name__}）"))
    out = import_files(blobs, progress)
    out.problems[:0] = problems + unreadable
    out.files.extend(FileReport(p.file, "", 0, 1 if p.level == "错误" else 0, 1 if p.level == "提示" else 0)
                     for p in problems + unreadable)
    return out
