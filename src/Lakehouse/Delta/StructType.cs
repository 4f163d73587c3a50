using System.Text.Json;

namespace OneMap.Lakehouse.Delta;

/// <summary>A struct type: the table schema itself, or a nested struct column.</summary>
public sealed record StructType(IReadOnlyList<StructField> Fields) : DeltaType
{
    public StructType(params StructField[] fields)
        : this((IReadOnlyList<StructField>)fields)
    {
    }

    /// <summary>The field with this name (names are case-insensitive in Delta), or null.</summary>
    public StructField? Find(string name) =>
        Fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    public override string ToDuckDbType() =>
        "STRUCT(" + string.Join(", ", Fields.Select(f => $"{Sql.Identifier(f.Name)} {f.Type.ToDuckDbType()}")) + ")";

    public bool Equals(StructType? other) =>
        other is not null && Fields.Count == other.Fields.Count && Fields.SequenceEqual(other.Fields);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var field in Fields)
        {
            hash.Add(field);
        }
        return hash.ToHashCode();
    }

    public override string ToString() => SchemaJson.Serialize(this);
}

/// <summary>
/// A column (or nested field) of a schema. <see cref="Metadata"/> holds the column metadata of the protocol
/// (column mapping ids and physical names, OneMap's units and sensitivity).
/// </summary>
public sealed record StructField(string Name, DeltaType Type, bool Nullable = true, IReadOnlyDictionary<string, JsonElement>? Metadata = null)
{
    public const string ColumnMappingIdKey = "delta.columnMapping.id";
    public const string PhysicalNameKey = "delta.columnMapping.physicalName";

    public IReadOnlyDictionary<string, JsonElement> Metadata { get; init; } = Metadata ?? EmptyMetadata;

    internal static readonly IReadOnlyDictionary<string, JsonElement> EmptyMetadata = new Dictionary<string, JsonElement>();

    /// <summary>The name in data files, statistics and partition values: the physical name under column mapping.</summary>
    public string PhysicalName(ColumnMappingMode mode) =>
        mode != ColumnMappingMode.None && Metadata.TryGetValue(PhysicalNameKey, out var physical) && physical.ValueKind == JsonValueKind.String
            ? physical.GetString()!
            : Name;

    /// <summary>A string metadata value, or null.</summary>
    public string? MetadataString(string key) =>
        Metadata.TryGetValue(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public bool Equals(StructField? other) =>
        other is not null
        && Name == other.Name
        && Nullable == other.Nullable
        && Type.Equals(other.Type)
        && Metadata.Count == other.Metadata.Count
        && Metadata.All(kv => other.Metadata.TryGetValue(kv.Key, out var v) && v.GetRawText() == kv.Value.GetRawText());

    public override int GetHashCode() => HashCode.Combine(Name, Nullable, Type);
}

/// <summary>The <c>delta.columnMapping.mode</c> table property.</summary>
public enum ColumnMappingMode
{
    None,
    Name,
    Id,
}
