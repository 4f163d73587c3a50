namespace OneMap.Mqtt.Client;

/// <summary>Where a <see cref="MqttClient"/> is in its life.</summary>
public enum MqttConnectionState
{
    /// <summary>Not connected: before <see cref="MqttClient.ConnectAsync"/>, after <see cref="MqttClient.DisconnectAsync"/>, or after a loss with reconnection off.</summary>
    Disconnected,

    /// <summary>First connection attempt under way.</summary>
    Connecting,

    /// <summary>Connected; CONNACK accepted.</summary>
    Connected,

    /// <summary>The connection was lost; waiting out the backoff or trying again.</summary>
    Reconnecting,

    /// <summary>Gave up: reconnect attempts exhausted or refused for good. <see cref="MqttConnectionStateChangedEventArgs.Reason"/> says why.</summary>
    Faulted,

    /// <summary>Disposed.</summary>
    Closed,
}

/// <summary>A state change of a <see cref="MqttClient"/>.</summary>
/// <param name="Previous">State before the change.</param>
/// <param name="Current">State after the change.</param>
/// <param name="Reason">What caused a loss, failed attempt or fault; null for planned changes.</param>
/// <param name="SessionPresent">On <see cref="MqttConnectionState.Connected"/>: the broker resumed an existing session.</param>
/// <param name="Attempt">On <see cref="MqttConnectionState.Reconnecting"/>: the attempt about to be made (1-based).</param>
public sealed record MqttConnectionStateChangedEventArgs(
    MqttConnectionState Previous,
    MqttConnectionState Current,
    Exception? Reason,
    bool SessionPresent,
    int Attempt);

/// <summary>The outcome of a successful <see cref="MqttClient.ConnectAsync"/>.</summary>
/// <param name="SessionPresent">True when the broker resumed a persistent session (subscriptions and queued messages kept).</param>
public sealed record MqttConnectResult(bool SessionPresent);
