using System.Text.Json;
using OneMap.DuckDb;

namespace OneMap.Ingest.Tests.Support;

/// <summary>
/// An independent reader of a Delta table: replays the JSON commits of <c>_delta_log</c> (add minus remove; checkpoints
/// are not needed while tests stay below the interval or read the JSON that every commit also leaves) and reads the
/// live Parquet files with DuckDB's own <c>read_parquet</c>.
/// </summary>
public static class DeltaFiles
{
    public static List<string> Live(string tableRoot)
    {
        var live = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var commit in Directory.EnumerateFiles(Path.Combine(tableRoot, "_delta_log"), "*.json")
                     .Where(f => Path.GetFileNameWithoutExtension(f) is { Length: 20 } n && n.All(char.IsAsciiDigit)).Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadLines(commit))
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }
                using var action = JsonDocument.Parse(line);
                if (action.RootElement.TryGetProperty("add", out var add))
                {
                    live[Uri.UnescapeDataString(add.GetProperty("path").GetString()!)] = true;
                }
                else if (action.RootElement.TryGetProperty("remove", out var remove))
                {
                    live.Remove(Uri.UnescapeDataString(remove.GetProperty("path").GetString()!));
                }
            }
        }
        return live.Keys.Select(p => Path.Combine(tableRoot, p)).Order(StringComparer.Ordinal).ToList();
    }

    public static List<object?[]> Query(string tableRoot, string select, string? orderBy = null)
    {
        var files = Live(tableRoot);
        using var database = DuckDbDatabase.Open();
        using var connection = database.Connect();
        connection.Execute("SET TimeZone = 'UTC'");
        // Geometry columns come back as the WKB bytes stored in the file.
        connection.Execute("SET enable_geoparquet_conversion = false");
        if (files.Count == 0)
        {
            return [];
        }
        var list = string.Join(", ", files.Select(f => "'" + f.Replace("'", "''", StringComparison.Ordinal) + "'"));
        var sql = $"SELECT {select} FROM read_parquet([{list}], hive_partitioning = true)" + (orderBy is null ? "" : $" ORDER BY {orderBy}");
        using var reader = connection.Query(sql);
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            rows.Add(row);
        }
        return rows;
    }
}
