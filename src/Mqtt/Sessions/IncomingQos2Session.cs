namespace OneMap.Mqtt.Sessions;

/// <summary>
/// The client's half of the session state for QoS 2 messages it receives (§4.3.3, method B): identifiers of
/// messages delivered and not yet released by PUBREL, so a re-sent PUBLISH is not delivered twice.
/// </summary>
internal sealed class IncomingQos2Session
{
    private readonly Lock _lock = new();

    // Identifier → whether PUBREC has been sent for it.
    private readonly Dictionary<ushort, bool> _received = [];

    /// <summary>
    /// Without a resumed session the broker forgot everything, so the client does too. With one, messages whose
    /// PUBREC never went out are forgotten: the broker re-sends them and they must be delivered again.
    /// </summary>
    public void OnNewConnection(bool sessionPresent)
    {
        lock (_lock)
        {
            if (!sessionPresent)
            {
                _received.Clear();
                return;
            }
            foreach (var id in _received.Where(entry => !entry.Value).Select(entry => entry.Key).ToList())
            {
                _received.Remove(id);
            }
        }
    }

    /// <summary>True for a new message; false for a re-sent one, with whether its PUBREC was already sent.</summary>
    public bool TryRegister(ushort packetId, out bool pubRecSent)
    {
        lock (_lock)
        {
            if (_received.TryGetValue(packetId, out pubRecSent))
            {
                return false;
            }
            _received[packetId] = false;
            return true;
        }
    }

    public void MarkPubRecSent(ushort packetId)
    {
        lock (_lock)
        {
            if (_received.ContainsKey(packetId))
            {
                _received[packetId] = true;
            }
        }
    }

    public void Release(ushort packetId)
    {
        lock (_lock)
        {
            _received.Remove(packetId);
        }
    }
}
