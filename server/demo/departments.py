"""The departments of the 鸡西市 joint meeting (联席会议成员单位), seed 000.

Codes are upper-case pinyin initials of the short name; where two short names
share initials (商务/水务/税务) the longer pinyin tells them apart.
`inspectors` is how many officers the demo roster gives each department: the
market-regulation bureau leads and has the most.
"""

from __future__ import annotations

from dataclasses import dataclass

from server.demo.regions import CITY_CODE


@dataclass(frozen=True)
class DemoDepartment:
    code: str
    name: str
    short_name: str
    inspectors: int


DEPARTMENTS: tuple[DemoDepartment, ...] = (
    DemoDepartment("SCJG", "鸡西市市场监督管理局", "市市场监管局", 84),
    DemoDepartment("FGW", "鸡西市发展和改革委员会", "市发改委", 8),
    DemoDepartment("JY", "鸡西市教育局", "市教育局", 8),
    DemoDepartment("GA", "鸡西市公安局", "市公安局", 14),
    DemoDepartment("RS", "鸡西市人力资源和社会保障局", "市人社局", 10),
    DemoDepartment("STHJ", "鸡西市生态环境局", "市生态环境局", 18),
    DemoDepartment("ZJ", "鸡西市住房和城乡建设局", "市住建局", 12),
    DemoDepartment("JTYS", "鸡西市交通运输局", "市交通运输局", 12),
    DemoDepartment("NYNC", "鸡西市农业农村局", "市农业农村局", 12),
    DemoDepartment("SHANGWU", "鸡西市商务局", "市商务局", 6),
    DemoDepartment("WTGL", "鸡西市文体广电和旅游局", "市文体广电和旅游局", 10),
    DemoDepartment("YJGL", "鸡西市应急管理局", "市应急管理局", 18),
    DemoDepartment("WSJK", "鸡西市卫生健康委员会", "市卫生健康委", 16),
    DemoDepartment("SW", "国家税务总局鸡西市税务局", "市税务局", 16),
    DemoDepartment("KJ", "鸡西市科学技术局", "市科技局", 4),
    DemoDepartment("GX", "鸡西市工业和信息化局", "市工信局", 6),
    DemoDepartment("MZ", "鸡西市民政局", "市民政局", 6),
    DemoDepartment("SF", "鸡西市司法局", "市司法局", 4),
    DemoDepartment("CZ", "鸡西市财政局", "市财政局", 4),
    DemoDepartment("SHUIWU", "鸡西市水务局", "市水务局", 6),
    DemoDepartment("YB", "鸡西市医疗保障局", "市医疗保障局", 8),
    DemoDepartment("YSHJ", "鸡西市营商环境建设监督局", "市营商环境局", 4),
    DemoDepartment("TJ", "鸡西市统计局", "市统计局", 4),
    DemoDepartment("ZRZY", "鸡西市自然资源和规划局", "市自然资源和规划局", 8),
    DemoDepartment("TZB", "中共鸡西市委统战部", "市委统战部", 2),
)

DEPARTMENT_REGION = CITY_CODE
LEAD_DEPARTMENT = "SCJG"
"""The department that leads the joint meeting (牵头单位) and hosts the staff accounts."""
