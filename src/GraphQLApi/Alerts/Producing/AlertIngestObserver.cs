using System.Threading.Channels;

using OneMap.Ingest.Sensors;
using OneMap.Lakehouse.Alerts.Producing;

namespace OneMap.GraphQLApi.Alerts.Producing;

/// <summary>
/// The alert producer's hook on the ingest path: every committed sensor micro-batch is queued for
/// <see cref="AlertService"/> (water readings flagged N, manhole statuses and alarms). Queuing waits when the producer
/// is far behind (a bounded queue), which slows ingest a little rather than losing readings.
/// </summary>
public sealed class AlertIngestObserver : IReadingBatchObserver
{
    private readonly Channel<CommittedSensorBatch> queue = Channel.CreateBounded<CommittedSensorBatch>(new BoundedChannelOptions(256)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    public ChannelReader<CommittedSensorBatch> Batches => queue.Reader;

    public ValueTask OnBatchCommittedAsync(CommittedSensorBatch batch, CancellationToken cancellationToken) => queue.Writer.WriteAsync(batch, cancellationToken);

    /// <summary>The batch's rows in the producer's terms (other flags than N are not the river's and are left out).</summary>
    public static (List<StationReading> Water, List<ManholeStatus> Statuses, List<ManholeAlarm> Alarms) Convert(CommittedSensorBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var water = batch.Water.Where(r => r.Flag == "N").Select(r => new StationReading(r.StationId, r.Indicator, r.Ts, r.Value)).ToList();
        var statuses = batch.Manhole.Select(r => new ManholeStatus(r.DeviceId, r.Ts, r.TiltDeg, r.DisplacementMm, r.WaterLevelCm, r.Ch4PctLel, r.BatteryV)).ToList();
        var alarms = batch.Alarms.Select(r => new ManholeAlarm(r.DeviceId, r.Ts, r.Kind, r.Value, r.Threshold)).ToList();
        return (water, statuses, alarms);
    }
}
