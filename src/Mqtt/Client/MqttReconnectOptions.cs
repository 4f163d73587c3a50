namespace OneMap.Mqtt.Client;

/// <summary>
/// Reconnection after a lost connection: exponential backoff with jitter, bounded in delay and optionally in attempts.
/// Refusals that cannot clear up by themselves (bad credentials, not authorized) stop the client at once.
/// </summary>
public sealed class MqttReconnectOptions
{
    /// <summary>Reconnect automatically; default true. When false a lost connection leaves the client disconnected.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Delay before the first attempt; default 100 ms. Each further attempt doubles it.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Upper bound of the delay between attempts; default 30 s.</summary>
    public TimeSpan MaximumDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Attempts before the client gives up and faults; default null (keep trying). Each attempt's delay is drawn
    /// uniformly from [½·d, d] so that many workers losing one broker do not all return in the same instant.
    /// </summary>
    public int? MaximumAttempts { get; set; }

    internal void Validate()
    {
        if (InitialDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(InitialDelay), InitialDelay, "initial reconnect delay cannot be negative");
        }
        if (MaximumDelay < InitialDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(MaximumDelay), MaximumDelay, "maximum reconnect delay must be at least the initial delay");
        }
        if (MaximumAttempts is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaximumAttempts), MaximumAttempts, "maximum reconnect attempts must be at least 1");
        }
    }

    /// <summary>The jittered delay before attempt <paramref name="attempt"/> (1-based).</summary>
    internal TimeSpan DelayBefore(int attempt, Random random)
    {
        var exponent = Math.Min(attempt - 1, 30);
        var ceiling = Math.Min(MaximumDelay.Ticks, InitialDelay.Ticks * Math.Pow(2, exponent));
        var ticks = (long)(ceiling / 2 + (random.NextDouble() * ceiling / 2));
        return TimeSpan.FromTicks(ticks);
    }
}
