using System.Globalization;
using System.Text.Json;
using OneMap.Ingest.Feeds.Formats;

namespace OneMap.Ingest.Feeds.Mapping;

/// <summary>
/// Converts field values to stored values. Each parser returns null on success and the reason on failure, phrased to
/// follow the value in a quarantine message (<c>'12,3a' is not a number</c>).
/// </summary>
public static class ValueParsers
{
    private static readonly string[] DefaultDateFormats =
        ["yyyy-MM-dd", "yyyy/M/d", "yyyy-M-d", "yyyyMMdd", "yyyy.M.d", "yyyy年M月d日"];

    private static readonly string[] LocalTimestampFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm", "yyyy/M/d H:mm:ss", "yyyy/M/d H:mm", "yyyy-M-d H:mm:ss", "yyyy-M-d H:mm",
        "yyyyMMddHHmmss", "yyyyMMddHHmm", "yyyy年M月d日 H:mm:ss", "yyyy年M月d日 H时m分s秒", "yyyy-MM-dd", "yyyy/M/d",
    ];

    private static readonly string[] OffsetTimestampFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd HH:mmK", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:sszz",
    ];

    public static string? String(in FieldValue field, out string? value)
    {
        value = field.Kind switch
        {
            FieldKind.Text => field.Text.Trim().ToString(),
            FieldKind.Json => field.Json.ValueKind switch
            {
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => field.Json.GetRawText(),
            },
            _ => null,
        };
        if (value is { Length: 0 })
        {
            value = null;
        }
        return null;
    }

    public static string? Int64(in FieldValue field, out long value)
    {
        value = 0;
        if (field.Kind == FieldKind.Json)
        {
            if (field.Json.ValueKind == JsonValueKind.Number)
            {
                if (field.Json.TryGetInt64(out value))
                {
                    return null;
                }
                var d = field.Json.GetDouble();
                return WholeNumber(d, out value) ? null : $"{field.Display()} is not a whole number";
            }
            return $"{field.Display()} is not a whole number";
        }
        var text = field.Text.Trim();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return null;
        }
        // Spreadsheet exports write integers as 12.0.
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && WholeNumber(number, out value))
        {
            return null;
        }
        return $"'{field.Display()}' is not a whole number";
    }

    public static string? Double(in FieldValue field, out double value)
    {
        value = 0;
        if (field.Kind == FieldKind.Json)
        {
            if (field.Json.ValueKind == JsonValueKind.Number && field.Json.TryGetDouble(out value) && double.IsFinite(value))
            {
                return null;
            }
            if (field.Json.ValueKind != JsonValueKind.String)
            {
                return $"{field.Display()} is not a number";
            }
        }
        var text = field.Text.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return double.IsFinite(value) ? null : $"'{field.Display()}' is not a finite number";
        }
        return $"'{field.Display()}' is not a number";
    }

    public static string? Decimal(in FieldValue field, out decimal value)
    {
        value = 0;
        if (field.Kind == FieldKind.Json)
        {
            return field.Json.ValueKind == JsonValueKind.Number && field.Json.TryGetDecimal(out value) ? null : $"{field.Display()} is not a decimal number";
        }
        return decimal.TryParse(field.Text.Trim(), NumberStyles.Number & ~NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out value)
            ? null
            : $"'{field.Display()}' is not a decimal number";
    }

    public static string? Boolean(in FieldValue field, out bool value)
    {
        value = false;
        if (field.Kind == FieldKind.Json)
        {
            switch (field.Json.ValueKind)
            {
                case JsonValueKind.True:
                    value = true;
                    return null;
                case JsonValueKind.False:
                    return null;
                case JsonValueKind.Number when field.Json.TryGetInt32(out var n) && n is 0 or 1:
                    value = n == 1;
                    return null;
                default:
                    return $"{field.Display()} is not true or false";
            }
        }
        var text = field.Text.Trim().ToString().ToLowerInvariant();
        switch (text)
        {
            case "true" or "t" or "yes" or "y" or "1" or "是" or "有" or "√":
                value = true;
                return null;
            case "false" or "f" or "no" or "n" or "0" or "否" or "无" or "×":
                return null;
            default:
                return $"'{field.Display()}' is not true or false (true/false, 1/0, yes/no, 是/否)";
        }
    }

    public static string? Date(in FieldValue field, IReadOnlyList<string> formats, TimeZoneInfo zone, out DateOnly value)
    {
        value = default;
        if (field.Kind == FieldKind.Json)
        {
            return $"{field.Display()} is not a date";
        }
        var text = field.Text.Trim();
        if (text.Length == 10 && TryIsoDate(text, out value))
        {
            return null;
        }
        var list = formats.Count > 0 ? formats : DefaultDateFormats;
        foreach (var format in list)
        {
            if (format is "iso" or "unix" or "unix_ms")
            {
                continue;
            }
            if (DateOnly.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out value))
            {
                return null;
            }
        }
        // A timestamp where a date is expected: its local date.
        if (Timestamp(field, formats, zone, out var instant) is null)
        {
            value = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
            return null;
        }
        return $"'{field.Display()}' is not a date" + (formats.Count > 0 ? $" in the format {string.Join(" or ", formats)}" : "");
    }

    /// <summary>An instant in UTC; texts without an offset are local times in <paramref name="zone"/>.</summary>
    public static string? Timestamp(in FieldValue field, IReadOnlyList<string> formats, TimeZoneInfo zone, out DateTimeOffset value)
    {
        value = default;
        var unix = formats.Contains("unix") ? 1000L : formats.Contains("unix_ms") ? 1L : 0L;
        if (field.Kind == FieldKind.Json)
        {
            if (field.Json.ValueKind == JsonValueKind.Number && unix > 0 && field.Json.TryGetDouble(out var epoch))
            {
                return FromEpoch(epoch, unix, field, out value);
            }
            if (field.Json.ValueKind != JsonValueKind.String)
            {
                return $"{field.Display()} is not a timestamp";
            }
        }
        var text = field.Text.Trim();
        if (unix > 0 && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return FromEpoch(seconds, unix, field, out value);
        }
        var custom = formats.Where(f => f is not ("iso" or "unix" or "unix_ms")).ToList();
        var iso = custom.Count == 0 || formats.Contains("iso");
        if (iso && TryIsoTimestamp(text, zone, out value))
        {
            return null;
        }
        foreach (var format in custom.Count > 0 ? custom : (IEnumerable<string>)LocalTimestampFormats)
        {
            if (format.Contains('z', StringComparison.Ordinal) || format.Contains('K', StringComparison.Ordinal))
            {
                if (DateTimeOffset.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out value))
                {
                    value = value.ToUniversalTime();
                    return null;
                }
            }
            else if (DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var local))
            {
                return FromLocal(local, zone, field, out value);
            }
        }
        if (iso)
        {
            foreach (var format in OffsetTimestampFormats)
            {
                if (DateTimeOffset.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out value))
                {
                    value = value.ToUniversalTime();
                    return null;
                }
            }
        }
        return $"'{field.Display()}' is not a timestamp" + (custom.Count > 0 ? $" in the format {string.Join(" or ", custom)}" : "");
    }

    private static string? FromEpoch(double epoch, long scale, in FieldValue field, out DateTimeOffset value)
    {
        value = default;
        var milliseconds = epoch * scale;
        if (!double.IsFinite(milliseconds) || milliseconds < -62135596800000 || milliseconds > 253402300799000)
        {
            return $"{field.Display()} is not a Unix time";
        }
        value = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(milliseconds));
        return null;
    }

    private static string? FromLocal(DateTime local, TimeZoneInfo zone, in FieldValue field, out DateTimeOffset value)
    {
        value = default;
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            return $"'{field.Display()}' does not exist in {zone.Id} (a daylight-saving gap)";
        }
        value = new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
        return null;
    }

    /// <summary><c>yyyy-MM-dd[ T]HH:mm[:ss[.f…]][Z|±hh[:mm]]</c> without allocating.</summary>
    private static bool TryIsoTimestamp(ReadOnlySpan<char> s, TimeZoneInfo zone, out DateTimeOffset value)
    {
        value = default;
        if (s.Length < 16 || !TryIsoDate(s[..10], out var date) || (s[10] != ' ' && s[10] != 'T') || s[13] != ':')
        {
            return false;
        }
        if (!Digits(s.Slice(11, 2), out var hour) || !Digits(s.Slice(14, 2), out var minute))
        {
            return false;
        }
        var i = 16;
        var second = 0;
        long ticks = 0;
        if (i < s.Length && s[i] == ':')
        {
            if (s.Length < i + 3 || !Digits(s.Slice(i + 1, 2), out second))
            {
                return false;
            }
            i += 3;
            if (i < s.Length && (s[i] == '.' || s[i] == ','))
            {
                i++;
                long scale = TimeSpan.TicksPerSecond;
                var any = false;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    scale /= 10;
                    ticks += (s[i] - '0') * scale;
                    i++;
                    any = true;
                }
                if (!any)
                {
                    return false;
                }
            }
        }
        if (hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        var local = date.ToDateTime(new TimeOnly(hour, minute, second)).AddTicks(ticks);
        if (i == s.Length)
        {
            if (zone.IsInvalidTime(local))
            {
                return false;
            }
            value = new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
            return true;
        }
        TimeSpan offset;
        if (s[i] == 'Z' && i == s.Length - 1)
        {
            offset = TimeSpan.Zero;
        }
        else if (s[i] is '+' or '-')
        {
            var rest = s[(i + 1)..];
            int oh, om = 0;
            if (rest.Length == 2 && Digits(rest, out oh))
            {
            }
            else if (rest.Length == 5 && rest[2] == ':' && Digits(rest[..2], out oh) && Digits(rest[3..], out om))
            {
            }
            else if (rest.Length == 4 && Digits(rest[..2], out oh) && Digits(rest[2..], out om))
            {
            }
            else
            {
                return false;
            }
            if (oh > 14 || om > 59)
            {
                return false;
            }
            offset = new TimeSpan(oh, om, 0);
            if (s[i] == '-')
            {
                offset = -offset;
            }
        }
        else
        {
            return false;
        }
        value = new DateTimeOffset(local, offset).ToUniversalTime();
        return true;
    }

    private static bool TryIsoDate(ReadOnlySpan<char> s, out DateOnly date)
    {
        date = default;
        if (s.Length != 10 || s[4] != '-' || s[7] != '-' || !Digits(s[..4], out var year) || !Digits(s.Slice(5, 2), out var month) || !Digits(s.Slice(8, 2), out var day))
        {
            return false;
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }
        date = new DateOnly(year, month, day);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return s.Length > 0;
    }

    private static bool WholeNumber(double d, out long value)
    {
        value = 0;
        if (!double.IsFinite(d) || Math.Floor(d) != d || d < long.MinValue || d > long.MaxValue)
        {
            return false;
        }
        value = (long)d;
        return true;
    }
}
