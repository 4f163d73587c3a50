namespace OneMap.Lakehouse.Detection.Rules;

/// <summary>Surface-water quality class of GB 3838-2002; a water body's class is its worst indicator's.</summary>
public enum WaterQualityClass : byte
{
    I = 1,
    II = 2,
    III = 3,
    IV = 4,
    V = 5,

    /// <summary>劣V: fails even the class V limit.</summary>
    WorseThanV = 6,
}

/// <summary>The range one class admits for an indicator: value ≥ <paramref name="Minimum"/> and ≤ <paramref name="Maximum"/>.</summary>
/// <param name="Minimum">Lowest admitted value (dissolved oxygen, pH); null: no lower limit.</param>
/// <param name="Maximum">Highest admitted value (COD_Mn, NH3-N, TP, pH); null: no upper limit.</param>
public sealed record ClassRange(double? Minimum, double? Maximum)
{
    public bool Admits(double value) => !(value < Minimum) && !(value > Maximum);

    /// <summary>How far outside the range a value is, relative to the violated limit (0 when admitted).</summary>
    public double RelativeExceedance(double value)
    {
        if (value > Maximum)
        {
            return (value - Maximum.Value) / Math.Max(Math.Abs(Maximum.Value), 1e-9);
        }
        if (value < Minimum)
        {
            return (Minimum.Value - value) / Math.Max(Math.Abs(Minimum.Value), 1e-9);
        }
        return 0;
    }
}

/// <summary>The class limits of one indicator, classes I to V in order.</summary>
/// <param name="Indicator">Canonical indicator name (e.g. <c>NH3-N</c>).</param>
/// <param name="Unit">Unit of the limits (mg/L; empty for pH).</param>
/// <param name="Classes">Five ranges, for classes I, II, III, IV and V.</param>
/// <param name="Aliases">Other names stations use for this indicator (matched ignoring case, spaces, '_' and '-').</param>
public sealed record IndicatorClassLimits(string Indicator, string Unit, IReadOnlyList<ClassRange> Classes, IReadOnlyList<string> Aliases)
{
    /// <summary>The best class whose range admits <paramref name="value"/>; <see cref="WaterQualityClass.WorseThanV"/> if none.</summary>
    public WaterQualityClass Classify(double value)
    {
        for (var i = 0; i < Classes.Count; i++)
        {
            if (Classes[i].Admits(value))
            {
                return (WaterQualityClass)(i + 1);
            }
        }
        return WaterQualityClass.WorseThanV;
    }

    /// <summary>The range of a class (I…V).</summary>
    public ClassRange RangeOf(WaterQualityClass waterClass)
    {
        if (waterClass is < WaterQualityClass.I or > WaterQualityClass.V)
        {
            throw new ArgumentOutOfRangeException(nameof(waterClass), waterClass, "class limits exist for classes I to V");
        }
        return Classes[(int)waterClass - 1];
    }
}
