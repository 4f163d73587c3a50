using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using System.Text;

using OneMap.Mqtt.Packets;
using OneMap.Mqtt.Sessions;

namespace OneMap.Mqtt.Client;

public sealed partial class MqttClient
{
    /// <summary>
    /// Opens a connection, performs CONNECT/CONNACK, starts its loops, re-sends unacknowledged messages, makes it
    /// the live connection and restores subscriptions the broker does not have. Errors come out as MqttExceptions.
    /// </summary>
    private async Task<(MqttConnection Connection, bool SessionPresent)> EstablishAsync(CancellationToken run, CancellationToken caller)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(run, caller);
        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(linked.Token);
        handshake.CancelAfter(_options.ConnectTimeout);
        MqttConnection? connection = null;
        try
        {
            connection = await MqttConnection.OpenAsync(_options.Host, _options.Port, _time, handshake.Token).ConfigureAwait(false);
            BuildConnectPacket().WriteTo(connection.Output);
            await connection.Output.FlushAsync(handshake.Token).ConfigureAwait(false);
            var connAck = await ReadConnAckAsync(connection, handshake.Token).ConfigureAwait(false);
            if (connAck.ReturnCode != ConnectReturnCode.Accepted)
            {
                throw new MqttConnectionRefusedException(connAck.ReturnCode, _options.Endpoint);
            }

            var acks = new InboundAckQueue();
            connection.Acks = acks;
            _incoming.OnNewConnection(connAck.SessionPresent);
            _ = ReceiveLoopAsync(connection, acks);
            _ = SendResponsesAsync(connection, acks);
            _ = KeepAliveAsync(connection);

            await ResendAndGoLiveAsync(connection, linked.Token).ConfigureAwait(false);
            await RestoreSubscriptionsAsync(connAck.SessionPresent, linked.Token).ConfigureAwait(false);
            Log.Connected(_logger, _options.Endpoint, _options.ClientId, connAck.SessionPresent);
            return (connection, connAck.SessionPresent);
        }
        catch (Exception e)
        {
            Exception error = e switch
            {
                OperationCanceledException when linked.IsCancellationRequested => e,
                OperationCanceledException when handshake.IsCancellationRequested =>
                    new MqttTimeoutException($"no CONNACK from MQTT broker {_options.Endpoint} within {_options.ConnectTimeout.TotalSeconds:0.###} s", e),
                MqttException => e,
                IOException or SocketException or ObjectDisposedException =>
                    new MqttConnectionLostException($"connection to MQTT broker {_options.Endpoint} failed during the handshake: {e.Message}", e),
                _ => e,
            };
            if (connection is not null)
            {
                connection.Abort(error);
                await TearDownAsync(connection).ConfigureAwait(false);
                // A failure inside a loop started above (e.g. a malformed packet) is the real reason, not the symptom seen here.
                var recorded = await connection.Completion.ConfigureAwait(false);
                if (error is OperationCanceledException && recorded is MqttException && !linked.IsCancellationRequested)
                {
                    error = recorded;
                }
            }
            if (ReferenceEquals(error, e))
            {
                ExceptionDispatchInfo.Throw(e);
            }
            throw error;
        }
    }

    private ConnectPacket BuildConnectPacket()
    {
        var will = _options.LastWill is { } w ? new ConnectWill(w.Topic, w.Payload, w.QualityOfService, w.Retain) : null;
        // Spelled out: "cond ? null : bytes" would turn null into an empty, non-null password.
        ReadOnlyMemory<byte>? password = null;
        if (_options.Password is not null)
        {
            password = Encoding.UTF8.GetBytes(_options.Password);
        }
        return new ConnectPacket(_options.ClientId, _options.CleanSession, (ushort)_options.KeepAlive.TotalSeconds, _options.UserName, password, will);
    }

    private static async Task<ConnAckPacket> ReadConnAckAsync(MqttConnection connection, CancellationToken cancellationToken)
    {
        var input = connection.Input;
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (PacketFramer.TryReadHeader(buffer, out var header))
            {
                if (header.Type != PacketType.ConnAck)
                {
                    throw new MqttProtocolException($"expected CONNACK as the broker's first packet, got {PacketTypeNames.Name(header.Type)} (MQTT-3.2.0-1)");
                }
                if (header.RemainingLength != 2)
                {
                    throw new MqttProtocolException($"malformed CONNACK: remaining length is {header.RemainingLength}, must be 2");
                }
                if (buffer.Length >= header.TotalLength)
                {
                    var body = buffer.Slice(header.HeaderLength, header.RemainingLength);
                    var connAck = ConnAckPacket.Decode(header.Flags, PacketFramer.Contiguous(body));
                    input.AdvanceTo(buffer.GetPosition(header.TotalLength));
                    connection.MarkReceived();
                    return connAck;
                }
            }
            if (result.IsCompleted)
            {
                throw new MqttConnectionLostException("the MQTT broker closed the connection before sending CONNACK");
            }
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>
    /// Re-sends unacknowledged QoS 1/2 messages in their original order (MQTT-4.4.0-1, MQTT-4.6.0-1) before any new
    /// publish can reach the connection: both happen under the write lock.
    /// </summary>
    private async Task ResendAndGoLiveAsync(MqttConnection connection, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pending = _outgoing.Snapshot();
            if (pending.Count > 0)
            {
                Log.Resending(_logger, pending.Count);
                foreach (var message in pending)
                {
                    if (message.Stage == OutgoingStage.AwaitingPubComp)
                    {
                        PacketIdPacket.WriteTo(connection.Output, PacketType.PubRel, message.PacketId);
                    }
                    else
                    {
                        WritePublish(connection.Output, message, duplicate: message.SentBefore);
                        message.SentBefore = true;
                    }
                }
                await connection.Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
            if (connection.IsClosed)
            {
                // Whatever ended it (often a malformed packet right after CONNACK) is the error to report.
                var reason = await connection.Completion.ConfigureAwait(false);
                throw reason as MqttException
                    ?? new MqttConnectionLostException($"connection to MQTT broker {_options.Endpoint} closed right after CONNACK", reason);
            }
            lock (_stateLock)
            {
                _connection = connection;
                _connected.TrySetResult();
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Detaches a finished connection: no new writes reach it, its acknowledgements are void, waiters fail.</summary>
    private async Task TearDownAsync(MqttConnection connection)
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            lock (_stateLock)
            {
                if (ReferenceEquals(_connection, connection))
                {
                    _connection = null;
                }
                if (_connection is null && _connected.Task.IsCompleted && _state is not (MqttConnectionState.Closed or MqttConnectionState.Faulted))
                {
                    _connected = NewSignal();
                }
            }
            connection.CompleteOutput();
        }
        finally
        {
            _writeLock.Release();
        }
        connection.Acks?.Close();
        var reason = connection.Completion.IsCompleted ? connection.Completion.Result : null;
        FailPendingRequests(new MqttConnectionLostException(
            $"connection to MQTT broker {_options.Endpoint} ended before the broker answered: {reason?.Message ?? "closed"}", reason));
    }

    /// <summary>Waits for the live connection to end, then reconnects with backoff until it succeeds or must give up.</summary>
    private async Task SuperviseAsync(MqttConnection connection, CancellationToken run)
    {
        try
        {
            while (true)
            {
                var reason = await connection.Completion.ConfigureAwait(false);
                await TearDownAsync(connection).ConfigureAwait(false);
                if (run.IsCancellationRequested)
                {
                    return;
                }
                Statistics.Lost();
                Log.ConnectionLost(_logger, _options.Endpoint, reason.Message, reason is MqttProtocolException or MqttPacketTooLargeException ? reason : null);
                if (!_options.Reconnect.Enabled)
                {
                    SetState(MqttConnectionState.Disconnected, reason);
                    return;
                }
                for (var attempt = 1; ; attempt++)
                {
                    SetState(MqttConnectionState.Reconnecting, reason, attempt: attempt);
                    var delay = _options.Reconnect.DelayBefore(attempt, Random.Shared);
                    Log.Reconnecting(_logger, _options.Endpoint, attempt, (long)delay.TotalMilliseconds);
                    try
                    {
                        await Task.Delay(delay, _time, run).ConfigureAwait(false);
                        var (next, sessionPresent) = await EstablishAsync(run, CancellationToken.None).ConfigureAwait(false);
                        connection = next;
                        Statistics.Reconnected();
                        SetState(MqttConnectionState.Connected, sessionPresent: sessionPresent);
                        break;
                    }
                    catch (OperationCanceledException) when (run.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (MqttException e) when (e.IsTransient && (_options.Reconnect.MaximumAttempts is not { } maximum || attempt < maximum))
                    {
                        Log.ReconnectFailed(_logger, attempt, _options.Endpoint, e.Message);
                        reason = e;
                    }
                    catch (Exception e)
                    {
                        Fault(e);
                        return;
                    }
                }
            }
        }
#pragma warning disable CA1031 // The supervisor runs unobserved: whatever escapes must fault the client, not the process.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Fault(e);
        }
    }

    /// <summary>
    /// Sends PINGREQ when the connection has been quiet for the keep-alive interval, and declares it dead when a
    /// ping goes unanswered (and nothing else arrives) for <see cref="MqttClientOptions.PingTimeout"/>.
    /// </summary>
    private async Task KeepAliveAsync(MqttConnection connection)
    {
        var keepAlive = _options.KeepAlive;
        if (keepAlive == TimeSpan.Zero)
        {
            return;
        }
        var pingTimeout = _options.PingTimeout;
        var tick = TimeSpan.FromTicks(Math.Clamp(
            Math.Min(keepAlive.Ticks, pingTimeout.Ticks) / 4, TimeSpan.FromMilliseconds(20).Ticks, TimeSpan.FromSeconds(1).Ticks));
        using var timer = new PeriodicTimer(tick, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(connection.Closed).ConfigureAwait(false))
            {
                var now = _time.GetTimestamp();
                var sinceReceived = _time.GetElapsedTime(connection.LastReceived, now);
                var sinceSent = _time.GetElapsedTime(connection.LastSent, now);
                var pingSentAt = connection.PingSentAt;
                if (pingSentAt != 0 && !connection.DeliveryBlocked
                    && _time.GetElapsedTime(pingSentAt, now) > pingTimeout && sinceReceived > pingTimeout)
                {
                    connection.Abort(new MqttTimeoutException(
                        $"no PINGRESP from MQTT broker {_options.Endpoint} within {pingTimeout.TotalSeconds:0.###} s: connection presumed dead"));
                    return;
                }
                // Ping when we have been silent (the broker drops us after 1.5 keep-alives) or the broker has.
                var due = sinceSent >= keepAlive || (pingSentAt == 0 && sinceReceived >= keepAlive);
                if (!due)
                {
                    continue;
                }
                if (!await _writeLock.WaitAsync(pingTimeout, connection.Closed).ConfigureAwait(false))
                {
                    if (_time.GetElapsedTime(connection.LastSent) > pingTimeout)
                    {
                        connection.Abort(new MqttTimeoutException(
                            $"writes to MQTT broker {_options.Endpoint} stalled for {pingTimeout.TotalSeconds:0.###} s: connection presumed dead"));
                        return;
                    }
                    continue;
                }
                try
                {
                    if (connection.IsClosed)
                    {
                        return;
                    }
                    EmptyPacket.WriteTo(connection.Output, PacketType.PingReq);
                    if (connection.PingSentAt == 0)
                    {
                        connection.PingSentAt = _time.GetTimestamp();
                    }
                    await connection.Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                }
                finally
                {
                    _writeLock.Release();
                }
            }
        }
        catch (OperationCanceledException) when (connection.IsClosed)
        {
            // The connection ended; nothing to keep alive.
        }
        catch (InvalidOperationException) when (connection.IsClosed)
        {
            // The output pipe was completed during teardown.
        }
    }

    private static void WritePublish(PipeWriter output, OutgoingMessage message, bool duplicate) =>
        PublishPacket.Write(output, message.Topic, message.TopicByteCount, message.PacketId, message.Payload.Span,
            message.QualityOfService, duplicate, message.Retain);
}
