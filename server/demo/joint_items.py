"""Items of the other joint-meeting departments (ecology, emergency management, health, tax …)."""

from __future__ import annotations

from server.demo.checklists import (
    day,
    licence_displayed,
    multi,
    number,
    photo,
    remarks,
    single,
    site_photos,
    text,
    when,
    when_in,
    yes_no,
)
from server.demo.item_model import LICENCE, ON_SITE, ONLINE, WRITTEN, DemoItem

ENVIRONMENT = "环境监察"
SAFETY = "安全生产监管"
HAZCHEM = "危险化学品监管"
MINING = "矿山安全"
HEALTH = "卫生监督员"
TAX = "税务稽查"
LABOUR = "劳动保障监察员"
CONSTRUCTION = "建筑安全监督"
TRANSPORT = "道路运输执法"
FARM_INPUTS = "农资监管"
COMMERCE = "商务执法"
CULTURE = "文化市场执法"
POLICE = "治安管理"
GRAIN = "粮食监督检查"
EDUCATION = "教育督导"
MEDICAL_INSURANCE = "医保基金监管"
WATER = "水政监察"
LAND = "自然资源执法"
ENERGY = "节能监察"
ELDERLY_CARE = "养老服务监管"


def _item(
    code: str,
    name: str,
    legal_basis: str,
    qualification: str,
    scope_tag: str | None,
    checklist: tuple[dict, ...],
    *,
    kind: str = "key",
    ratio_cap: str | None = None,
    object_type: str = "entity",
    methods: tuple[str, ...] = (ON_SITE,),
) -> DemoItem:
    department = code.rsplit("-", 1)[0]
    return DemoItem(
        code=code,
        department=department,
        name=name,
        legal_basis=legal_basis,
        object_type=object_type,
        kind=kind,
        ratio_cap=ratio_cap,
        methods=methods,
        qualifications=(LICENCE, qualification),
        scope_tag=scope_tag,
        checklist=checklist,
    )


JOINT_ITEMS: tuple[DemoItem, ...] = (
    _item(
        "STHJ-001",
        "对排污单位执行排污许可制度情况的检查",
        "《排污许可管理条例》第二十六条、第三十三条；《中华人民共和国大气污染防治法》第二十九条",
        ENVIRONMENT,
        "排污单位",
        (
            yes_no("permit_held", "是否依法取得排污许可证", "Holds a pollutant discharge permit"),
            day(
                "permit_expiry",
                "排污许可证有效期至",
                "Permit valid until",
                show_if=when("permit_held", True),
            ),
            yes_no("ledger_kept", "是否建立环境管理台账", "Keeps an environmental ledger"),
            yes_no(
                "facilities_running",
                "污染防治设施是否正常运行",
                "Pollution controls running normally",
                photo_required=True,
            ),
            multi(
                "discharge",
                "排放类型",
                "Discharges",
                ("air", "废气", "Exhaust gas"),
                ("water", "废水", "Waste water"),
                ("noise", "噪声", "Noise"),
                ("solid", "固体废物", "Solid waste"),
            ),
            site_photos(),
        ),
    ),
    _item(
        "STHJ-002",
        "对危险废物产生单位规范化管理的检查",
        "《中华人民共和国固体废物污染环境防治法》第七十七条、第七十八条、第七十九条",
        ENVIRONMENT,
        "危险废物产生单位",
        (
            yes_no(
                "store_marked",
                "危险废物贮存场所是否设置识别标志",
                "Hazardous-waste store marked",
                photo_required=True,
            ),
            number("stock", "现存危险废物量", "Hazardous waste on site", unit="吨", high=10_000),
            yes_no("manifest", "转移是否执行电子转移联单", "Transfers use the electronic manifest"),
            text(
                "receiver",
                "接收处置单位名称",
                "Receiving disposal company",
                show_if=when("manifest", True),
            ),
        ),
    ),
    _item(
        "STHJ-003",
        "对建设项目环境影响评价制度执行情况的检查",
        "《中华人民共和国环境影响评价法》第二十五条、第三十一条；《建设项目环境保护管理条例》",
        ENVIRONMENT,
        "工业企业",
        (
            text("project", "建设项目名称", "Construction project", required=True),
            single(
                "eia_status",
                "环评审批情况",
                "Environmental impact assessment",
                ("approved", "已批复", "Approved"),
                ("filed", "已登记备案", "Registered"),
                ("none", "未办理", "Not done"),
            ),
            yes_no(
                "acceptance",
                "是否完成竣工环境保护验收",
                "Completion acceptance done",
                show_if=when_in("eia_status", "approved", "filed"),
            ),
            photo("project_photos", "项目现场照片", "Project site photos", min_photos=2),
        ),
        kind="general",
        ratio_cap="0.10",
        object_type="project",
    ),
    _item(
        "YJGL-001",
        "对生产经营单位安全生产情况的行政检查",
        "《中华人民共和国安全生产法》第六十五条、第六十六条",
        SAFETY,
        "安全生产重点",
        (
            yes_no(
                "responsibility",
                "是否建立全员安全生产责任制",
                "Safety responsibility for all staff",
            ),
            yes_no(
                "training",
                "主要负责人和安全管理人员是否经考核合格",
                "Managers passed the safety assessment",
            ),
            yes_no("hazards_found", "是否发现事故隐患", "Hazards found"),
            number(
                "hazards",
                "隐患数量",
                "Number of hazards",
                unit="处",
                low=1,
                high=500,
                show_if=when("hazards_found", True),
            ),
            text(
                "hazard_list",
                "隐患清单",
                "List of hazards",
                required=True,
                show_if=when("hazards_found", True),
            ),
            yes_no("emergency_plan", "是否制定应急预案并演练", "Emergency plan made and drilled"),
            site_photos(),
        ),
    ),
    _item(
        "YJGL-002",
        "对危险化学品经营企业安全条件的检查",
        "《危险化学品安全管理条例》第六条、第三十四条；《危险化学品经营许可证管理办法》",
        HAZCHEM,
        "危险化学品",
        (
            licence_displayed(),
            yes_no(
                "storage_separated",
                "危险化学品是否分类分库储存",
                "Chemicals stored apart by class",
                photo_required=True,
            ),
            yes_no("msds", "是否提供化学品安全技术说明书", "Safety data sheets provided"),
            number("stock_tonnes", "现场储存量", "Quantity stored", unit="吨", high=5_000),
        ),
    ),
    _item(
        "YJGL-003",
        "对煤矿企业安全生产条件的检查",
        "《中华人民共和国安全生产法》第六十五条；《煤矿安全生产条例》第四十六条",
        MINING,
        "矿山企业",
        (
            yes_no("permit_valid", "安全生产许可证是否有效", "Safety production permit valid"),
            single(
                "gas_grade",
                "矿井瓦斯等级",
                "Mine gas grade",
                ("low", "低瓦斯", "Low"),
                ("high", "高瓦斯", "High"),
                ("outburst", "煤与瓦斯突出", "Outburst-prone"),
            ),
            yes_no(
                "gas_monitoring",
                "瓦斯监测监控系统是否正常运行",
                "Gas monitoring working",
                photo_required=True,
            ),
            number(
                "workers_underground",
                "当班井下人数",
                "Workers underground this shift",
                unit="人",
                high=2_000,
            ),
            text("findings", "重大事故隐患说明", "Major hazards found"),
        ),
    ),
    _item(
        "WSJK-001",
        "对医疗机构依法执业情况的检查",
        "《医疗机构管理条例》第四十条；《中华人民共和国基本医疗卫生与健康促进法》第八十六条",
        HEALTH,
        "医疗机构",
        (
            licence_displayed(),
            yes_no("staff_licensed", "卫生技术人员是否均具有执业资格", "Every clinician licensed"),
            yes_no(
                "scope_kept",
                "是否在核准登记的诊疗科目内开展诊疗活动",
                "Treats only within the approved specialties",
            ),
            yes_no(
                "medical_waste",
                "医疗废物是否分类收集并交由有资质单位处置",
                "Medical waste sorted and handed to a licensed company",
                photo_required=True,
            ),
            site_photos(),
        ),
    ),
    _item(
        "WSJK-002",
        "对公共场所卫生的检查",
        "《公共场所卫生管理条例》第十条；《公共场所卫生管理条例实施细则》第三十六条",
        HEALTH,
        "公共场所",
        (
            yes_no(
                "hygiene_permit", "是否取得公共场所卫生许可证", "Public-place hygiene permit held"
            ),
            yes_no(
                "staff_health", "从业人员是否持有效健康合格证明", "Staff health certificates valid"
            ),
            single(
                "ventilation",
                "室内通风状况",
                "Indoor ventilation",
                ("good", "良好", "Good"),
                ("poor", "不良", "Poor"),
            ),
            number(
                "co2_ppm",
                "二氧化碳浓度",
                "CO₂ concentration",
                unit="ppm",
                low=300,
                high=10_000,
                required=False,
            ),
            remarks(),
        ),
        kind="general",
        ratio_cap="0.05",
    ),
    _item(
        "SW-001",
        "对纳税人发票使用情况的检查",
        "《中华人民共和国发票管理办法》第三十条、第三十二条",
        TAX,
        None,
        (
            yes_no("invoices_issued", "是否按规定开具发票", "Invoices issued as required"),
            number(
                "unissued",
                "应开未开发票笔数",
                "Sales without an invoice",
                unit="笔",
                high=10_000,
                show_if=when("invoices_issued", False),
            ),
            yes_no("register_kept", "是否建立发票使用登记制度", "Invoice register kept"),
            remarks(),
        ),
        kind="general",
        ratio_cap="0.03",
        methods=(ON_SITE, WRITTEN),
    ),
    _item(
        "SW-002",
        "对纳税人纳税申报情况的检查",
        "《中华人民共和国税收征收管理法》第二十五条、第五十四条",
        TAX,
        None,
        (
            single(
                "filing",
                "申报情况",
                "Tax returns",
                ("on_time", "按期申报", "Filed on time"),
                ("late", "逾期申报", "Filed late"),
                ("missing", "未申报", "Not filed"),
            ),
            number(
                "months_late",
                "逾期月数",
                "Months late",
                unit="月",
                low=1,
                high=120,
                show_if=when_in("filing", "late", "missing"),
            ),
            yes_no("books_kept", "是否按规定设置账簿", "Books kept as required"),
        ),
        kind="general",
        ratio_cap="0.03",
        methods=(WRITTEN, ONLINE),
    ),
    _item(
        "RS-001",
        "对用人单位遵守劳动保障法律法规情况的检查",
        "《劳动保障监察条例》第十一条；《中华人民共和国劳动合同法》第七十四条",
        LABOUR,
        None,
        (
            number("employees", "在职职工人数", "Employees", unit="人", high=100_000),
            yes_no("contracts", "是否依法订立书面劳动合同", "Written labour contracts signed"),
            yes_no("wages_paid", "是否按时足额支付工资", "Wages paid in full and on time"),
            yes_no("social_insurance", "是否依法参加社会保险", "Social insurance paid"),
            text(
                "arrears",
                "欠薪情况说明",
                "Wage arrears",
                required=True,
                show_if=when("wages_paid", False),
            ),
        ),
        kind="general",
        ratio_cap="0.05",
        methods=(ON_SITE, WRITTEN),
    ),
    _item(
        "RS-002",
        "对劳务派遣单位经营情况的检查",
        "《中华人民共和国劳动合同法》第五十七条、第六十六条；《劳务派遣行政许可实施办法》",
        LABOUR,
        "人力资源服务",
        (
            licence_displayed(),
            number("dispatched", "被派遣劳动者人数", "Workers dispatched", unit="人", high=50_000),
            yes_no("equal_pay", "是否落实同工同酬", "Equal pay for equal work"),
            photo("agreements", "派遣协议照片", "Photos of dispatch agreements"),
        ),
    ),
    _item(
        "ZJ-001",
        "对建筑施工企业安全生产条件的检查",
        "《建筑施工企业安全生产许可证管理规定》第二十四条；《建设工程安全生产管理条例》第四十条",
        CONSTRUCTION,
        "建筑施工",
        (
            yes_no("permit_valid", "安全生产许可证是否有效", "Safety production permit valid"),
            yes_no("tower_crane", "施工现场是否使用塔式起重机", "Tower crane on site"),
            yes_no(
                "crane_registered",
                "塔式起重机是否办理使用登记",
                "Tower crane registered",
                show_if=when("tower_crane", True),
                photo_required=True,
            ),
            yes_no(
                "safety_staff", "专职安全生产管理人员是否到岗", "Full-time safety officer present"
            ),
            site_photos(),
        ),
    ),
    _item(
        "ZJ-002",
        "对房地产开发企业资质和经营行为的检查",
        "《房地产开发企业资质管理规定》第二十二条；《城市房地产开发经营管理条例》",
        CONSTRUCTION,
        "房地产开发",
        (
            single(
                "grade",
                "资质等级",
                "Qualification grade",
                ("1", "一级", "Grade 1"),
                ("2", "二级", "Grade 2"),
                ("none", "无资质", "None"),
            ),
            yes_no("presale_permit", "预售商品房是否取得预售许可证", "Pre-sale permit held"),
            yes_no("escrow", "预售资金是否纳入监管账户", "Pre-sale money in the escrow account"),
        ),
        kind="general",
        ratio_cap="0.10",
        methods=(ON_SITE, WRITTEN),
    ),
    _item(
        "JTYS-001",
        "对道路货物运输经营者的检查",
        "《中华人民共和国道路运输条例》第二十四条、第五十八条；《道路货物运输及站场管理规定》",
        TRANSPORT,
        "道路货运",
        (
            licence_displayed(),
            number("vehicles", "营运车辆数", "Vehicles in service", unit="辆", high=5_000),
            yes_no(
                "vehicles_tested",
                "营运车辆是否按期进行综合性能检测",
                "Vehicles passed periodic tests",
            ),
            yes_no(
                "drivers_qualified", "驾驶员是否持有从业资格证", "Drivers hold work certificates"
            ),
            yes_no("gps_online", "重型货车卫星定位装置是否在线", "Heavy trucks' GPS online"),
        ),
        kind="general",
        ratio_cap="0.05",
    ),
    _item(
        "JTYS-002",
        "对机动车维修经营者的检查",
        "《中华人民共和国道路运输条例》第三十七条；《机动车维修管理规定》第四十九条",
        TRANSPORT,
        "机动车维修",
        (
            yes_no("filed", "是否办理机动车维修经营备案", "Repair business registered"),
            yes_no("price_shown", "维修工时定额和收费标准是否公示", "Labour rates displayed"),
            yes_no(
                "waste_oil",
                "废机油等危险废物是否规范收集",
                "Waste oil collected properly",
                photo_required=True,
            ),
            site_photos(1),
        ),
        kind="general",
        ratio_cap="0.05",
    ),
    _item(
        "NYNC-001",
        "对农药经营者的检查",
        "《农药管理条例》第二十四条、第四十一条；《农药经营许可管理办法》",
        FARM_INPUTS,
        "农资经营",
        (
            licence_displayed(),
            yes_no(
                "restricted_separate",
                "限制使用农药是否专柜销售并实名登记",
                "Restricted pesticides at a separate counter, sold by name",
            ),
            yes_no("ledger", "是否建立采购、销售台账", "Purchase and sales ledger kept"),
            multi(
                "sampled",
                "抽检产品类别",
                "Products sampled",
                ("herbicide", "除草剂", "Herbicide"),
                ("insecticide", "杀虫剂", "Insecticide"),
                ("fungicide", "杀菌剂", "Fungicide"),
                required=False,
            ),
            site_photos(1),
        ),
    ),
    _item(
        "SHANGWU-001",
        "对单用途商业预付卡发卡企业的检查",
        "《单用途商业预付卡管理办法（试行）》第七条、第十四条、第三十六条",
        COMMERCE,
        "预付卡发卡企业",
        (
            yes_no("filed", "是否按规定办理发卡备案", "Prepaid-card issuing registered"),
            number(
                "cards_outstanding",
                "预收资金余额",
                "Prepaid balance outstanding",
                unit="万元",
                high=100_000,
            ),
            yes_no("contract", "是否与购卡人签订购卡协议", "Purchase agreements signed"),
            remarks(),
        ),
        kind="general",
        ratio_cap="0.05",
        methods=(ON_SITE, WRITTEN),
    ),
    _item(
        "WTGL-001",
        "对旅行社经营行为的检查",
        "《旅行社条例》第四十一条；《中华人民共和国旅游法》第八十三条",
        CULTURE,
        "旅行社",
        (
            licence_displayed(),
            yes_no("contracts", "是否与旅游者签订书面合同", "Written contracts with travellers"),
            yes_no("guides_licensed", "导游是否持证上岗", "Guides licensed"),
            yes_no(
                "forced_shopping",
                "是否存在安排购物或另行付费项目获取回扣行为",
                "Forced shopping or kickbacks",
            ),
        ),
        kind="general",
        ratio_cap="0.10",
    ),
    _item(
        "WTGL-002",
        "对娱乐场所经营活动的检查",
        "《娱乐场所管理条例》第三十八条；《娱乐场所管理办法》",
        CULTURE,
        "娱乐场所",
        (
            licence_displayed(),
            yes_no("hours_kept", "是否在规定时间内营业", "Keeps the permitted hours"),
            yes_no("minors", "是否存在接纳未成年人情形", "Minors admitted"),
            photo(
                "minor_evidence",
                "证据照片",
                "Evidence photos",
                min_photos=2,
                show_if=when("minors", True),
            ),
            yes_no("songs_legal", "曲库是否含有禁止内容", "Song library holds banned content"),
        ),
    ),
    _item(
        "GA-001",
        "对旅馆业治安管理的检查",
        "《旅馆业治安管理办法》第六条、第十五条；《中华人民共和国治安管理处罚法》",
        POLICE,
        "住宿业",
        (
            yes_no("special_permit", "是否取得特种行业许可证", "Special-trade permit held"),
            yes_no("id_registration", "是否如实登记旅客身份信息", "Guests registered by ID"),
            number("rooms", "客房数", "Rooms", unit="间", low=1, high=2_000),
            site_photos(1),
        ),
    ),
    _item(
        "FGW-001",
        "对粮食经营者执行粮食流通管理规定的检查",
        "《粮食流通管理条例》第三十五条、第四十条；《粮食质量安全监管办法》",
        GRAIN,
        "粮食经营",
        (
            number("stock", "粮食库存量", "Grain in stock", unit="吨", high=500_000),
            yes_no(
                "ledger",
                "是否建立粮食经营台账并保存三年以上",
                "Grain ledger kept for at least three years",
            ),
            single(
                "storage",
                "储存条件",
                "Storage conditions",
                ("good", "符合", "Compliant"),
                ("poor", "不符合", "Non-compliant"),
            ),
            photo(
                "storage_photos",
                "仓储问题照片",
                "Storage problem photos",
                show_if=when("storage", "poor"),
            ),
        ),
        kind="general",
        ratio_cap="0.05",
    ),
    _item(
        "JY-001",
        "对校外培训机构办学行为的检查",
        "《中华人民共和国民办教育促进法》第六十二条；《校外培训行政处罚暂行办法》第十二条",
        EDUCATION,
        "校外培训机构",
        (
            licence_displayed(),
            yes_no("teachers_qualified", "培训人员是否具有相应资质", "Teachers qualified"),
            yes_no(
                "fees_in_escrow", "预收费是否纳入资金监管", "Prepaid fees in the escrow account"
            ),
            number("students", "在读学员数", "Students enrolled", unit="人", high=20_000),
        ),
        kind="general",
        ratio_cap="0.10",
    ),
    _item(
        "YB-001",
        "对定点医药机构医疗保障基金使用情况的检查",
        "《医疗保障基金使用监督管理条例》第二十二条、第二十七条",
        MEDICAL_INSURANCE,
        "定点医药机构",
        (
            yes_no("agreement", "是否签订医保服务协议", "Medical-insurance agreement signed"),
            yes_no("fake_claims", "是否存在虚构医药服务项目", "Claims for services not provided"),
            number(
                "suspect_amount",
                "涉嫌违规金额",
                "Amount in question",
                unit="元",
                high=10_000_000,
                show_if=when("fake_claims", True),
            ),
            remarks(),
        ),
        methods=(ON_SITE, WRITTEN),
    ),
    _item(
        "SHUIWU-001",
        "对取水单位取水许可执行情况的检查",
        "《取水许可和水资源费征收管理条例》第四十四条；《中华人民共和国水法》第四十八条",
        WATER,
        "取水单位",
        (
            yes_no("permit_held", "是否取得取水许可证", "Water-abstraction permit held"),
            yes_no(
                "meter_installed", "是否安装计量设施", "Water meter installed", photo_required=True
            ),
            number(
                "annual_volume", "年取水量", "Water taken per year", unit="万立方米", high=10_000
            ),
        ),
        kind="general",
        ratio_cap="0.05",
    ),
    _item(
        "ZRZY-001",
        "对矿产资源开采活动的检查",
        "《中华人民共和国矿产资源法》第三条、第三十九条；《矿产资源开采登记管理办法》",
        LAND,
        "矿山企业",
        (
            yes_no("licence_valid", "采矿许可证是否有效", "Mining licence valid"),
            yes_no(
                "within_bounds", "是否在批准的矿区范围内开采", "Mining within the licensed area"
            ),
            photo(
                "boundary_photos",
                "越界开采现场照片",
                "Photos of out-of-bounds mining",
                min_photos=2,
                show_if=when("within_bounds", False),
            ),
            day("licence_expiry", "采矿许可证有效期至", "Mining licence valid until"),
        ),
    ),
    _item(
        "GX-001",
        "对重点用能单位节能情况的监察",
        "《中华人民共和国节约能源法》第十二条、第五十四条；《工业节能监察办法》",
        ENERGY,
        "重点用能单位",
        (
            number(
                "energy_use",
                "上年度综合能源消费量",
                "Energy used last year",
                unit="吨标准煤",
                high=10_000_000,
            ),
            yes_no("energy_manager", "是否设立能源管理岗位", "Energy manager appointed"),
            yes_no("banned_equipment", "是否使用国家明令淘汰的用能设备", "Uses banned equipment"),
        ),
        kind="general",
        ratio_cap="0.10",
        methods=(ON_SITE, WRITTEN),
    ),
    _item(
        "MZ-001",
        "对养老机构服务安全和质量的检查",
        "《养老机构管理办法》第四十条；《中华人民共和国老年人权益保障法》第四十四条",
        ELDERLY_CARE,
        "养老机构",
        (
            yes_no("filed", "是否办理养老机构备案", "Elderly-care home registered"),
            number("residents", "入住老人数", "Residents", unit="人", high=2_000),
            yes_no(
                "fire_safe",
                "消防设施是否完好有效",
                "Fire equipment in working order",
                photo_required=True,
            ),
            yes_no("canteen_permit", "内设食堂是否取得食品经营许可", "Canteen has a food permit"),
            remarks(),
        ),
    ),
)
