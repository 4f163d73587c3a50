using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;
using OneMap.Testing;

namespace OneMap.Lakehouse.Tests;

/// <summary>A fresh lake in its own temp directory for each test.</summary>
public abstract class LakeTestBase : IDisposable
{
    protected LakeTestBase()
    {
        Directory = new TempDirectory("onemap-lake");
        Lake = new Lake(new LakehouseOptions { Root = Path.Combine(Directory.Path, "lake"), Threads = 2 });
    }

    protected TempDirectory Directory { get; }

    protected Lake Lake { get; }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Sensor readings: station, day (partition), ts, indicator, value.</summary>
    protected static TableDefinition Readings(string name = "readings", int checkpointInterval = 10) => new()
    {
        Name = name,
        Columns =
        [
            new("station", DeltaType.String) { Nullable = false },
            new("day", DeltaType.Date) { Nullable = false },
            new("ts", DeltaType.Timestamp) { Nullable = false },
            new("indicator", DeltaType.String),
            new("value", DeltaType.Double) { Unit = "mg/L" },
        ],
        PartitionColumns = ["day"],
        CheckpointInterval = checkpointInterval,
    };

    protected static async Task<CommitResult> AppendReadings(DeltaTable table, int rows, int stationOffset = 0, DateOnly? day = null, CommitOptions? options = null)
    {
        using var batch = table.CreateBatch();
        var start = new DateTime(2024, 5, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < rows; i++)
        {
            var d = day ?? DateOnly.FromDateTime(start).AddDays(i % 3);
            batch.AppendRow($"S{(i + stationOffset) % 7:D2}", d, new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue).AddMinutes(i), TimeSpan.Zero), "DO", i * 0.5);
        }
        return await batch.AppendAsync(options, Ct);
    }

    public void Dispose()
    {
        Lake.Dispose();
        Directory.Dispose();
        GC.SuppressFinalize(this);
    }
}
