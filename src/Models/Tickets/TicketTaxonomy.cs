namespace OneMap.Models.Tickets;

/// <summary>How quickly a kind of problem must be handled.</summary>
public enum TicketUrgency
{
    /// <summary>Danger to people or property (gas leak, missing manhole cover): hours.</summary>
    Emergency,

    /// <summary>Disrupts daily life (no water, sewage overflow): a day or two.</summary>
    Urgent,

    /// <summary>Everything else: days.</summary>
    Normal,
}

/// <summary>A ticket category (大类).</summary>
/// <param name="Code">Two-digit code.</param>
/// <param name="Name">Chinese name.</param>
/// <param name="NameEn">English name.</param>
public sealed record TicketCategory(string Code, string Name, string NameEn);

/// <summary>A ticket sub-category (小类).</summary>
/// <param name="Code">Four-digit code; its first two digits are the category.</param>
/// <param name="CategoryCode">The category.</param>
/// <param name="Name">Chinese name.</param>
/// <param name="NameEn">English name.</param>
/// <param name="Urgency">Sets the deadlines.</param>
/// <param name="Open311ServiceCode">The Open311 service_code citizens' apps use for it.</param>
public sealed record TicketSubCategory(string Code, string CategoryCode, string Name, string NameEn, TicketUrgency Urgency, string Open311ServiceCode);

/// <summary>
/// The two-level ticket taxonomy of the sample city (9 categories, 53 sub-categories, modelled on the city-management
/// standards of Changzhou and Tongcheng) and the deadlines by urgency and level.
/// </summary>
public static class TicketTaxonomy
{
    public static IReadOnlyList<TicketCategory> Categories { get; } =
    [
        new("01", "市容环境", "City appearance and sanitation"),
        new("02", "道路与路灯", "Roads and street lights"),
        new("03", "供排水", "Water supply and drainage"),
        new("04", "生态环境", "Environment and pollution"),
        new("05", "安全隐患", "Public safety hazards"),
        new("06", "邻里纠纷", "Neighbourhood disputes"),
        new("07", "园林绿化", "Parks and greenery"),
        new("08", "市场监管", "Markets and consumers"),
        new("09", "民生服务", "Livelihood services"),
    ];

    public static IReadOnlyList<TicketSubCategory> SubCategories { get; } =
    [
        Sub("0101", "暴露垃圾", "Exposed rubbish", TicketUrgency.Normal),
        Sub("0102", "乱堆物料", "Materials piled in public space", TicketUrgency.Normal),
        Sub("0103", "占道经营", "Street vending on the roadway", TicketUrgency.Normal),
        Sub("0104", "违规广告招牌", "Illegal advertising or signboards", TicketUrgency.Normal),
        Sub("0105", "乱涂写乱张贴", "Graffiti and flyposting", TicketUrgency.Normal),
        Sub("0106", "道路不洁", "Dirty streets", TicketUrgency.Normal),
        Sub("0201", "路面破损", "Damaged road surface", TicketUrgency.Urgent),
        Sub("0202", "路灯不亮", "Street light out", TicketUrgency.Normal),
        Sub("0203", "井盖缺失破损", "Missing or broken manhole cover", TicketUrgency.Emergency),
        Sub("0204", "交通设施损坏", "Damaged traffic signs or signals", TicketUrgency.Urgent),
        Sub("0205", "人行道破损", "Damaged pavement", TicketUrgency.Normal),
        Sub("0206", "桥梁隐患", "Bridge hazard", TicketUrgency.Urgent),
        Sub("0301", "停水", "No water supply", TicketUrgency.Urgent),
        Sub("0302", "水管爆裂", "Burst water main", TicketUrgency.Emergency),
        Sub("0303", "排水不畅积水", "Blocked drain or standing water", TicketUrgency.Urgent),
        Sub("0304", "污水外溢", "Sewage overflow", TicketUrgency.Urgent),
        Sub("0305", "井盖异响", "Noisy manhole cover", TicketUrgency.Normal),
        Sub("0306", "自来水水质异常", "Tap-water quality problem", TicketUrgency.Urgent),
        Sub("0401", "河道水体污染", "River pollution", TicketUrgency.Urgent),
        Sub("0402", "偷排污水", "Illegal sewage discharge", TicketUrgency.Urgent),
        Sub("0403", "大气污染异味", "Air pollution or odour", TicketUrgency.Normal),
        Sub("0404", "噪声扰民", "Noise nuisance", TicketUrgency.Normal),
        Sub("0405", "露天焚烧", "Open burning", TicketUrgency.Urgent),
        Sub("0406", "工地扬尘", "Construction dust", TicketUrgency.Normal),
        Sub("0501", "消防通道堵塞", "Blocked fire lane", TicketUrgency.Urgent),
        Sub("0502", "燃气泄漏", "Gas leak", TicketUrgency.Emergency),
        Sub("0503", "危房隐患", "Dangerous building", TicketUrgency.Urgent),
        Sub("0504", "电动车违规充电", "Illegal e-bike charging", TicketUrgency.Urgent),
        Sub("0505", "高空坠物隐患", "Falling-object hazard", TicketUrgency.Urgent),
        Sub("0506", "防汛隐患", "Flood-control hazard", TicketUrgency.Emergency),
        Sub("0601", "邻里矛盾", "Dispute between neighbours", TicketUrgency.Normal),
        Sub("0602", "物业纠纷", "Property-management dispute", TicketUrgency.Normal),
        Sub("0603", "房屋漏水纠纷", "Leaking-flat dispute", TicketUrgency.Normal),
        Sub("0604", "停车纠纷", "Parking dispute", TicketUrgency.Normal),
        Sub("0605", "宠物扰民", "Pet nuisance", TicketUrgency.Normal),
        Sub("0701", "树木倒伏", "Fallen tree", TicketUrgency.Urgent),
        Sub("0702", "绿地损坏", "Damaged green space", TicketUrgency.Normal),
        Sub("0703", "病虫害", "Plant pests", TicketUrgency.Normal),
        Sub("0704", "公园设施损坏", "Damaged park facilities", TicketUrgency.Normal),
        Sub("0705", "毁绿占绿", "Green space destroyed or occupied", TicketUrgency.Normal),
        Sub("0801", "食品安全", "Food safety", TicketUrgency.Urgent),
        Sub("0802", "价格投诉", "Pricing complaint", TicketUrgency.Normal),
        Sub("0803", "无证经营", "Unlicensed business", TicketUrgency.Normal),
        Sub("0804", "消费纠纷", "Consumer dispute", TicketUrgency.Normal),
        Sub("0805", "商品质量", "Product quality", TicketUrgency.Normal),
        Sub("0806", "虚假宣传", "False advertising", TicketUrgency.Normal),
        Sub("0901", "社保咨询", "Social-insurance enquiry", TicketUrgency.Normal),
        Sub("0902", "医疗服务", "Medical services", TicketUrgency.Normal),
        Sub("0903", "教育入学", "Schooling and enrolment", TicketUrgency.Normal),
        Sub("0904", "公共交通", "Public transport", TicketUrgency.Normal),
        Sub("0905", "劳资纠纷欠薪", "Unpaid wages", TicketUrgency.Urgent),
        Sub("0906", "户籍办理", "Household registration", TicketUrgency.Normal),
        Sub("0907", "殡葬管理", "Funeral services", TicketUrgency.Normal),
    ];

    /// <summary>The category with this code.</summary>
    public static TicketCategory Category(string code) =>
        Categories.FirstOrDefault(c => c.Code == code)
        ?? throw new ArgumentOutOfRangeException(nameof(code), code, "unknown ticket category");

    /// <summary>The sub-category with this code.</summary>
    public static TicketSubCategory SubCategory(string code) =>
        SubCategories.FirstOrDefault(c => c.Code == code)
        ?? throw new ArgumentOutOfRangeException(nameof(code), code, "unknown ticket sub-category");

    /// <summary>
    /// The time a level has to handle (or pass on) a ticket of this sub-category from the moment it receives it.
    /// Emergencies get 2 h at the grid and up to 24 h at the top; normal matters 1 day at the grid, 3 at the community,
    /// 5 at the street, 7 at district or city level (Jiangbei: each level its own deadline).
    /// </summary>
    public static TimeSpan Deadline(string subCategoryCode, GovernanceLevel level)
    {
        var urgency = SubCategory(subCategoryCode).Urgency;
        var hours = (urgency, level) switch
        {
            (TicketUrgency.Emergency, GovernanceLevel.Grid) => 2,
            (TicketUrgency.Emergency, GovernanceLevel.Community) => 4,
            (TicketUrgency.Emergency, GovernanceLevel.Street) => 8,
            (TicketUrgency.Emergency, _) => 24,
            (TicketUrgency.Urgent, GovernanceLevel.Grid) => 12,
            (TicketUrgency.Urgent, GovernanceLevel.Community) => 24,
            (TicketUrgency.Urgent, GovernanceLevel.Street) => 48,
            (TicketUrgency.Urgent, _) => 72,
            (TicketUrgency.Normal, GovernanceLevel.Grid) => 24,
            (TicketUrgency.Normal, GovernanceLevel.Community) => 72,
            (TicketUrgency.Normal, GovernanceLevel.Street) => 120,
            _ => 168,
        };
        return TimeSpan.FromHours(hours);
    }

    private static TicketSubCategory Sub(string code, string name, string nameEn, TicketUrgency urgency) =>
        new(code, code[..2], name, nameEn, urgency, "OM-" + code);
}
