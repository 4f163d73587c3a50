namespace OneMap.Lakehouse.Detection.Numerics;

/// <summary>
/// The last <c>capacity</c> values pushed, kept sorted so the rolling median costs a binary search and a short copy
/// per reading. NaN values are not stored (a gap shortens the window instead of poisoning it).
/// </summary>
public sealed class SortedWindow
{
    private readonly double[] _ring;
    private readonly double[] _sorted;
    private int _ringStart;
    private int _ringCount;
    private int _sortedCount;

    public SortedWindow(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new double[capacity];
        _sorted = new double[capacity];
    }

    /// <summary>How many values the window holds now.</summary>
    public int Count => _sortedCount;

    public int Capacity => _ring.Length;

    /// <summary>Adds a value; when full, the oldest one leaves. NaN counts as a slot that holds nothing.</summary>
    public void Push(double value)
    {
        if (_ringCount == _ring.Length)
        {
            var oldest = _ring[_ringStart];
            _ringStart = (_ringStart + 1) % _ring.Length;
            _ringCount--;
            if (!double.IsNaN(oldest))
            {
                RemoveSorted(oldest);
            }
        }
        _ring[(_ringStart + _ringCount) % _ring.Length] = value;
        _ringCount++;
        if (!double.IsNaN(value))
        {
            InsertSorted(value);
        }
    }

    /// <summary>Median of the values held; NaN when empty.</summary>
    public double Median()
    {
        if (_sortedCount == 0)
        {
            return double.NaN;
        }
        var mid = _sortedCount >> 1;
        return (_sortedCount & 1) == 1 ? _sorted[mid] : 0.5 * (_sorted[mid - 1] + _sorted[mid]);
    }

    /// <summary>Quantile <paramref name="p"/> of the values held; NaN when empty.</summary>
    public double Quantile(double p) => RobustStatistics.QuantileOfSorted(_sorted.AsSpan(0, _sortedCount), p);

    public void Clear()
    {
        _ringStart = 0;
        _ringCount = 0;
        _sortedCount = 0;
    }

    private void InsertSorted(double value)
    {
        var index = Array.BinarySearch(_sorted, 0, _sortedCount, value);
        if (index < 0)
        {
            index = ~index;
        }
        if (index < _sortedCount)
        {
            Array.Copy(_sorted, index, _sorted, index + 1, _sortedCount - index);
        }
        _sorted[index] = value;
        _sortedCount++;
    }

    private void RemoveSorted(double value)
    {
        var index = Array.BinarySearch(_sorted, 0, _sortedCount, value);
        if (index < 0)
        {
            // Unreachable unless a value changed between insert and removal; a window must never drift silently.
            throw new InvalidOperationException($"value {value} missing from the sorted window");
        }
        if (index < _sortedCount - 1)
        {
            Array.Copy(_sorted, index + 1, _sorted, index, _sortedCount - index - 1);
        }
        _sortedCount--;
    }
}
