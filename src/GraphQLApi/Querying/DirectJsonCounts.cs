namespace OneMap.GraphQLApi.Querying;

/// <summary>
/// How often large results were written straight from DuckDB's chunks, and how often a value sent one back to the
/// general path (a value the engine reports as an error, such as a NaN average): for operators and tests.
/// </summary>
public sealed class DirectJsonCounts
{
    private long written;
    private long fellBack;

    /// <summary>Results written directly.</summary>
    public long Written => Interlocked.Read(ref written);

    /// <summary>Results that started directly and were written again by the general path.</summary>
    public long FellBack => Interlocked.Read(ref fellBack);

    internal void CountWritten() => Interlocked.Increment(ref written);

    internal void CountFellBack() => Interlocked.Increment(ref fellBack);
}
