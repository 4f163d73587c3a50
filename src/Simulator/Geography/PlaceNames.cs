namespace OneMap.Simulator.Geography;

/// <summary>A district of the sample city: real name and division code, simulated shape.</summary>
public sealed record DistrictSpec(
    string Code, string Name, string NameEn, double SeedLon, double SeedLat, double Weight, IReadOnlyList<(string Name, string NameEn)> Towns);

/// <summary>
/// Names of the sample city. Districts and towns carry Putian's real names and division codes; their shapes, and
/// every community, road and person, are made up.
/// </summary>
public static class PlaceNames
{
    public const string CityCode = "350300";
    public const string CityName = "莆田市";

    public static IReadOnlyList<DistrictSpec> Districts { get; } =
    [
        new("350302", "城厢区", "Chengxiang District", 118.93, 25.31, 1.05,
        [
            ("龙桥街道", "Longqiao Street"), ("凤凰山街道", "Fenghuangshan Street"), ("霞林街道", "Xialin Street"),
            ("常太镇", "Changtai Town"), ("华亭镇", "Huating Town"), ("灵川镇", "Lingchuan Town"),
        ]),
        new("350303", "涵江区", "Hanjiang District", 119.07, 25.64, 0.85,
        [
            ("涵东街道", "Handong Street"), ("涵西街道", "Hanxi Street"), ("三江口镇", "Sanjiangkou Town"), ("白塘镇", "Baitang Town"),
            ("国欢镇", "Guohuan Town"), ("梧塘镇", "Wutang Town"), ("江口镇", "Jiangkou Town"), ("萩芦镇", "Qiulu Town"),
            ("白沙镇", "Baisha Town"),
        ]),
        new("350304", "荔城区", "Licheng District", 119.03, 25.45, 0.62,
        [
            ("镇海街道", "Zhenhai Street"), ("拱辰街道", "Gongchen Street"), ("西天尾镇", "Xitianwei Town"), ("黄石镇", "Huangshi Town"),
            ("新度镇", "Xindu Town"), ("北高镇", "Beigao Town"),
        ]),
        new("350305", "秀屿区", "Xiuyu District", 119.17, 25.24, 0.85,
        [
            ("笏石镇", "Hushi Town"), ("东庄镇", "Dongzhuang Town"), ("忠门镇", "Zhongmen Town"), ("东峤镇", "Dongqiao Town"),
            ("埭头镇", "Daitou Town"), ("平海镇", "Pinghai Town"), ("月塘镇", "Yuetang Town"),
        ]),
        new("350322", "仙游县", "Xianyou County", 118.72, 25.42, 1.75,
        [
            ("鲤城街道", "Licheng Street (Xianyou)"), ("鲤南镇", "Linan Town"), ("枫亭镇", "Fengting Town"), ("榜头镇", "Bangtou Town"),
            ("郊尾镇", "Jiaowei Town"), ("度尾镇", "Duwei Town"), ("赖店镇", "Laidian Town"), ("盖尾镇", "Gaiwei Town"),
            ("园庄镇", "Yuanzhuang Town"), ("大济镇", "Daji Town"), ("龙华镇", "Longhua Town"), ("钟山镇", "Zhongshan Town"),
        ]),
    ];

    /// <summary>Characters for community and village names, with pinyin.</summary>
    public static IReadOnlyList<(string Zh, string Py)> FirstSyllables { get; } =
    [
        ("东", "Dong"), ("西", "Xi"), ("南", "Nan"), ("北", "Bei"), ("新", "Xin"), ("后", "Hou"), ("前", "Qian"), ("上", "Shang"),
        ("下", "Xia"), ("霞", "Xia"), ("溪", "Xi"), ("山", "Shan"), ("林", "Lin"), ("洋", "Yang"), ("梅", "Mei"), ("荔", "Li"),
        ("凤", "Feng"), ("龙", "Long"), ("白", "Bai"), ("石", "Shi"), ("华", "Hua"), ("兴", "Xing"), ("埔", "Pu"), ("塘", "Tang"),
        ("玉", "Yu"), ("金", "Jin"), ("桥", "Qiao"), ("莲", "Lian"), ("湖", "Hu"), ("沙", "Sha"), ("坂", "Ban"), ("黄", "Huang"),
        ("古", "Gu"), ("长", "Chang"), ("安", "An"), ("和", "He"), ("文", "Wen"), ("福", "Fu"), ("宁", "Ning"), ("延", "Yan"),
    ];

    public static IReadOnlyList<(string Zh, string Py)> SecondSyllables { get; } =
    [
        ("头", "tou"), ("尾", "wei"), ("坑", "keng"), ("亭", "ting"), ("桥", "qiao"), ("厝", "cuo"), ("田", "tian"), ("港", "gang"),
        ("埔", "pu"), ("洋", "yang"), ("岭", "ling"), ("林", "lin"), ("园", "yuan"), ("墩", "dun"), ("庄", "zhuang"), ("阳", "yang"),
        ("岩", "yan"), ("山", "shan"), ("溪", "xi"), ("湖", "hu"), ("峰", "feng"), ("兴", "xing"), ("安", "an"), ("口", "kou"),
        ("前", "qian"), ("后", "hou"), ("城", "cheng"), ("丰", "feng"), ("霞", "xia"), ("塘", "tang"),
    ];

    /// <summary>Road names for addresses and manholes (the main ones are Putian's, minor ones are made up).</summary>
    public static IReadOnlyList<string> MainRoads { get; } =
    [
        "拱辰大道", "荔城大道", "文献路", "学园路", "胜利路", "梅园路", "东圳路", "城港大道", "天妃路", "荔园路", "八二一街",
        "延寿路", "霞林路", "凤凰山街", "绶溪路", "涵华路", "兴化大道", "沿海大通道", "鲤城大道", "紫霄路", "东大路", "县巷",
    ];

    public static IReadOnlyList<string> RoadSuffixes { get; } = ["路", "街", "巷", "大道"];

    /// <summary>Common surnames in Putian, most frequent first.</summary>
    public static IReadOnlyList<string> Surnames { get; } =
    [
        "陈", "林", "黄", "郑", "吴", "李", "王", "许", "蔡", "朱", "方", "翁", "刘", "杨", "张", "余", "徐", "周", "谢", "卓",
        "柯", "宋", "唐", "游", "彭", "魏", "肖", "邱", "傅", "姚",
    ];

    public static IReadOnlyList<string> GivenNameCharacters { get; } =
    [
        "建", "国", "明", "华", "志", "伟", "芳", "丽", "秀", "英", "文", "辉", "强", "军", "平", "玲", "燕", "红", "梅", "霞",
        "金", "海", "清", "荣", "美", "俊", "杰", "涛", "斌", "鹏", "云", "婷", "琴", "桂", "兰", "春", "晓", "宇", "浩", "欣",
    ];

    /// <summary>Trade-name words for enterprises (字号).</summary>
    public static IReadOnlyList<string> TradeNames { get; } =
    [
        "鸿发", "兴达", "华源", "恒信", "荣盛", "瑞丰", "永安", "金龙", "宏达", "东南", "兴化", "莆阳", "湄洲", "木兰", "壶山",
        "天成", "嘉禾", "鑫泰", "联合", "万嘉", "新特", "协丰", "明达", "富港", "宝利", "群英", "福麟", "力天", "安福", "汇丰",
        "隆昌", "中鼎", "海峡", "闽中", "博创", "锦江", "瀚海", "正和", "盛世", "佳美",
    ];
}
