namespace OneMap.Models.Datasets;

/// <summary>Column types of dataset contracts (they map to DuckDB/Parquet types).</summary>
public enum ColumnType
{
    /// <summary>UTF-8 text (VARCHAR).</summary>
    String,

    /// <summary>64-bit integer (BIGINT).</summary>
    Int64,

    /// <summary>Double-precision number (DOUBLE).</summary>
    Double,

    /// <summary>Exact decimal, e.g. money (DECIMAL(18,2)).</summary>
    Decimal,

    /// <summary>True/false (BOOLEAN).</summary>
    Boolean,

    /// <summary>Calendar date (DATE).</summary>
    Date,

    /// <summary>Instant with time zone, stored in UTC (TIMESTAMP WITH TIME ZONE).</summary>
    Timestamp,

    /// <summary>WGS84 geometry as WKB (GeoParquet).</summary>
    Geometry,

    /// <summary>A list of strings (VARCHAR[]).</summary>
    StringList,
}

/// <summary>Who may see a column's values.</summary>
public enum Sensitivity
{
    /// <summary>Open data.</summary>
    Public,

    /// <summary>Government staff only.</summary>
    Internal,

    /// <summary>Personal data (names, phones): masked unless a role permits it.</summary>
    Personal,
}

/// <summary>A column of a dataset.</summary>
/// <param name="Name">snake_case column name.</param>
/// <param name="Type">Storage type.</param>
/// <param name="Description">What it holds (becomes the GraphQL field description).</param>
/// <param name="Unit">Unit of numeric values, if any.</param>
/// <param name="Sensitivity">Who may see it.</param>
/// <param name="Nullable">Whether it may be empty.</param>
public sealed record ColumnContract(
    string Name,
    ColumnType Type,
    string Description,
    string? Unit = null,
    Sensitivity Sensitivity = Sensitivity.Public,
    bool Nullable = false);

/// <summary>A dataset as the domain defines it: its name, owner, key and columns.</summary>
/// <param name="Name">snake_case dataset (table) name.</param>
/// <param name="Description">What it holds.</param>
/// <param name="OwnerDepartmentCode">The department that owns and sends it.</param>
/// <param name="Key">Columns that identify a row.</param>
/// <param name="PartitionBy">Partition columns (e.g. a date), empty when unpartitioned.</param>
/// <param name="Columns">The columns.</param>
public sealed record DatasetContract(
    string Name,
    string Description,
    string OwnerDepartmentCode,
    IReadOnlyList<string> Key,
    IReadOnlyList<string> PartitionBy,
    IReadOnlyList<ColumnContract> Columns)
{
    /// <summary>The column with this name.</summary>
    public ColumnContract Column(string name) =>
        Columns.FirstOrDefault(c => c.Name == name)
        ?? throw new ArgumentOutOfRangeException(nameof(name), name, $"dataset {Name} has no such column");
}
