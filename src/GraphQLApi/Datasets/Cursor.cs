using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace OneMap.GraphQLApi.Datasets;

/// <summary>
/// A Relay cursor: the table version the page was read from and the row's position in the ordered result. Paging
/// on with a cursor reads the same version, so pages never skip or repeat rows while new data is committed.
/// </summary>
public readonly record struct Cursor(long Version, long Offset)
{
    public override string ToString() =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"v{Version}:{Offset}")));

    public static Cursor Parse(string text, string argument)
    {
        try
        {
            var plain = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(text));
            var colon = plain.IndexOf(':', StringComparison.Ordinal);
            if (plain.StartsWith('v') && colon > 1
                && long.TryParse(plain.AsSpan(1, colon - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                && long.TryParse(plain.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                return new Cursor(version, offset);
            }
        }
        catch (FormatException)
        {
        }
        throw new ApiArgumentException(argument, "is not a cursor this API gave out");
    }
}
