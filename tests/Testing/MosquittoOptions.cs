namespace OneMap.Testing;

/// <summary>How a test's <see cref="MosquittoBroker"/> is configured. Defaults are mosquitto's own unless stated.</summary>
public sealed class MosquittoOptions
{
    /// <summary>
    /// Persist sessions, queued messages and retained messages to the broker's temp dir, saved on a graceful stop
    /// (SIGTERM) so <see cref="MosquittoBroker.RestartAsync"/> keeps them; default false.
    /// </summary>
    public bool Persistence { get; set; }

    /// <summary>QoS 1/2 messages in flight to each client (mosquitto's default 20; 0 = no limit).</summary>
    public int? MaxInflightMessages { get; set; }

    /// <summary>QoS 1/2 messages queued per client beyond those in flight (mosquitto's default 1000; 0 = no limit).</summary>
    public int? MaxQueuedMessages { get; set; }

    /// <summary>Largest packet the broker accepts, in bytes (mosquitto's default: no limit beyond MQTT's).</summary>
    public int? MaxPacketSize { get; set; }

    /// <summary>Queue QoS 0 messages for offline persistent sessions too (mosquitto's default false).</summary>
    public bool QueueQos0Messages { get; set; }

    /// <summary>
    /// Log every packet (mosquitto's <c>log_type all</c>), handy when debugging a test; default false because it
    /// writes a line per message.
    /// </summary>
    public bool LogAllPackets { get; set; }

    /// <summary>Further mosquitto.conf lines, appended as written.</summary>
    public IList<string> ExtraConfiguration { get; } = [];
}
