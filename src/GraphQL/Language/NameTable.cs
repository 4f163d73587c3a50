namespace OneMap.GraphQL.Language;

/// <summary>
/// Shares the strings of names that documents repeat (field and type names), so parsing a query the service has seen
/// before allocates no new name strings. Bounded: names beyond its capacity are allocated as usual.
/// </summary>
internal static class NameTable
{
    private const int Buckets = 4096;
    private static readonly string?[] Table = new string?[Buckets];

    public static string Get(string body, int start, int length)
    {
        var span = body.AsSpan(start, length);
        var hash = string.GetHashCode(span) & (Buckets - 1);
        var existing = Volatile.Read(ref Table[hash]);
        if (existing is not null && span.SequenceEqual(existing))
        {
            return existing;
        }
        var name = new string(span);
        if (length <= 64)
        {
            Volatile.Write(ref Table[hash], name);
        }
        return name;
    }
}
