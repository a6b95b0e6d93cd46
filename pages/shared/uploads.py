"""Reading an uploaded file into an application (我的申报 → 导入为新申报, 对标分析's peer files).

The readers are :mod:`scoring.formats.json_io`, :mod:`scoring.formats.excel` and :mod:`scoring.formats.word`; each may
not be available in a stripped-down install (then a Chinese "暂不可用"). Reading is bounded in time
(:data:`scoring.limits.LIMITS`); nothing in the session changes until :func:`import_as_new` makes the result current.
"""

from __future__ import annotations

from typing import Any, Optional

from pages.shared import persist, state

IMPORT_TYPES = ("json", "xlsx", "docx")


def upload_limits() -> tuple[int, str]:
    """(largest upload in MB, Chinese description of the limit per file type)."""
    try:
        from scoring.formats.common import MAX_UPLOAD_BYTES, MB
    except ImportError:
        return 20, "单个文件不超过 20 MB"
    text = "；".join(f".{k} 不超过 {v // MB} MB" for k, v in MAX_UPLOAD_BYTES.items())
    return max(1, max(MAX_UPLOAD_BYTES.values()) // MB), text


class ImportOutcome:
    """The result of reading an uploaded file: the application (or None) and Chinese lines."""

    def __init__(self, app: Any = None, errors: Optional[list[str]] = None, warnings: Optional[list[str]] = None):
        self.app = app
        self.errors = list(errors or [])
        self.warnings = list(warnings or [])


def read_upload(name: str, data: bytes) -> ImportOutcome:
    """:func:`_read_upload` within the time budget of :data:`scoring.limits.LIMITS` (a clear message if over)."""
    from concurrent.futures import ThreadPoolExecutor, TimeoutError as FutureTimeout

    from scoring.limits import LIMITS

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sfjd-import")
    try:
        return pool.submit(_read_upload, name, data).result(timeout=LIMITS.import_seconds)
    except FutureTimeout:
        return ImportOutcome(errors=[f"{name}：导入超过 {LIMITS.import_seconds:g} 秒仍未完成，已停止等待。"
                                     "文件内容过多或结构异常，请导出本工具的模板重新填写后再导入。"])
    finally:
        pool.shutdown(wait=False)


def _read_upload(name: str, data: bytes) -> ImportOutcome:
    """Read an uploaded ``.json`` / ``.xlsx`` / ``.docx`` into an application; nothing in the session changes.

    Errors are Chinese lines (the file cannot be used); warnings are parts of the file that were not read (bad
    cells, unreadable table rows) while the rest was.
    """
    kind = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    try:
        from scoring.formats.common import ImportProblem, check_upload
    except ImportError:
        ImportProblem = None  # type: ignore[assignment,misc]
        check_upload = None  # type: ignore[assignment]
    try:
        if check_upload is not None:
            kind = check_upload(name, data, IMPORT_TYPES)
        elif kind not in IMPORT_TYPES:
            return ImportOutcome(errors=[f"{name}：只接受 .json、.xlsx、.docx 文件。"])
        if kind == "json":
            try:
                from scoring.formats.json_io import import_json
            except ImportError:
                return ImportOutcome(errors=[f"JSON 导入{persist.UNAVAILABLE}。"])
            return ImportOutcome(import_json(data))
        if kind == "xlsx":
            try:
                from scoring.formats.excel import import_xlsx
            except ImportError:
                return ImportOutcome(errors=[f"Excel 导入{persist.UNAVAILABLE}。"])
            app, problems = import_xlsx(data)
            return ImportOutcome(app, warnings=problems)
        try:
            from scoring.formats.word import import_application_docx
        except ImportError:
            return ImportOutcome(errors=[f"Word 申请书导入{persist.UNAVAILABLE}。"])
        app, problems = import_application_docx(data)
        if app is None:
            return ImportOutcome(errors=problems or [f"{name}：无法读取申请书内容。"])
        return ImportOutcome(app, warnings=problems)
    except Exception as e:  # ImportProblem carries Chinese reasons; anything else is a malformed file
        reasons = getattr(e, "reasons", None)
        if ImportProblem is not None and isinstance(e, ImportProblem) and reasons:
            return ImportOutcome(errors=list(reasons))
        return ImportOutcome(errors=[f"{name}：文件无法读取（{type(e).__name__}：{e}）。"])


def import_as_new(name: str, data: bytes) -> ImportOutcome:
    """Read a file and, if it gives an application, make it the current one, saved as a new application of the
    workspace (the applications already saved are not touched)."""

    out = read_upload(name, data)
    if out.app is not None:
        state.set_app(out.app, source=f"导入 {name}")
        if persist.current_id() is None:  # an imported sample: save it now all the same
            persist.autosave()
    return out
