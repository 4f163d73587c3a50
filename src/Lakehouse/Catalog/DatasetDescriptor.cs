using OneMap.Lakehouse.Tables;

namespace OneMap.Lakehouse.Catalog;

/// <summary>What a department declares about a dataset for the catalog (the schema comes from the table itself).</summary>
public sealed record DatasetDescriptor
{
    /// <summary>The dataset (table) name.</summary>
    public required string Name { get; init; }

    /// <summary>Human title, e.g. "Water-quality station readings".</summary>
    public string? Title { get; init; }

    public string? Description { get; init; }

    /// <summary>The department that owns the data, e.g. "Ecology and Environment Bureau".</summary>
    public string? OwnerDepartment { get; init; }

    /// <summary>The feeds (sources) that write the dataset.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];
}

/// <summary>A column as the catalog shows it: type, unit, sensitivity and description.</summary>
public sealed record CatalogColumn(string Name, string Type, bool Nullable, string? Unit, Sensitivity Sensitivity, string? Description, bool IsGeometry);

/// <summary>One commit's provenance: which source and ingest receipts produced it.</summary>
public sealed record LineageEntry(long Version, DateTimeOffset Timestamp, string Operation, string Source, IReadOnlyList<string> Receipts);

/// <summary>Everything the catalog knows about a dataset: the declaration, the schema, freshness, size and lineage.</summary>
public sealed record DatasetInfo
{
    public required DatasetDescriptor Descriptor { get; init; }

    public required IReadOnlyList<CatalogColumn> Columns { get; init; }

    public IReadOnlyList<string> KeyColumns { get; init; } = [];

    public IReadOnlyList<string> PartitionColumns { get; init; } = [];

    /// <summary>The latest version of the table.</summary>
    public long Version { get; init; }

    /// <summary>When the latest version was committed.</summary>
    public DateTimeOffset LastCommitTime { get; init; }

    /// <summary>Rows in the latest version (from the data files' statistics), when every file records it.</summary>
    public long? RowCount { get; init; }

    public int FileCount { get; init; }

    public long SizeBytes { get; init; }

    /// <summary>Provenance of the most recent commits that carried lineage, newest first.</summary>
    public IReadOnlyList<LineageEntry> RecentLineage { get; init; } = [];
}
