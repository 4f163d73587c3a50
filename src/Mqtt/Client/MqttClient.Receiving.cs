using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;

using OneMap.Mqtt.Packets;
using OneMap.Mqtt.Sessions;
using OneMap.Mqtt.Topics;

namespace OneMap.Mqtt.Client;

public sealed partial class MqttClient
{
    private readonly IncomingQos2Session _incoming = new();

    /// <summary>
    /// Reads packets off one connection until it ends. Any failure — malformed packet, oversized non-PUBLISH packet,
    /// socket error — ends the connection with a reason; nothing escapes to crash the process.
    /// </summary>
    private async Task ReceiveLoopAsync(MqttConnection connection, InboundAckQueue acks)
    {
        await Task.Yield();
        var input = connection.Input;
        var topics = new TopicNameCache();
        long skipping = 0;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(connection.Closed).ConfigureAwait(false);
                connection.MarkReceived();
                var buffer = result.Buffer;
                try
                {
                    while (true)
                    {
                        if (skipping > 0)
                        {
                            var skip = Math.Min(skipping, buffer.Length);
                            buffer = buffer.Slice(skip);
                            skipping -= skip;
                            if (skipping > 0)
                            {
                                break;
                            }
                        }
                        if (!PacketFramer.TryReadHeader(buffer, out var header))
                        {
                            break;
                        }
                        if (header.TotalLength > _options.MaximumPacketSize)
                        {
                            if (header.Type != PacketType.Publish)
                            {
                                throw new MqttPacketTooLargeException(PacketTypeNames.Name(header.Type), header.TotalLength, _options.MaximumPacketSize);
                            }
                            var available = Math.Min(buffer.Length - header.HeaderLength, header.RemainingLength);
                            var prefix = buffer.Slice(header.HeaderLength, available);
                            if (!PublishPacket.TryDecodeVariableHeader(header.Flags, prefix, topics, out var publishHeader))
                            {
                                if (available == header.RemainingLength)
                                {
                                    throw new MqttProtocolException("malformed PUBLISH: the packet ends inside its variable header");
                                }
                                break;
                            }
                            var pending = DeliverOversized(connection, acks, publishHeader, (int)header.TotalLength);
                            buffer = buffer.Slice(header.HeaderLength + available);
                            skipping = header.RemainingLength - available;
                            if (!pending.IsCompletedSuccessfully)
                            {
                                await pending.ConfigureAwait(false);
                            }
                            continue;
                        }
                        if (buffer.Length < header.TotalLength)
                        {
                            break;
                        }
                        var body = buffer.Slice(header.HeaderLength, header.RemainingLength);
                        var handled = Handle(connection, acks, header, body, topics);
                        buffer = buffer.Slice(header.TotalLength);
                        if (!handled.IsCompletedSuccessfully)
                        {
                            await handled.ConfigureAwait(false);
                        }
                    }
                    if (result.IsCompleted)
                    {
                        throw new MqttConnectionLostException(buffer.IsEmpty && skipping == 0
                            ? $"MQTT broker {_options.Endpoint} closed the connection"
                            : $"MQTT broker {_options.Endpoint} closed the connection in the middle of a packet");
                    }
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }
            }
        }
        catch (OperationCanceledException) when (connection.IsClosed)
        {
            // Ended elsewhere; the reason is already recorded.
        }
#pragma warning disable CA1031 // Whatever the bytes were, the outcome is a closed connection with a reason, never an unobserved crash.
        catch (Exception e)
#pragma warning restore CA1031
        {
            connection.Abort(e switch
            {
                MqttException => e,
                IOException or SocketException or ObjectDisposedException =>
                    new MqttConnectionLostException($"reading from MQTT broker {_options.Endpoint} failed: {e.Message}", e),
                ChannelClosedException => new MqttConnectionLostException("the MQTT client was closed", e),
                _ => new MqttProtocolException($"unexpected failure while decoding data from MQTT broker {_options.Endpoint}: {e.Message}", e),
            });
        }
        finally
        {
            await input.CompleteAsync().ConfigureAwait(false);
        }
    }

    private ValueTask Handle(MqttConnection connection, InboundAckQueue acks, FrameHeader header, in ReadOnlySequence<byte> body, TopicNameCache topics)
    {
        switch (header.Type)
        {
            case PacketType.Publish:
                return HandlePublish(connection, acks, PublishPacket.Decode(header.Flags, body, topics));
            case PacketType.PubAck:
                var pubAck = PacketIdPacket.Decode(header.Type, header.Flags, PacketFramer.Contiguous(body));
                if (_outgoing.OnPubAck(pubAck) is null)
                {
                    Log.UnknownPacketId(_logger, "PUBACK", pubAck);
                }
                else
                {
                    Statistics.Published();
                }
                break;
            case PacketType.PubRec:
                var pubRec = PacketIdPacket.Decode(header.Type, header.Flags, PacketFramer.Contiguous(body));
                if (_outgoing.OnPubRec(pubRec) is null)
                {
                    Log.UnknownPacketId(_logger, "PUBREC", pubRec);
                }
                // PUBREL even for an unknown identifier, so the broker can finish its side of the handshake.
                acks.EnqueueResponse(PacketType.PubRel, pubRec);
                break;
            case PacketType.PubRel:
                var pubRel = PacketIdPacket.Decode(header.Type, header.Flags, PacketFramer.Contiguous(body));
                _incoming.Release(pubRel);
                acks.EnqueueResponse(PacketType.PubComp, pubRel);
                break;
            case PacketType.PubComp:
                var pubComp = PacketIdPacket.Decode(header.Type, header.Flags, PacketFramer.Contiguous(body));
                if (_outgoing.OnPubComp(pubComp) is null)
                {
                    Log.UnknownPacketId(_logger, "PUBCOMP", pubComp);
                }
                else
                {
                    Statistics.Published();
                }
                break;
            case PacketType.SubAck:
                var subAck = SubAckPacket.Decode(header.Flags, PacketFramer.Contiguous(body));
                CompleteRequest(subAck.PacketId, subAck);
                break;
            case PacketType.UnsubAck:
                var unsubAck = PacketIdPacket.Decode(header.Type, header.Flags, PacketFramer.Contiguous(body));
                CompleteRequest(unsubAck, null);
                break;
            case PacketType.PingResp:
                EmptyPacket.Decode(header.Type, header.Flags, header.RemainingLength);
                connection.PingSentAt = 0;
                break;
            case PacketType.ConnAck:
                throw new MqttProtocolException("the MQTT broker sent a second CONNACK (MQTT-3.2.0-1 allows only one)");
            default:
                throw new MqttProtocolException($"the MQTT broker sent {PacketTypeNames.Name(header.Type)}, which only a client may send");
        }
        return default;
    }

    private ValueTask HandlePublish(MqttConnection connection, InboundAckQueue acks, PublishPacket publish)
    {
        if (publish.QualityOfService == MqttQualityOfService.ExactlyOnce && !RegisterQos2(acks, publish.PacketId))
        {
            return default;
        }
        Statistics.Received();
        var message = new MqttMessage(publish.Topic, publish.Payload, publish.QualityOfService, publish.Retain, publish.Duplicate,
            publish.PacketId, Route(publish.Topic), acks);
        return Deliver(connection, acks, message);
    }

    private ValueTask DeliverOversized(MqttConnection connection, InboundAckQueue acks, PublishHeader header, int size)
    {
        if (header.QualityOfService == MqttQualityOfService.ExactlyOnce && !RegisterQos2(acks, header.PacketId))
        {
            return default;
        }
        Statistics.Received();
        Statistics.Oversized();
        Log.OversizedPublish(_logger, header.Topic, size, _options.MaximumPacketSize);
        var message = new MqttMessage(header.Topic, ReadOnlyMemory<byte>.Empty, header.QualityOfService, header.Retain, header.Duplicate,
            header.PacketId, Route(header.Topic), acks, size);
        return Deliver(connection, acks, message);
    }

    /// <summary>False for a QoS 2 message already delivered and not yet released: it must not be delivered again.</summary>
    private bool RegisterQos2(InboundAckQueue acks, ushort packetId)
    {
        if (_incoming.TryRegister(packetId, out var pubRecSent))
        {
            return true;
        }
        if (pubRecSent)
        {
            acks.EnqueueResponse(PacketType.PubRec, packetId);
        }
        return false;
    }

    private ValueTask Deliver(MqttConnection connection, InboundAckQueue acks, MqttMessage message)
    {
        if (message.QualityOfService != MqttQualityOfService.AtMostOnce)
        {
            // Tracked before the application can see it, so the acknowledgement order is the arrival order.
            acks.Track(message);
        }
        return _inbox.Writer.TryWrite(message) ? default : DeliverWhenRoomAsync(connection, message);
    }

    private async ValueTask DeliverWhenRoomAsync(MqttConnection connection, MqttMessage message)
    {
        connection.DeliveryBlocked = true;
        try
        {
            await _inbox.Writer.WriteAsync(message, connection.Closed).ConfigureAwait(false);
        }
        finally
        {
            connection.DeliveryBlocked = false;
            // Time spent waiting for the application is not the broker's silence.
            connection.MarkReceived();
        }
    }

    /// <summary>The first of this client's subscriptions whose filter matches the topic (shared prefixes stripped).</summary>
    private string? Route(string topic)
    {
        foreach (var subscription in _subscriptions)
        {
            if (TopicFilter.Matches(subscription.Filter, topic))
            {
                return subscription.Filter;
            }
        }
        return null;
    }
}
