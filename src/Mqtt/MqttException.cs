using OneMap.Mqtt.Packets;

namespace OneMap.Mqtt;

/// <summary>
/// Base of every error the MQTT client raises. <see cref="IsTransient"/> says whether trying again (reconnecting,
/// re-publishing, re-subscribing) can help; the sealed subclasses say what went wrong.
/// </summary>
public abstract class MqttException : Exception
{
    protected MqttException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>True when the same operation may succeed later (broker restarting, network blip, timeout).</summary>
    public abstract bool IsTransient { get; }
}

/// <summary>The broker answered CONNECT with a non-zero CONNACK return code (MQTT 3.1.1 §3.2.2.3).</summary>
public sealed class MqttConnectionRefusedException(ConnectReturnCode returnCode, string endpoint)
    : MqttException($"MQTT broker {endpoint} refused the connection: {Describe(returnCode)} (CONNACK return code {(byte)returnCode})")
{
    public ConnectReturnCode ReturnCode { get; } = returnCode;

    /// <summary>Only "server unavailable" can clear up by itself; bad credentials or a refused client id will not.</summary>
    public override bool IsTransient => ReturnCode == ConnectReturnCode.ServerUnavailable;

    internal static string Describe(ConnectReturnCode code) => code switch
    {
        ConnectReturnCode.UnacceptableProtocolVersion => "the broker does not support MQTT 3.1.1",
        ConnectReturnCode.IdentifierRejected => "the client identifier is not allowed",
        ConnectReturnCode.ServerUnavailable => "the MQTT service is unavailable",
        ConnectReturnCode.BadUserNameOrPassword => "bad user name or password",
        ConnectReturnCode.NotAuthorized => "the client is not authorized to connect",
        _ => "reserved return code",
    };
}

/// <summary>
/// The peer broke the protocol: a malformed packet, a packet a broker must not send, a flag with the wrong value.
/// The connection that carried it is closed; a reconnect does not fix a broker that misbehaves.
/// </summary>
public sealed class MqttProtocolException(string message, Exception? innerException = null)
    : MqttException(message, innerException)
{
    public override bool IsTransient => false;
}

/// <summary>A packet larger than the configured maximum (or than MQTT allows) was refused before it was buffered.</summary>
public sealed class MqttPacketTooLargeException(string packetType, long size, long maximum)
    : MqttException($"MQTT {packetType} packet of {size} bytes exceeds the maximum of {maximum} bytes")
{
    public string PacketType { get; } = packetType;

    public long Size { get; } = size;

    public long Maximum { get; } = maximum;

    public override bool IsTransient => false;
}

/// <summary>The broker did not answer in time (CONNACK, SUBACK, PINGRESP): the connection is treated as dead.</summary>
public sealed class MqttTimeoutException(string message, Exception? innerException = null)
    : MqttException(message, innerException)
{
    public override bool IsTransient => true;
}

/// <summary>The network connection failed or was closed (broker restart, reset, DNS, refused TCP connect).</summary>
public sealed class MqttConnectionLostException(string message, Exception? innerException = null)
    : MqttException(message, innerException)
{
    public override bool IsTransient => true;
}

/// <summary>The broker answered SUBSCRIBE with the failure code 0x80 for one or more topic filters (§3.9.3).</summary>
public sealed class MqttSubscriptionRefusedException(IReadOnlyList<string> refusedFilters, IReadOnlyList<Client.MqttSubscribeOutcome> outcomes)
    : MqttException($"MQTT broker refused the subscription to {string.Join(", ", refusedFilters)} (SUBACK failure 0x80)")
{
    /// <summary>The filters the broker refused; the others in <see cref="Outcomes"/> were granted and are active.</summary>
    public IReadOnlyList<string> RefusedFilters { get; } = refusedFilters;

    public IReadOnlyList<Client.MqttSubscribeOutcome> Outcomes { get; } = outcomes;

    /// <summary>Refusals come from broker policy (ACLs, invalid shared-subscription syntax): the same request fails again.</summary>
    public override bool IsTransient => false;
}
