using OneMap.DuckDb;
using OneMap.DuckDb.Data;
using OneMap.DuckDb.Functions;
using OneMap.DuckDb.Types;
using OneMap.Lakehouse.Spatial.Geofences;
using OneMap.Lakehouse.Spatial.Index;

namespace OneMap.Lakehouse.Spatial.Sql;

/// <summary>
/// <c>st_geofence_events(fence_index, positions)</c>: the enter/exit events of every vessel track in a table or view
/// of positions against the fences of a spatial index (named columns: <c>vessel := 'vessel_id'</c>,
/// <c>time := 'ts'</c>, <c>geom := 'geom'</c>, <c>max_gap_minutes := 30</c>).
/// </summary>
internal static class GeofenceFunctions
{
    internal static readonly DuckDbField[] Columns =
    [
        new("vessel_id", DuckDbType.Varchar),
        new("fence_id", DuckDbType.Varchar),
        new("event", DuckDbType.Varchar),
        new("ts", DuckDbType.TimestampTz),
        new("crossed_at", DuckDbType.TimestampTz),
        new("observed", DuckDbType.Boolean),
        new("lon", DuckDbType.Double),
        new("lat", DuckDbType.Double),
    ];

    public static void Register(DuckDbConnection connection)
    {
        var database = connection.Database;
        connection.RegisterTableFunction("st_geofence_events", [DuckDbType.Varchar, DuckDbType.Varchar],
            bind =>
            {
                var fences = SpatialIndexes.Get(database, bind.GetParameter<string>(0)).Polygons;
                var positions = SqlNames.Relation(bind.GetParameter<string>(1), "st_geofence_events");
                string Column(string name, string fallback) =>
                    SqlNames.Identifier(bind.NamedParameters.TryGetValue(name, out var value) && value is string s ? s : fallback);
                var gap = bind.NamedParameters.TryGetValue("max_gap_minutes", out var minutes) && minutes is not null
                    ? TimeSpan.FromMinutes(Convert.ToDouble(minutes, System.Globalization.CultureInfo.InvariantCulture))
                    : TimeSpan.FromMinutes(30);
                foreach (var column in Columns)
                {
                    bind.AddColumn(column.Name, column.Type);
                }
                var sql = $"SELECT CAST({Column("vessel", "vessel_id")} AS VARCHAR), CAST({Column("time", "ts")} AS TIMESTAMPTZ), {Column("geom", "geom")} " +
                          $"FROM {positions} ORDER BY 1, 2";
                return (fences, sql, gap);
            },
            bound => new EventScan(database, bound.fences, bound.sql, bound.gap),
            new Dictionary<string, DuckDbType>
            {
                ["vessel"] = DuckDbType.Varchar,
                ["time"] = DuckDbType.Varchar,
                ["geom"] = DuckDbType.Varchar,
                ["max_gap_minutes"] = DuckDbType.Double,
            });
    }

    /// <summary>Reads the ordered positions on a connection of its own and streams the tracker's events.</summary>
    private sealed class EventScan(DuckDbDatabase database, PolygonIndex fences, string sql, TimeSpan gap) : IDuckDbTableScan, IDisposable
    {
        private readonly GeofenceTracker _tracker = new(fences, gap);
        private readonly List<GeofenceEvent> _events = [];
        private DuckDbConnection? _connection;
        private DuckDbDataReader? _reader;
        private int _next;
        private bool _done;

        public int Fill(DuckDbChunk output)
        {
            var rows = 0;
            while (rows < output.RowCount)
            {
                if (_next < _events.Count)
                {
                    Write(output, rows++, _events[_next++]);
                    continue;
                }
                if (_done || !ReadMore())
                {
                    break;
                }
            }
            return rows;
        }

        private bool ReadMore()
        {
            _events.Clear();
            _next = 0;
            _connection ??= database.Connect();
            _reader ??= _connection.Query(sql);
            var chunk = _reader.ReadChunk();
            if (chunk is null)
            {
                _done = true;
                return false;
            }
            for (var row = 0; row < chunk.RowCount; row++)
            {
                if (chunk.IsNull(0, row) || chunk.IsNull(1, row) || chunk.IsNull(2, row))
                {
                    continue;
                }
                var vessel = chunk.GetString(0, row);
                var at = chunk.GetValue<DateTimeOffset>(1, row);
                var bytes = chunk.GetBytes(2, row);
                if (!GeometryCodec.TryReadPoint(bytes, out var x, out var y))
                {
                    var geometry = GeometryCodec.ReadWkb(bytes);
                    throw new SpatialArgumentException("st_geofence_events", "geom",
                        $"position of vessel '{vessel}' at {at:O} is a {geometry.GeometryType.ToUpperInvariant()}, not a POINT");
                }
                _tracker.Add(vessel, at, x, y, _events);
            }
            return true;
        }

        private static void Write(DuckDbChunk output, int row, GeofenceEvent e)
        {
            output.SetValue(0, row, e.VesselId);
            output.SetValue(1, row, e.FenceId);
            output.SetValue(2, row, e.Kind == GeofenceEventKind.Enter ? "enter" : "exit");
            output.SetValue(3, row, e.At);
            if (e.CrossedAt is { } crossed)
            {
                output.SetValue(4, row, crossed);
            }
            else
            {
                output.SetNull(4, row);
            }
            output.SetValue(5, row, e.Observed);
            output.SetValue(6, row, e.Longitude);
            output.SetValue(7, row, e.Latitude);
        }

        public void Dispose()
        {
            _reader?.Dispose();
            _connection?.Dispose();
        }
    }
}
