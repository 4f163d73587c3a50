using OneMap.GraphQLApi.Security;

namespace OneMap.GraphQLApi.Schema;

/// <summary>
/// Metadata keys the schema's fields, input fields and enum values carry, so the schema can be filtered per caller
/// (introspection shows a role only what it may query) with the same rules SQL is built with.
/// </summary>
public static class SchemaMetadata
{
    /// <summary>A root field over a dataset: the value is a <see cref="DatasetField"/>.</summary>
    public const string Dataset = "onemap.dataset";

    /// <summary>A field, input field or enum value standing for a column: the value is a <see cref="ColumnRef"/>.</summary>
    public const string Column = "onemap.column";

    /// <summary>The lowest role that may use a curated field: the value is an <see cref="ApiRole"/>.</summary>
    public const string MinRole = "onemap.role";

    /// <summary>Datasets whose rows a curated field reads: the value is a string array; hidden when any is missing or unreadable.</summary>
    public const string Reads = "onemap.reads";

    /// <summary>Datasets a curated field aggregates: the value is a string array; hidden when any is missing.</summary>
    public const string Aggregates = "onemap.aggregates";
}

/// <summary>How a root field uses a dataset.</summary>
public enum DatasetUse
{
    /// <summary>Lists rows (connections): not for the public role.</summary>
    Rows,

    /// <summary>Aggregates: every role, over the columns it may see.</summary>
    Aggregate,

    /// <summary>Exports rows to a file: not for the public role.</summary>
    Export,
}

/// <summary>The dataset a root field reads and how.</summary>
public sealed record DatasetField(string Dataset, DatasetUse Use);

/// <summary>The column of a dataset an element of the schema stands for.</summary>
public sealed record ColumnRef(string Dataset, string Column);
