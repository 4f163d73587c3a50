using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace OneMap.Ingest.Privacy;

/// <summary>
/// Keeps personal data (names, phone numbers, ID card numbers) out of the lake in clear text: values are stored masked
/// for display (<c>张**</c>, <c>138****5678</c>, <c>350302********1234</c>) and as a salted hash (HMAC-SHA256 with a
/// configured secret) so repeat callers can be counted without anyone being able to recover who they are.
/// </summary>
public sealed partial class PersonalData
{
    private readonly byte[] key;

    /// <param name="secret">The HMAC key (at least 16 bytes of UTF-8); the same key must be used everywhere repeats are counted.</param>
    public PersonalData(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        key = Encoding.UTF8.GetBytes(secret);
        if (key.Length < 16)
        {
            throw new ArgumentException("the personal-data key must be at least 16 bytes (Ingest:PersonalDataKey)", nameof(secret));
        }
    }

    /// <summary>The salted hash of a value (after normalising phones and IDs), 32 hex digits; null for null.</summary>
    public string? Hash(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var normalized = Normalize(value);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(normalized), mac);
        return Convert.ToHexStringLower(mac[..16]);
    }

    /// <summary>A display form that hides the value: phones and IDs keep their ends, names their first character.</summary>
    public static string? Mask(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var trimmed = value.Trim();
        if (IdNumber().IsMatch(trimmed))
        {
            return trimmed[..6] + new string('*', trimmed.Length - 10) + trimmed[^4..];
        }
        var digits = trimmed.Count(char.IsAsciiDigit);
        if (digits >= 7 && digits >= trimmed.Length * 0.6)
        {
            return MaskPhone(trimmed);
        }
        // A name: keep the family name (first character), hide the rest.
        var text = new StringInfoEnumerator(trimmed);
        return text.First + new string('*', Math.Max(1, text.Count - 1));
    }

    /// <summary>Replaces mobile numbers and ID card numbers inside free text (descriptions, notes) by their masks.</summary>
    public static string? Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }
        text = IdNumberInText().Replace(text, m => Mask(m.Value)!);
        return MobileInText().Replace(text, m => MaskPhone(m.Value));
    }

    private static string MaskPhone(string phone)
    {
        // Keep the first three and last four digits (the usual Chinese display: 138****5678); other characters stay.
        var digitPositions = phone.Select((c, i) => (c, i)).Where(p => char.IsAsciiDigit(p.c)).Select(p => p.i).ToList();
        var keepFront = digitPositions.Count >= 11 ? 3 : 0;
        var chars = phone.ToCharArray();
        for (var k = keepFront; k < digitPositions.Count - 4; k++)
        {
            chars[digitPositions[k]] = '*';
        }
        return new string(chars);
    }

    private static string Normalize(string value)
    {
        var trimmed = value.Trim();
        if (IdNumber().IsMatch(trimmed))
        {
            return "id:" + trimmed.ToUpperInvariant();
        }
        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length >= 7 && digits.Length >= trimmed.Length * 0.6)
        {
            // +86 / 0086 prefixes name the same phone.
            if (digits.Length == 13 && digits.StartsWith("86", StringComparison.Ordinal))
            {
                digits = digits[2..];
            }
            else if (digits.Length == 15 && digits.StartsWith("0086", StringComparison.Ordinal))
            {
                digits = digits[4..];
            }
            return "tel:" + digits;
        }
        return "name:" + trimmed.Normalize(NormalizationForm.FormKC);
    }

    [GeneratedRegex(@"^\d{17}[\dXx]$")]
    private static partial Regex IdNumber();

    [GeneratedRegex(@"(?<!\d)\d{17}[\dXx](?![\dXx])")]
    private static partial Regex IdNumberInText();

    [GeneratedRegex(@"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")]
    private static partial Regex MobileInText();

    /// <summary>Text elements (so a name written with a surrogate pair keeps its first character whole).</summary>
    private readonly struct StringInfoEnumerator
    {
        public StringInfoEnumerator(string text)
        {
            var info = new System.Globalization.StringInfo(text);
            Count = info.LengthInTextElements;
            First = info.SubstringByTextElements(0, 1);
        }

        public int Count { get; }

        public string First { get; }
    }
}
