namespace OneMap.Mqtt.Sessions;

/// <summary>
/// The client's half of the session state for messages it publishes (§4.1): QoS 1/2 messages not yet acknowledged,
/// in the order they were first sent (re-sends keep that order, MQTT-4.6.0-1), with a bounded in-flight window.
/// </summary>
internal sealed class OutgoingSession(int maximumInflight, PacketIdAllocator packetIds)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<OutgoingMessage> _ordered = new();
    private readonly Dictionary<ushort, OutgoingMessage> _byId = [];

    /// <summary>Slots in the in-flight window; a publish waits here when <c>maximumInflight</c> are unacknowledged.</summary>
    public SemaphoreSlim Window { get; } = new(maximumInflight, maximumInflight);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _ordered.Count;
            }
        }
    }

    /// <summary>Adds a message and gives it a packet identifier. Callers hold the client's write lock, which fixes the order.</summary>
    public void Add(OutgoingMessage message)
    {
        lock (_lock)
        {
            message.PacketId = packetIds.Allocate();
            message.Node = _ordered.AddLast(message);
            _byId[message.PacketId] = message;
        }
    }

    /// <summary>PUBACK: the QoS 1 message is done. Null when the identifier is unknown or not a QoS 1 message.</summary>
    public OutgoingMessage? OnPubAck(ushort id) => Complete(id, OutgoingStage.AwaitingPubAck);

    /// <summary>PUBCOMP: the QoS 2 message is done.</summary>
    public OutgoingMessage? OnPubComp(ushort id) => Complete(id, OutgoingStage.AwaitingPubComp);

    /// <summary>PUBREC: the broker has the QoS 2 message; from now on PUBREL is what gets re-sent.</summary>
    public OutgoingMessage? OnPubRec(ushort id)
    {
        lock (_lock)
        {
            if (_byId.TryGetValue(id, out var message) && message.Stage != OutgoingStage.AwaitingPubAck)
            {
                message.Stage = OutgoingStage.AwaitingPubComp;
                // The payload is no longer needed: only PUBREL may be re-sent now, so the caller's memory is released.
                message.Payload = ReadOnlyMemory<byte>.Empty;
                return message;
            }
            return null;
        }
    }

    /// <summary>Unacknowledged messages in first-send order, for re-sending after a reconnect.</summary>
    public List<OutgoingMessage> Snapshot()
    {
        lock (_lock)
        {
            return [.. _ordered];
        }
    }

    /// <summary>Fails every pending publish (the client is closing or gave up) and empties the session.</summary>
    public void FailAll(Exception reason)
    {
        List<OutgoingMessage> failed;
        lock (_lock)
        {
            failed = [.. _ordered];
            _ordered.Clear();
            _byId.Clear();
        }
        foreach (var message in failed)
        {
            packetIds.Release(message.PacketId);
            message.Completion.TrySetException(reason);
        }
    }

    private OutgoingMessage? Complete(ushort id, OutgoingStage expected)
    {
        OutgoingMessage? message;
        lock (_lock)
        {
            if (!_byId.TryGetValue(id, out message) || message.Stage != expected)
            {
                return null;
            }
            _byId.Remove(id);
            _ordered.Remove(message.Node!);
            message.Node = null;
        }
        packetIds.Release(id);
        Window.Release();
        message.Completion.TrySetResult();
        return message;
    }
}
