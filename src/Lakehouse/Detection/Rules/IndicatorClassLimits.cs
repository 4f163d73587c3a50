using OneMap.Models.WaterQuality;

namespace OneMap.Lakehouse.Detection.Rules;

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
    /// <summary>The best class whose range admits <paramref name="value"/>; <see cref="WaterClass.WorseThanV"/> if none.</summary>
    public WaterClass Classify(double value)
    {
        for (var i = 0; i < Classes.Count; i++)
        {
            if (Classes[i].Admits(value))
            {
                return (WaterClass)(i + 1);
            }
        }
        return WaterClass.WorseThanV;
    }

    /// <summary>The range of a class (I…V).</summary>
    public ClassRange RangeOf(WaterClass waterClass)
    {
        if (waterClass is < WaterClass.I or > WaterClass.V)
        {
            throw new ArgumentOutOfRangeException(nameof(waterClass), waterClass, "class limits exist for classes I to V");
        }
        return Classes[(int)waterClass - 1];
    }
}
