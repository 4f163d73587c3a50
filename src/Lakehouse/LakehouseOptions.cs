using System.ComponentModel.DataAnnotations;

namespace OneMap.Lakehouse;

/// <summary>Settings of the lake (configuration section <c>Lakehouse</c>).</summary>
public sealed class LakehouseOptions
{
    /// <summary>The lake root: one Delta table per dataset below it. Default <c>./lake</c>.</summary>
    [Required]
    public string Root { get; set; } = "./lake";

    /// <summary>DuckDB threads for writing and maintenance; null (default) uses every core.</summary>
    [Range(1, 1024)]
    public int? Threads { get; set; }

    /// <summary>DuckDB memory limit for writing, e.g. <c>4GB</c>; null (default) is DuckDB's 80 % of RAM.</summary>
    public string? MemoryLimit { get; set; }

    /// <summary>How many times a commit is retried after losing a version race with no real conflict. Default 100.</summary>
    [Range(1, 10_000)]
    public int CommitAttempts { get; set; } = 100;

    /// <summary>How many times an operation is re-planned after a real conflict (merge, delete, overwrite). Default 10.</summary>
    [Range(1, 1000)]
    public int OperationAttempts { get; set; } = 10;

    /// <summary>Statistics are collected for this many leading columns when the table does not say. Default 32.</summary>
    [Range(0, 1000)]
    public int StatsColumns { get; set; } = 32;
}
