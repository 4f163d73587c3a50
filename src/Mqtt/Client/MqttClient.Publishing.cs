using System.Text;
using System.Threading.Channels;

using OneMap.Mqtt.Packets;
using OneMap.Mqtt.Sessions;
using OneMap.Mqtt.Topics;

namespace OneMap.Mqtt.Client;

public sealed partial class MqttClient
{
    /// <summary>
    /// Publishes a message. Messages go out in the order of the calls. QoS 0 completes once the packet is handed
    /// to the connection (waiting for one if the client is reconnecting). QoS 1/2 completes when the broker acknowledges it; until then the message is part
    /// of the session and is re-sent, in order and with DUP, after a reconnect. At most
    /// <see cref="MqttClientOptions.MaximumInflight"/> are unacknowledged at once; further publishes wait.
    /// </summary>
    /// <remarks>
    /// The client reads <paramref name="payload"/> until the returned task completes; do not change the memory before
    /// then. Cancelling stops the wait, not the delivery: a QoS 1/2 message already accepted is still delivered
    /// (the client keeps a private copy of its payload).
    /// </remarks>
    public Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qualityOfService, bool retain = false,
        CancellationToken cancellationToken = default)
    {
        var topicByteCount = TopicName.Validate(topic);
        if (qualityOfService is < MqttQualityOfService.AtMostOnce or > MqttQualityOfService.ExactlyOnce)
        {
            throw new ArgumentOutOfRangeException(nameof(qualityOfService), qualityOfService, "QoS must be 0, 1 or 2");
        }
        var maximum = PublishPacket.MaximumPayload(topicByteCount, qualityOfService);
        if (payload.Length > maximum)
        {
            throw new ArgumentException($"payload of {payload.Length} bytes for \"{topic}\" exceeds the MQTT maximum of {maximum}", nameof(payload));
        }
        return PublishQueuedAsync(new OutgoingMessage(topic, topicByteCount, payload, qualityOfService, retain), cancellationToken);
    }

    /// <summary>Publishes a UTF-8 text payload; see the byte overload.</summary>
    public Task PublishAsync(string topic, string payload, MqttQualityOfService qualityOfService, bool retain = false,
        CancellationToken cancellationToken = default) =>
        PublishAsync(topic, Encoding.UTF8.GetBytes(payload), qualityOfService, retain, cancellationToken);

    private async Task PublishQueuedAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        lock (_stateLock)
        {
            ThrowIfTerminal();
        }
        // The queue is FIFO for blocked writers too, so messages go out in the order PublishAsync was called.
        if (!_publishQueue.Writer.TryWrite(message))
        {
            try
            {
                await _publishQueue.Writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                lock (_stateLock)
                {
                    ThrowIfTerminal();
                }
                throw;
            }
        }
        try
        {
            await message.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !message.Completion.Task.IsCompleted)
        {
            await _writeLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                // The caller gets its memory back now, so a later send or re-send must use a copy.
                message.Payload = message.Payload.ToArray();
            }
            finally
            {
                _writeLock.Release();
            }
            throw;
        }
    }

    /// <summary>
    /// The one task that puts publishes on the wire: takes them from the queue in order, gives QoS 1/2 messages a
    /// packet identifier and a slot in the in-flight window, and writes as many as are ready before one flush.
    /// </summary>
    private async Task SendPublishesAsync()
    {
        await Task.Yield();
        var queue = _publishQueue.Reader;
        var holdingWindowSlot = false;
        var sentAtMostOnce = new List<OutgoingMessage>();
        try
        {
            while (await queue.WaitToReadAsync(_lifetime.Token).ConfigureAwait(false))
            {
                await WaitForConnectionAsync(_lifetime.Token).ConfigureAwait(false);
                var windowFull = false;
                await _writeLock.WaitAsync(_lifetime.Token).ConfigureAwait(false);
                try
                {
                    var connection = _connection;
                    if (connection is null)
                    {
                        continue;
                    }
                    for (var batch = 0; batch < 1024 && queue.TryPeek(out var next); batch++)
                    {
                        if (next.QualityOfService != MqttQualityOfService.AtMostOnce)
                        {
                            if (!holdingWindowSlot && !_outgoing.Window.Wait(0))
                            {
                                windowFull = true;
                                break;
                            }
                            holdingWindowSlot = false;
                            queue.TryRead(out _);
                            _outgoing.Add(next);
                            WritePublish(connection.Output, next, duplicate: false);
                            next.SentBefore = true;
                        }
                        else
                        {
                            queue.TryRead(out _);
                            WritePublish(connection.Output, next, duplicate: false);
                            sentAtMostOnce.Add(next);
                        }
                    }
                    // A completed flush means the connection died: QoS 1/2 messages stay in the session and go out
                    // on the next connection; QoS 0 messages are lost, and their publishers are told so.
                    var flush = await connection.Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                    foreach (var message in sentAtMostOnce)
                    {
                        if (flush.IsCompleted)
                        {
                            message.Completion.TrySetException(new MqttConnectionLostException(
                                $"the connection to MQTT broker {_options.Endpoint} ended before the QoS 0 message to {message.Topic} was sent"));
                        }
                        else
                        {
                            Statistics.Published();
                            message.Completion.TrySetResult();
                        }
                    }
                    sentAtMostOnce.Clear();
                }
                finally
                {
                    _writeLock.Release();
                }
                if (windowFull)
                {
                    await _outgoing.Window.WaitAsync(_lifetime.Token).ConfigureAwait(false);
                    holdingWindowSlot = true;
                }
            }
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            // Closing: DisposeAsync fails whatever is still queued.
        }
#pragma warning disable CA1031 // Runs unobserved: a fault (the client gave up) must fail the queued publishes, not vanish.
        catch (Exception e)
#pragma warning restore CA1031
        {
            FailQueuedPublishes(e);
        }
    }

    private void FailQueuedPublishes(Exception reason)
    {
        _publishQueue.Writer.TryComplete();
        while (_publishQueue.Reader.TryRead(out var message))
        {
            message.Completion.TrySetException(reason);
        }
    }

    /// <summary>
    /// Writes what the receive loop and the application's acknowledgements queued on a connection: PUBACK/PUBREC in
    /// arrival order, PUBREL and PUBCOMP as the handshakes require. Many are coalesced into one flush.
    /// </summary>
    private async Task SendResponsesAsync(MqttConnection connection, InboundAckQueue acks)
    {
        try
        {
            while (true)
            {
                var batch = await acks.TakeAsync(connection.Closed).ConfigureAwait(false);
                if (batch is null)
                {
                    return;
                }
                await _writeLock.WaitAsync(connection.Closed).ConfigureAwait(false);
                try
                {
                    if (connection.IsClosed)
                    {
                        return;
                    }
                    var acknowledgements = 0;
                    foreach (var response in batch)
                    {
                        PacketIdPacket.WriteTo(connection.Output, response.Type, response.PacketId);
                        if (response.Type == PacketType.PubRec)
                        {
                            _incoming.MarkPubRecSent(response.PacketId);
                        }
                        if (response.Type is PacketType.PubAck or PacketType.PubRec)
                        {
                            acknowledgements++;
                        }
                    }
                    await connection.Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                    Statistics.Acknowledged(acknowledgements);
                }
                finally
                {
                    _writeLock.Release();
                }
                acks.Recycle(batch);
            }
        }
        catch (OperationCanceledException) when (connection.IsClosed)
        {
            // The connection ended; acknowledgements owed on it are void.
        }
        catch (InvalidOperationException) when (connection.IsClosed)
        {
            // The output pipe was completed during teardown.
        }
    }
}
