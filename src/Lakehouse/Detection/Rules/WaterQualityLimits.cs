using OneMap.Models.WaterQuality;

namespace OneMap.Lakehouse.Detection.Rules;

/// <summary>
/// A table of class limits per indicator, looked up by any of an indicator's names. The default is GB 3838-2002 for
/// surface water as DOMAIN.md gives it; a different table (another standard, or the one src/Models publishes) is
/// passed in instead, the rule only reads this table.
/// </summary>
public sealed class WaterQualityLimits
{
    private readonly Dictionary<string, IndicatorClassLimits> _byName = new(StringComparer.Ordinal);

    public WaterQualityLimits(IEnumerable<IndicatorClassLimits> indicators)
    {
        ArgumentNullException.ThrowIfNull(indicators);
        foreach (var limits in indicators)
        {
            if (limits.Classes.Count != 5)
            {
                throw new ArgumentException($"indicator {limits.Indicator} has {limits.Classes.Count} class ranges, expected 5 (I–V)", nameof(indicators));
            }
            foreach (var name in limits.Aliases.Append(limits.Indicator))
            {
                if (!_byName.TryAdd(Normalize(name), limits) && !ReferenceEquals(_byName[Normalize(name)], limits))
                {
                    throw new ArgumentException($"indicator name '{name}' is claimed by two indicators", nameof(indicators));
                }
            }
            Indicators.Add(limits);
        }
    }

    /// <summary>The indicators of the table.</summary>
    public IList<IndicatorClassLimits> Indicators { get; } = [];

    /// <summary>GB 3838-2002 surface-water limits as src/Models publishes them: DO, COD_Mn, NH3-N, TP (rivers) and pH.</summary>
    public static WaterQualityLimits Gb3838Surface { get; } = new([
        new IndicatorClassLimits("DO", "mg/L", AtLeast(Gb3838.DissolvedOxygenMinimum), ["do", "dissolved oxygen", "Dissolved oxygen", "dissolved_oxygen", "溶解氧"]),
        new IndicatorClassLimits("COD_Mn", "mg/L", AtMost(Gb3838.PermanganateIndexMaximum), ["codmn", "COD_MN", "permanganate index", "Permanganate index", "高锰酸盐指数"]),
        new IndicatorClassLimits("NH3-N", "mg/L", AtMost(Gb3838.AmmoniaNitrogenMaximum), ["nh3n", "NH3_N", "ammonia nitrogen", "Ammonia nitrogen", "氨氮"]),
        new IndicatorClassLimits("TP", "mg/L", AtMost(Gb3838.TotalPhosphorusRiverMaximum), ["total phosphorus", "Total phosphorus", "总磷"]),
        new IndicatorClassLimits("pH", "", Within(Gb3838.PhMinimum, Gb3838.PhMaximum), ["ph", "PH", "pH值"]),
    ]);

    /// <summary>The limits for a station's indicator name, or null when the table has none.</summary>
    public IndicatorClassLimits? Find(string indicator)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        return _byName.GetValueOrDefault(Normalize(indicator));
    }

    // Case matters: "TP" is total phosphorus where "Tp" is often temperature; spelling variants are listed as aliases.
    private static string Normalize(string name) => new([.. name.Where(c => c is not (' ' or '_' or '-' or '.'))]);

    private static IReadOnlyList<ClassRange> AtLeast(IReadOnlyList<double> limits) => [.. limits.Select(l => new ClassRange(l, null))];

    private static IReadOnlyList<ClassRange> AtMost(IReadOnlyList<double> limits) => [.. limits.Select(l => new ClassRange(null, l))];

    private static IReadOnlyList<ClassRange> Within(double low, double high) => [.. Enumerable.Repeat(new ClassRange(low, high), 5)];
}
