using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.GeoParquet;

namespace OneMap.Lakehouse.Tables;

/// <summary>
/// How far a snapshot's data reaches — a column's smallest and largest value, the bbox of its geometries — read from
/// the data files' statistics in the log, without reading a data file. Unknown (null) when some file with values in
/// that column did not record them. Timestamp statistics are kept to the millisecond, so a time range is exact to the
/// millisecond.
/// </summary>
public static class SnapshotExtent
{
    /// <summary>The minimum and maximum of a top-level column (typed as the lake reads them), or null when unknown or empty.</summary>
    public static (object Min, object Max)? Range(DeltaSnapshot snapshot, string column)
    {
        var field = snapshot.Schema.Find(column) ?? throw new ArgumentException($"column '{column}' is not in the table schema", nameof(column));
        if (!field.Type.IsPrimitive)
        {
            throw new ArgumentException($"column '{column}' has no range (type {field.Type})", nameof(column));
        }
        var partition = SnapshotSql.IsPartition(snapshot.PartitionColumns, field.Name);
        var path = new[] { field.PhysicalName(snapshot.ColumnMapping) };
        object? min = null;
        object? max = null;
        foreach (var file in snapshot.Files)
        {
            if (file.Statistics.NumRecords == 0)
            {
                continue;
            }
            object? low;
            object? high;
            if (partition)
            {
                low = high = snapshot.PartitionValue(file, field.Name);
                if (low is null)
                {
                    continue;
                }
            }
            else
            {
                var stats = file.Statistics;
                if (stats.NumRecords is { } rows && stats.NullCount(path) == rows)
                {
                    continue;
                }
                low = stats.Min(path) is { } a ? TypedValues.FromStats(a, field.Type, isMax: false) : null;
                high = stats.Max(path) is { } b ? TypedValues.FromStats(b, field.Type, isMax: false) : null;
                if (low is null || high is null)
                {
                    return null;
                }
            }
            (low, high) = (Instant(low!, field.Type), Instant(high!, field.Type));
            min = min is null || Comparer<object>.Default.Compare(low, min) < 0 ? low : min;
            max = max is null || Comparer<object>.Default.Compare(high, max) > 0 ? high : max;
        }
        return min is null || max is null ? null : (min, max);
    }

    /// <summary>
    /// The envelope of a geometry column from its bbox covering column's statistics (<c>xmin</c> … <c>ymax</c>), or
    /// null when the table has no such column, no geometry, or a file did not record them.
    /// </summary>
    public static Envelope? Bbox(DeltaSnapshot snapshot, string coveringColumn = "bbox")
    {
        if (snapshot.Schema.Find(coveringColumn) is not { Type: StructType parts } covering)
        {
            return null;
        }
        var mode = snapshot.ColumnMapping;
        string[] Path(string part) => [covering.PhysicalName(mode), parts.Find(part)?.PhysicalName(mode) ?? part];
        double? xmin = null, ymin = null, xmax = null, ymax = null;
        foreach (var file in snapshot.Files)
        {
            var stats = file.Statistics;
            if (stats.NumRecords == 0 || (stats.NumRecords is { } rows && stats.NullCount(Path("xmin")) == rows))
            {
                continue;
            }
            if (Number(stats.Min(Path("xmin"))) is not { } x0 || Number(stats.Min(Path("ymin"))) is not { } y0
                || Number(stats.Max(Path("xmax"))) is not { } x1 || Number(stats.Max(Path("ymax"))) is not { } y1)
            {
                return null;
            }
            xmin = Math.Min(xmin ?? x0, x0);
            ymin = Math.Min(ymin ?? y0, y0);
            xmax = Math.Max(xmax ?? x1, x1);
            ymax = Math.Max(ymax ?? y1, y1);
        }
        return xmin is null ? null : new Envelope(xmin.Value, ymin!.Value, xmax!.Value, ymax!.Value);
    }

    /// <summary>Timestamps as the lake's readers return them: instants (statistics and partition values parse to UTC DateTime).</summary>
    private static object Instant(object value, DeltaType type) =>
        type is PrimitiveType { Name: "timestamp" } && value is DateTime utc ? new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)) : value;

    private static double? Number(System.Text.Json.JsonElement? element) =>
        element is { ValueKind: System.Text.Json.JsonValueKind.Number } number ? number.GetDouble() : null;
}
