"""鸡西市 and its districts and counties (GB/T 2260), with streets for addresses.

Weights are rough shares of registered businesses; the urban 鸡冠区 and the
county-level cities 密山市 and 虎林市 hold most of them.
"""

from __future__ import annotations

from dataclasses import dataclass

CITY_CODE = "230300"
CITY_NAME = "鸡西市"
PROVINCE_NAME = "黑龙江省"


@dataclass(frozen=True)
class District:
    code: str
    name: str
    weight: int
    streets: tuple[str, ...]
    """Roads and streets of the seat, for `…路123号` addresses."""
    towns: tuple[str, ...]
    """Towns and townships, for rural addresses (cooperatives, farms)."""

    @property
    def is_county(self) -> bool:
        """县 or 县级市: businesses there are named after it, not after 鸡西市."""
        return self.name.endswith(("县", "市"))


DISTRICTS: tuple[District, ...] = (
    District(
        "230302",
        "鸡冠区",
        30,
        (
            "中心大街",
            "红军路",
            "兴国路",
            "和平路",
            "南山路",
            "电台路",
            "文化路",
            "涌新路",
            "西山路",
            "祥光路",
            "光明路",
            "建设路",
            "学府街",
            "东风路",
            "园林路",
        ),
        ("红星乡", "西郊乡"),
    ),
    District(
        "230303",
        "恒山区",
        7,
        ("恒山路", "柳毛路", "小恒山路", "立新路", "东海路", "二道河子路"),
        ("红旗乡", "柳毛乡"),
    ),
    District(
        "230304", "滴道区", 5, ("滴道大街", "矿里路", "兴华路", "河北路"), ("兰岭乡", "滴道河乡")
    ),
    District("230305", "梨树区", 4, ("梨树大街", "穆棱路", "平岗路", "碱场路"), ("梨树镇",)),
    District(
        "230306",
        "城子河区",
        6,
        ("城子河路", "永丰路", "长青路", "杏花路", "正阳路"),
        ("永丰乡", "长青乡"),
    ),
    District("230307", "麻山区", 2, ("麻山大街", "麻山路"), ("麻山镇",)),
    District(
        "230321",
        "鸡东县",
        12,
        ("鸡林路", "东胜路", "向阳路", "繁荣路", "人民路"),
        ("鸡东镇", "向阳镇", "永安镇", "平阳镇", "永和镇", "哈达镇", "东海镇", "兴农镇"),
    ),
    District(
        "230381",
        "虎林市",
        14,
        ("东方红路", "北大街", "南大街", "珍宝岛路", "乌苏里路", "友谊路"),
        ("虎林镇", "迎春镇", "东方红镇", "虎头镇", "杨岗镇", "东诚镇", "宝东镇", "新乐乡"),
    ),
    District(
        "230382",
        "密山市",
        20,
        ("新华大街", "裴德路", "兴凯湖路", "解放路", "站前路", "胜利路", "民主路"),
        ("密山镇", "当壁镇", "知一镇", "黑台镇", "连珠山镇", "白鱼湾镇", "兴凯镇", "裴德镇"),
    ),
)

BY_CODE: dict[str, District] = {district.code: district for district in DISTRICTS}

VILLAGE_SUFFIXES = ("村", "屯")
VILLAGE_NAMES = (
    "新兴",
    "东升",
    "红光",
    "永胜",
    "前进",
    "太平",
    "长安",
    "富民",
    "新华",
    "胜利",
    "和平",
    "民主",
    "兴隆",
    "团结",
    "五星",
    "平安",
    "吉祥",
    "曙光",
)
