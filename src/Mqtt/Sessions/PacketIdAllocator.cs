namespace OneMap.Mqtt.Sessions;

/// <summary>
/// Hands out packet identifiers 1–65535 not currently in use (§2.3.1: an identifier is reused only after its
/// acknowledgement). One allocator per client covers PUBLISH QoS &gt; 0, SUBSCRIBE and UNSUBSCRIBE.
/// </summary>
internal sealed class PacketIdAllocator
{
    private readonly Lock _lock = new();
    private readonly ulong[] _inUse = new ulong[65536 / 64];
    private int _next = 1;
    private int _count;

    public int InUse
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>Allocates the next free identifier after the last one handed out (round robin keeps reuse rare).</summary>
    public ushort Allocate()
    {
        lock (_lock)
        {
            if (_count >= ushort.MaxValue)
            {
                throw new InvalidOperationException("all 65,535 MQTT packet identifiers are in use");
            }
            while (true)
            {
                var candidate = _next;
                _next = _next == ushort.MaxValue ? 1 : _next + 1;
                if (!IsSet(candidate))
                {
                    Set(candidate, true);
                    _count++;
                    return (ushort)candidate;
                }
            }
        }
    }

    /// <summary>Marks an identifier taken (a session carried over from an earlier connection still owns it).</summary>
    public void Reserve(ushort id)
    {
        lock (_lock)
        {
            if (!IsSet(id))
            {
                Set(id, true);
                _count++;
            }
        }
    }

    public void Release(ushort id)
    {
        lock (_lock)
        {
            if (IsSet(id))
            {
                Set(id, false);
                _count--;
            }
        }
    }

    private bool IsSet(int id) => (_inUse[id >> 6] & (1UL << (id & 63))) != 0;

    private void Set(int id, bool value)
    {
        if (value)
        {
            _inUse[id >> 6] |= 1UL << (id & 63);
        }
        else
        {
            _inUse[id >> 6] &= ~(1UL << (id & 63));
        }
    }
}
