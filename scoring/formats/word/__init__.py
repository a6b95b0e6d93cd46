"""The filled 创建申请书 as Word: export with python-docx, and import of a filled form.

Export follows Annex 2 (park) / Annex 3 (enterprise) of the notice: the cover page (申报单位、申报领域、推荐单位、
填报日期, 工业和信息化部制), 一、基本情况 with the form's tables in its order and wording, 二、创建工作方案 with
its five sections, 三、附件清单 and 四、推荐单位意见. Values the form asks for but the tool computes (近三年平均值,
growth rates, shares, 加权数量) are filled with the computed value when the applicant did not type one.
Chinese fonts are set on the Normal style and on every run, both ``w:ascii``/``w:hAnsi`` and ``w:eastAsia``.

The application's full data is also stored in the file as a custom XML part (Word keeps it when saving). On import
the visible form always wins: the hidden data only supplies what the form does not show (设区市, 资格信息, 承诺事项,
备注) and tells a computed value apart from a typed one, so an exported 申请书 imports back equal to the original.

Import reads any filled 申请书 in the official layout (this tool's export, or the official template filled by hand):
tables are found by their title rows and row labels (not by position; one big table or many small ones), numbers
are read tolerant of units, commas and full-width digits, and the five sections by their headings. Whatever cannot
be read is listed by table and row and left empty — never guessed.

The layout (:mod:`.layout`) is the form's wording (Annex 2/3 of 闽工信函产业〔2026〕132号); the model paths tie it to
:mod:`scoring.application.models`.

Modules: ``layout`` (fonts, styles, the form's blocks and rows, shown values), ``export``, ``reading`` (text, tables,
check marks, headings of a filled form) and ``importer``.
"""

from .export import export_application_docx
from .importer import import_application_docx

__all__ = ["export_application_docx", "import_application_docx"]
