using OneMap.DuckDb.Appending;
using OneMap.DuckDb.Types;

namespace OneMap.DuckDb.Tests;

/// <summary>Chunks built on other threads and appended whole, in order, by one appender.</summary>
public sealed class ChunkBuilderTests : IDisposable
{
    private readonly DuckDbDatabase _database = DuckDbDatabase.Open();
    private readonly DuckDbConnection _connection;

    public ChunkBuilderTests()
    {
        _connection = _database.Connect();
        _connection.Execute("CREATE TABLE readings(id BIGINT, station VARCHAR, value DOUBLE, day DATE, wkb BLOB)");
    }

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }

    private static object?[] Row(int i) =>
        [(long)i, i % 7 == 0 ? null : $"莆田木兰溪 station {i % 13} with a name longer than twelve bytes", i * 0.5,
            new DateOnly(2024, 1, 1).AddDays(i % 366), i % 5 == 0 ? null : BitConverter.GetBytes((long)i)];

    [Fact]
    public void chunks_filled_on_several_threads_land_in_the_order_they_are_appended()
    {
        const int Chunks = 12;
        using var appender = _connection.CreateAppender("readings");
        var builders = new DuckDbChunkBuilder[Chunks];
        try
        {
            // Each chunk is filled on a thread-pool thread; the last one is only partly full.
            Parallel.For(0, Chunks, c =>
            {
                builders[c] = new DuckDbChunkBuilder(appender.ColumnTypes);
                var rows = c == Chunks - 1 ? 1000 : builders[c].Capacity;
                for (var r = 0; r < rows; r++)
                {
                    builders[c].AppendRow(Row(c * 2048 + r));
                }
            });
            foreach (var builder in builders)
            {
                appender.AppendChunk(builder);
            }
            Assert.Equal(11 * 2048 + 1000, appender.RowsAppended);
        }
        finally
        {
            foreach (var builder in builders)
            {
                builder?.Dispose();
            }
        }
        appender.Close();

        var expected = Enumerable.Range(0, 11 * 2048 + 1000).Select(Row).ToList();
        var actual = _connection.Query("SELECT * FROM readings").ReadAllRows();
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i][0], actual[i][0]);
            Assert.Equal(expected[i][1], actual[i][1]);
            Assert.Equal(expected[i][2], actual[i][2]);
            Assert.Equal(expected[i][3], actual[i][3]);
            Assert.Equal((byte[]?)expected[i][4], (byte[]?)actual[i][4]);
        }
    }

    [Fact]
    public void a_reset_chunk_is_reused_and_rows_appended_between_chunks_keep_their_place()
    {
        using (var appender = _connection.CreateAppender("readings"))
        {
            using var builder = new DuckDbChunkBuilder(appender.ColumnTypes);
            builder.AppendRow(Row(1));
            builder.AppendRow(Row(2));
            appender.AppendChunk(builder);
            builder.Reset();
            Assert.Equal(0, builder.Count);
            appender.AppendRow(Row(3));
            builder.AppendRow(Row(4));
            appender.AppendChunk(builder);
            // An empty chunk appends nothing.
            builder.Reset();
            appender.AppendChunk(builder);
        }

        Assert.Equal([1L, 2L, 3L, 4L], _connection.Query("SELECT id FROM readings").ReadAllRows().Select(r => (long)r[0]!));
    }

    [Fact]
    public void a_chunk_of_other_columns_or_a_value_that_does_not_fit_is_refused_naming_it()
    {
        using var appender = _connection.CreateAppender("readings");
        using var wrong = new DuckDbChunkBuilder([DuckDbType.BigInt, DuckDbType.Varchar]);
        wrong.AppendRow([1L, "x"]);
        var mismatch = Assert.Throws<ArgumentException>(() => appender.AppendChunk(wrong));
        Assert.Contains("not readings's", mismatch.Message, StringComparison.Ordinal);

        using var builder = new DuckDbChunkBuilder(appender.ColumnTypes, ["id", "station", "value", "day", "wkb"]);
        var misfit = Assert.ThrowsAny<DuckDbException>(() => builder.AppendRow(["not a number", null, 1.0, null, null]));
        Assert.Contains("'id'", misfit.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => builder.AppendRow([1L]));
        for (var i = 0; i < builder.Capacity; i++)
        {
            builder.AppendRow(Row(i));
        }
        Assert.True(builder.IsFull);
        Assert.Throws<InvalidOperationException>(() => builder.AppendRow(Row(0)));
    }
}
