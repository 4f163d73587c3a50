namespace OneMap.Mqtt.Client;

/// <summary>How a <see cref="MqttClient"/> connects and behaves. Defaults are stated on each property.</summary>
public sealed class MqttClientOptions
{
    /// <summary>Broker host name or address. Required.</summary>
    public string Host { get; set; } = "";

    /// <summary>Broker TCP port; default 1883.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>
    /// Client identifier; default empty, which lets the broker assign one (only allowed with
    /// <see cref="CleanSession"/>). A persistent session is tied to this identifier.
    /// </summary>
    public string ClientId { get; set; } = "";

    /// <summary>User name; default none.</summary>
    public string? UserName { get; set; }

    /// <summary>Password, sent as UTF-8 bytes (MQTT 3.1.1 requires a user name with it); default none.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// Clean session; default true. False keeps the session at the broker while the client is away: subscriptions
    /// stay, and QoS 1/2 messages published meanwhile are queued and delivered when the client returns.
    /// </summary>
    public bool CleanSession { get; set; } = true;

    /// <summary>
    /// Send the client's subscriptions again after every reconnect, even when the broker says the session is present;
    /// default false (then only a broker without the session gets them again). For brokers that restore a session but
    /// not all of its subscriptions — mosquitto 2.0.11 loses shared subscriptions (<c>$share/…</c>) across a restart
    /// while reporting the session present. Re-subscribing to a filter the broker still has is harmless.
    /// </summary>
    public bool ResubscribeWhenSessionPresent { get; set; }

    /// <summary>
    /// Keep-alive interval; default 30 s. The client sends PINGREQ when it has been quiet this long; zero disables
    /// keep-alive (and dead-connection detection). Whole seconds, at most 65,535.
    /// </summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for PINGRESP (or any byte) before declaring the connection dead; default 10 s.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Message the broker publishes if this client disappears without DISCONNECT; default none.</summary>
    public MqttLastWill? LastWill { get; set; }

    /// <summary>Time allowed for the TCP connect plus CONNECT/CONNACK; default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time allowed for SUBACK/UNSUBACK; default 30 s.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Largest packet accepted from the broker, fixed header included; default 1 MiB. A larger PUBLISH is skipped
    /// without being buffered and delivered with an empty payload and <see cref="MqttMessage.OversizedLength"/> set,
    /// so the application can record (and acknowledge) it; any other oversized packet closes the connection.
    /// </summary>
    public int MaximumPacketSize { get; set; } = 1024 * 1024;

    /// <summary>QoS 1/2 messages this client may have unacknowledged at once; default 256, at most 65,000.</summary>
    public int MaximumInflight { get; set; } = 256;

    /// <summary>
    /// Received messages buffered for the application; default 1,024. When full the client stops reading the
    /// socket, so a slow consumer slows the broker down instead of filling memory.
    /// </summary>
    public int ReceiveBufferCapacity { get; set; } = 1024;

    /// <summary>
    /// Who acknowledges received QoS 1/2 messages; default <see cref="MqttAcknowledgeMode.Auto"/> (when the
    /// application reads the message). <see cref="MqttAcknowledgeMode.Manual"/>: only <see cref="MqttMessage.Acknowledge"/> does.
    /// </summary>
    public MqttAcknowledgeMode AcknowledgeMode { get; set; } = MqttAcknowledgeMode.Auto;

    /// <summary>Automatic reconnection after a lost connection; on by default.</summary>
    public MqttReconnectOptions Reconnect { get; set; } = new();

    /// <summary>Clock for keep-alive and backoff; default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal string Endpoint => $"{Host}:{Port}";

    /// <summary>Checks every option and names the first bad one.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException("MQTT broker host is required", nameof(Host));
        }
        if (Port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "port must be within [1, 65535]");
        }
        ArgumentNullException.ThrowIfNull(ClientId, nameof(ClientId));
        if (ClientId.Length == 0 && !CleanSession)
        {
            throw new ArgumentException("a persistent session (CleanSession = false) needs a client identifier (MQTT-3.1.3-7)", nameof(ClientId));
        }
        Packets.MqttStrings.ByteCountForSending(ClientId, "client identifier", nameof(ClientId));
        if (Password is not null && UserName is null)
        {
            throw new ArgumentException("MQTT 3.1.1 sends a password only with a user name (MQTT-3.1.2-22)", nameof(Password));
        }
        if (KeepAlive < TimeSpan.Zero || KeepAlive.TotalSeconds > ushort.MaxValue || KeepAlive.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(KeepAlive), KeepAlive, "keep-alive must be whole seconds within [0, 65535]");
        }
        Positive(PingTimeout, nameof(PingTimeout));
        Positive(ConnectTimeout, nameof(ConnectTimeout));
        Positive(ResponseTimeout, nameof(ResponseTimeout));
        if (MaximumPacketSize is < 128 or > Packets.RemainingLength.Maximum + 5)
        {
            throw new ArgumentOutOfRangeException(nameof(MaximumPacketSize), MaximumPacketSize, "maximum packet size must be within [128, 268435460] bytes");
        }
        if (MaximumInflight is < 1 or > 65_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaximumInflight), MaximumInflight, "maximum in-flight must be within [1, 65000]");
        }
        if (ReceiveBufferCapacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ReceiveBufferCapacity), ReceiveBufferCapacity, "receive buffer capacity must be at least 1");
        }
        if (LastWill is not null)
        {
            Topics.TopicName.Validate(LastWill.Topic, nameof(LastWill));
        }
        ArgumentNullException.ThrowIfNull(Reconnect, nameof(Reconnect));
        Reconnect.Validate();
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive");
        }
    }
}
