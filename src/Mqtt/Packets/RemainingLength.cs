using System.Buffers;

namespace OneMap.Mqtt.Packets;

/// <summary>
/// The fixed header's Remaining Length (§2.2.3): seven bits per byte, least significant group first, the high bit
/// saying another byte follows; at most four bytes, so at most 268,435,455.
/// </summary>
internal static class RemainingLength
{
    public const int Maximum = 268_435_455;

    public static int EncodedSize(int value) => value switch
    {
        < 0 => throw new ArgumentOutOfRangeException(nameof(value), value, "remaining length cannot be negative"),
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        <= Maximum => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, $"remaining length exceeds the MQTT maximum of {Maximum}"),
    };

    /// <summary>Writes <paramref name="value"/> and returns the number of bytes written.</summary>
    public static int Write(Span<byte> destination, int value)
    {
        var size = EncodedSize(value);
        for (var i = 0; i < size; i++)
        {
            var digit = (byte)(value & 0x7F);
            value >>= 7;
            destination[i] = i < size - 1 ? (byte)(digit | 0x80) : digit;
        }
        return size;
    }

    /// <summary>
    /// Reads a Remaining Length starting at <paramref name="reader"/>. Returns false when the bytes are not all there
    /// yet; throws <see cref="MqttProtocolException"/> when a fourth byte still says "more follows".
    /// </summary>
    public static bool TryRead(ref SequenceReader<byte> reader, out int value)
    {
        value = 0;
        for (var i = 0; i < 4; i++)
        {
            if (!reader.TryRead(out var encoded))
            {
                return false;
            }
            value |= (encoded & 0x7F) << (7 * i);
            if ((encoded & 0x80) == 0)
            {
                return true;
            }
        }
        throw new MqttProtocolException("malformed packet: the Remaining Length field is longer than 4 bytes");
    }
}
