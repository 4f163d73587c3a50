namespace OneMap.Models.WaterQuality;

/// <summary>Surface-water quality class under GB 3838-2002 (I best … V worst, then "worse than V", 劣V).</summary>
public enum WaterClass
{
    /// <summary>Class I: source water, national nature reserves.</summary>
    I = 1,

    /// <summary>Class II: first-grade protected drinking-water sources, rare fish habitats.</summary>
    II = 2,

    /// <summary>Class III: second-grade drinking-water sources, fisheries, swimming.</summary>
    III = 3,

    /// <summary>Class IV: industrial water, recreation without body contact.</summary>
    IV = 4,

    /// <summary>Class V: agricultural water and general landscape.</summary>
    V = 5,

    /// <summary>Worse than class V (劣V): fails even the class V limit.</summary>
    WorseThanV = 6,
}

/// <summary>Labels for <see cref="WaterClass"/> as Chinese reports print them.</summary>
public static class WaterClassLabels
{
    /// <summary>"I" … "V", "劣V".</summary>
    public static string Label(this WaterClass waterClass) => waterClass switch
    {
        WaterClass.I => "I",
        WaterClass.II => "II",
        WaterClass.III => "III",
        WaterClass.IV => "IV",
        WaterClass.V => "V",
        WaterClass.WorseThanV => "劣V",
        _ => throw new ArgumentOutOfRangeException(nameof(waterClass), waterClass, "not a GB 3838 class"),
    };

    /// <summary>Parses "I"…"V", "劣V" (also "worse than V", "VI", Arabic 1…6, and the Chinese numerals Ⅰ…Ⅴ).</summary>
    public static WaterClass Parse(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return label.Trim().ToUpperInvariant().Replace("类", "", StringComparison.Ordinal) switch
        {
            "I" or "Ⅰ" or "1" => WaterClass.I,
            "II" or "Ⅱ" or "2" => WaterClass.II,
            "III" or "Ⅲ" or "3" => WaterClass.III,
            "IV" or "Ⅳ" or "4" => WaterClass.IV,
            "V" or "Ⅴ" or "5" => WaterClass.V,
            "劣V" or "劣Ⅴ" or "WORSE THAN V" or "VI" or "6" => WaterClass.WorseThanV,
            _ => throw new FormatException($"\"{label}\" is not a GB 3838 water class (I, II, III, IV, V, 劣V)"),
        };
    }
}
