using System.Buffers.Text;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

using OneMap.GraphQL.Execution;

namespace OneMap.GraphQLApi.Querying;

/// <summary>
/// JSON text written by hand: structure as fixed bytes, values either by the fast paths of <see cref="ColumnJson"/>
/// or through a <see cref="Utf8JsonWriter"/> with the response writer's options (so every value that is not plain
/// is escaped and formatted exactly as the general path writes it).
/// </summary>
internal sealed class JsonText : IBufferWriter<byte>, IDisposable
{
    private static readonly System.Text.Encodings.Web.JavaScriptEncoder Encoder = ResultJsonWriter.WriterOptions.Encoder!;

    private byte[] buffer;
    private int length;
    private Utf8JsonWriter? writer;

    public JsonText(int capacity = 64 * 1024)
    {
        buffer = ArrayPool<byte>.Shared.Rent(capacity);
    }

    public int Length => length;

    public ReadOnlyMemory<byte> Written => buffer.AsMemory(0, length);

    // Optimized from the first call (no tier-0 code): a fresh server's first large answers run these per-value loops
    // tens of thousands of times, where unoptimized code is several times slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Raw(ReadOnlySpan<byte> bytes)
    {
        if (buffer.Length - length < bytes.Length)
        {
            Grow(bytes.Length);
        }
        bytes.CopyTo(buffer.AsSpan(length));
        length += bytes.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Raw(byte value)
    {
        if (length == buffer.Length)
        {
            Grow(1);
        }
        buffer[length++] = value;
    }

    public void Null() => Raw("null"u8);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Integer(long value)
    {
        if (buffer.Length - length < 20)
        {
            Grow(20);
        }
        Utf8Formatter.TryFormat(value, buffer.AsSpan(length), out var written);
        length += written;
    }

    /// <summary>
    /// Writes UTF-8 text as a JSON string, copied as it is, when the response writer's encoder would leave every
    /// character as it is (its own test, so Chinese text is copied too); false, with nothing written, when the text
    /// needs escaping (the caller writes it through the JSON writer).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryPlainText(ReadOnlySpan<byte> utf8)
    {
        if (Encoder.FindFirstCharacterToEncodeUtf8(utf8) >= 0)
        {
            return false;
        }
        if (buffer.Length - length < utf8.Length + 2)
        {
            Grow(utf8.Length + 2);
        }
        buffer[length++] = (byte)'"';
        utf8.CopyTo(buffer.AsSpan(length));
        length += utf8.Length;
        buffer[length++] = (byte)'"';
        return true;
    }

    /// <summary>A number as the JSON writer writes a double (shortest round trip).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Number(double value)
    {
        // Utf8JsonWriter.WriteNumberValue(double) formats with this very call (shortest round-trip text).
        if (buffer.Length - length < 32)
        {
            Grow(32);
        }
        Utf8Formatter.TryFormat(value, buffer.AsSpan(length), out var written);
        length += written;
    }

    /// <summary>A value written by <paramref name="write"/> (the response writer's or the feature writer's value writer).</summary>
    public void Value(Action<Utf8JsonWriter, object?> write, object? value)
    {
        var json = Writer();
        write(json, value);
        json.Flush();
    }

    /// <summary>The bytes a value writes, for caching a repeated value's text.</summary>
    public byte[] Capture(Action<Utf8JsonWriter, object?> write, object? value)
    {
        var start = length;
        Value(write, value);
        var bytes = buffer.AsSpan(start, length - start).ToArray();
        length = start;
        return bytes;
    }

    public void Advance(int count) => length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        if (buffer.Length - length < Math.Max(sizeHint, 1))
        {
            Grow(Math.Max(sizeHint, 256));
        }
        return buffer.AsMemory(length);
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public void Dispose() => writer?.Dispose();

    private Utf8JsonWriter Writer()
    {
        if (writer is null)
        {
            writer = new Utf8JsonWriter(this, ResultJsonWriter.WriterOptions);
        }
        else
        {
            // A fresh top-level value each time: no separator before it, no state from the last one.
            writer.Reset(this);
        }
        return writer;
    }

    // Buffers outgrown are handed back to the shared pool (a large result outgrows several, megabytes each); the last
    // one stays with the text written, which the response holds until it is sent.
    private void Grow(int needed)
    {
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, length + needed));
        buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = larger;
    }
}
