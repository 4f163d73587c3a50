using OneMap.Models.Government;
using OneMap.Models.Tickets;
using OneMap.Simulator.Geography;

namespace OneMap.Simulator.Government;

/// <summary>The sample city's 58 departments (Putian's municipal bureaus, utilities, district governments) and what each handles.</summary>
public static class DepartmentCatalog
{
    private static Department D(int n, string shortName, string nameEn, DepartmentKind kind, string phone) =>
        new($"D{n:00}", shortName.StartsWith("市", StringComparison.Ordinal) ? "莆田" + shortName : shortName, shortName, nameEn, kind, phone);

    public static IReadOnlyList<Department> Departments { get; } =
    [
        D(1, "市发展和改革委员会", "Development and Reform Commission", DepartmentKind.Municipal, "0594-2692101"),
        D(2, "市工业和信息化局", "Industry and Information Technology Bureau", DepartmentKind.Municipal, "0594-2692102"),
        D(3, "市教育局", "Education Bureau", DepartmentKind.Municipal, "0594-2692103"),
        D(4, "市科学技术局", "Science and Technology Bureau", DepartmentKind.Municipal, "0594-2692104"),
        D(5, "市公安局", "Public Security Bureau", DepartmentKind.Municipal, "0594-110"),
        D(6, "市民政局", "Civil Affairs Bureau", DepartmentKind.Municipal, "0594-2692106"),
        D(7, "市司法局", "Justice Bureau", DepartmentKind.Municipal, "0594-2692107"),
        D(8, "市财政局", "Finance Bureau", DepartmentKind.Municipal, "0594-2692108"),
        D(9, "市人力资源和社会保障局", "Human Resources and Social Security Bureau", DepartmentKind.Municipal, "0594-12333"),
        D(10, "市自然资源局", "Natural Resources Bureau", DepartmentKind.Municipal, "0594-2692110"),
        D(11, "市住房和城乡建设局", "Housing and Urban-Rural Development Bureau", DepartmentKind.Municipal, "0594-2692111"),
        D(12, "市生态环境局", "Ecology and Environment Bureau", DepartmentKind.Municipal, "0594-12369"),
        D(13, "市交通运输局", "Transport Bureau", DepartmentKind.Municipal, "0594-2692113"),
        D(14, "市城市管理局", "Urban Management Bureau", DepartmentKind.Municipal, "0594-2692114"),
        D(15, "市水利局", "Water Resources Bureau", DepartmentKind.Municipal, "0594-2692115"),
        D(16, "市农业农村局", "Agriculture and Rural Affairs Bureau", DepartmentKind.Municipal, "0594-2692116"),
        D(17, "市海洋与渔业局", "Ocean and Fisheries Bureau", DepartmentKind.Municipal, "0594-2692117"),
        D(18, "市商务局", "Commerce Bureau", DepartmentKind.Municipal, "0594-2692118"),
        D(19, "市文化和旅游局", "Culture and Tourism Bureau", DepartmentKind.Municipal, "0594-2692119"),
        D(20, "市卫生健康委员会", "Health Commission", DepartmentKind.Municipal, "0594-2692120"),
        D(21, "市退役军人事务局", "Veterans Affairs Bureau", DepartmentKind.Municipal, "0594-2692121"),
        D(22, "市应急管理局", "Emergency Management Bureau", DepartmentKind.Municipal, "0594-2692122"),
        D(23, "市审计局", "Audit Bureau", DepartmentKind.Municipal, "0594-2692123"),
        D(24, "市市场监督管理局", "Market Regulation Administration", DepartmentKind.Municipal, "0594-12315"),
        D(25, "市统计局", "Statistics Bureau", DepartmentKind.Municipal, "0594-2692125"),
        D(26, "市医疗保障局", "Healthcare Security Bureau", DepartmentKind.Municipal, "0594-2692126"),
        D(27, "市林业局", "Forestry Bureau", DepartmentKind.Municipal, "0594-2692127"),
        D(28, "市体育局", "Sports Bureau", DepartmentKind.Municipal, "0594-2692128"),
        D(29, "市信访局", "Letters and Visits Bureau", DepartmentKind.Municipal, "0594-2692129"),
        D(30, "市国有资产监督管理委员会", "State-owned Assets Supervision Commission", DepartmentKind.Municipal, "0594-2692130"),
        D(31, "市人民防空办公室", "Civil Air Defence Office", DepartmentKind.Municipal, "0594-2692131"),
        D(32, "市地方金融监督管理局", "Local Financial Supervision Bureau", DepartmentKind.Municipal, "0594-2692132"),
        D(33, "市行政服务中心管理委员会", "Administrative Service Centre", DepartmentKind.Municipal, "0594-2692133"),
        D(34, "市机关事务管理局", "Government Offices Administration", DepartmentKind.Municipal, "0594-2692134"),
        D(35, "市外事办公室", "Foreign Affairs Office", DepartmentKind.Municipal, "0594-2692135"),
        D(36, "市民族与宗教事务局", "Ethnic and Religious Affairs Bureau", DepartmentKind.Municipal, "0594-2692136"),
        D(37, "市公共资源交易中心", "Public Resources Trading Centre", DepartmentKind.Municipal, "0594-2692137"),
        D(38, "市住房公积金中心", "Housing Provident Fund Centre", DepartmentKind.Municipal, "0594-12329"),
        D(39, "市数据管理局", "Data Administration Bureau", DepartmentKind.Municipal, "0594-2692139"),
        D(40, "市网格化服务管理中心", "Grid Governance Centre", DepartmentKind.Municipal, "0594-2692140"),
        D(41, "市12345便民服务平台", "12345 Citizens' Service Hotline Centre", DepartmentKind.Municipal, "12345"),
        D(42, "市消防救援支队", "Fire and Rescue Detachment", DepartmentKind.Vertical, "0594-119"),
        D(43, "市气象局", "Meteorological Bureau", DepartmentKind.Vertical, "0594-12121"),
        D(44, "国家税务总局莆田市税务局", "Taxation Bureau", DepartmentKind.Vertical, "0594-12366"),
        D(45, "国网莆田供电公司", "State Grid Putian Power Supply Company", DepartmentKind.Utility, "95598"),
        D(46, "莆田市水务集团", "Putian Water Group", DepartmentKind.Utility, "0594-2222333"),
        D(47, "莆田华润燃气有限公司", "China Resources Gas Putian", DepartmentKind.Utility, "0594-96777"),
        D(48, "中国电信莆田分公司", "China Telecom Putian", DepartmentKind.Utility, "10000"),
        D(49, "中国移动莆田分公司", "China Mobile Putian", DepartmentKind.Utility, "10086"),
        D(50, "市城市排水管理处", "Urban Drainage Administration", DepartmentKind.Utility, "0594-2692150"),
        D(51, "市路灯管理所", "Street Lighting Administration", DepartmentKind.Utility, "0594-2692151"),
        D(52, "市园林绿化中心", "Parks and Greening Centre", DepartmentKind.Municipal, "0594-2692152"),
        D(53, "城厢区人民政府", "Chengxiang District Government", DepartmentKind.District, "0594-2692153"),
        D(54, "涵江区人民政府", "Hanjiang District Government", DepartmentKind.District, "0594-2692154"),
        D(55, "荔城区人民政府", "Licheng District Government", DepartmentKind.District, "0594-2692155"),
        D(56, "秀屿区人民政府", "Xiuyu District Government", DepartmentKind.District, "0594-2692156"),
        D(57, "仙游县人民政府", "Xianyou County Government", DepartmentKind.District, "0594-2692157"),
        D(58, "湄洲湾北岸经济开发区管委会", "Meizhou Bay North Shore Development Zone", DepartmentKind.District, "0594-2692158"),
    ];

    /// <summary>The department a sub-category is dispatched to.</summary>
    public static string HandlerOf(string subCategory) => subCategory switch
    {
        "0101" or "0102" or "0103" or "0104" or "0105" or "0106" or "0203" or "0305" or "0405" => "D14",
        "0201" or "0205" or "0406" or "0503" or "0505" or "0602" or "0603" => "D11",
        "0202" => "D51",
        "0204" or "0604" or "0605" or "0906" => "D05",
        "0206" or "0904" => "D13",
        "0301" or "0302" or "0306" => "D46",
        "0303" or "0304" => "D50",
        "0401" or "0402" or "0403" or "0404" => "D12",
        "0501" or "0504" => "D42",
        "0502" => "D47",
        "0506" => "D22",
        "0601" => "D07",
        "0701" or "0702" or "0703" or "0704" or "0705" => "D52",
        "0801" or "0802" or "0803" or "0804" or "0805" or "0806" => "D24",
        "0901" or "0905" => "D09",
        "0902" => "D20",
        "0903" => "D03",
        "0907" => "D06",
        _ => throw new ArgumentOutOfRangeException(nameof(subCategory), subCategory, "no handler for this sub-category"),
    };

    private static readonly string[] DistrictDepartments = ["D53", "D54", "D55", "D56", "D57"];

    /// <summary>Responsibilities: sub-categories from the dispatch table, owned layers, and districts for district governments.</summary>
    public static IReadOnlyList<Responsibility> Responsibilities()
    {
        var layers = new Dictionary<string, string[]>
        {
            ["D02"] = ["enterprises"], ["D06"] = ["admin_units"], ["D12"] = ["monitoring_stations", "outfalls", "water_quality_readings", "sampling_results"],
            ["D14"] = ["manhole_covers", "manhole_readings", "manhole_alarms"], ["D15"] = ["river_reaches"], ["D17"] = ["vessels", "vessel_positions", "fences"],
            ["D39"] = ["departments"], ["D40"] = ["admin_units"], ["D41"] = ["tickets", "ticket_events"], ["D45"] = ["manhole_covers"],
            ["D46"] = ["manhole_covers"], ["D47"] = ["manhole_covers"], ["D48"] = ["manhole_covers"], ["D50"] = ["manhole_covers"],
        };
        var result = new List<Responsibility>();
        foreach (var d in Departments)
        {
            var subs = TicketTaxonomy.SubCategories.Where(s => HandlerOf(s.Code) == d.Code).Select(s => s.Code).ToArray();
            var index = Array.IndexOf(DistrictDepartments, d.Code);
            string[] districts = index >= 0 ? [PlaceNames.Districts[index].Code] : d.Code == "D58" ? ["350305"] : [];
            // District governments answer for every grid matter in their district that climbs to district level.
            if (index >= 0 || d.Code == "D58")
            {
                subs = ["0101", "0102", "0103", "0601", "0602", "0604"];
            }
            result.Add(new Responsibility(d.Code, subs, layers.TryGetValue(d.Code, out var l) ? l : [], districts));
        }
        return result;
    }

    /// <summary>The district government department for a district code.</summary>
    public static string DistrictDepartment(string districtCode)
    {
        var index = PlaceNames.Districts.ToList().FindIndex(d => d.Code == districtCode);
        return index >= 0 ? DistrictDepartments[index] : "D41";
    }
}
