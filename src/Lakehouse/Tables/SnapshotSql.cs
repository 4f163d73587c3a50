using System.Text;
using OneMap.Lakehouse.Delta;

namespace OneMap.Lakehouse.Tables;

/// <summary>
/// SQL that reads data files of a snapshot as the table's logical rows: one <c>read_parquet</c> per group of files that
/// share partition values, with those values added as typed constant columns, physical names mapped to logical names
/// (column mapping), and columns a file lacks (written before the column was added) read as NULL.
/// </summary>
internal static class SnapshotSql
{
    /// <summary>The name of the optional column holding each row's data file path.</summary>
    public const string FileColumn = "__onemap_file";

    public static string Select(DeltaSnapshot snapshot, IEnumerable<AddFile> files, bool includeFileColumn = false, bool castGeometry = false)
    {
        var schema = snapshot.Schema;
        var mode = snapshot.ColumnMapping;
        var partitionColumns = snapshot.PartitionColumns;
        var dataFields = schema.Fields.Where(f => !IsPartition(partitionColumns, f.Name)).ToList();
        var indexed = StatsJson.IndexedColumns(schema, partitionColumns, mode, -1);

        var groups = files
            .GroupBy(f => PartitionKey(snapshot, f), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        if (groups.Count == 0)
        {
            return Empty(schema, includeFileColumn);
        }

        if (groups.Count > 1
            && groups.All(g => g.All(f => HasEveryColumn(f, indexed))) && indexed.Count <= 32
            && HivePartitionScan.HiveTypes(snapshot, groups.SelectMany(g => g)) is { } hiveTypes)
        {
            return SingleScan(snapshot, groups.SelectMany(g => g), hiveTypes, includeFileColumn, castGeometry);
        }

        var builder = new StringBuilder();
        foreach (var group in groups)
        {
            if (builder.Length > 0)
            {
                builder.Append("\nUNION ALL\n");
            }
            var first = group.First();
            var complete = group.All(f => HasEveryColumn(f, indexed)) && indexed.Count <= 32;
            builder.Append("SELECT ");
            var items = new List<string>();
            foreach (var field in schema.Fields)
            {
                if (IsPartition(partitionColumns, field.Name))
                {
                    var value = snapshot.PartitionValue(first, field.Name);
                    items.Add($"{Sql.Literal(value, field.Type)} AS {Sql.Identifier(field.Name)}");
                }
                else
                {
                    var physical = Sql.Identifier(field.PhysicalName(mode));
                    var expression = SchemaColumns.IsGeometry(field) && !castGeometry
                        ? physical
                        : $"CAST({physical} AS {field.Type.ToDuckDbType()})";
                    items.Add($"{expression} AS {Sql.Identifier(field.Name)}");
                }
            }
            if (includeFileColumn)
            {
                items.Add(FileColumn);
            }
            builder.Append(string.Join(", ", items));
            builder.Append(" FROM (");
            var paths = Sql.StringList(group.Select(snapshot.FullPath));
            var fileOption = includeFileColumn ? $", filename = {Sql.String(FileColumn)}" : "";
            if (complete)
            {
                builder.Append($"SELECT * FROM read_parquet({paths}{fileOption})");
            }
            else
            {
                // Files written before a column was added lack it: UNION BY NAME with a typed empty row fills it with NULL.
                builder.Append($"SELECT * FROM read_parquet({paths}{fileOption}, union_by_name = true) UNION ALL BY NAME SELECT ");
                builder.Append(string.Join(", ", dataFields.Select(f => $"CAST(NULL AS {f.Type.ToDuckDbType()}) AS {Sql.Identifier(f.PhysicalName(mode))}")));
                builder.Append(includeFileColumn ? $", CAST(NULL AS VARCHAR) AS {FileColumn} WHERE false" : " WHERE false");
            }
            builder.Append(')');
        }
        return builder.ToString();
    }

    /// <summary>
    /// All files in one <c>read_parquet</c>, partition values read from the directories (checked against the log by
    /// <see cref="HivePartitionScan"/>), in the same partition order as the per-partition scan.
    /// </summary>
    private static string SingleScan(DeltaSnapshot snapshot, IEnumerable<AddFile> files, string hiveTypes, bool includeFileColumn, bool castGeometry)
    {
        var items = new List<string>();
        foreach (var field in snapshot.Schema.Fields)
        {
            var name = IsPartition(snapshot.PartitionColumns, field.Name) ? field.Name : field.PhysicalName(snapshot.ColumnMapping);
            items.Add(SchemaColumns.IsGeometry(field) && !castGeometry
                ? $"{Sql.Identifier(name)} AS {Sql.Identifier(field.Name)}"
                : $"CAST({Sql.Identifier(name)} AS {field.Type.ToDuckDbType()}) AS {Sql.Identifier(field.Name)}");
        }
        if (includeFileColumn)
        {
            items.Add(FileColumn);
        }
        var paths = Sql.StringList(files.Select(snapshot.FullPath));
        var fileOption = includeFileColumn ? $", filename = {Sql.String(FileColumn)}" : "";
        return $"SELECT {string.Join(", ", items)} FROM read_parquet({paths}, hive_partitioning = true, hive_types = {hiveTypes}{fileOption})";
    }

    /// <summary>An empty relation with the table's columns and types.</summary>
    public static string Empty(StructType schema, bool includeFileColumn = false)
    {
        var items = schema.Fields.Select(f => $"CAST(NULL AS {f.Type.ToDuckDbType()}) AS {Sql.Identifier(f.Name)}").ToList();
        if (includeFileColumn)
        {
            items.Add($"CAST(NULL AS VARCHAR) AS {FileColumn}");
        }
        return "SELECT " + string.Join(", ", items) + " WHERE false";
    }

    internal static bool IsPartition(IReadOnlyList<string> partitionColumns, string name) =>
        partitionColumns.Any(p => string.Equals(p, name, StringComparison.OrdinalIgnoreCase));

    private static string PartitionKey(DeltaSnapshot snapshot, AddFile file)
    {
        if (snapshot.PartitionColumns.Count == 0)
        {
            return "";
        }
        var builder = new StringBuilder();
        foreach (var column in snapshot.PartitionColumns)
        {
            var field = snapshot.PartitionField(column);
            file.PartitionValues.TryGetValue(field.PhysicalName(snapshot.ColumnMapping), out var value);
            builder.Append(value is null ? "\u0000" : "\u0001" + value).Append('\u0002');
        }
        return builder.ToString();
    }

    private static bool HasEveryColumn(AddFile file, IReadOnlyList<StatsColumn> columns)
    {
        var stats = file.Statistics;
        if (stats.NumRecords is null)
        {
            return false;
        }
        foreach (var column in columns)
        {
            if (stats.NullCount(column.PhysicalPath) is null)
            {
                return false;
            }
        }
        return true;
    }
}
