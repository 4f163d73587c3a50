namespace OneMap.Mqtt.Packets;

/// <summary>The CONNACK return code (§3.2.2.3). Anything but <see cref="Accepted"/> means the broker closes the connection.</summary>
public enum ConnectReturnCode : byte
{
    Accepted = 0,
    UnacceptableProtocolVersion = 1,
    IdentifierRejected = 2,
    ServerUnavailable = 3,
    BadUserNameOrPassword = 4,
    NotAuthorized = 5,
}
