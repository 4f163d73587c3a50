namespace OneMap.Models.Industry;

/// <summary>
/// The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters — registration authority, entity
/// type, 6-digit administrative division, the 9-character organization code (GB 11714, with its own check character)
/// and a final check character.
/// </summary>
public static class CreditCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    private static readonly int[] OrganizationWeights = [3, 7, 9, 10, 5, 8, 4, 2];

    /// <summary>Whether <paramref name="code"/> is 18 characters from the GB 32100 alphabet with both check characters right.</summary>
    public static bool IsValid(string? code)
    {
        if (code is null || code.Length != 18 || code.Any(c => !Alphabet.Contains(c, StringComparison.Ordinal)))
        {
            return false;
        }
        return code[17] == CheckCharacter(code[..17]) && code[16] == OrganizationCheckCharacter(code.Substring(8, 8));
    }

    /// <summary>The GB 32100 check character for the first 17 characters.</summary>
    public static char CheckCharacter(string first17)
    {
        ArgumentNullException.ThrowIfNull(first17);
        if (first17.Length != 17)
        {
            throw new ArgumentOutOfRangeException(nameof(first17), first17, "the check character covers exactly 17 characters");
        }
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var value = Alphabet.IndexOf(first17[i], StringComparison.Ordinal);
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(first17), first17, $"'{first17[i]}' is not in the GB 32100 alphabet");
            }
            sum += value * Weights[i];
        }
        var check = 31 - sum % 31;
        return Alphabet[check == 31 ? 0 : check];
    }

    /// <summary>The GB 11714 check character of an 8-character organization code body (digits and capital letters).</summary>
    public static char OrganizationCheckCharacter(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length != 8)
        {
            throw new ArgumentOutOfRangeException(nameof(body), body, "an organization code body has 8 characters");
        }
        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            var c = body[i];
            var value = c is >= '0' and <= '9' ? c - '0' : c is >= 'A' and <= 'Z' ? c - 'A' + 10 : -1;
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(body), body, $"'{c}' is not a digit or capital letter");
            }
            sum += value * OrganizationWeights[i];
        }
        var check = 11 - sum % 11;
        return check switch { 10 => 'X', 11 => '0', _ => (char)('0' + check) };
    }
}
