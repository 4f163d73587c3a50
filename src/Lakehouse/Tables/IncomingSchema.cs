using System.Globalization;
using System.Text.Json;
using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.GeoParquet;

namespace OneMap.Lakehouse.Tables;

/// <summary>A column of incoming rows (a staged batch or a query result) as DuckDB describes it.</summary>
internal sealed record IncomingColumn(string Name, string DuckDbType);

/// <summary>How incoming rows map onto the table: the (possibly evolved) schema and the SQL projection to write.</summary>
internal sealed record IncomingPlan(StructType Schema, IReadOnlyList<StructField> AddedFields, string Projection, IReadOnlyList<string> RequiredColumns);

/// <summary>
/// Schema enforcement: incoming columns must exist in the table with the same type or a lossless widening of it,
/// required columns must be present, and with evolution allowed a new column is added as nullable. Errors name the
/// column and both types.
/// </summary>
internal static class IncomingSchema
{
    public static IncomingPlan Plan(string table, StructType schema, IReadOnlyList<IncomingColumn> incoming, string sourceRelation, bool allowEvolution)
    {
        var added = new List<StructField>();
        var fields = schema.Fields.ToList();
        var byName = incoming.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var column in incoming)
        {
            if (!seen.Add(column.Name))
            {
                throw new SchemaMismatchException(table, column.Name, "appears twice in the incoming rows (names are case-insensitive)");
            }
            var field = schema.Find(column.Name);
            if (field is not null && SchemaColumns.CoveringOf(field) is not null)
            {
                continue;
            }
            if (field is null)
            {
                if (!allowEvolution)
                {
                    throw new SchemaMismatchException(table, column.Name,
                        $"is not in the table schema ({string.Join(", ", UserColumns(schema))}); allow schema evolution to add it as a nullable column");
                }
                var type = ToDelta(table, column);
                if (type == DeltaType.Void)
                {
                    throw new SchemaMismatchException(table, column.Name, "is NULL in every row, so its type is unknown; cast it to a type to add it");
                }
                var newField = new StructField(column.Name, type, Nullable: true);
                added.Add(newField);
                fields.Add(newField);
                continue;
            }
            var incomingType = ToDelta(table, column);
            if (!CanWrite(incomingType, field.Type, SchemaColumns.IsGeometry(field)))
            {
                throw new SchemaMismatchException(table, column.Name,
                    $"has type {column.DuckDbType} ({incomingType}) but the table stores {field.Type} ({field.Type.ToDuckDbType()})");
            }
        }

        var evolved = new StructType(fields);
        var required = new List<string>();
        var inner = new List<string>();
        foreach (var field in evolved.Fields)
        {
            if (SchemaColumns.CoveringOf(field) is not null)
            {
                continue;
            }
            var name = Sql.Identifier(field.Name);
            if (!byName.TryGetValue(field.Name, out var source))
            {
                if (!field.Nullable)
                {
                    throw new SchemaMismatchException(table, field.Name, "is required (not nullable) but missing from the incoming rows");
                }
                inner.Add($"CAST(NULL AS {field.Type.ToDuckDbType()}) AS {name}");
                continue;
            }
            if (!field.Nullable)
            {
                required.Add(field.Name);
            }
            var sourceColumn = "s." + Sql.Identifier(source.Name);
            if (SchemaColumns.IsGeometry(field))
            {
                var wkb = source.DuckDbType.StartsWith("GEOMETRY", StringComparison.OrdinalIgnoreCase) ? $"ST_AsWKB({sourceColumn})" : sourceColumn;
                inner.Add($"{WkbFunctions.Iso}({wkb}) AS {name}");
            }
            else
            {
                inner.Add($"CAST({sourceColumn} AS {field.Type.ToDuckDbType()}) AS {name}");
            }
        }
        var outer = new List<string>();
        foreach (var field in evolved.Fields)
        {
            if (SchemaColumns.CoveringOf(field) is { } geometry)
            {
                outer.Add($"{Covering(Sql.Identifier(geometry))} AS {Sql.Identifier(field.Name)}");
            }
            else
            {
                outer.Add(Sql.Identifier(field.Name));
            }
        }
        var projection = $"SELECT {string.Join(", ", outer)} FROM (SELECT {string.Join(", ", inner)} FROM {sourceRelation} s)";
        return new IncomingPlan(evolved, added, projection, required);
    }

    /// <summary>The bbox covering struct of a WKB column (NULL when the geometry is NULL or empty).</summary>
    public static string Covering(string geometry) => $"{WkbFunctions.Bbox}({geometry})";

    /// <summary>The metaData action after adding <paramref name="added"/> columns (with column mapping ids and physical names).</summary>
    public static MetadataAction Evolve(MetadataAction metadata, IReadOnlyList<StructField> added)
    {
        var mode = metadata.ColumnMappingMode;
        var configuration = new Dictionary<string, string?>(metadata.Configuration);
        var fields = metadata.Schema.Fields.ToList();
        var maxId = int.TryParse(metadata.Property(TableProperties.ColumnMappingMaxId), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : 0;
        foreach (var field in added)
        {
            if (mode == ColumnMappingMode.None)
            {
                fields.Add(field);
                continue;
            }
            maxId++;
            var meta = new Dictionary<string, JsonElement>(field.Metadata)
            {
                [StructField.ColumnMappingIdKey] = JsonSerializer.SerializeToElement(maxId),
                [StructField.PhysicalNameKey] = JsonSerializer.SerializeToElement($"col-{Guid.NewGuid()}"),
            };
            fields.Add(field with { Metadata = meta });
        }
        if (mode != ColumnMappingMode.None)
        {
            configuration[TableProperties.ColumnMappingMaxId] = maxId.ToString(CultureInfo.InvariantCulture);
        }
        return metadata with { SchemaString = SchemaJson.Serialize(new StructType(fields)), Configuration = configuration };
    }

    private static DeltaType ToDelta(string table, IncomingColumn column)
    {
        if (column.DuckDbType is "NULL" or "\"NULL\"")
        {
            return DeltaType.Void;
        }
        try
        {
            return DuckDbTypeNames.ToDelta(column.DuckDbType);
        }
        catch (Exception e) when (e is NotSupportedException or FormatException)
        {
            throw new SchemaMismatchException(table, column.Name, e.Message);
        }
    }

    /// <summary>Whether values of <paramref name="from"/> can be stored in a column of <paramref name="to"/> without loss.</summary>
    public static bool CanWrite(DeltaType from, DeltaType to, bool geometry)
    {
        if (from == DeltaType.Void || from.Equals(to))
        {
            return true;
        }
        if (geometry)
        {
            return from == DeltaType.Binary;
        }
        static int Rank(DeltaType t) => t switch
        {
            PrimitiveType { Name: "byte" } => 1,
            PrimitiveType { Name: "short" } => 2,
            PrimitiveType { Name: "integer" } => 3,
            PrimitiveType { Name: "long" } => 4,
            _ => 0,
        };
        return (from, to) switch
        {
            _ when Rank(from) > 0 && Rank(to) > 0 => Rank(from) <= Rank(to),
            _ when Rank(from) is > 0 and < 4 && to == DeltaType.Double => true,
            (PrimitiveType { Name: "float" }, PrimitiveType { Name: "double" }) => true,
            // SQL writes 1.5 as a DECIMAL literal; into a double column it means the double.
            (DecimalType, PrimitiveType { Name: "double" }) => true,
            (DecimalType a, DecimalType b) => b.Scale >= a.Scale && b.Precision - b.Scale >= a.Precision - a.Scale,
            (_, DecimalType d) when Rank(from) > 0 => d.Precision - d.Scale >= Rank(from) switch { 1 => 3, 2 => 5, 3 => 10, _ => 19 },
            (PrimitiveType { Name: "timestamp_ntz" }, PrimitiveType { Name: "timestamp" }) => true,
            (StructType a, StructType b) => a.Fields.All(f => b.Find(f.Name) is { } g && CanWrite(f.Type, g.Type, false)),
            (ArrayType a, ArrayType b) => CanWrite(a.ElementType, b.ElementType, false),
            (MapType a, MapType b) => CanWrite(a.KeyType, b.KeyType, false) && CanWrite(a.ValueType, b.ValueType, false),
            _ => false,
        };
    }

    private static IEnumerable<string> UserColumns(StructType schema) =>
        schema.Fields.Where(f => SchemaColumns.CoveringOf(f) is null).Select(f => f.Name);
}
