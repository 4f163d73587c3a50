using System.ComponentModel.DataAnnotations;

namespace OneMap.Ingest.Sensors;

/// <summary>The sensor worker (configuration section <c>Ingest:Sensors</c>).</summary>
public sealed class SensorOptions
{
    /// <summary>Run the sensor worker. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The MQTT broker; when its host is empty the worker replays <see cref="ReplayFolder"/> instead.</summary>
    public MqttBrokerOptions Broker { get; set; } = new();

    /// <summary>Topic filters to subscribe to. Default <c>+/wq/#</c> and <c>+/manhole/#</c> (any city root).</summary>
    public List<string> Topics { get; set; } = ["+/wq/#", "+/manhole/#"];

    /// <summary>
    /// Shared-subscription group: when set, filters are subscribed as <c>$share/&lt;group&gt;/&lt;filter&gt;</c> so that
    /// several workers split the stream. Default <c>onemap-ingest</c>; empty for a plain subscription.
    /// </summary>
    public string? SharedGroup { get; set; } = "onemap-ingest";

    /// <summary>A micro-batch is committed this long after its first reading arrived. Default 1 s.</summary>
    public TimeSpan BatchInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>…or as soon as it holds this many readings. Default 50,000.</summary>
    [Range(1, 10_000_000)]
    public int BatchMaxReadings { get; set; } = 50_000;

    /// <summary>
    /// A batch that arrived as a burst (at least a tenth of <see cref="BatchMaxReadings"/> readings a second) is committed
    /// once nothing has arrived for this long, rather than waiting out <see cref="BatchInterval"/>; a trickle still waits
    /// for the interval (no tiny files). Default 100 ms; zero turns it off.
    /// </summary>
    public TimeSpan BurstIdle { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Payloads larger than this are quarantined unread. Default 64 KiB.</summary>
    [Range(128, 16 * 1024 * 1024)]
    public int MaxPayloadBytes { get; set; } = 64 * 1024;

    /// <summary>Zone of payload timestamps written without an offset. Default Asia/Shanghai.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>How often a receipt summarising the live stream is written. Default 1 minute.</summary>
    public TimeSpan ReceiptInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Payload logs (<c>topic TAB payload</c> per line, <c>.log</c> or <c>.log.gz</c>) replayed when no broker is
    /// configured; searched recursively. Default <c>data-samples/sensors</c>.
    /// </summary>
    public string ReplayFolder { get; set; } = "data-samples/sensors";

    /// <summary>Only readings of registered sensors are accepted (stations and covers known to the lake or listed in <see cref="KnownSensorsFile"/>). Default true.</summary>
    public bool RequireKnownSensors { get; set; } = true;

    /// <summary>A text file of known sensor ids, one per line (<c>wq:ID</c> or <c>manhole:ID</c>, or a bare id for both); optional.</summary>
    public string? KnownSensorsFile { get; set; }

    /// <summary>How often the register is re-read from the lake (<c>monitoring_stations</c>, <c>manhole_covers</c>). Default 30 s.</summary>
    public TimeSpan RegistryRefresh { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Connection to the MQTT broker.</summary>
public sealed class MqttBrokerOptions
{
    /// <summary>Host name or address; empty (default) means no broker: replay the payload logs.</summary>
    public string Host { get; set; } = "";

    /// <summary>Default 1883.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>Client id of the persistent session; default <c>onemap-ingest-&lt;machine&gt;</c>. Each worker process needs its own.</summary>
    public string? ClientId { get; set; }

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>Default 30 s.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Received messages buffered while a batch commits. Default 65,536.</summary>
    [Range(1, 10_000_000)]
    public int ReceiveBuffer { get; set; } = 65_536;
}
