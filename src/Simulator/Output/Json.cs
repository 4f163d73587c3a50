using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OneMap.Simulator.Output;

/// <summary>JSON writing the way the sample's sources write it: Chinese characters as they are, invariant numbers.</summary>
public static class Json
{
    public static JsonWriterOptions Compact { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonWriterOptions Indented { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    /// <summary>Writes a document with <paramref name="write"/> and returns its UTF-8 bytes (with a final newline).</summary>
    public static byte[] Document(Action<Utf8JsonWriter> write, bool indented = true)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, indented ? Indented : Compact))
        {
            write(writer);
        }
        return [.. buffer.WrittenSpan, (byte)'\n'];
    }

    /// <summary>A number with a fixed count of decimals, trailing zeros dropped (e.g. 7.8, 0.125, 12).</summary>
    public static void Number(Utf8JsonWriter writer, string name, double value, int decimals)
    {
        writer.WritePropertyName(name);
        writer.WriteRawValue(Format(value, decimals));
    }

    public static string Format(double value, int decimals) =>
        Math.Round(value, decimals, MidpointRounding.AwayFromZero).ToString(decimals switch
        {
            0 => "0",
            1 => "0.#",
            2 => "0.##",
            3 => "0.###",
            4 => "0.####",
            5 => "0.#####",
            6 => "0.######",
            _ => "0.#########",
        }, CultureInfo.InvariantCulture);

    public static void StringOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
