using System.Globalization;
using System.Text;
using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Types;

/// <summary>
/// Numbers written the way JSON and JavaScript clients write them (shortest round-trip digits, exponent only below
/// 1e-6 or from 1e21), so a Float prints as <c>1</c> not <c>1.0</c> and default values read the same everywhere.
/// </summary>
public static class JsNumber
{
    public static string Format(double value)
    {
        if (value == 0)
        {
            return "0";
        }
        if (!double.IsFinite(value))
        {
            return double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
        }
        var text = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = text.IndexOfAny(['E', 'e']);
        var mantissa = exponentAt < 0 ? text : text[..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(text[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        var integerDigits = point < 0 ? mantissa.Length : point;
        // Normalise to digits d1..dk with the value 0.d1..dk × 10^n.
        var leadingZeros = 0;
        while (leadingZeros < digits.Length - 1 && digits[leadingZeros] == '0')
        {
            leadingZeros++;
        }
        digits = digits[leadingZeros..].TrimEnd('0');
        if (digits.Length == 0)
        {
            digits = "0";
        }
        var n = integerDigits - leadingZeros + exponent;
        var k = digits.Length;
        var result = new StringBuilder();
        if (value < 0)
        {
            result.Append('-');
        }
        if (k <= n && n <= 21)
        {
            result.Append(digits).Append('0', n - k);
        }
        else if (n is > 0 and <= 21)
        {
            result.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (n is > -6 and <= 0)
        {
            result.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            result.Append(digits[0]);
            if (k > 1)
            {
                result.Append('.').Append(digits, 1, k - 1);
            }
            result.Append('e').Append(n - 1 >= 0 ? "+" : "-").Append(Math.Abs(n - 1).ToString(CultureInfo.InvariantCulture));
        }
        return result.ToString();
    }

    /// <summary>Parses a numeric string the way JavaScript's <c>Number(text)</c> does for decimal text.</summary>
    public static bool TryParse(string text, out double value)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            value = 0;
            return false;
        }
        return double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>A literal for a number: an Int literal when it prints without a fraction or exponent.</summary>
    public static ValueNode ToLiteral(double value)
    {
        var text = Format(value);
        var isInteger = text.AsSpan().TrimStart('-').IndexOfAnyExcept("0123456789") < 0;
        return isInteger ? new IntValueNode(text) : new FloatValueNode(text);
    }
}
