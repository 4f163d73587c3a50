namespace OneMap.Models.WaterQuality;

/// <summary>
/// GB 3838-2002 "Environmental quality standards for surface water", basic items for the indicators OneMap monitors
/// (Table 1; total phosphorus with the river limits, not the lake/reservoir ones).
/// </summary>
public static class Gb3838
{
    /// <summary>Dissolved oxygen minimum (mg/L) for classes I…V: 7.5, 6, 5, 3, 2.</summary>
    public static IReadOnlyList<double> DissolvedOxygenMinimum { get; } = [7.5, 6, 5, 3, 2];

    /// <summary>Permanganate index maximum (mg/L) for classes I…V: 2, 4, 6, 10, 15.</summary>
    public static IReadOnlyList<double> PermanganateIndexMaximum { get; } = [2, 4, 6, 10, 15];

    /// <summary>Ammonia nitrogen maximum (mg/L) for classes I…V: 0.15, 0.5, 1.0, 1.5, 2.0.</summary>
    public static IReadOnlyList<double> AmmoniaNitrogenMaximum { get; } = [0.15, 0.5, 1.0, 1.5, 2.0];

    /// <summary>Total phosphorus maximum for rivers (mg/L) for classes I…V: 0.02, 0.1, 0.2, 0.3, 0.4.</summary>
    public static IReadOnlyList<double> TotalPhosphorusRiverMaximum { get; } = [0.02, 0.1, 0.2, 0.3, 0.4];

    /// <summary>pH range, the same for every class.</summary>
    public const double PhMinimum = 6, PhMaximum = 9;

    /// <summary>
    /// The class of one reading, or null when GB 3838 sets no limit for the indicator (turbidity, temperature,
    /// conductivity). pH inside 6–9 meets every class (I); outside it the reading is worse than V.
    /// </summary>
    public static WaterClass? Classify(string indicatorId, double value)
    {
        ArgumentNullException.ThrowIfNull(indicatorId);
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"{indicatorId} reading is not a finite number");
        }
        var indicator = Indicators.Find(indicatorId)
            ?? throw new ArgumentOutOfRangeException(nameof(indicatorId), indicatorId, "unknown water-quality indicator");
        return indicator.Id switch
        {
            "do" => AtLeast(value, DissolvedOxygenMinimum),
            "cod_mn" => AtMost(value, PermanganateIndexMaximum),
            "nh3_n" => AtMost(value, AmmoniaNitrogenMaximum),
            "tp" => AtMost(value, TotalPhosphorusRiverMaximum),
            "ph" => value is >= PhMinimum and <= PhMaximum ? WaterClass.I : WaterClass.WorseThanV,
            _ => null,
        };
    }

    /// <summary>
    /// The overall class of a set of simultaneous readings: the worst class of any indicator with limits (single-factor
    /// assessment), with the indicators that set it. Null when none of the readings has limits.
    /// </summary>
    public static WaterAssessment? ClassifyOverall(IEnumerable<(string IndicatorId, double Value)> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        WaterClass? worst = null;
        var determining = new List<string>();
        foreach (var (id, value) in readings)
        {
            if (Classify(id, value) is not { } cls)
            {
                continue;
            }
            var canonical = Indicators.Get(id).Id;
            if (worst is null || cls > worst)
            {
                worst = cls;
                determining.Clear();
                determining.Add(canonical);
            }
            else if (cls == worst && !determining.Contains(canonical))
            {
                determining.Add(canonical);
            }
        }
        return worst is { } w ? new WaterAssessment(w, determining) : null;
    }

    private static WaterClass AtLeast(double value, IReadOnlyList<double> minimum)
    {
        for (var i = 0; i < minimum.Count; i++)
        {
            if (value >= minimum[i])
            {
                return (WaterClass)(i + 1);
            }
        }
        return WaterClass.WorseThanV;
    }

    private static WaterClass AtMost(double value, IReadOnlyList<double> maximum)
    {
        for (var i = 0; i < maximum.Count; i++)
        {
            if (value <= maximum[i])
            {
                return (WaterClass)(i + 1);
            }
        }
        return WaterClass.WorseThanV;
    }
}

/// <summary>The class of a water sample and the indicators that determined it (the worst ones).</summary>
/// <param name="Class">The overall GB 3838 class.</param>
/// <param name="DeterminingIndicators">Ids of the indicators at that class (定类因子).</param>
public sealed record WaterAssessment(WaterClass Class, IReadOnlyList<string> DeterminingIndicators);
