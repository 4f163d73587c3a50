using System.Runtime.CompilerServices;

namespace OneMap.DuckDb.Data;

/// <summary>
/// A vector's validity mask: one bit per row, 1 = value present, 0 = NULL. An empty mask means every row is valid.
/// </summary>
public readonly ref struct DuckDbValidity
{
    private readonly ReadOnlySpan<ulong> _mask;

    internal DuckDbValidity(ReadOnlySpan<ulong> mask)
    {
        _mask = mask;
    }

    /// <summary>True when DuckDB attached no mask: no row is NULL.</summary>
    public bool AllValid => _mask.IsEmpty;

    /// <summary>The raw mask words (64 rows each); empty when <see cref="AllValid"/>.</summary>
    public ReadOnlySpan<ulong> Mask => _mask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsValid(int row) => _mask.IsEmpty || ((_mask[row >> 6] >> (row & 63)) & 1) != 0;

    public bool IsNull(int row) => !IsValid(row);
}
