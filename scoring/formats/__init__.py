"""File formats of one application: JSON (lossless), the Excel workbook, the Word 创建申请书 (export and import)
and the Word 自评报告, with the shared upload limits and tolerant parsing."""
