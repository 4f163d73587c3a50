namespace OneMap.DuckDb.Functions;

/// <summary>How DuckDB treats a registered function.</summary>
[Flags]
public enum DuckDbFunctionFlags
{
    None = 0,

    /// <summary>
    /// The function sees NULL inputs and decides itself (DuckDB's "special" null handling). Without it DuckDB folds
    /// calls with a constant NULL argument to NULL, and the row-wise helpers return NULL for rows with a NULL input.
    /// </summary>
    SpecialNullHandling = 1,

    /// <summary>The result may differ between calls with the same inputs (random, clock): never folded or cached.</summary>
    Volatile = 2,
}
