using OneMap.Lakehouse;
using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;

namespace OneMap.Bench.Lakehouse;

/// <summary>
/// Synthetic sensor readings in 1M-row chunks (120 stations × 8 indicators, one reading a minute, so a chunk spans
/// about 17 hours and the 10M rows about a week of daily partitions), as columns ready for the appender.
/// </summary>
internal sealed class SensorRows
{
    public const int ChunkRows = 1_000_000;
    private const int Stations = 120;
    private static readonly string[] Indicators = ["DO", "pH", "NH3-N", "CODMn", "TP", "turbidity", "temperature", "conductivity"];

    private SensorRows(string[] station, DateOnly[] day, DateTimeOffset[] ts, string[] indicator, double[] value)
    {
        Station = station;
        Day = day;
        Ts = ts;
        Indicator = indicator;
        Value = value;
    }

    public string[] Station { get; }

    public DateOnly[] Day { get; }

    public DateTimeOffset[] Ts { get; }

    public string[] Indicator { get; }

    public double[] Value { get; }

    public static TableDefinition Table(string name) => new()
    {
        Name = name,
        Columns =
        [
            new("station", DeltaType.String) { Nullable = false },
            new("day", DeltaType.Date) { Nullable = false },
            new("ts", DeltaType.Timestamp) { Nullable = false },
            new("indicator", DeltaType.String) { Nullable = false },
            new("value", DeltaType.Double) { Unit = "indicator unit" },
        ],
        PartitionColumns = ["day"],
    };

    public const string DuckDbColumns = "station VARCHAR, day DATE, ts TIMESTAMPTZ, indicator VARCHAR, value DOUBLE";

    public static SensorRows Chunk(int chunk)
    {
        var stationNames = Enumerable.Range(0, Stations).Select(s => $"WQ{s:D3}").ToArray();
        var start = new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero);
        var station = new string[ChunkRows];
        var day = new DateOnly[ChunkRows];
        var ts = new DateTimeOffset[ChunkRows];
        var indicator = new string[ChunkRows];
        var value = new double[ChunkRows];
        for (var i = 0; i < ChunkRows; i++)
        {
            var row = ((long)chunk * ChunkRows) + i;
            var minute = row / (Stations * Indicators.Length);
            station[i] = stationNames[row % Stations];
            indicator[i] = Indicators[row / Stations % Indicators.Length];
            ts[i] = start.AddMinutes(minute);
            day[i] = DateOnly.FromDateTime(ts[i].UtcDateTime);
            value[i] = 5 + Math.Sin(minute / 240.0) + (row % 13 * 0.01);
        }
        return new SensorRows(station, day, ts, indicator, value);
    }
}
