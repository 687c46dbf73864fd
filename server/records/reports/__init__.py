"""Reports (报表): the monthly report (月报表), half-year and year summaries, the quarterly progress
table (工作推进情况统计表) — built as XLSX from plain figures, stored, and downloadable."""
