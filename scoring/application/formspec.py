"""Layout of the application forms (Annex 2 park, Annex 3 enterprise) for the UI, built from the models.

The pydantic models of :mod:`scoring.application.models` are the single source of every field's Chinese label (``title``),
unit (``json_schema_extra['unit']``), help text, bounds and derivability. This module only decides the *grouping*
(which model parts go into which tab, in the form's order) and turns each model field into a widget-neutral item:

- :class:`FieldSpec`: one scalar input (text, number, date, yes/no, choice, ...);
- :class:`SeriesTable`: a 近三年 table (rows = indicators, columns = 2023年/2024年/2025年);
- :class:`DerivedValue`: a value the form asks for but that is computed (加权数量, 占比);
- :class:`ListTable`: the top-10 enterprises (park) / top-5 products (enterprise).

Every item has two names. ``title`` is the model's self-contained name (``主导产业规模以上企业营业收入``), used by
files, messages and the batch template (``title_label`` adds the unit). ``label`` is what the 填报 page shows: the
form's own row label (``规模以上企业营业收入（亿元）`` under the heading ``主导产业近三年发展情况``), from the field's
``form_label`` or, where the park and enterprise forms word a shared field differently, from
:mod:`scoring.application.formwords`. ``note`` is the form's note on the row or heading, verbatim (shown as help or
caption); ``on_form=False`` marks what is not a row of the form at all (facts the tool needs, our own split of a
field, our grouping of two headings). ``tests/application/test_form_labels.py`` checks every on-form label and note
against the text of Annex 2/3.

Which years of a derivable row are computed is read from :func:`scoring.application.derived.compute_derived` run on a blank
application (a computed metric carries its formula), so the rule lives in one place. Pure Python, no streamlit.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator, Literal, Optional, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .derived import YEAR_KEYS, compute_derived
from .formwords import FORM_GROUP, FORM_LABEL, FORM_NOTE, ON_FORM, ROWS_ON_FORM, UNIT_ON_FORM, type_words
from .ids import YEARS, AiKind, ApplicantType, City, Domain
from .models import AnyApplication, EnterpriseApplication, ParkApplication

Kind = Literal["text", "textarea", "int", "float", "bool", "tristate", "date", "choice", "multichoice"]

YEAR_COLUMNS: tuple[str, str, str] = tuple(f"{y}年" for y in YEARS)  # type: ignore[assignment]
"""Column headers of the 近三年 tables, in the order of :data:`scoring.application.derived.YEAR_KEYS`."""
AVG_COLUMN = "近三年平均值"

# Chinese labels of the options of Literal fields (the models keep ids; the labels are the form's wording).
OPTION_LABELS: dict[str, dict[str, str]] = {
    "basic.ownership": {"state": "国有", "private": "民营", "joint": "合资", "other": "其他"},
    "status.sub_park_manager": {"parent_park": "所在园区管理机构", "local_government": "所在地人民政府",
                                "other": "其他"},
}

# The first page of the form (申请书首页) plus the facts the tool needs (city, other domains), in this order.
COVER_FIELDS: tuple[str, ...] = ("applicant_name", "domain", "ai_kind", "recommender", "fill_date", "city",
                                 "other_domains")  # ai_kind: enterprises only
DOMAIN_ONLY: dict[str, Domain] = {"ai_kind": Domain.AI}
"""Fields asked of one domain's applicants only: the 填报 page shows them to those (the model clears them for others)."""
COVER_TITLE = "申请书首页"

# Tabs of the form page: (tab title, model parts in the form's order). "@cover" is COVER_FIELDS.
PARK_LAYOUT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("基本信息", ("@cover", "basic")),
    ("资格与承诺", ("status", "attestations")),
    ("主要发展指标", ("main",)),
    ("主导产业", ("lead",)),
    ("研发与创新", ("rd", "platforms", "patents", "financing")),
    ("人才与数字化", ("talent", "factories")),
    ("政策与服务", ("narratives",)),
    ("创建工作方案", ("work_plan",)),
)
ENTERPRISE_LAYOUT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("基本信息", ("@cover", "basic")),
    ("资格与承诺", ("status", "attestations")),
    ("主要经营指标", ("main",)),
    ("重点领域经营", ("domain_ops",)),
    ("研发与技术突破", ("rd", "awards", "patents", "standards")),
    ("人才", ("talent",)),
    ("情况描述", ("narratives",)),
    ("创建工作方案", ("work_plan",)),
)


def with_unit(title: str, unit: str) -> str:
    """The form's row label: ``总营业收入（亿元）``."""
    return f"{title}（{unit}）" if unit else title


def strip_typed(title: str) -> str:
    """``优质企业加权数量（填报值）`` -> ``优质企业加权数量`` (the computed value has no 填报值 suffix)."""
    return title.replace("（填报值）", "")


def field_applies(path: str, domain: Domain | str) -> bool:
    """Whether the form asks this field of an applicant of ``domain`` (:data:`DOMAIN_ONLY`)."""
    only = DOMAIN_ONLY.get(path)
    return only is None or Domain.parse(domain) is only


def join_help(*parts: str) -> str:
    """The form's note first, then the tool's own help, as separate paragraphs."""
    return "\n\n".join(p for p in parts if p)


class _Headed:
    """An item with the form's own wording: ``form_title`` where it differs from the self-contained ``title``."""

    title: str
    form_title: str

    @property
    def label(self) -> str:
        return self.form_title or self.title


class _Worded(_Headed):
    """A field or row with a unit."""

    unit: str

    @property
    def label(self) -> str:
        """What 填报 shows: the form's wording with the unit."""
        return with_unit(self.form_title or self.title, self.unit)

    @property
    def title_label(self) -> str:
        """The self-contained name with the unit (files, the batch template)."""
        return with_unit(self.title, self.unit)


@dataclass(frozen=True)
class FieldSpec(_Worded):
    path: str
    name: str
    title: str
    kind: Kind
    unit: str = ""
    help: str = ""
    ge: Optional[float] = None
    le: Optional[float] = None
    options: tuple[tuple[str, str], ...] = ()
    max_chars: Optional[int] = None
    pattern: Optional[str] = None
    form_title: str = ""
    """The form's row label where it differs from ``title`` (empty: the same)."""
    note: str = ""
    """The form's note on this row, verbatim (also the start of ``help``)."""
    on_form: bool = True
    unit_on_form: bool = True

    def option_label(self, value: Any) -> str:
        for v, lab in self.options:
            if v == value:
                return lab
        return str(value)


@dataclass(frozen=True)
class SeriesRow(_Worded):
    path: str
    title: str
    unit: str
    help: str = ""
    derivable: bool = False
    computed_years: tuple[str, ...] = ()
    """Year keys (``y2024``) computed from other rows; the others are typed."""
    form_title: str = ""
    note: str = ""
    on_form: bool = True
    unit_on_form: bool = True

    @property
    def typed_years(self) -> tuple[str, ...]:
        return tuple(y for y in YEAR_KEYS if y not in self.computed_years)

    @property
    def is_input(self) -> bool:
        """A plain input row (nothing computed)."""
        return not self.computed_years


@dataclass(frozen=True)
class SeriesTable:
    key: str
    rows: tuple[SeriesRow, ...]

    @property
    def input_rows(self) -> tuple[SeriesRow, ...]:
        return tuple(r for r in self.rows if r.is_input)

    @property
    def partly_typed_rows(self) -> tuple[SeriesRow, ...]:
        """Derivable rows with some years that must be typed (growth 2023: 2022 is not in the table)."""
        return tuple(r for r in self.rows if not r.is_input and r.typed_years)


@dataclass(frozen=True)
class DerivedValue(_Worded):
    path: str
    title: str
    unit: str
    help: str = ""
    form_title: str = ""
    note: str = ""
    on_form: bool = True
    unit_on_form: bool = True


@dataclass(frozen=True)
class ListTable(_Headed):
    path: str
    title: str
    max_rows: int
    columns: tuple[FieldSpec, ...]
    form_title: str = ""
    note: str = ""
    on_form: bool = True


Item = Union[FieldSpec, SeriesTable, DerivedValue, ListTable]


@dataclass(frozen=True)
class Group(_Headed):
    key: str
    title: str
    help: str
    items: tuple[Item, ...]
    form_title: str = ""
    note: str = ""
    on_form: bool = True
    """``False``: the heading is the tool's (the cover, facts the tool needs, two of the form's headings joined)."""


@dataclass(frozen=True)
class Tab:
    title: str
    groups: tuple[Group, ...]


@dataclass(frozen=True)
class FormSpec:
    type: ApplicantType
    title: str
    tabs: tuple[Tab, ...]
    _index: dict[str, FieldSpec] = field(default_factory=dict, compare=False, repr=False)

    def groups(self) -> Iterator[Group]:
        for t in self.tabs:
            yield from t.groups

    def items(self) -> Iterator[Item]:
        for g in self.groups():
            yield from g.items

    def fields(self) -> Iterator[FieldSpec]:
        for it in self.items():
            if isinstance(it, FieldSpec):
                yield it

    def get_field(self, path: str) -> FieldSpec:
        return self._index[path]

    def series_rows(self) -> Iterator[SeriesRow]:
        for it in self.items():
            if isinstance(it, SeriesTable):
                yield from it.rows


# ---------------------------------------------------------------------------------------------------------------
# building


def _extra(f: FieldInfo) -> dict[str, Any]:
    return f.json_schema_extra if isinstance(f.json_schema_extra, dict) else {}


Words = dict[str, dict[str, Any]]
"""Model path -> the form's wording laid over the field's own (:func:`scoring.application.formwords.type_words`)."""


def _form_kw(path: str, f: FieldInfo, words: Words, on_form: bool = True) -> dict[str, Any]:
    """The form's wording of a field: ``form_title``, ``note``, ``on_form`` and ``unit_on_form``."""
    w = {**_extra(f), **words.get(path, {})}
    return dict(form_title=str(w.get(FORM_LABEL, "")), note=str(w.get(FORM_NOTE, "")),
                on_form=on_form and w.get(ON_FORM, True) is not False,
                unit_on_form=w.get(UNIT_ON_FORM, True) is not False)


def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def _base(annotation: Any) -> Any:
    while get_origin(annotation) is typing.Annotated:
        annotation = get_args(annotation)[0]
    return annotation


def _bounds(f: FieldInfo) -> tuple[Optional[float], Optional[float]]:
    ge = le = None
    metas = list(f.metadata)
    ann, _ = _strip_optional(f.annotation)
    if get_origin(ann) is typing.Annotated:
        for a in get_args(ann)[1:]:
            metas.extend(getattr(a, "metadata", []) or [a])
    for m in metas:
        if getattr(m, "ge", None) is not None:
            ge = float(m.ge)
        if getattr(m, "le", None) is not None:
            le = float(m.le)
    return ge, le


def _pattern(f: FieldInfo) -> Optional[str]:
    for m in f.metadata:
        p = getattr(m, "pattern", None)
        if p:
            return str(p)
    return None


def _field_spec(path: str, name: str, f: FieldInfo, words: Optional[Words] = None, on_form: bool = True) -> FieldSpec:
    ann, optional = _strip_optional(f.annotation)
    base = _base(ann)
    extra = _extra(f)
    title = f.title or name
    unit = str(extra.get("unit", ""))
    form = _form_kw(path, f, words or {}, on_form)
    help_ = join_help(form["note"], f.description or "")
    ge, le = _bounds(f)
    options: tuple[tuple[str, str], ...] = ()
    max_chars = extra.get("max_chars")
    kind: Kind
    if base is bool:
        kind = "tristate" if optional else "bool"
    elif base is int:
        kind = "int"
    elif base is float:
        kind = "float"
    elif base is dt.date:
        kind = "date"
    elif base is str:
        kind = "textarea" if max_chars else "text"
    elif isinstance(base, type) and issubclass(base, (Domain, City, AiKind)):
        kind = "choice"
        options = tuple((m.value, m.label) for m in base)
    elif get_origin(base) is Literal:
        kind = "choice"
        labels = OPTION_LABELS.get(path, {})
        options = tuple((str(v), labels.get(str(v), str(v))) for v in get_args(base))
    elif get_origin(base) is list and get_args(base) and get_args(base)[0] is Domain:
        kind = "multichoice"
        options = tuple((m.value, m.label) for m in Domain)
    else:  # pragma: no cover - a new field type must be given a widget here
        raise TypeError(f"formspec: no widget kind for {path}: {f.annotation!r}")
    return FieldSpec(path=path, name=name, title=title, kind=kind, unit=unit, help=help_, ge=ge, le=le,
                     options=options, max_chars=int(max_chars) if max_chars else None, pattern=_pattern(f), **form)


def _list_table(path: str, f: FieldInfo, words: Words, on_form: bool = True) -> ListTable:
    ann, _ = _strip_optional(f.annotation)
    row_model = get_args(_base(ann))[0]
    max_rows = 0
    for m in f.metadata:
        if getattr(m, "max_length", None):
            max_rows = int(m.max_length)
    form = _form_kw(path, f, words, on_form)
    cols = tuple(_field_spec(f"{path}.{n}", n, sf, words, form["on_form"]) for n, sf in row_model.model_fields.items())
    return ListTable(path=path, title=f.title or path, max_rows=max_rows, columns=cols, form_title=form["form_title"],
                     note=form["note"], on_form=form["on_form"])


def _is_series(f: FieldInfo) -> bool:
    return bool(_extra(f).get("series"))


def _is_list_of_models(f: FieldInfo) -> bool:
    ann, _ = _strip_optional(f.annotation)
    base = _base(ann)
    if get_origin(base) is list and get_args(base):
        inner = get_args(base)[0]
        return isinstance(inner, type) and issubclass(inner, BaseModel)
    return False


def _items(prefix: str, fields: list[tuple[str, FieldInfo]], computed: dict[str, set[str]], words: Words,
           on_form: bool = True) -> tuple[Item, ...]:
    """Model fields -> items; consecutive 近三年 rows form one table (``on_form=False``: a group off the form)."""
    out: list[Item] = []
    rows: list[SeriesRow] = []

    def flush() -> None:
        if rows:
            out.append(SeriesTable(key=rows[0].path.rsplit(".", 1)[0] if "." in rows[0].path else rows[0].path,
                                   rows=tuple(rows)))
            rows.clear()

    for name, f in fields:
        path = f"{prefix}.{name}" if prefix else name
        extra = _extra(f)
        form = _form_kw(path, f, words, on_form)
        help_ = join_help(form["note"], f.description or "")
        if _is_series(f):
            rows.append(SeriesRow(path=path, title=f.title or name, unit=str(extra.get("unit", "")),
                                  help=help_, derivable=bool(extra.get("derivable")),
                                  computed_years=tuple(y for y in YEAR_KEYS if y in computed.get(path, set())),
                                  **form))
            continue
        flush()
        if extra.get("derivable"):
            form["form_title"] = strip_typed(form["form_title"])
            out.append(DerivedValue(path=path, title=strip_typed(f.title or name), unit=str(extra.get("unit", "")),
                                    help=help_, **form))
        elif _is_list_of_models(f):
            out.append(_list_table(path, f, words, on_form))
        else:
            out.append(_field_spec(path, name, f, words, on_form))
    flush()
    return tuple(out)


def _computed_years(app: AnyApplication) -> dict[str, set[str]]:
    """Series path -> the year keys that scoring.application.derived computes (a computed metric has a formula)."""
    res = compute_derived(app, defaultdict(dict))
    out: dict[str, set[str]] = defaultdict(set)
    for key, m in res.metrics.items():
        path, _, last = key.rpartition(".")
        if last in YEAR_KEYS and m.formula:
            out[path].add(last)
    return out


def _group(app_cls: type[BaseModel], part: str, computed: dict[str, set[str]], words: Words) -> Group:
    root = app_cls.model_fields
    if part == "@cover":  # the cover has no heading on the form: 申请书首页 is the tool's
        fields = [(n, root[n]) for n in COVER_FIELDS if n in root]
        return Group(key="cover", title=COVER_TITLE, help="", items=_items("", fields, computed, words), on_form=False)
    f = root[part]
    form = _form_kw(part, f, words)
    if _is_series(f):  # a lone 近三年 row at the root (主导产业融资额), under its own heading on the form
        heading = str(_extra(f).get(FORM_GROUP, ""))
        return Group(key=part, title=f.title or part, help=f.description or "",
                     items=_items("", [(part, f)], computed, words), form_title=heading, on_form=bool(heading))
    ann, _ = _strip_optional(f.annotation)
    sub = _base(ann)
    assert isinstance(sub, type) and issubclass(sub, BaseModel), part
    fields = list(sub.model_fields.items())
    return Group(key=part, title=f.title or part, help=join_help(form["note"], f.description or ""),
                 items=_items(part, fields, computed, words, _extra(f).get(ROWS_ON_FORM, True) is not False),
                 form_title=form["form_title"],
                 note=form["note"], on_form=form["on_form"])


@lru_cache(maxsize=4)
def form_spec(app_type: ApplicantType | str) -> FormSpec:
    """The form layout of a type (Annex 2 for park, Annex 3 for enterprise)."""
    t = ApplicantType.parse(app_type)
    app_cls: type[BaseModel]
    if t is ApplicantType.PARK:
        app_cls, layout, blank = ParkApplication, PARK_LAYOUT, ParkApplication(domain=Domain.AI)
    else:
        app_cls, layout, blank = EnterpriseApplication, ENTERPRISE_LAYOUT, EnterpriseApplication(domain=Domain.AI)
    computed = _computed_years(blank)
    words = type_words(t)
    tabs = tuple(Tab(title=title, groups=tuple(_group(app_cls, p, computed, words) for p in parts))
                 for title, parts in layout)
    spec = FormSpec(type=t, title=str(app_cls.__doc__ or "").strip().split("\n")[0].rstrip("."), tabs=tabs)
    for fs in spec.fields():
        spec._index[fs.path] = fs
    return spec


# ---------------------------------------------------------------------------------------------------------------
# reading / writing values by dotted path (on the JSON dict of dump_application)


def split_path(path: str) -> list[str | int]:
    return [int(p) if p.isdigit() else p for p in path.split(".")]


def get_in(data: Any, path: str) -> Any:
    cur = data
    for p in split_path(path):
        if isinstance(cur, dict):
            if p not in cur:
                return None
            cur = cur[p]
        elif isinstance(cur, list) and isinstance(p, int):
            if p >= len(cur):
                return None
            cur = cur[p]
        else:
            return None
    return cur


def set_in(data: dict[str, Any], path: str, value: Any) -> None:
    """Set a value in a nested JSON dict (creating dicts on the way)."""
    parts = split_path(path)
    cur: Any = data
    for p in parts[:-1]:
        if isinstance(cur, dict):
            if not isinstance(cur.get(p), (dict, list)):
                cur[p] = {}
            cur = cur[p]
        else:
            cur = cur[p]
    cur[parts[-1]] = value
