using System.Text.Json;
using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.GeoParquet;

namespace OneMap.Lakehouse.Tables;

/// <summary>Who may see a column's values: everyone, staff, or only roles cleared for personal data.</summary>
public enum Sensitivity
{
    Public,
    Internal,
    Personal,
}

/// <summary>A column of a table to create: name, Delta type, nullability, and the catalog's unit, sensitivity and description.</summary>
public sealed record ColumnDefinition(string Name, DeltaType Type)
{
    /// <summary>Column metadata key of OneMap's unit (e.g. <c>mg/L</c>).</summary>
    public const string UnitKey = "onemap.unit";

    /// <summary>Column metadata key of OneMap's sensitivity (public / internal / personal).</summary>
    public const string SensitivityKey = "onemap.sensitivity";

    /// <summary>Column metadata key marking a WKB geometry column (value: the encoding, <c>WKB</c>).</summary>
    public const string GeometryKey = "onemap.geometry";

    /// <summary>Column metadata key marking a bbox covering column (value: the geometry column it covers).</summary>
    public const string CoveringKey = "onemap.covering";

    /// <summary>Spark's key for a column comment.</summary>
    public const string CommentKey = "comment";

    /// <summary>Default true.</summary>
    public bool Nullable { get; init; } = true;

    public string? Description { get; init; }

    public string? Unit { get; init; }

    /// <summary>Default <see cref="Sensitivity.Public"/>.</summary>
    public Sensitivity Sensitivity { get; init; } = Sensitivity.Public;

    /// <summary>True for a geometry stored as WKB in WGS84 lon/lat (a GeoParquet geometry column).</summary>
    public bool IsGeometry { get; init; }

    /// <summary>A WKB geometry column (Delta type binary), which gets GeoParquet metadata and a bbox covering column.</summary>
    public static ColumnDefinition Geometry(string name, bool nullable = true) =>
        new(name, DeltaType.Binary) { IsGeometry = true, Nullable = nullable };

    internal StructField ToField()
    {
        var metadata = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (Description is not null)
        {
            metadata[CommentKey] = JsonSerializer.SerializeToElement(Description);
        }
        if (Unit is not null)
        {
            metadata[UnitKey] = JsonSerializer.SerializeToElement(Unit);
        }
        if (Sensitivity != Sensitivity.Public)
        {
            metadata[SensitivityKey] = JsonSerializer.SerializeToElement(Sensitivity.ToString().ToLowerInvariant());
        }
        if (IsGeometry)
        {
            metadata[GeometryKey] = JsonSerializer.SerializeToElement("WKB");
        }
        return new StructField(Name, Type, Nullable, metadata);
    }

    /// <summary>Reads a column definition back from a schema field.</summary>
    public static ColumnDefinition FromField(StructField field) => new(field.Name, field.Type)
    {
        Nullable = field.Nullable,
        Description = field.MetadataString(CommentKey),
        Unit = field.MetadataString(UnitKey),
        Sensitivity = Enum.TryParse<Sensitivity>(field.MetadataString(SensitivityKey), ignoreCase: true, out var s) ? s : Sensitivity.Public,
        IsGeometry = field.MetadataString(GeometryKey) is not null,
    };
}

/// <summary>A table to create: columns, partitioning, key, and table options.</summary>
public sealed record TableDefinition
{
    public required string Name { get; init; }

    public required IReadOnlyList<ColumnDefinition> Columns { get; init; }

    /// <summary>Partition columns, in directory order. Default none.</summary>
    public IReadOnlyList<string> PartitionColumns { get; init; } = [];

    /// <summary>Key columns of a current-state table (what merges match on). Default none.</summary>
    public IReadOnlyList<string> KeyColumns { get; init; } = [];

    public string? Description { get; init; }

    /// <summary>Writes data files with physical column names (Delta column mapping, name mode). Default false.</summary>
    public bool ColumnMapping { get; init; }

    /// <summary>A Parquet checkpoint every this many commits (<c>delta.checkpointInterval</c>). Default 10.</summary>
    public int CheckpointInterval { get; init; } = 10;

    /// <summary>Further table properties (<c>configuration</c> of the metaData action).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>The Delta schema: the columns, plus a bbox covering column after each geometry column.</summary>
    public StructType ToSchema()
    {
        var fields = new List<StructField>();
        var geometries = Columns.Where(c => c.IsGeometry).Select(c => c.Name).ToList();
        foreach (var column in Columns)
        {
            fields.Add(column.ToField());
        }
        foreach (var geometry in geometries)
        {
            fields.Add(SchemaColumns.CoveringField(geometry, geometry == geometries[0]));
        }
        return new StructType(fields);
    }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Contains('/', StringComparison.Ordinal) || Name.Contains('\\', StringComparison.Ordinal) || Name.StartsWith('.'))
        {
            throw new ArgumentException($"table name '{Name}' must be non-empty, not start with '.' and not contain a path separator", nameof(Name));
        }
        if (Columns.Count == 0)
        {
            throw new ArgumentException($"table '{Name}' needs at least one column", nameof(Columns));
        }
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var column in Columns)
        {
            if (!names.Add(column.Name))
            {
                throw new ArgumentException($"table '{Name}' defines column '{column.Name}' twice (names are case-insensitive)", nameof(Columns));
            }
        }
        foreach (var covering in Columns.Where(c => c.IsGeometry).Select((c, i) => GeoMetadata.CoveringColumnFor(c.Name, i == 0)))
        {
            if (names.Contains(covering))
            {
                throw new ArgumentException($"table '{Name}': column '{covering}' is reserved for the bbox of a geometry column", nameof(Columns));
            }
        }
        foreach (var partition in PartitionColumns)
        {
            var column = Columns.FirstOrDefault(c => string.Equals(c.Name, partition, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"table '{Name}': partition column '{partition}' is not a column", nameof(PartitionColumns));
            if (!column.Type.IsPrimitive || column.IsGeometry || column.Type == DeltaType.Binary)
            {
                throw new ArgumentException($"table '{Name}': partition column '{partition}' must have a primitive non-binary type, not {column.Type}", nameof(PartitionColumns));
            }
        }
        if (PartitionColumns.Count == Columns.Count)
        {
            throw new ArgumentException($"table '{Name}': at least one column must not be a partition column", nameof(PartitionColumns));
        }
        foreach (var key in KeyColumns)
        {
            if (!names.Contains(key))
            {
                throw new ArgumentException($"table '{Name}': key column '{key}' is not a column", nameof(KeyColumns));
            }
        }
        if (CheckpointInterval < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(CheckpointInterval), CheckpointInterval, "the checkpoint interval must be at least 1");
        }
    }
}

/// <summary>Facts about the columns of a table schema that OneMap's writers and readers need.</summary>
internal static class SchemaColumns
{
    public static readonly StructType BboxType = new(
        new StructField("xmin", DeltaType.Double),
        new StructField("ymin", DeltaType.Double),
        new StructField("xmax", DeltaType.Double),
        new StructField("ymax", DeltaType.Double));

    public static StructField CoveringField(string geometryColumn, bool primary) => new(
        GeoMetadata.CoveringColumnFor(geometryColumn, primary),
        BboxType,
        Nullable: true,
        new Dictionary<string, JsonElement> { [ColumnDefinition.CoveringKey] = JsonSerializer.SerializeToElement(geometryColumn) });

    public static bool IsGeometry(StructField field) => field.MetadataString(ColumnDefinition.GeometryKey) is not null;

    /// <summary>The geometry column a bbox covering column belongs to, or null.</summary>
    public static string? CoveringOf(StructField field) => field.MetadataString(ColumnDefinition.CoveringKey);

    public static IReadOnlyList<string> KeyColumns(MetadataAction metadata) =>
        metadata.Property(TableProperties.KeyColumns) is { Length: > 0 } keys ? keys.Split(',') : [];
}
