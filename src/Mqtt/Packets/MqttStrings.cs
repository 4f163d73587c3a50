using System.Text;

namespace OneMap.Mqtt.Packets;

/// <summary>
/// UTF-8 encoded strings as MQTT defines them (§1.5.3): well-formed UTF-8 with no surrogate code points and no
/// U+0000, at most 65,535 bytes, prefixed by a two-byte length.
/// </summary>
internal static class MqttStrings
{
    public const int MaximumBytes = ushort.MaxValue;

    // Throwing fallbacks: a lone surrogate or invalid sequence is an error to report, never something to replace.
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The UTF-8 byte count of <paramref name="value"/>, validating it for sending; the error names <paramref name="what"/>.</summary>
    public static int ByteCountForSending(string value, string what, string paramName)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{what} \"{value.Replace("\0", "\\0", StringComparison.Ordinal)}\" contains U+0000, which MQTT forbids", paramName);
        }
        int count;
        try
        {
            count = Strict.GetByteCount(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"{what} \"{value}\" is not valid Unicode (lone surrogate)", paramName, e);
        }
        if (count > MaximumBytes)
        {
            throw new ArgumentException($"{what} is {count} bytes in UTF-8; MQTT allows at most {MaximumBytes}", paramName);
        }
        return count;
    }

    public static int Encode(string value, Span<byte> destination) => Strict.GetBytes(value, destination);

    /// <summary>Decodes a received string, refusing what §1.5.3 says a receiver must treat as malformed.</summary>
    public static string Decode(ReadOnlySpan<byte> utf8, string what)
    {
        if (utf8.IndexOf((byte)0) >= 0)
        {
            throw new MqttProtocolException($"malformed packet: the {what} contains U+0000");
        }
        try
        {
            return Strict.GetString(utf8);
        }
        catch (DecoderFallbackException e)
        {
            throw new MqttProtocolException($"malformed packet: the {what} is not well-formed UTF-8", e);
        }
    }
}
