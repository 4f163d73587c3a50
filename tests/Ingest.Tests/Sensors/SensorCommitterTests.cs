using OneMap.Ingest.Sensors;
using OneMap.Ingest.Tests.Support;

namespace OneMap.Ingest.Tests.Sensors;

public sealed class SensorCommitterTests : IngestTestBase
{
    private static SensorBatch Batch(int from, int to, bool redelivered = false)
    {
        var batch = new SensorBatch { MayHoldRedeliveries = redelivered };
        var start = new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = from; i < to; i++)
        {
            var ts = start.AddMinutes(i / 10);
            batch.Water.Add(new WaterRow($"S{i % 10}", "do", ts, 7, "mg/L", "N", DateOnly.FromDateTime(ts.UtcDateTime)));
        }
        batch.Messages = to - from;
        return batch;
    }

    [Fact]
    public async Task appends_first_deliveries_and_drops_redelivered_readings_by_key()
    {
        using var committer = await SensorCommitter.CreateAsync(Lake, "test", Ct);

        var first = await committer.CommitAsync(Batch(0, 100), Ct);
        var second = await committer.CommitAsync(Batch(100, 200), Ct);
        var replay = await committer.CommitAsync(Batch(50, 150, redelivered: true), Ct);

        Assert.Equal((100L, 0L), (first.Written, first.Duplicates));
        Assert.Equal((100L, 0L), (second.Written, second.Duplicates));
        Assert.Equal((0L, 100L), (replay.Written, replay.Duplicates));
        Assert.Equal(200L, ReadBack("water_quality_readings", "count(*)")[0][0]);
    }
}
