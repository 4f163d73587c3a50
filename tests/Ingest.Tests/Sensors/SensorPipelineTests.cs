using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using OneMap.Ingest.Sensors;
using OneMap.Ingest.Tests.Support;

namespace OneMap.Ingest.Tests.Sensors;

/// <summary>When the pipeline commits a batch before it is due: a sizeable batch, or a burst that has ended, never a trickle.</summary>
public sealed class SensorPipelineTests : IngestTestBase
{
    /// <summary>A clock moved by hand, so the burst rules are checked without waiting.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long ticks = TimeSpan.TicksPerDay;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => ticks;

        public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(ticks);

        public void Advance(TimeSpan by) => ticks += by.Ticks;
    }

    private static readonly SensorOptions Options = new() { BatchMaxReadings = 50_000, BatchInterval = TimeSpan.FromSeconds(1), BurstIdle = TimeSpan.FromMilliseconds(100) };

    private async Task<(SensorPipeline Pipeline, SensorCommitter Committer)> CreateAsync(ManualClock clock)
    {
        var committer = await SensorCommitter.CreateAsync(Lake, "sensors", Ct);
        var parser = new SensorPayloadParser(SensorRegistry.AcceptAll(), Options.MaxPayloadBytes, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        var pipeline = new SensorPipeline(committer, parser, Quarantine, Options, Metrics.Worker("sensors", "sensors"), "sensors", NullLogger.Instance, clock);
        return (pipeline, committer);
    }

    /// <summary>A station batch of the eight indicators (eight readings).</summary>
    private static byte[] StationBatch(int station, int minute) => Encoding.UTF8.GetBytes(
        $$"""{"stationId":"WQS-{{station:D3}}","ts":"2024-06-01T{{minute / 60:D2}}:{{minute % 60:D2}}:00+08:00","readings":[""" +
        """{"indicator":"water_temp","value":25.5,"unit":"°C","flag":"N"},{"indicator":"ph","value":7.2,"unit":"dimensionless","flag":"N"},""" +
        """{"indicator":"do","value":7.53,"unit":"mg/L","flag":"N"},{"indicator":"conductivity","value":118,"unit":"μS/cm","flag":"N"},""" +
        """{"indicator":"turbidity","value":9.1,"unit":"NTU","flag":"N"},{"indicator":"cod_mn","value":2.23,"unit":"mg/L","flag":"N"},""" +
        """{"indicator":"nh3_n","value":0.093,"unit":"mg/L","flag":"N"},{"indicator":"tp","value":0.04,"unit":"mg/L","flag":"N"}]}""");

    private static void Add(SensorPipeline pipeline, int station, int minute) =>
        pipeline.Add($"putian/wq/WQS-{station:D3}/data", StationBatch(station, minute), null, null, "test", 0, mayBeRedelivery: false);

    [Fact]
    public async Task a_burst_is_committed_once_the_stream_goes_quiet_instead_of_waiting_out_the_interval()
    {
        var clock = new ManualClock();
        var (pipeline, committer) = await CreateAsync(clock);
        using var _ = committer;
        for (var i = 0; i < 100; i++)
        {
            Add(pipeline, 1 + i % 60, i / 60 * 5);
        }

        Assert.False(pipeline.IsWorthCommittingEarly); // 800 readings, still arriving
        Assert.Equal(TimeSpan.FromMilliseconds(100), pipeline.TimeUntilCheck);
        clock.Advance(TimeSpan.FromMilliseconds(60));
        Assert.False(pipeline.IsWorthCommittingEarly);
        Assert.Equal(TimeSpan.FromMilliseconds(40), pipeline.TimeUntilCheck);
        clock.Advance(TimeSpan.FromMilliseconds(40));
        Assert.True(pipeline.IsWorthCommittingEarly);
        Assert.False(pipeline.IsDue);

        await pipeline.DrainAsync(Ct);
        Assert.Equal(800L, ReadBack("water_quality_readings", "count(*)")[0][0]);
        Assert.Equal(800L, pipeline.TakeTotals().Written);
    }

    [Fact]
    public async Task a_trickle_waits_for_the_batch_interval()
    {
        var clock = new ManualClock();
        var (pipeline, committer) = await CreateAsync(clock);
        using var _ = committer;
        for (var i = 0; i < 5; i++)
        {
            Add(pipeline, 1 + i, 0);
            clock.Advance(TimeSpan.FromMilliseconds(150));
            Assert.False(pipeline.IsWorthCommittingEarly);
            Assert.False(pipeline.IsDue);
        }

        // Idle past the burst window without being a burst: the next look is when the batch is due.
        Assert.Equal(TimeSpan.FromMilliseconds(250), pipeline.TimeUntilCheck);
        clock.Advance(TimeSpan.FromMilliseconds(250));
        Assert.True(pipeline.IsDue);
    }

    [Fact]
    public async Task a_sizeable_batch_is_worth_committing_at_once_and_an_empty_one_never()
    {
        var clock = new ManualClock();
        var (pipeline, committer) = await CreateAsync(clock);
        using var _ = committer;
        Assert.False(pipeline.IsWorthCommittingEarly);
        Assert.Equal(Timeout.InfiniteTimeSpan, pipeline.TimeUntilCheck);

        for (var i = 0; i < 625; i++)
        {
            Add(pipeline, 1 + i % 60, i / 60 * 5);
        }

        Assert.True(pipeline.IsWorthCommittingEarly); // 5,000 readings: a tenth of the maximum
    }
}
