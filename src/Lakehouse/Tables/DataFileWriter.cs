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
/// The relation is scanned once for the partitions and geometry summaries, then once per partition by its COPY.
/// </summary>
internal sealed class DataFileWriter(DuckDbConnection connection, string tableName, string tableRoot, StructType schema, IReadOnlyList<string> partitionColumns, ColumnMappingMode mode, int statsColumns)
{
    private readonly List<StatsColumn> statsLeaves = StatsJson.IndexedColumns(schema, partitionColumns, mode, statsColumns);

    /// <summary>
    /// Writes the relation's rows; returns one file per non-empty partition. Files are new, never overwritten. One
    /// aggregate scan first finds the partitions, their GeoParquet summaries and the NULLs of <paramref name="required"/>
    /// columns (any such NULL refuses the write, naming the column); then each partition is copied to its file.
    /// </summary>
    public List<WrittenFile> Write(string relation, bool dataChange, CancellationToken cancellationToken, IReadOnlyList<string>? required = null)
    {
        var written = new List<WrittenFile>();
        try
        {
            using var registration = cancellationToken.Register(connection.Interrupt);
            foreach (var partition in Summarize(relation, required ?? []))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (partition.Rows != 0 && WriteOne(relation, partition, dataChange) is { } file)
                {
                    written.Add(file);
                }
            }
            return written;
        }
        catch (Exception e) when (e is DuckDbException or OperationCanceledException)
        {
            DeleteAll(written);
            cancellationToken.ThrowIfCancellationRequested();
            throw new DataFileException($"table '{tableName}'", $"writing a data file failed: {e.Message}", e);
        }
        catch
        {
            DeleteAll(written);
            throw;
        }
    }

    private static void DeleteAll(List<WrittenFile> written)
    {
        foreach (var file in written)
        {
            DeltaLogStore.TryDelete(file.FullPath);
        }
    }

    /// <summary>What one partition of the rows to write holds: its values, row count and GeoParquet metadata.</summary>
    private sealed record PartitionSummary(object?[] Values, long Rows, string? Geo);

    private List<PartitionSummary> Summarize(string relation, IReadOnlyList<string> required)
    {
        var geometries = schema.Fields.Where(SchemaColumns.IsGeometry).ToList();
        if (partitionColumns.Count == 0 && geometries.Count == 0 && required.Count == 0)
        {
            // Nothing to learn before writing: the COPY alone scans the relation (an empty file is dropped after it).
            return [new PartitionSummary([], -1, null)];
        }
        var coverings = geometries.Select(g => schema.Fields.FirstOrDefault(f => SchemaColumns.CoveringOf(f) == g.Name)).ToList();
        var items = partitionColumns.Select(Sql.Identifier).ToList();
        items.Add("count(*)");
        for (var g = 0; g < geometries.Count; g++)
        {
            var column = Sql.Identifier(geometries[g].Name);
            if (coverings[g] is { } covering)
            {
                var bbox = Sql.Identifier(covering.Name);
                items.Add($"min({bbox}.xmin), min({bbox}.ymin), max({bbox}.xmax), max({bbox}.ymax)");
            }
            else
            {
                items.Add("NULL, NULL, NULL, NULL");
            }
            // Stored and freshly prepared values are valid WKB: the type code is read from the header alone.
            items.Add($"list(DISTINCT {WkbFunctions.TypeCode}({column})) FILTER (WHERE {column} IS NOT NULL)");
        }
        items.AddRange(required.Select(c => $"count(*) FILTER (WHERE {Sql.Identifier(c)} IS NULL)"));
        var grouping = partitionColumns.Count == 0 ? "" : $" GROUP BY ALL ORDER BY {string.Join(", ", partitionColumns.Select(Sql.Identifier))}";
        var result = new List<PartitionSummary>();
        var nulls = new long[required.Count];
        using (var reader = connection.Query($"SELECT {string.Join(", ", items)} FROM ({relation}){grouping}"))
        {
            while (reader.Read())
            {
                var values = new object?[partitionColumns.Count];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }
                var ordinal = values.Length;
                var rows = reader.GetInt64(ordinal++);
                var summaries = new List<GeometryColumnSummary>();
                for (var g = 0; g < geometries.Count; g++)
                {
                    var envelope = reader.IsDBNull(ordinal)
                        ? Envelope.Empty
                        : new Envelope(reader.GetDouble(ordinal), reader.GetDouble(ordinal + 1), reader.GetDouble(ordinal + 2), reader.GetDouble(ordinal + 3));
                    ordinal += 4;
                    var types = reader.IsDBNull(ordinal)
                        ? []
                        : ((System.Collections.IEnumerable)reader.GetValue(ordinal)).Cast<object?>().OfType<object>()
                            .Select(t => Wkb.TypeName(Convert.ToInt32(t, CultureInfo.InvariantCulture))).ToList();
                    ordinal++;
                    summaries.Add(new GeometryColumnSummary(geometries[g].PhysicalName(mode), types, envelope, coverings[g]?.PhysicalName(mode)));
                }
                for (var i = 0; i < nulls.Length; i++)
                {
                    nulls[i] += reader.GetInt64(ordinal++);
                }
                var geo = geometries.Count == 0 ? null : GeoMetadata.Build(geometries[0].PhysicalName(mode), summaries);
                result.Add(new PartitionSummary(values, rows, geo));
            }
        }
        for (var i = 0; i < nulls.Length; i++)
        {
            if (nulls[i] > 0)
            {
                throw new InvalidValueException(tableName, required[i], nulls[i], "have NULL, but the column is not nullable");
            }
        }
        return result;
    }

    private WrittenFile? WriteOne(string relation, PartitionSummary partition, bool dataChange)
    {
        var partitionValues = partition.Values;
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
        if (partition.Geo is { } geo)
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
