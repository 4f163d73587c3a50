using OneMap.Ingest.Quarantine;

namespace OneMap.Ingest.Sensors;

/// <summary>A micro-batch of sensor data being collected: rows per table, rejected messages, and the acknowledgements owed.</summary>
public sealed class SensorBatch
{
    public List<WaterRow> Water { get; } = [];

    public List<ManholeRow> Manhole { get; } = [];

    public List<AlarmRow> Alarms { get; } = [];

    public List<QuarantinedRecord> Rejected { get; } = [];

    /// <summary>Called after the batch is committed: acknowledges its messages to the broker, in arrival order.</summary>
    public List<Func<bool>> Acknowledgements { get; } = [];

    public int Messages { get; set; }

    /// <summary>
    /// True when some reading may already be in the lake: a message the broker re-sent (DUP flag), a replayed file, or
    /// a batch whose earlier commit attempt failed part-way. Such batches insert only keys the lake lacks.
    /// </summary>
    public bool MayHoldRedeliveries { get; set; }

    /// <summary>Readings collected (rows plus rejected parts).</summary>
    public int Readings => Water.Count + Manhole.Count + Alarms.Count + Rejected.Count;

    /// <summary>When the first message arrived (<see cref="TimeProvider.GetTimestamp"/>), 0 while empty.</summary>
    public long FirstArrival { get; set; }

    /// <summary>When the latest message arrived (<see cref="TimeProvider.GetTimestamp"/>), 0 while empty.</summary>
    public long LastArrival { get; set; }

    public bool IsEmpty => Messages == 0;

    public void Add(ParsedMessage parsed, string input, long line, ReadOnlySpan<byte> payload, int? oversizedLength, DateTimeOffset receivedAt)
    {
        Water.AddRange(parsed.Water);
        Manhole.AddRange(parsed.Manhole);
        Alarms.AddRange(parsed.Alarms);
        if (parsed.Rejected.Count > 0)
        {
            var record = oversizedLength is { } n ? $"(oversized payload of {n} bytes, not kept)" : PayloadText(payload);
            foreach (var (position, reason) in parsed.Rejected)
            {
                Rejected.Add(new QuarantinedRecord(input, line, record, position.Length == 0 ? reason : $"{position}: {reason}", receivedAt));
            }
        }
        Messages++;
    }

    private static string PayloadText(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > 64 * 1024)
        {
            payload = payload[..(64 * 1024)];
        }
        try
        {
            return new System.Text.UTF8Encoding(false, true).GetString(payload);
        }
        catch (System.Text.DecoderFallbackException)
        {
            return "base64:" + Convert.ToBase64String(payload);
        }
    }
}
