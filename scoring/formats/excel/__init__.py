"""Excel export and import of one application, with openpyxl.

The workbook is laid out like the form (Annex 2 park / Annex 3 enterprise), one sheet per part:

- 基本信息: 申请书首页, basic information, eligibility facts and attestations (项目 | 填报内容 | 单位 | 填写说明);
- 近三年指标: the 近三年 tables (rows = indicators with units; columns 2023年 / 2024年 / 2025年 / 近三年平均值);
  a row the tool can compute is followed by a grey 「自动计算」 row (computed at export; recomputed on import);
- 数量与平台: counts (enterprises, platforms, patents, talent, smart factories / awards, standards) and the
  weighted counts with their 自动计算 rows;
- 前十企业 (park) / 前五产品 (enterprise): the top list;
- 文字材料: the narrative items of the form and the five sections of the 创建工作方案;
- 说明: how to fill the workbook offline and the data-format version.

Labels, units and help texts come from the models through :mod:`scoring.application.formspec`. Column A of every data sheet is
hidden and holds the model path of its row, so an import is exact; when it is missing, the row label is used.
Text is written so that it can never become a formula (:func:`scoring.formats.common.safe_cell`).

Modules: ``layout`` (the rows of every sheet), ``export`` and ``importer``.
"""

from .export import export_xlsx
from .importer import import_xlsx

__all__ = ["export_xlsx", "import_xlsx"]
