using System.Globalization;
using System.Text;

using OneMap.Lakehouse.Catalog;
using OneMap.Lakehouse.Tables;

namespace OneMap.GraphQLApi.Datasets;

/// <summary>How a column's values are typed in GraphQL and compared in filters.</summary>
public enum ColumnKind
{
    String,
    Integer,
    Float,
    Decimal,
    Boolean,
    Date,
    Timestamp,
    Geometry,
    StringList,
    Other,
}

/// <summary>A column of a dataset as the API exposes it: the lake name, the GraphQL field name and what the catalog says.</summary>
/// <param name="Name">The column's name in the lake (used in SQL, quoted).</param>
/// <param name="FieldName">Its GraphQL field name (the same unless the lake name is not a valid GraphQL name).</param>
/// <param name="Kind">Its kind.</param>
/// <param name="StorageType">The Delta type as the catalog records it.</param>
/// <param name="Nullable">Whether values may be missing.</param>
/// <param name="Unit">Unit of the values, from the catalog.</param>
/// <param name="Sensitivity">Who may see the values.</param>
/// <param name="Description">From the catalog.</param>
public sealed record ColumnModel(string Name, string FieldName, ColumnKind Kind, string StorageType, bool Nullable, string? Unit, Sensitivity Sensitivity,
    string? Description)
{
    public bool IsNumeric => Kind is ColumnKind.Integer or ColumnKind.Float or ColumnKind.Decimal;

    public bool IsTemporal => Kind is ColumnKind.Date or ColumnKind.Timestamp;

    /// <summary>Columns that can be compared, ordered and grouped by (not geometries, lists or nested values).</summary>
    public bool IsScalar => Kind is not (ColumnKind.Geometry or ColumnKind.StringList or ColumnKind.Other);

    /// <summary>The catalog's description with the unit, as the schema shows it.</summary>
    public string? SchemaDescription => (Description, Unit) switch
    {
        (null, null) => null,
        (null, { } unit) => $"Unit: {unit}.",
        ({ } text, null) => text,
        ({ } text, { } unit) => $"{text} Unit: {unit}.",
    };
}

/// <summary>A dataset (lake table) as the API exposes it, built from its catalog entry.</summary>
public sealed class DatasetModel
{
    private readonly Dictionary<string, ColumnModel> byName;
    private readonly Dictionary<string, ColumnModel> byField;

    public DatasetModel(DatasetInfo info, string fieldName)
    {
        Name = info.Descriptor.Name;
        FieldName = fieldName;
        TypeName = PascalCase(fieldName);
        Title = info.Descriptor.Title;
        Description = info.Descriptor.Description;
        Owner = info.Descriptor.OwnerDepartment;
        KeyColumns = info.KeyColumns;
        PartitionColumns = info.PartitionColumns;
        Info = info;
        var used = new HashSet<string>(StringComparer.Ordinal);
        Columns = info.Columns.Select(c => new ColumnModel(c.Name, UniqueName(GraphQLName(c.Name), used), KindOf(c), c.Type, c.Nullable, c.Unit, c.Sensitivity,
            c.Description)).ToList();
        byName = Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        byField = Columns.ToDictionary(c => c.FieldName, StringComparer.Ordinal);
        PrimaryGeometry = Columns.FirstOrDefault(c => c.Kind == ColumnKind.Geometry);
    }

    /// <summary>The table name.</summary>
    public string Name { get; }

    /// <summary>The root query field's name (the table name, made a valid GraphQL name).</summary>
    public string FieldName { get; }

    /// <summary>The row type's name (the table name in PascalCase).</summary>
    public string TypeName { get; }

    public string? Title { get; }

    public string? Description { get; }

    /// <summary>The owner department's code.</summary>
    public string? Owner { get; }

    public IReadOnlyList<string> KeyColumns { get; }

    public IReadOnlyList<string> PartitionColumns { get; }

    public IReadOnlyList<ColumnModel> Columns { get; }

    /// <summary>The first geometry column (the one GeoJSON output, spatial units and bbox pruning use), if any.</summary>
    public ColumnModel? PrimaryGeometry { get; }

    /// <summary>The catalog entry it was built from.</summary>
    public DatasetInfo Info { get; }

    /// <summary>The bbox covering column the lake keeps beside the primary geometry (for pruning), when there is one.</summary>
    public string? BboxColumn => PrimaryGeometry is null ? null : "bbox";

    public ColumnModel? Column(string name) => byName.GetValueOrDefault(name);

    public ColumnModel? ColumnByField(string fieldName) => byField.GetValueOrDefault(fieldName);

    /// <summary>What the schema says about the dataset: title, description and owner.</summary>
    public string SchemaDescription
    {
        get
        {
            var text = new StringBuilder();
            text.Append(Title ?? Name);
            if (Description is not null)
            {
                text.Append(": ").Append(Description);
            }
            if (Owner is not null)
            {
                text.Append(" Owner: ").Append(Owner).Append('.');
            }
            return text.ToString();
        }
    }

    /// <summary>A fingerprint of everything the schema is generated from, to tell when it must be rebuilt.</summary>
    public string Fingerprint => string.Join('|', [Name, Title ?? "", Description ?? "", Owner ?? "", .. Columns.Select(c =>
        string.Join(',', c.Name, c.StorageType, c.Nullable, c.Unit ?? "", c.Sensitivity, c.Description ?? ""))]);

    internal static ColumnKind KindOf(CatalogColumn column)
    {
        if (column.IsGeometry)
        {
            return ColumnKind.Geometry;
        }
        var type = column.Type.Trim().ToLowerInvariant();
        return type switch
        {
            "string" => ColumnKind.String,
            "long" or "integer" or "short" or "byte" => ColumnKind.Integer,
            "double" or "float" => ColumnKind.Float,
            "boolean" => ColumnKind.Boolean,
            "date" => ColumnKind.Date,
            "timestamp" or "timestamp_ntz" => ColumnKind.Timestamp,
            _ when type.StartsWith("decimal", StringComparison.Ordinal) => ColumnKind.Decimal,
            _ when type.Contains("array", StringComparison.Ordinal) && type.Contains("string", StringComparison.Ordinal) => ColumnKind.StringList,
            _ => ColumnKind.Other,
        };
    }

    /// <summary>A valid GraphQL name for a lake name: letters, digits and '_', not starting with a digit or '__'.</summary>
    public static string GraphQLName(string name)
    {
        var builder = new StringBuilder(name.Length + 1);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }
        if (builder.Length == 0 || char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }
        while (builder.Length > 1 && builder[0] == '_' && builder[1] == '_')
        {
            builder.Remove(0, 1);
        }
        return builder.ToString();
    }

    internal static string UniqueName(string name, HashSet<string> used)
    {
        var candidate = name;
        for (var i = 2; !used.Add(candidate); i++)
        {
            candidate = name + "_" + i.ToString(CultureInfo.InvariantCulture);
        }
        return candidate;
    }

    public static string PascalCase(string name)
    {
        var builder = new StringBuilder(name.Length);
        var upper = true;
        foreach (var c in name)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }
            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        var result = builder.ToString();
        return result.Length == 0 || char.IsAsciiDigit(result[0]) ? "T" + result : result;
    }
}
