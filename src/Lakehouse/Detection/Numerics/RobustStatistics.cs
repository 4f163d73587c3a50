namespace OneMap.Lakehouse.Detection.Numerics;

/// <summary>Median, MAD and quantiles that skip NaN, used wherever a baseline must not be dragged by outliers.</summary>
public static class RobustStatistics
{
    /// <summary>Scale that turns a median absolute deviation into a standard deviation for Gaussian data.</summary>
    public const double MadToSigma = 1.482602218505602;

    /// <summary>The finite values of <paramref name="values"/>, sorted ascending.</summary>
    public static double[] SortedFinite(ReadOnlySpan<double> values)
    {
        var count = 0;
        foreach (var v in values)
        {
            if (double.IsFinite(v))
            {
                count++;
            }
        }
        var sorted = new double[count];
        var i = 0;
        foreach (var v in values)
        {
            if (double.IsFinite(v))
            {
                sorted[i++] = v;
            }
        }
        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>Quantile <paramref name="p"/> (0…1) of ascending <paramref name="sorted"/>, interpolated linearly; NaN when empty.</summary>
    public static double QuantileOfSorted(ReadOnlySpan<double> sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1.0);
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }

    /// <summary>Median of the finite values; NaN when there are none.</summary>
    public static double Median(ReadOnlySpan<double> values) => QuantileOfSorted(SortedFinite(values), 0.5);

    /// <summary>Median absolute deviation about <paramref name="center"/>, scaled to σ (×1.4826); NaN when empty.</summary>
    public static double MadSigma(ReadOnlySpan<double> values, double center)
    {
        var deviations = new double[values.Length];
        var n = 0;
        foreach (var v in values)
        {
            if (double.IsFinite(v))
            {
                deviations[n++] = Math.Abs(v - center);
            }
        }
        if (n == 0)
        {
            return double.NaN;
        }
        Array.Sort(deviations, 0, n);
        return MadToSigma * QuantileOfSorted(deviations.AsSpan(0, n), 0.5);
    }

    /// <summary>
    /// The instrument's resolution: the smallest step between distinct readings that occurs at least a few times
    /// (values are rounded to it). Zero when the values look continuous or there are too few.
    /// </summary>
    public static double Resolution(ReadOnlySpan<double> values)
    {
        var sorted = SortedFinite(values);
        if (sorted.Length < 10)
        {
            return 0;
        }
        var gaps = new List<double>();
        for (var i = 1; i < sorted.Length; i++)
        {
            var gap = sorted[i] - sorted[i - 1];
            if (gap > 0)
            {
                gaps.Add(gap);
            }
        }
        if (gaps.Count == 0)
        {
            return 0;
        }
        gaps.Sort();
        // Rounded data have only a handful of distinct gaps (multiples of the step); take the smallest one that is not
        // floating-point noise around the step, i.e. the 5th percentile, and only trust it when values repeat a lot.
        var step = gaps[(int)(0.05 * (gaps.Count - 1))];
        var distinct = gaps.Count + 1;
        return distinct * 4 <= sorted.Length ? step : 0;
    }
}
