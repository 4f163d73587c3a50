using OneMap.Models.Industry;

namespace OneMap.Simulator.Industry;

/// <summary>How a chain's enterprises are placed and named.</summary>
/// <param name="Chain">The chain with its segments.</param>
/// <param name="Enterprises">How many enterprises at scale 1.</param>
/// <param name="Parks">Preferred industrial parks (indices into <see cref="ChainCatalog.Parks"/>).</param>
/// <param name="NameWords">Words for the business part of enterprise names, one per segment.</param>
/// <param name="Polluting">Whether its plants discharge process water (they get permitted outfalls).</param>
public sealed record ChainSpec(IndustrialChain Chain, int Enterprises, IReadOnlyList<int> Parks, IReadOnlyList<string> NameWords, bool Polluting);

/// <summary>
/// Putian's 13 key industrial chains (modelled on the city's published list: footwear, electronics, arts and crafts,
/// jewellery, food, classical furniture, …), each with upstream, midstream and downstream segments and their
/// GB/T 4754-2017 industry classes.
/// </summary>
public static class ChainCatalog
{
    /// <summary>Industrial parks (WGS84 lon, lat, spread in km).</summary>
    public static IReadOnlyList<(string Name, double Lon, double Lat, double SpreadKm)> Parks { get; } =
    [
        ("涵江高新技术产业园区", 119.112, 25.478, 1.6),
        ("华林经济开发区", 118.975, 25.392, 1.4),
        ("荔城经济开发区", 119.035, 25.420, 1.3),
        ("仙游经济开发区", 118.712, 25.338, 1.6),
        ("秀屿临港工业区", 119.165, 25.230, 1.8),
        ("笏石产业园", 119.105, 25.275, 1.2),
        ("枫亭工艺美术园", 118.860, 25.275, 1.2),
        ("江口产业园", 119.150, 25.540, 1.3),
        ("西天尾工业园", 119.010, 25.470, 1.2),
    ];

    private static ChainSegment Seg(string chain, int n, ChainStage stage, string name, string nameEn, string code) =>
        new($"{chain}-S{n:00}", chain, stage, name, nameEn, code);

    public static IReadOnlyList<ChainSpec> Chains { get; } =
    [
        new(new IndustrialChain("C01", "鞋服", "Footwear and apparel", "D02",
        [
            Seg("C01", 1, ChainStage.Upstream, "皮革鞣制", "Leather tanning", "1910"),
            Seg("C01", 2, ChainStage.Upstream, "合成革与鞋材", "Synthetic leather and shoe materials", "2925"),
            Seg("C01", 3, ChainStage.Upstream, "化纤面料", "Synthetic fabrics", "1751"),
            Seg("C01", 4, ChainStage.Midstream, "皮鞋制造", "Leather shoes", "1952"),
            Seg("C01", 5, ChainStage.Midstream, "运动鞋制造", "Textile and sports shoes", "1951"),
            Seg("C01", 6, ChainStage.Midstream, "服装制造", "Garments", "1810"),
            Seg("C01", 7, ChainStage.Downstream, "鞋帽批发", "Footwear wholesale", "5133"),
        ]), 300, [0, 2, 8, 5], ["皮革", "鞋材", "纺织", "鞋业", "鞋业", "服饰", "鞋服贸易"], true),
        new(new IndustrialChain("C02", "电子信息", "Electronic information", "D02",
        [
            Seg("C02", 1, ChainStage.Upstream, "电子专用材料", "Electronic materials", "3985"),
            Seg("C02", 2, ChainStage.Upstream, "电子电路", "Printed circuits", "3982"),
            Seg("C02", 3, ChainStage.Midstream, "显示器件", "Display devices", "3974"),
            Seg("C02", 4, ChainStage.Midstream, "半导体照明器件", "LED devices", "3975"),
            Seg("C02", 5, ChainStage.Midstream, "通信终端设备", "Communication terminals", "3922"),
            Seg("C02", 6, ChainStage.Downstream, "应用软件开发", "Application software", "6513"),
        ]), 170, [0, 2, 1], ["电子材料", "电路科技", "光电", "照明科技", "通讯设备", "信息技术"], true),
        new(new IndustrialChain("C03", "工艺美术", "Arts and crafts", "D19",
        [
            Seg("C03", 1, ChainStage.Upstream, "木材加工", "Timber processing", "2011"),
            Seg("C03", 2, ChainStage.Midstream, "雕塑工艺品", "Carved crafts", "2431"),
            Seg("C03", 3, ChainStage.Midstream, "金属工艺品", "Metal crafts", "2432"),
            Seg("C03", 4, ChainStage.Midstream, "漆器工艺品", "Lacquerware", "2433"),
            Seg("C03", 5, ChainStage.Downstream, "工艺美术品零售", "Crafts retail", "5246"),
        ]), 150, [6, 3], ["木业", "工艺品", "金属工艺", "漆艺", "艺术品"], false),
        new(new IndustrialChain("C04", "金银珠宝", "Gold, silver and jewellery", "D24",
        [
            Seg("C04", 1, ChainStage.Upstream, "贵金属冶炼", "Precious-metal refining", "3221"),
            Seg("C04", 2, ChainStage.Midstream, "珠宝首饰制造", "Jewellery making", "2438"),
            Seg("C04", 3, ChainStage.Downstream, "珠宝首饰零售", "Jewellery retail", "5245"),
        ]), 120, [5, 4, 8], ["贵金属", "珠宝", "金银饰品"], true),
        new(new IndustrialChain("C05", "食品加工", "Food processing", "D16",
        [
            Seg("C05", 1, ChainStage.Upstream, "水果种植", "Fruit growing", "0154"),
            Seg("C05", 2, ChainStage.Midstream, "水产品冷冻加工", "Frozen seafood", "1361"),
            Seg("C05", 3, ChainStage.Midstream, "糕点面包制造", "Bakery", "1411"),
            Seg("C05", 4, ChainStage.Midstream, "速冻食品制造", "Frozen food", "1432"),
            Seg("C05", 5, ChainStage.Midstream, "精制茶加工", "Tea processing", "1530"),
            Seg("C05", 6, ChainStage.Downstream, "果品蔬菜批发", "Fruit and vegetable wholesale", "5123"),
        ]), 130, [1, 7, 3], ["果业", "水产食品", "食品", "冷冻食品", "茶业", "食品贸易"], true),
        new(new IndustrialChain("C06", "古典家具", "Classical furniture", "D02",
        [
            Seg("C06", 1, ChainStage.Upstream, "锯材加工", "Sawn timber", "2011"),
            Seg("C06", 2, ChainStage.Midstream, "木质家具制造", "Wooden furniture", "2110"),
            Seg("C06", 3, ChainStage.Downstream, "家具零售", "Furniture retail", "5283"),
        ]), 120, [3, 6], ["木材", "红木家具", "家居"], false),
        new(new IndustrialChain("C07", "高端装备", "Advanced equipment", "D02",
        [
            Seg("C07", 1, ChainStage.Upstream, "金属表面处理", "Metal surface treatment", "3360"),
            Seg("C07", 2, ChainStage.Upstream, "机械零部件加工", "Machined parts", "3484"),
            Seg("C07", 3, ChainStage.Midstream, "泵及真空设备", "Pumps", "3441"),
            Seg("C07", 4, ChainStage.Midstream, "阀门和旋塞", "Valves", "3443"),
            Seg("C07", 5, ChainStage.Downstream, "设备维修", "Equipment repair", "4320"),
        ]), 110, [0, 7, 1], ["表面处理", "精密机械", "泵业", "阀门", "机电服务"], true),
        new(new IndustrialChain("C08", "纺织化纤", "Textiles and chemical fibres", "D02",
        [
            Seg("C08", 1, ChainStage.Upstream, "涤纶纤维", "Polyester fibre", "2822"),
            Seg("C08", 2, ChainStage.Upstream, "锦纶纤维", "Nylon fibre", "2821"),
            Seg("C08", 3, ChainStage.Midstream, "化纤织造", "Synthetic weaving", "1751"),
            Seg("C08", 4, ChainStage.Midstream, "化纤染整", "Dyeing and finishing", "1752"),
            Seg("C08", 5, ChainStage.Downstream, "纺织品批发", "Textile wholesale", "5131"),
        ]), 120, [7, 0], ["化纤", "锦纶", "织造", "印染", "纺织贸易"], true),
        new(new IndustrialChain("C09", "新材料", "New materials", "D04",
        [
            Seg("C09", 1, ChainStage.Upstream, "合成树脂", "Synthetic resins", "2651"),
            Seg("C09", 2, ChainStage.Midstream, "塑料板管型材", "Plastic sheets and profiles", "2922"),
            Seg("C09", 3, ChainStage.Midstream, "特种陶瓷", "Technical ceramics", "3073"),
            Seg("C09", 4, ChainStage.Downstream, "新材料技术推广", "Materials technology services", "7513"),
        ]), 90, [4, 0], ["树脂", "塑胶", "陶瓷科技", "新材料"], true),
        new(new IndustrialChain("C10", "生物医药", "Biomedicine", "D20",
        [
            Seg("C10", 1, ChainStage.Upstream, "化学药品原料药", "Active pharmaceutical ingredients", "2710"),
            Seg("C10", 2, ChainStage.Midstream, "化学药品制剂", "Drug formulations", "2720"),
            Seg("C10", 3, ChainStage.Midstream, "卫生材料及医药用品", "Medical supplies", "2770"),
            Seg("C10", 4, ChainStage.Downstream, "医疗诊断设备", "Diagnostic equipment", "3581"),
        ]), 70, [0, 2], ["药业", "制药", "医用材料", "医疗器械"], true),
        new(new IndustrialChain("C11", "清洁能源", "Clean energy", "D01",
        [
            Seg("C11", 1, ChainStage.Upstream, "天然气生产和供应", "Natural gas (LNG)", "4511"),
            Seg("C11", 2, ChainStage.Midstream, "风力发电", "Wind power", "4415"),
            Seg("C11", 3, ChainStage.Midstream, "太阳能发电", "Solar power", "4416"),
            Seg("C11", 4, ChainStage.Downstream, "电力供应", "Power supply", "4420"),
        ]), 50, [4], ["燃气", "风电", "光伏", "电力"], false),
        new(new IndustrialChain("C12", "海洋经济", "Marine economy", "D17",
        [
            Seg("C12", 1, ChainStage.Upstream, "海水养殖", "Mariculture", "0411"),
            Seg("C12", 2, ChainStage.Upstream, "海水捕捞", "Marine fishing", "0421"),
            Seg("C12", 3, ChainStage.Midstream, "鱼糜及水产干腌制", "Surimi and cured seafood", "1362"),
            Seg("C12", 4, ChainStage.Downstream, "水产品批发", "Seafood wholesale", "5124"),
        ]), 80, [4, 5], ["海产养殖", "海洋渔业", "海洋食品", "海产贸易"], true),
        new(new IndustrialChain("C13", "新能源电池", "New-energy batteries", "D02",
        [
            Seg("C13", 1, ChainStage.Upstream, "电子专用材料", "Battery materials", "3985"),
            Seg("C13", 2, ChainStage.Midstream, "锂离子电池制造", "Lithium-ion batteries", "3841"),
            Seg("C13", 3, ChainStage.Downstream, "储能电池", "Energy-storage batteries", "3849"),
        ]), 60, [8, 4], ["电池材料", "锂电", "储能科技"], true),
    ];
}
