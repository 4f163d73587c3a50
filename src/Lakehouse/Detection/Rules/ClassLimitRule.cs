using OneMap.Models.WaterQuality;

namespace OneMap.Lakehouse.Detection.Rules;

/// <summary>
/// Flags readings of one indicator that are worse than a station's class limit for <c>persistence</c> consecutive
/// readings (one bad reading is more often noise than water). The class the rule enforces is the station's target
/// class, or, for a station whose history is chronically worse than its target, the class its history usually
/// meets, so the rule reports new deterioration instead of one endless alert.
/// </summary>
public sealed class ClassLimitRule
{
    private readonly ClassRange _range;
    private int _consecutive;

    /// <param name="limits">The indicator's class limits.</param>
    /// <param name="enforcedClass">The class whose range readings must stay in.</param>
    /// <param name="persistence">Consecutive violating readings before the rule fires; at least 1.</param>
    public ClassLimitRule(IndicatorClassLimits limits, WaterClass enforcedClass, int persistence = 3)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfLessThan(persistence, 1);
        Limits = limits;
        EnforcedClass = enforcedClass;
        _range = limits.RangeOf(enforcedClass);
        Persistence = persistence;
    }

    public IndicatorClassLimits Limits { get; }

    public WaterClass EnforcedClass { get; }

    public int Persistence { get; }

    /// <summary>
    /// The class a station's history meets at least <paramref name="share"/> of the time (readings worse than the
    /// target more often than 1 − share make the rule enforce this class instead of the target);
    /// <see cref="WaterClass.WorseThanV"/> when even class V is met less often than that.
    /// </summary>
    public static WaterClass UsualClass(IndicatorClassLimits limits, ReadOnlySpan<double> history, WaterClass target, double share = 0.95)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var counts = new int[7];
        var total = 0;
        foreach (var v in history)
        {
            if (double.IsFinite(v))
            {
                counts[(int)limits.Classify(v)]++;
                total++;
            }
        }
        if (total == 0)
        {
            return target;
        }
        var cumulative = 0;
        for (var c = 1; c <= 5; c++)
        {
            cumulative += counts[c];
            if (c >= (int)target && cumulative >= share * total)
            {
                return (WaterClass)c;
            }
        }
        return WaterClass.WorseThanV;
    }

    /// <summary>
    /// Adds a reading (NaN: missing, resets nothing) and returns how far it breaks the enforced limit relative to the
    /// limit, once the violation has persisted; 0 otherwise.
    /// </summary>
    public double Push(double value)
    {
        if (!double.IsFinite(value))
        {
            return 0;
        }
        var exceedance = _range.RelativeExceedance(value);
        _consecutive = exceedance > 0 ? _consecutive + 1 : 0;
        return _consecutive >= Persistence ? exceedance : 0;
    }

    /// <summary>The class of a reading under the table.</summary>
    public WaterClass Classify(double value) => Limits.Classify(value);

    public void Reset() => _consecutive = 0;
}
