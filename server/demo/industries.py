"""Industry profiles of the demo object roster (GB/T 4754-2017 classes).

Each profile ties an industry code to the words its business names use, the
licences such businesses hold and the sub-roster tags (检查对象名录分库) that
follow from them, so a 餐饮 business is tagged 食品经营 and holds a 食品经营许可证,
and a coal mine holds a 采矿许可证 and sits in the 矿山企业 sub-roster.
Weights are rough shares of a prefecture-level city's registered businesses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ENTERPRISE = "enterprise"
"""企业 (credit code 91…)."""
INDIVIDUAL = "individual"
"""个体工商户 (credit code 92…)."""
COOPERATIVE = "cooperative"
"""农民专业合作社 (credit code 93…)."""

KIND_TYPE_CHARACTER = {ENTERPRISE: "1", INDIVIDUAL: "2", COOPERATIVE: "3"}
"""Second character of a market entity's credit code (registration authority 9 = 市场监管)."""

FOOD_PERMIT = "食品经营许可证"
HYGIENE_PERMIT = "公共场所卫生许可证"


@dataclass(frozen=True)
class Extra:
    """Something only some businesses of an industry have: a licence, tags, or both."""

    share: float
    licence: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Industry:
    code: str
    name: str
    weight: int
    kinds: dict[str, int]
    """Kind → relative weight."""
    words: dict[str, tuple[str, ...]]
    """Kind → name words: the business part of an enterprise name before 有限公司,
    a shop word for an individual business, the full ending of a cooperative."""
    licences: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    extras: tuple[Extra, ...] = field(default=())
    rural: float = 0.1
    """Share of businesses at a town or village address rather than a street number."""


def _e(share: float, licence: str | None = None, *tags: str) -> Extra:
    return Extra(share=share, licence=licence, tags=tags)


RETAIL = "零售经营"
FOOD = "食品经营"
SPECIAL_EQUIPMENT = "特种设备使用单位"
PREPAID = "预付卡发卡企业"
PUBLIC_PLACE = "公共场所"
HAZARDOUS_WASTE = "危险废物产生单位"
POLLUTER = "排污单位"
SAFETY = "安全生产重点"
WATER = "取水单位"
ENERGY = "重点用能单位"
INDUSTRY = "工业企业"

INDUSTRIES: tuple[Industry, ...] = (
    Industry(
        "H6210",
        "正餐服务",
        110,
        {ENTERPRISE: 30, INDIVIDUAL: 70},
        {
            ENTERPRISE: ("餐饮管理", "餐饮", "饭店管理", "酒店管理"),
            INDIVIDUAL: (
                "饭店",
                "饺子馆",
                "冷面馆",
                "烧烤店",
                "家常菜馆",
                "铁锅炖",
                "砂锅居",
                "酒馆",
            ),
        },
        (FOOD_PERMIT,),
        (FOOD, "餐饮服务", RETAIL),
        (_e(0.06, None, PREPAID),),
    ),
    Industry(
        "H6220",
        "快餐服务",
        45,
        {ENTERPRISE: 20, INDIVIDUAL: 80},
        {
            ENTERPRISE: ("快餐", "餐饮管理"),
            INDIVIDUAL: ("快餐店", "包子铺", "麻辣烫店", "米线店", "炸鸡店", "粥铺"),
        },
        (FOOD_PERMIT,),
        (FOOD, "餐饮服务", RETAIL),
    ),
    Industry(
        "F5212",
        "超级市场零售",
        40,
        {ENTERPRISE: 45, INDIVIDUAL: 55},
        {ENTERPRISE: ("超市", "商贸", "连锁超市"), INDIVIDUAL: ("超市", "便民超市", "生鲜超市")},
        (FOOD_PERMIT,),
        (FOOD, RETAIL),
        (
            _e(0.5, "烟草专卖零售许可证", "涉烟经营"),
            _e(0.3, None, "保健食品经营"),
            _e(0.1, None, SPECIAL_EQUIPMENT),
            _e(0.12, None, PREPAID),
        ),
    ),
    Industry(
        "F5213",
        "便利店零售",
        60,
        {ENTERPRISE: 15, INDIVIDUAL: 85},
        {ENTERPRISE: ("便利店", "商贸"), INDIVIDUAL: ("便利店", "小卖店", "食杂店", "副食商店")},
        (FOOD_PERMIT,),
        (FOOD, RETAIL),
        (_e(0.7, "烟草专卖零售许可证", "涉烟经营"),),
        rural=0.25,
    ),
    Industry(
        "F5221",
        "粮油零售",
        18,
        {ENTERPRISE: 30, INDIVIDUAL: 70},
        {ENTERPRISE: ("粮油", "粮油贸易"), INDIVIDUAL: ("粮油商店", "粮油店", "米面店")},
        (FOOD_PERMIT,),
        (FOOD, RETAIL, "粮食经营"),
    ),
    Industry(
        "F5223",
        "果品、蔬菜零售",
        28,
        {INDIVIDUAL: 100},
        {INDIVIDUAL: ("水果店", "果蔬店", "蔬菜店")},
        (),
        (RETAIL,),
        (_e(0.6, FOOD_PERMIT, FOOD),),
    ),
    Industry(
        "F5224",
        "肉、禽、蛋、奶及水产品零售",
        24,
        {ENTERPRISE: 10, INDIVIDUAL: 90},
        {ENTERPRISE: ("肉类食品", "水产"), INDIVIDUAL: ("鲜肉店", "冷鲜肉店", "水产店", "禽蛋店")},
        (FOOD_PERMIT,),
        (FOOD, RETAIL),
    ),
    Industry(
        "F5225",
        "营养和保健品零售",
        8,
        {ENTERPRISE: 50, INDIVIDUAL: 50},
        {ENTERPRISE: ("健康产业", "保健品", "生物科技"), INDIVIDUAL: ("保健品商店", "营养品商行")},
        (FOOD_PERMIT,),
        (FOOD, "保健食品经营", RETAIL),
    ),
    Industry(
        "F5251",
        "西药零售",
        18,
        {ENTERPRISE: 60, INDIVIDUAL: 40},
        {ENTERPRISE: ("大药房", "医药连锁", "医药"), INDIVIDUAL: ("药店", "大药房")},
        ("药品经营许可证",),
        ("药品经营", RETAIL),
        (_e(0.6, FOOD_PERMIT, FOOD, "保健食品经营"), _e(0.5, None, "定点医药机构")),
    ),
    Industry(
        "F5292",
        "互联网零售",
        35,
        {ENTERPRISE: 60, INDIVIDUAL: 40},
        {ENTERPRISE: ("电子商务", "网络科技", "电商"), INDIVIDUAL: ("网店", "电商工作室")},
        (),
        ("电子商务经营者", RETAIL),
        (_e(0.3, FOOD_PERMIT, FOOD),),
    ),
    Industry(
        "F5199",
        "其他未列明批发业",
        55,
        {ENTERPRISE: 85, INDIVIDUAL: 15},
        {ENTERPRISE: ("商贸", "贸易", "经贸"), INDIVIDUAL: ("商行", "批发部")},
    ),
    Industry(
        "F5211",
        "百货零售",
        10,
        {ENTERPRISE: 85, INDIVIDUAL: 15},
        {ENTERPRISE: ("百货", "购物中心", "商厦"), INDIVIDUAL: ("百货商店",)},
        (),
        (RETAIL,),
        (_e(0.8, None, SPECIAL_EQUIPMENT), _e(0.4, None, PREPAID), _e(0.5, FOOD_PERMIT, FOOD)),
    ),
    Industry(
        "F5265",
        "机动车燃油零售",
        6,
        {ENTERPRISE: 90, INDIVIDUAL: 10},
        {ENTERPRISE: ("石油销售", "能源", "加油站"), INDIVIDUAL: ("加油站",)},
        ("成品油零售经营批准证书", "危险化学品经营许可证"),
        ("成品油经营", "危险化学品", RETAIL),
        (_e(0.3, None, SPECIAL_EQUIPMENT),),
        rural=0.4,
    ),
    Industry(
        "F5169",
        "其他化工产品批发",
        6,
        {ENTERPRISE: 100},
        {ENTERPRISE: ("化工", "化工产品", "精细化工")},
        (),
        (),
        (_e(0.7, "危险化学品经营许可证", "危险化学品"),),
    ),
    Industry(
        "F5167",
        "农药批发",
        15,
        {ENTERPRISE: 45, INDIVIDUAL: 45, COOPERATIVE: 10},
        {
            ENTERPRISE: ("农资", "农业生产资料", "种业"),
            INDIVIDUAL: ("农资商店", "种子农药店"),
            COOPERATIVE: ("农资专业合作社",),
        },
        (),
        ("农资经营",),
        (_e(0.8, "农药经营许可证"), _e(0.3, "农作物种子生产经营许可证")),
        rural=0.6,
    ),
    Industry(
        "F5161",
        "煤炭及制品批发",
        12,
        {ENTERPRISE: 100},
        {ENTERPRISE: ("煤炭经销", "煤业", "能源")},
        (),
        ("煤炭经营",),
        (_e(0.2, None, POLLUTER),),
    ),
    Industry(
        "B0610",
        "烟煤和无烟煤开采洗选",
        8,
        {ENTERPRISE: 100},
        {ENTERPRISE: ("煤矿", "矿业", "煤业")},
        ("安全生产许可证", "采矿许可证", "排污许可证"),
        ("矿山企业", SAFETY, POLLUTER, INDUSTRY),
        (
            _e(0.5, "取水许可证", WATER),
            _e(0.6, None, SPECIAL_EQUIPMENT),
            _e(0.4, None, ENERGY),
            _e(0.5, None, HAZARDOUS_WASTE),
        ),
        rural=0.8,
    ),
    Industry(
        "C3091",
        "石墨及碳素制品制造",
        8,
        {ENTERPRISE: 100},
        {ENTERPRISE: ("石墨", "新材料", "碳素", "石墨烯科技")},
        ("排污许可证",),
        (INDUSTRY, POLLUTER),
        (
            _e(0.5, None, SAFETY),
            _e(0.3, None, ENERGY),
            _e(0.5, None, SPECIAL_EQUIPMENT),
            _e(0.4, None, HAZARDOUS_WASTE),
            _e(0.3, "取水许可证", WATER),
        ),
        rural=0.5,
    ),
    Industry(
        "C1311",
        "稻谷加工",
        10,
        {ENTERPRISE: 75, COOPERATIVE: 25},
        {ENTERPRISE: ("米业", "粮油加工", "农业发展"), COOPERATIVE: ("水稻加工专业合作社",)},
        ("食品生产许可证",),
        ("食品生产", "粮食经营", INDUSTRY),
        (_e(0.3, "取水许可证", WATER), _e(0.3, None, SPECIAL_EQUIPMENT)),
        rural=0.6,
    ),
    Industry(
        "C1411",
        "糕点、面包制造",
        8,
        {ENTERPRISE: 50, INDIVIDUAL: 50},
        {ENTERPRISE: ("食品", "糕点"), INDIVIDUAL: ("面包房", "糕点坊")},
        ("食品生产许可证",),
        ("食品生产", INDUSTRY),
    ),
    Industry(
        "C3311",
        "金属结构制造",
        8,
        {ENTERPRISE: 100},
        {ENTERPRISE: ("钢结构", "机械制造", "重工")},
        (),
        (INDUSTRY,),
        (_e(0.7, None, SPECIAL_EQUIPMENT), _e(0.4, None, SAFETY), _e(0.3, None, HAZARDOUS_WASTE)),
        rural=0.3,
    ),
    Industry(
        "C3021",
        "水泥制品制造",
        5,
        {ENTERPRISE: 100},
        {ENTERPRISE: ("建材", "水泥制品")},
        (),
        (INDUSTRY, POLLUTER),
        (_e(0.5, "排污许可证"), _e(0.3, None, ENERGY)),
        rural=0.5,
    ),
    Industry(
        "G5431",
        "普通货物道路运输",
        25,
        {ENTERPRISE: 60, INDIVIDUAL: 40},
        {ENTERPRISE: ("物流", "运输", "货运"), INDIVIDUAL: ("货运部", "运输队")},
        ("道路运输经营许可证",),
        ("道路货运", "物流寄递"),
    ),
    Industry(
        "G5821",
        "货物运输代理",
        10,
        {ENTERPRISE: 100},
        {ENTERPRISE: ("物流", "供应链管理", "国际货运代理")},
        (),
        ("物流寄递",),
    ),
    Industry(
        "G6020",
        "快递服务",
        12,
        {ENTERPRISE: 75, INDIVIDUAL: 25},
        {ENTERPRISE: ("快递", "速递"), INDIVIDUAL: ("快递驿站", "快递代办点")},
        (),
        ("物流寄递",),
        (_e(0.8, "快递业务经营许可证"),),
    ),
    Industry(
        "Q8411",
        "综合医院",
        3,
        {ENTERPRISE: 100},
        {ENTERPRISE: ("医院",)},
        ("医疗机构执业许可证",),
        ("医疗机构",),
        (
            _e(0.6, "放射诊疗许可证"),
            _e(0.8, None, "定点医药机构"),
            _e(0.5, None, SPECIAL_EQUIPMENT),
        ),
    ),
    Industry(
        "Q8425",
        "门诊部（所）",
        12,
        {ENTERPRISE: 30, INDIVIDUAL: 70},
        {
            ENTERPRISE: ("门诊部", "口腔门诊部", "中医门诊部"),
            INDIVIDUAL: ("诊所", "口腔诊所", "中医诊所"),
        },
        ("医疗机构执业许可证",),
        ("医疗机构",),
        (_e(0.4, None, "定点医药机构"),),
    ),
    Industry(
        "E4710",
        "住宅房屋建筑",
        15,
        {ENTERPRISE: 100},
        {ENTERPRISE: ("建筑工程", "建设工程", "建筑安装")},
        ("建筑业企业资质证书", "安全生产许可证"),
        ("建筑施工", SAFETY),
        (_e(0.5, None, SPECIAL_EQUIPMENT),),
    ),
    Industry(
        "K7010",
        "房地产开发经营",
        8,
        {ENTERPRISE: 100},
        {ENTERPRISE: ("房地产开发", "置业")},
        ("房地产开发企业资质证书",),
        ("房地产开发",),
    ),
    Industry(
        "K7020",
        "物业管理",
        10,
        {ENTERPRISE: 100},
        {ENTERPRISE: ("物业管理", "物业服务")},
        (),
        ("物业服务",),
        (_e(0.9, None, SPECIAL_EQUIPMENT),),
    ),
    Industry(
        "L7291",
        "旅行社及相关服务",
        4,
        {ENTERPRISE: 100},
        {ENTERPRISE: ("旅行社", "国际旅行社")},
        ("旅行社业务经营许可证",),
        ("旅行社",),
    ),
    Industry(
        "H6129",
        "其他一般旅馆",
        20,
        {ENTERPRISE: 30, INDIVIDUAL: 70},
        {ENTERPRISE: ("宾馆", "酒店", "酒店管理"), INDIVIDUAL: ("旅店", "宾馆", "家庭旅馆")},
        ("特种行业许可证", HYGIENE_PERMIT),
        ("住宿业", PUBLIC_PLACE),
        (_e(0.2, None, SPECIAL_EQUIPMENT), _e(0.2, FOOD_PERMIT, FOOD)),
    ),
    Industry(
        "R9011",
        "歌舞厅娱乐活动",
        6,
        {ENTERPRISE: 60, INDIVIDUAL: 40},
        {ENTERPRISE: ("娱乐", "文化娱乐", "KTV"), INDIVIDUAL: ("KTV", "歌厅")},
        ("娱乐经营许可证", HYGIENE_PERMIT),
        ("娱乐场所", PUBLIC_PLACE),
    ),
    Industry(
        "R9013",
        "网吧活动",
        5,
        {ENTERPRISE: 60, INDIVIDUAL: 40},
        {ENTERPRISE: ("网络会所", "网咖"), INDIVIDUAL: ("网吧", "网咖")},
        ("网络文化经营许可证",),
        ("上网服务场所", PUBLIC_PLACE),
    ),
    Industry(
        "O8111",
        "汽车修理与维护",
        25,
        {ENTERPRISE: 40, INDIVIDUAL: 60},
        {ENTERPRISE: ("汽车维修", "汽车服务"), INDIVIDUAL: ("汽修部", "汽车修理部", "快修店")},
        (),
        ("机动车维修", RETAIL),
        (_e(0.5, None, HAZARDOUS_WASTE),),
        rural=0.2,
    ),
    Industry(
        "O8040",
        "理发及美容服务",
        40,
        {ENTERPRISE: 15, INDIVIDUAL: 85},
        {ENTERPRISE: ("美容美发", "美容"), INDIVIDUAL: ("理发店", "美发店", "美容院", "美甲店")},
        (),
        (RETAIL,),
        (_e(0.7, HYGIENE_PERMIT, PUBLIC_PLACE), _e(0.3, None, PREPAID)),
    ),
    Industry(
        "O8051",
        "洗浴服务",
        6,
        {ENTERPRISE: 40, INDIVIDUAL: 60},
        {ENTERPRISE: ("洗浴", "温泉洗浴"), INDIVIDUAL: ("浴池", "洗浴中心")},
        (HYGIENE_PERMIT,),
        (PUBLIC_PLACE, RETAIL),
        (_e(0.6, None, SPECIAL_EQUIPMENT), _e(0.4, None, PREPAID)),
    ),
    Industry(
        "P8393",
        "文化艺术培训",
        8,
        {ENTERPRISE: 100},
        {ENTERPRISE: ("文化艺术培训学校", "教育科技", "教育咨询")},
        ("民办学校办学许可证",),
        ("校外培训机构",),
        (_e(0.5, None, PREPAID),),
    ),
    Industry(
        "L7263",
        "劳务派遣服务",
        5,
        {ENTERPRISE: 100},
        {ENTERPRISE: ("劳务派遣", "人力资源")},
        ("劳务派遣经营许可证",),
        ("人力资源服务",),
    ),
    Industry(
        "Q8514",
        "老年人、残疾人养护服务",
        4,
        {ENTERPRISE: 40, INDIVIDUAL: 60},
        {ENTERPRISE: ("养老服务", "颐养"), INDIVIDUAL: ("养老院", "老年公寓", "颐养院")},
        (),
        ("养老机构",),
        (_e(0.5, FOOD_PERMIT, FOOD),),
        rural=0.3,
    ),
    Industry(
        "A0111",
        "稻谷种植",
        25,
        {COOPERATIVE: 100},
        {COOPERATIVE: ("水稻种植专业合作社", "农机专业合作社", "粮食种植专业合作社")},
        (),
        ("农民专业合作社",),
        (_e(0.3, "取水许可证", WATER),),
        rural=1.0,
    ),
    Industry(
        "A0412",
        "内陆养殖",
        8,
        {COOPERATIVE: 70, ENTERPRISE: 30},
        {COOPERATIVE: ("渔业专业合作社", "水产养殖专业合作社"), ENTERPRISE: ("渔业", "水产养殖")},
        (),
        (),
        (_e(0.2, "取水许可证", WATER),),
        rural=1.0,
    ),
)
