using System.Text.Json;

using OneMap.DuckDb;

namespace OneMap.Testing;

/// <summary>
/// A second reader of the lake, independent of OneMap's query path: replays a table's JSON Delta log (adds minus
/// removes) and reads the live Parquet files with DuckDB's own <c>read_parquet</c>. What the API answers is checked
/// against what this reads (the API's answers, the ingest workers' commits).
/// </summary>
public static class LakeFiles
{
    public static List<string> Live(string tableRoot, long? upToVersion = null)
    {
        var live = new HashSet<string>(StringComparer.Ordinal);
        var log = Path.Combine(tableRoot, "_delta_log");
        foreach (var commit in Directory.EnumerateFiles(log, "*.json")
                     .Where(f => Path.GetFileNameWithoutExtension(f) is { Length: 20 } n && n.All(char.IsAsciiDigit)
                         && (upToVersion is null || long.Parse(n, System.Globalization.CultureInfo.InvariantCulture) <= upToVersion))
                     .Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadLines(commit).Where(l => !string.IsNullOrWhiteSpace(l)))
            {
                using var action = JsonDocument.Parse(line);
                if (action.RootElement.TryGetProperty("add", out var add))
                {
                    live.Add(Uri.UnescapeDataString(add.GetProperty("path").GetString()!));
                }
                else if (action.RootElement.TryGetProperty("remove", out var remove))
                {
                    live.Remove(Uri.UnescapeDataString(remove.GetProperty("path").GetString()!));
                }
            }
        }
        return live.Select(p => Path.Combine(tableRoot, p)).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Runs <paramref name="sql"/> with <c>{t}</c> standing for the table's live rows (partition columns from the paths).</summary>
    public static List<object?[]> Query(string lakeRoot, string table, string sql, params object?[] parameters) =>
        QueryVersion(lakeRoot, table, null, sql, parameters);

    /// <summary>Like <see cref="Query"/>, over the table as of a version.</summary>
    public static List<object?[]> QueryVersion(string lakeRoot, string table, long? version, string sql, params object?[] parameters)
    {
        var files = Live(Path.Combine(lakeRoot, table), version);
        if (files.Count == 0)
        {
            // read_parquet needs at least one file: a table with no live file has no rows to show.
            return [];
        }
        using var database = DuckDbDatabase.Open();
        using var connection = database.Connect();
        connection.Execute("SET TimeZone = 'UTC'");
        // Geometry columns come back as the WKB bytes stored in the files.
        connection.Execute("SET enable_geoparquet_conversion = false");
        var list = string.Join(", ", files.Select(f => "'" + f.Replace("'", "''", StringComparison.Ordinal) + "'"));
        var relation = $"read_parquet([{list}], hive_partitioning = true, union_by_name = true)";
        using var reader = connection.Query(sql.Replace("{t}", relation, StringComparison.Ordinal), parameters);
        return reader.ReadAllRows();
    }

    public static long Count(string lakeRoot, string table, string where = "TRUE", params object?[] parameters) =>
        Convert.ToInt64(Query(lakeRoot, table, $"SELECT count(*) FROM {{t}} WHERE {where}", parameters)[0][0], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The GeoParquet <c>geo</c> key/value metadata of a Parquet file ("" when it has none).</summary>
    public static string GeoMetadata(string file)
    {
        using var database = DuckDbDatabase.Open();
        using var connection = database.Connect();
        return connection.ExecuteScalar<string>($"SELECT decode(value) FROM parquet_kv_metadata('{file.Replace("'", "''", StringComparison.Ordinal)}') WHERE decode(key) = 'geo'") ?? "";
    }

    /// <summary>Every file under a lake (logs and data) but the audit table's, for before/after comparisons.</summary>
    public static IReadOnlyList<string> Snapshot(string lakeRoot) =>
        Directory.EnumerateFiles(lakeRoot, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "_audit" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(lakeRoot, f)).Order(StringComparer.Ordinal).ToList();
}
