using System.Buffers.Binary;

using OneMap.DuckDb.Native;

namespace OneMap.DuckDb.Types;

/// <summary>Conversions between DuckDB's value encodings and .NET values (epochs, units, UUID order, decimals).</summary>
internal static class DuckDbValues
{
    public const long UnixEpochTicks = 621_355_968_000_000_000;
    public const int UnixEpochDayNumber = 719_162; // DateOnly.DayNumber of 1970-01-01
    public const long InfinityMicros = long.MaxValue;
    public const long NegativeInfinityMicros = -long.MaxValue;

    public static DateOnly DateFromDays(int days) => days switch
    {
        int.MaxValue => DateOnly.MaxValue, // 'infinity'
        -int.MaxValue => DateOnly.MinValue, // '-infinity'
        _ => DateOnly.FromDayNumber(checked(days + UnixEpochDayNumber)),
    };

    public static int DaysFromDate(DateOnly date) => date.DayNumber - UnixEpochDayNumber;

    public static int DaysFromDateTime(DateTime value) => (int)(value.Date.Ticks / TimeSpan.TicksPerDay) - UnixEpochDayNumber;

    public static DateTime DateTimeFromMicros(long micros, DateTimeKind kind = DateTimeKind.Unspecified) => micros switch
    {
        InfinityMicros => DateTime.MaxValue,
        NegativeInfinityMicros => DateTime.MinValue,
        _ => new DateTime(checked((micros * 10) + UnixEpochTicks), kind),
    };

    public static long MicrosFromDateTime(DateTime value) =>
        value == DateTime.MaxValue ? InfinityMicros
        : value == DateTime.MinValue ? NegativeInfinityMicros
        : (value.Ticks - UnixEpochTicks) / 10;

    /// <summary>TIMESTAMP WITH TIME ZONE holds the UTC instant.</summary>
    public static long MicrosFromDateTimeOffset(DateTimeOffset value) => MicrosFromDateTime(value.UtcDateTime);

    /// <summary>A DateTime written to TIMESTAMPTZ: UTC and unspecified kinds are taken as UTC, local ones converted.</summary>
    public static long UtcMicrosFromDateTime(DateTime value) =>
        MicrosFromDateTime(value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value);

    public static DateTimeOffset DateTimeOffsetFromMicros(long micros) => micros switch
    {
        InfinityMicros => DateTimeOffset.MaxValue,
        NegativeInfinityMicros => DateTimeOffset.MinValue,
        _ => new DateTimeOffset(checked((micros * 10) + UnixEpochTicks), TimeSpan.Zero),
    };

    public static TimeOnly TimeFromMicros(long micros) =>
        micros >= TimeSpan.TicksPerDay / 10 ? TimeOnly.MaxValue : new TimeOnly(micros * 10); // TIME '24:00:00' exists in DuckDB

    public static long MicrosFromTime(TimeOnly time) => time.Ticks / 10;

    public static DuckDbTimeTz TimeTzFromBits(ulong bits)
    {
        var parts = NativeMethods.FromTimeTz(bits);
        var time = new TimeOnly(parts.Time.Hour, parts.Time.Min, parts.Time.Sec).Add(TimeSpan.FromTicks(parts.Time.Micros * 10L));
        return new DuckDbTimeTz(time, TimeSpan.FromSeconds(parts.Offset));
    }

    /// <summary>DuckDB keeps a UUID as a HUGEINT whose top bit is flipped (so that signed order is UUID order).</summary>
    public static Guid GuidFromHugeInt(Int128 value)
    {
        Span<byte> bytes = stackalloc byte[16];
        var flipped = (UInt128)value ^ ((UInt128)1 << 127);
        BinaryPrimitives.WriteUInt128BigEndian(bytes, flipped);
        return new Guid(bytes, bigEndian: true);
    }

    public static Int128 HugeIntFromGuid(Guid value)
    {
        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        return (Int128)(BinaryPrimitives.ReadUInt128BigEndian(bytes) ^ ((UInt128)1 << 127));
    }

    public static DuckDbUHugeInt UHugeIntFromGuid(Guid value)
    {
        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        var natural = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return new DuckDbUHugeInt { Lower = (ulong)natural, Upper = (ulong)(natural >> 64) };
    }

    private static readonly Int128[] PowersOfTen = CreatePowers();

    private static Int128[] CreatePowers()
    {
        var powers = new Int128[39];
        powers[0] = 1;
        for (var i = 1; i < powers.Length; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }
        return powers;
    }

    public static Int128 PowerOfTen(int exponent) => PowersOfTen[exponent];

    /// <summary>A DECIMAL's unscaled integer to .NET decimal; throws when it exceeds decimal's 28–29 digits.</summary>
    public static decimal DecimalFromUnscaled(Int128 unscaled, int scale)
    {
        var negative = unscaled < 0;
        var magnitude = (UInt128)(negative ? -unscaled : unscaled);
        // decimal holds a 96-bit mantissa with a scale up to 28; shed digits (rounding) if the scale is larger.
        while (scale > 28 || magnitude >> 96 != 0)
        {
            if (scale == 0)
            {
                throw new OverflowException($"the DECIMAL value {(negative ? "-" : "")}{magnitude} does not fit a .NET decimal");
            }
            var remainder = magnitude % 10;
            magnitude /= 10;
            if (remainder >= 5)
            {
                magnitude++;
            }
            scale--;
        }
        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), (int)(uint)(magnitude >> 64), negative, (byte)scale);
    }

    /// <summary>A .NET decimal as the unscaled integer of DECIMAL(width, scale), rounding half away from zero.</summary>
    public static Int128 UnscaledFromDecimal(decimal value, int width, int scale)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var mantissa = (Int128)(((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0]);
        var valueScale = (bits[3] >> 16) & 0xFF;
        if (valueScale < scale)
        {
            mantissa *= PowersOfTen[scale - valueScale];
        }
        else if (valueScale > scale)
        {
            var divisor = PowersOfTen[valueScale - scale];
            var quotient = mantissa / divisor;
            if ((mantissa % divisor) * 2 >= divisor)
            {
                quotient++;
            }
            mantissa = quotient;
        }
        if (mantissa >= PowersOfTen[width])
        {
            throw new OverflowException($"{value} does not fit DECIMAL({width},{scale})");
        }
        return bits[3] < 0 ? -mantissa : mantissa;
    }

    /// <summary>The narrowest DECIMAL that holds a .NET decimal exactly (for binding parameters).</summary>
    public static (byte Width, byte Scale, Int128 Unscaled) DecimalParameter(decimal value)
    {
        var scale = (byte)value.Scale;
        var unscaled = UnscaledFromDecimal(value, 38, scale);
        var digits = 1;
        for (var magnitude = Int128.Abs(unscaled); magnitude >= 10; magnitude /= 10)
        {
            digits++;
        }
        var width = (byte)Math.Max(digits, scale + 1);
        return (Math.Min(width, (byte)38), scale, unscaled);
    }

    /// <summary>BIT values: the first byte counts padding bits, which sit at the top of the second byte.</summary>
    public static string BitsToString(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 1)
        {
            return "";
        }
        var padding = bytes[0];
        var total = ((bytes.Length - 1) * 8) - padding;
        return string.Create(total, (bytes.ToArray(), padding), static (span, state) =>
        {
            var (data, pad) = state;
            for (var i = 0; i < span.Length; i++)
            {
                var bit = i + pad;
                span[i] = (data[1 + (bit / 8)] & (0x80 >> (bit % 8))) != 0 ? '1' : '0';
            }
        });
    }
}
