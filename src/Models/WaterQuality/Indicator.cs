namespace OneMap.Models.WaterQuality;

/// <summary>A water-quality indicator as automatic stations and laboratories report it.</summary>
/// <param name="Id">OneMap's id, used in payloads and tables (<c>do</c>, <c>ph</c>, <c>nh3_n</c>, …).</param>
/// <param name="NameZh">Chinese name as in monitoring reports (溶解氧).</param>
/// <param name="NameEn">English name.</param>
/// <param name="Unit">Unit of the values (<c>mg/L</c>, <c>NTU</c>, <c>°C</c>, <c>μS/cm</c>; <c>dimensionless</c> for pH).</param>
/// <param name="Hj212Code">The pollutant code of the HJ 212-2017 data-transmission standard (w01009 for DO).</param>
/// <param name="Decimals">Decimals stations report.</param>
/// <param name="HasClassLimits">Whether GB 3838-2002 sets class limits for it (only DO, COD_Mn, NH3-N, TP and pH here).</param>
public sealed record Indicator(string Id, string NameZh, string NameEn, string Unit, string Hj212Code, int Decimals, bool HasClassLimits);

/// <summary>The indicators the automatic water-quality stations measure.</summary>
public static class Indicators
{
    public static Indicator DissolvedOxygen { get; } = new("do", "溶解氧", "dissolved oxygen", "mg/L", "w01009", 2, true);
    public static Indicator Ph { get; } = new("ph", "pH值", "pH", "dimensionless", "w01001", 2, true);
    public static Indicator AmmoniaNitrogen { get; } = new("nh3_n", "氨氮", "ammonia nitrogen (NH3-N)", "mg/L", "w21003", 3, true);
    public static Indicator PermanganateIndex { get; } = new("cod_mn", "高锰酸盐指数", "permanganate index (COD_Mn)", "mg/L", "w01019", 2, true);
    public static Indicator TotalPhosphorus { get; } = new("tp", "总磷", "total phosphorus", "mg/L", "w21011", 3, true);
    public static Indicator Turbidity { get; } = new("turbidity", "浊度", "turbidity", "NTU", "w01003", 1, false);
    public static Indicator WaterTemperature { get; } = new("water_temp", "水温", "water temperature", "°C", "w01010", 1, false);
    public static Indicator Conductivity { get; } = new("conductivity", "电导率", "conductivity", "μS/cm", "w01014", 0, false);

    /// <summary>All of them, in the order stations report them.</summary>
    public static IReadOnlyList<Indicator> All { get; } =
    [
        WaterTemperature, Ph, DissolvedOxygen, Conductivity, Turbidity, PermanganateIndex, AmmoniaNitrogen, TotalPhosphorus,
    ];

    /// <summary>The indicator with this id (also accepts the HJ 212 code).</summary>
    public static Indicator Get(string id) =>
        Find(id) ?? throw new ArgumentOutOfRangeException(nameof(id), id,
            "unknown water-quality indicator (expected one of " + string.Join(", ", All.Select(i => i.Id)) + ")");

    /// <summary>The indicator with this id or HJ 212 code, or null.</summary>
    public static Indicator? Find(string? id) =>
        All.FirstOrDefault(i => string.Equals(i.Id, id, StringComparison.OrdinalIgnoreCase) ||
                                string.Equals(i.Hj212Code, id, StringComparison.OrdinalIgnoreCase));
}
