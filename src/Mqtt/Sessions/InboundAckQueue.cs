using OneMap.Mqtt.Client;
using OneMap.Mqtt.Packets;

namespace OneMap.Mqtt.Sessions;

/// <summary>A response packet waiting to be written: PUBACK, PUBREC, PUBREL or PUBCOMP with its identifier.</summary>
internal readonly record struct PendingAck(PacketType Type, ushort PacketId);

/// <summary>
/// Turns the application's acknowledgements into PUBACK/PUBREC packets in the order the PUBLISHes arrived, as
/// MQTT-4.6.0-2/3 require: an acknowledgement waits until every earlier message on the connection is acknowledged too.
/// One queue per network connection; when the connection ends the queue closes, and acknowledging a message it
/// delivered does nothing (the broker re-sends the message on the next connection of a persistent session).
/// </summary>
internal sealed class InboundAckQueue
{
    private readonly Lock _lock = new();
    private readonly Queue<MqttMessage> _awaiting = new();
    private List<PendingAck> _ready = [];
    private List<PendingAck> _spare = [];
    private TaskCompletionSource? _waiter;
    private bool _closed;

    /// <summary>Messages delivered on this connection whose acknowledgement has not been sent yet.</summary>
    public int Unacknowledged
    {
        get
        {
            lock (_lock)
            {
                return _awaiting.Count;
            }
        }
    }

    public bool IsClosed
    {
        get
        {
            lock (_lock)
            {
                return _closed;
            }
        }
    }

    /// <summary>Registers a QoS 1/2 message at arrival, before the application can see it.</summary>
    public void Track(MqttMessage message)
    {
        lock (_lock)
        {
            if (!_closed)
            {
                _awaiting.Enqueue(message);
            }
        }
    }

    /// <summary>
    /// Marks the message acknowledged and releases every acknowledgement now at the head of the arrival order.
    /// False when the connection that delivered it is gone.
    /// </summary>
    public bool Acknowledge(MqttMessage message)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }
            if (message.AcknowledgedFlag)
            {
                return true;
            }
            message.AcknowledgedFlag = true;
            var released = false;
            while (_awaiting.TryPeek(out var head) && head.AcknowledgedFlag)
            {
                _awaiting.Dequeue();
                var type = head.QualityOfService == MqttQualityOfService.AtLeastOnce ? PacketType.PubAck : PacketType.PubRec;
                _ready.Add(new PendingAck(type, head.PacketId));
                released = true;
            }
            if (released)
            {
                Wake();
            }
            return true;
        }
    }

    /// <summary>Queues a protocol response that is not the application's to decide (PUBREL, PUBCOMP).</summary>
    public void EnqueueResponse(PacketType type, ushort packetId)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }
            _ready.Add(new PendingAck(type, packetId));
            Wake();
        }
    }

    /// <summary>Waits for responses to write and takes them all; null once the queue is closed.</summary>
    public async ValueTask<List<PendingAck>?> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_ready.Count > 0)
                {
                    var taken = _ready;
                    _ready = _spare;
                    _spare = [];
                    return taken;
                }
                if (_closed)
                {
                    return null;
                }
                _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _waiter.Task;
            }
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Hands back a list from <see cref="TakeAsync"/> once written, so steady acking allocates nothing.</summary>
    public void Recycle(List<PendingAck> written)
    {
        written.Clear();
        lock (_lock)
        {
            _spare = written;
        }
    }

    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            _awaiting.Clear();
            _ready.Clear();
            Wake();
        }
    }

    private void Wake()
    {
        var waiter = _waiter;
        _waiter = null;
        waiter?.TrySetResult();
    }
}
