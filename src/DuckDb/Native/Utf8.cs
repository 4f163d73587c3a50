using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace OneMap.DuckDb.Native;

/// <summary>UTF-8 text to and from the C API without a managed allocation per call where it matters.</summary>
internal static unsafe class Utf8
{
    /// <summary>Reads a NUL-terminated UTF-8 string owned by DuckDB (not freed).</summary>
    public static string? FromPointer(IntPtr text) => text == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(text);

    /// <summary>Reads a NUL-terminated UTF-8 string that the caller must free with <c>duckdb_free</c>, and frees it.</summary>
    public static string? FromOwnedPointer(IntPtr text)
    {
        if (text == IntPtr.Zero)
        {
            return null;
        }
        try
        {
            return Marshal.PtrToStringUTF8(text);
        }
        finally
        {
            NativeMethods.Free(text);
        }
    }

    public static string Decode(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    /// <summary>
    /// A NUL-terminated UTF-8 copy of a string in pooled memory; dispose to return it.
    /// .NET's encoder replaces lone surrogates, so the bytes are always valid UTF-8.
    /// </summary>
    public ref struct Buffer
    {
        private byte[]? _rented;
        private readonly int _length;

        public Buffer(string text)
        {
            var max = Encoding.UTF8.GetMaxByteCount(text.Length) + 1;
            _rented = ArrayPool<byte>.Shared.Rent(max);
            _length = Encoding.UTF8.GetBytes(text, _rented);
            _rented[_length] = 0;
        }

        public readonly int Length => _length;

        public readonly ReadOnlySpan<byte> Span => _rented.AsSpan(0, _length);

        /// <summary>Pins nothing: the array is rented for the buffer's lifetime, so callers pin it with <c>fixed</c>.</summary>
        public readonly ref byte GetPinnableReference() => ref MemoryMarshal.GetArrayDataReference(_rented!);

        public void Dispose()
        {
            if (_rented is not null)
            {
                ArrayPool<byte>.Shared.Return(_rented);
                _rented = null;
            }
        }
    }

    /// <summary>Encodes into <paramref name="scratch"/> when it fits, else into a rented array; returns the byte count.</summary>
    public static int Encode(string text, ref byte[]? scratch)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length) + 1;
        if (scratch is null || scratch.Length < max)
        {
            scratch = new byte[Math.Max(max, 256)];
        }
        var length = Encoding.UTF8.GetBytes(text, scratch);
        scratch[length] = 0;
        return length;
    }
}
