using System.Globalization;
using OneMap.DuckDb;
using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.GeoParquet;

namespace OneMap.Lakehouse.Tables;

/// <summary>A data file written for a commit, and the add action describing it.</summary>
internal sealed record WrittenFile(string FullPath, AddFile Add);

/// <summary>
/// Writes rows (a relation over the table's logical columns) as data files: one GeoParquet file per partition value
/// combination, under Hive-style partition directories, through DuckDB's <c>COPY … TO … (FORMAT parquet)</c> with
/// the <c>geo</c> key/value metadata and <c>RETURN_STATS</c>, whose per-column statistics become the add action's stats.
/// </summary>
internal sealed class DataFileWriter(DuckDbConnection connection, string tableName, string tableRoot, StructType schema, IReadOnlyList<string> partitionColumns, ColumnMappingMode mode, int statsColumns)
{
    private readonly List<StatsColumn> statsLeaves = StatsJson.IndexedColumns(schema, partitionColumns, mode, statsColumns);

    /// <summary>Writes the relation's rows; returns one file per non-empty partition. Files are new, never overwritten.</summary>
    public List<WrittenFile> Write(string relation, bool dataChange, CancellationToken cancellationToken)
    {
        var written = new List<WrittenFile>();
        try
        {
            using var registration = cancellationToken.Register(connection.Interrupt);
            var partitions = partitionColumns.Count == 0 ? [[]] : DistinctPartitions(relation);
            foreach (var values in partitions)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (WriteOne(relation, values, dataChange) is { } file)
                {
                    written.Add(file);
                }
            }
            return written;
        }
        catch (Exception e) when (e is DuckDbException or OperationCanceledException)
        {
            foreach (var file in written)
            {
                DeltaLogStore.TryDelete(file.FullPath);
            }
            cancellationToken.ThrowIfCancellationRequested();
            throw new DataFileException($"table '{tableName}'", $"writing a data file failed: {e.Message}", e);
        }
    }

    private List<object?[]> DistinctPartitions(string relation)
    {
        var columns = string.Join(", ", partitionColumns.Select(Sql.Identifier));
        var result = new List<object?[]>();
        using var reader = connection.Query($"SELECT DISTINCT {columns} FROM ({relation}) ORDER BY ALL");
        while (reader.Read())
        {
            var values = new object?[partitionColumns.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            result.Add(values);
        }
        return result;
    }

    private WrittenFile? WriteOne(string relation, object?[] partitionValues, bool dataChange)
    {
        var parameters = new List<object?>();
        var filter = PartitionFilter(partitionValues, parameters);
        var serialized = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < partitionColumns.Count; i++)
        {
            var field = schema.Find(partitionColumns[i])!;
            serialized[field.PhysicalName(mode)] = PartitionValues.Serialize(partitionValues[i], field.Type);
        }
        var directory = PartitionValues.Directory(
            partitionColumns.Select(c => schema.Find(c)!.PhysicalName(mode)).ToList(), serialized);
        var relative = directory + $"part-00000-{Guid.NewGuid()}.c000.snappy.parquet";
        var fullPath = Path.Combine(tableRoot, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);

        var options = "FORMAT parquet, COMPRESSION snappy, RETURN_STATS true";
        if (GeoMetadataFor(relation, filter, parameters) is { } geo)
        {
            options += $", KV_METADATA {{geo: {Sql.String(geo)}}}";
        }
        var dataColumns = schema.Fields
            .Where(f => !SnapshotSql.IsPartition(partitionColumns, f.Name))
            .Select(f => $"{Sql.Identifier(f.Name)} AS {Sql.Identifier(f.PhysicalName(mode))}");
        var copy = $"COPY (SELECT {string.Join(", ", dataColumns)} FROM ({relation}) WHERE {filter}) TO {Sql.String(fullPath)} ({options})";

        long count;
        long size;
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> statistics;
        using (var reader = connection.Query(copy, [.. parameters]))
        {
            if (!reader.Read())
            {
                throw new DataFileException(fullPath, "DuckDB returned no statistics for the written file");
            }
            count = Convert.ToInt64(reader.GetValue(reader.GetOrdinal("count")), CultureInfo.InvariantCulture);
            size = Convert.ToInt64(reader.GetValue(reader.GetOrdinal("file_size_bytes")), CultureInfo.InvariantCulture);
            var ordinal = reader.GetOrdinal("column_statistics");
            statistics = reader.IsDBNull(ordinal) ? new Dictionary<string, IReadOnlyDictionary<string, string?>>() : ColumnStatistics(reader.GetValue(ordinal));
        }
        if (count == 0)
        {
            DeltaLogStore.TryDelete(fullPath);
            return null;
        }
        var add = new AddFile
        {
            Path = DeltaPath.Encode(relative),
            PartitionValues = serialized,
            Size = size,
            ModificationTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            DataChange = dataChange,
            Stats = StatsJson.Build(count, statistics, statsLeaves),
        };
        return new WrittenFile(fullPath, add);
    }

    private string PartitionFilter(object?[] values, List<object?> parameters)
    {
        if (partitionColumns.Count == 0)
        {
            return "true";
        }
        var terms = new List<string>();
        for (var i = 0; i < partitionColumns.Count; i++)
        {
            var column = Sql.Identifier(partitionColumns[i]);
            terms.Add(values[i] is null ? $"{column} IS NULL" : $"{column} = {Predicate.Parameter(parameters, values[i])}");
        }
        return string.Join(" AND ", terms);
    }

    /// <summary>The GeoParquet metadata for the rows of one file, or null when the table has no geometry column.</summary>
    private string? GeoMetadataFor(string relation, string filter, List<object?> parameters)
    {
        var geometries = schema.Fields.Where(SchemaColumns.IsGeometry).ToList();
        if (geometries.Count == 0)
        {
            return null;
        }
        var summaries = new List<GeometryColumnSummary>();
        foreach (var geometry in geometries)
        {
            var covering = schema.Fields.FirstOrDefault(f => SchemaColumns.CoveringOf(f) == geometry.Name);
            var column = Sql.Identifier(geometry.Name);
            var bbox = covering is null ? null : Sql.Identifier(covering.Name);
            var sql = bbox is null
                ? $"SELECT NULL, NULL, NULL, NULL, list(DISTINCT {WkbFunctions.Type}({column})) FILTER (WHERE {column} IS NOT NULL) FROM ({relation}) WHERE {filter}"
                : $"SELECT min({bbox}.xmin), min({bbox}.ymin), max({bbox}.xmax), max({bbox}.ymax), list(DISTINCT {WkbFunctions.Type}({column})) FILTER (WHERE {column} IS NOT NULL) FROM ({relation}) WHERE {filter}";
            using var reader = connection.Query(sql, [.. parameters]);
            reader.Read();
            var envelope = reader.IsDBNull(0)
                ? Envelope.Empty
                : new Envelope(reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3));
            var types = reader.IsDBNull(4)
                ? []
                : ((System.Collections.IEnumerable)reader.GetValue(4)).Cast<object?>().OfType<string>().ToList();
            summaries.Add(new GeometryColumnSummary(geometry.PhysicalName(mode), types, envelope, covering?.PhysicalName(mode)));
        }
        return GeoMetadata.Build(geometries[0].PhysicalName(mode), summaries);
    }

    /// <summary>DuckDB's MAP(VARCHAR, MAP(VARCHAR, VARCHAR)) of column statistics as dictionaries.</summary>
    private static Dictionary<string, IReadOnlyDictionary<string, string?>> ColumnStatistics(object value)
    {
        var result = new Dictionary<string, IReadOnlyDictionary<string, string?>>(StringComparer.Ordinal);
        if (value is not System.Collections.IDictionary map)
        {
            return result;
        }
        foreach (System.Collections.DictionaryEntry entry in map)
        {
            var stats = new Dictionary<string, string?>(StringComparer.Ordinal);
            if (entry.Value is System.Collections.IDictionary inner)
            {
                foreach (System.Collections.DictionaryEntry item in inner)
                {
                    stats[Convert.ToString(item.Key, CultureInfo.InvariantCulture)!] = item.Value is null ? null : Convert.ToString(item.Value, CultureInfo.InvariantCulture);
                }
            }
            result[Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!] = stats;
        }
        return result;
    }
}
