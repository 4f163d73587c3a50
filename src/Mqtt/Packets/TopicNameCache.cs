namespace OneMap.Mqtt.Packets;

/// <summary>
/// Remembers recently decoded topic names so a stream of PUBLISHes on a few thousand sensor topics does not allocate
/// a new string per message. Direct-mapped and unsynchronised: one receive loop owns it.
/// </summary>
internal sealed class TopicNameCache
{
    private const int Slots = 1024;
    private const int MaximumCachedBytes = 256;

    private readonly Entry?[] _entries = new Entry?[Slots];

    public string GetOrDecode(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaximumCachedBytes)
        {
            return MqttStrings.Decode(utf8, "PUBLISH topic name");
        }
        var hash = new HashCode();
        hash.AddBytes(utf8);
        var slot = hash.ToHashCode() & (Slots - 1);
        var entry = _entries[slot];
        if (entry is not null && utf8.SequenceEqual(entry.Utf8))
        {
            return entry.Value;
        }
        var value = MqttStrings.Decode(utf8, "PUBLISH topic name");
        _entries[slot] = new Entry(utf8.ToArray(), value);
        return value;
    }

    private sealed record Entry(byte[] Utf8, string Value);
}
