using System.Threading;

using OneMap.DuckDb.Data;
using OneMap.DuckDb.Functions;
using OneMap.DuckDb.Types;

namespace OneMap.DuckDb.Tests;

public sealed class ReaderTests : IDisposable
{
    private readonly DuckDbDatabase _database = DuckDbDatabase.Open();
    private readonly DuckDbConnection _connection;

    public ReaderTests()
    {
        _connection = _database.Connect();
    }

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }

    [Fact]
    public void read_all_rows_returns_what_remains_across_chunks_with_null_for_sql_null()
    {
        // 5,000 rows span several 2,048-row chunks; the first row is consumed before, so 4,999 remain.
        using var reader = _connection.Query("SELECT i, CASE WHEN i % 2 = 0 THEN NULL ELSE 'odd' END FROM range(5000) t(i) ORDER BY i");
        Assert.True(reader.Read());

        var rows = reader.ReadAllRows();

        Assert.Equal(4999, rows.Count);
        Assert.Equal([1L, "odd"], rows[0]);
        Assert.Equal([2L, null], rows[1]);
        Assert.Equal(4999L, rows[^1][0]);
        Assert.Empty(reader.ReadAllRows());
    }

    [Fact]
    public void columns_have_names_types_and_ordinals()
    {
        using var reader = _connection.Query("SELECT 1::INTEGER AS station, 'DO' AS Parameter, 2.5::DOUBLE AS value");

        Assert.Equal(3, reader.FieldCount);
        Assert.Equal("station", reader.GetName(0));
        Assert.Equal(1, reader.GetOrdinal("parameter"));
        Assert.Equal(typeof(int), reader.GetFieldType(0));
        Assert.Equal(typeof(string), reader.GetFieldType(1));
        Assert.Equal(typeof(double), reader.GetFieldType(2));
        Assert.Equal(DuckDbTypeId.Double, reader.GetColumnType(2).Id);
        Assert.Throws<IndexOutOfRangeException>(() => reader.GetOrdinal("nope"));
        Assert.Throws<InvalidOperationException>(() => reader.GetInt32(0));
        Assert.True(reader.HasRows);
        Assert.True(reader.Read());
        Assert.Equal(2.5, reader["value"]);
        Assert.False(reader.Read());
    }

    [Fact]
    public void nulls_are_reported_per_cell()
    {
        using var reader = _connection.Query("SELECT CASE WHEN i % 3 = 0 THEN NULL ELSE i END AS v FROM range(10) t(i) ORDER BY i");

        var values = new List<long?>();
        while (reader.Read())
        {
            values.Add(reader.IsDBNull(0) ? null : reader.GetInt64(0));
        }

        Assert.Equal([null, 1, 2, null, 4, 5, null, 7, 8, null], values);
    }

    [Fact]
    public void list_struct_map_and_array_columns_read_as_collections()
    {
        using var reader = _connection.Query("""
            SELECT [1, 2, NULL]::INTEGER[] AS l,
                   {'name': 'S-07', 'depth': 1.5, 'tags': ['a', 'b']} AS s,
                   MAP {'do': 7.5, 'ph': 8.1} AS m,
                   [1.0, 2.0, 3.0]::DOUBLE[3] AS a,
                   [[1, 2], [], NULL]::BIGINT[][] AS nested,
                   []::VARCHAR[] AS empty,
                   NULL::INTEGER[] AS nothing
            """);

        Assert.True(reader.Read());
        Assert.Equal([1, 2, null], (List<object?>)reader.GetValue(0));
        Assert.Equal([1, 2, null], reader.GetList<int?>(0));
        var station = reader.GetStruct(1);
        Assert.Equal("S-07", station["name"]);
        Assert.Equal(1.5m, station["depth"]);
        Assert.Equal(["a", "b"], (List<object?>)station["tags"]!);
        var map = (Dictionary<object, object?>)reader.GetValue(2);
        Assert.Equal(7.5m, map["do"]);
        Assert.Equal([1.0, 2.0, 3.0], reader.GetList<double>(3));
        var nested = reader.GetFieldValue<List<List<long>?>>(4);
        Assert.Equal(3, nested.Count);
        Assert.Equal([1L, 2L], nested[0]);
        Assert.Empty(nested[1]!);
        Assert.Null(nested[2]);
        Assert.Empty(reader.GetList<string>(5));
        Assert.True(reader.IsDBNull(6));
        Assert.Equal(typeof(List<object?>), reader.GetFieldType(0));
        Assert.Equal(typeof(Dictionary<string, object?>), reader.GetFieldType(1));
        Assert.Equal("INTEGER[]", reader.GetDataTypeName(0));
    }

    [Fact]
    public void typed_getters_cover_dates_times_uuids_decimals_enums_and_blobs()
    {
        _connection.Execute("CREATE TYPE mood AS ENUM ('calm', 'angry')");
        using var reader = _connection.Query("""
            SELECT DATE '2024-03-01', TIMESTAMP '2024-03-01 10:11:12.345678', TIMESTAMPTZ '2024-03-01 10:11:12+08',
                   TIME '10:11:12', '00000000-0000-0000-0000-000000000001'::UUID, 123.4567::DECIMAL(18,4),
                   12345678901234567890.12::DECIMAL(38,2), 'angry'::mood, '\x01\x02'::BLOB, TIMESTAMP_MS '2024-03-01 10:11:12.345',
                   TIMESTAMP_NS '2024-03-01 10:11:12.123456789', 'infinity'::TIMESTAMP, INTERVAL '1 month 2 days'
            """);

        Assert.True(reader.Read());
        Assert.Equal(new DateOnly(2024, 3, 1), reader.GetDateOnly(0));
        Assert.Equal(new DateTime(2024, 3, 1), reader.GetDateTime(0));
        Assert.Equal(new DateTime(2024, 3, 1, 10, 11, 12).AddTicks(3456780), reader.GetDateTime(1));
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 2, 11, 12, TimeSpan.Zero), reader.GetDateTimeOffset(2));
        Assert.Equal(DateTimeKind.Utc, reader.GetDateTime(2).Kind);
        Assert.Equal(new TimeOnly(10, 11, 12), reader.GetTimeOnly(3));
        Assert.Equal(Guid.Parse("00000000-0000-0000-0000-000000000001"), reader.GetGuid(4));
        Assert.Equal(123.4567m, reader.GetDecimal(5));
        Assert.Equal(123.4567, reader.GetDouble(5), 10);
        Assert.Equal(12345678901234567890.12m, reader.GetDecimal(6));
        Assert.Equal("angry", reader.GetValue(7));
        Assert.Equal(new byte[] { 1, 2 }, (byte[])reader.GetValue(8));
        var buffer = new byte[4];
        Assert.Equal(2, reader.GetBytes(8, 0, null, 0, 0));
        Assert.Equal(1, reader.GetBytes(8, 1, buffer, 0, 4));
        Assert.Equal(2, buffer[0]);
        Assert.Equal(new DateTime(2024, 3, 1, 10, 11, 12, 345), reader.GetDateTime(9));
        Assert.Equal(new DateTime(2024, 3, 1, 10, 11, 12).AddTicks(1234567), reader.GetDateTime(10));
        Assert.Equal(DateTime.MaxValue, reader.GetDateTime(11));
        Assert.Equal(new DuckDbInterval(1, 2, 0), reader.GetInterval(12));
        Assert.Throws<InvalidCastException>(() => reader.GetTimeSpan(12));
        Assert.Throws<InvalidCastException>(() => reader.GetGuid(0));
    }

    [Fact]
    public void chunks_expose_column_spans_and_validity_masks()
    {
        using var reader = _connection.Query("SELECT i, CASE WHEN i % 2 = 0 THEN i::DOUBLE END AS half FROM range(5000) t(i) ORDER BY i");

        long sum = 0;
        double evenSum = 0;
        var rows = 0;
        var chunks = 0;
        while (reader.ReadChunk() is { } chunk)
        {
            chunks++;
            var ids = chunk.GetColumn<long>(0);
            var halves = chunk.GetColumn<double>(1);
            var validity = chunk.GetValidity(1);
            Assert.False(validity.AllValid);
            for (var row = 0; row < chunk.RowCount; row++)
            {
                sum += ids[row];
                if (validity.IsValid(row))
                {
                    evenSum += halves[row];
                }
            }
            rows += chunk.RowCount;
            Assert.Throws<InvalidCastException>(() => chunk.GetColumn<int>(0));
        }

        Assert.Equal(5000, rows);
        Assert.True(chunks >= 3);
        Assert.Equal(4999L * 5000 / 2, sum);
        Assert.Equal(Enumerable.Range(0, 5000).Where(i => i % 2 == 0).Sum(i => (double)i), evenSum);
    }

    [Fact]
    public void a_huge_result_streams_without_being_materialised()
    {
        // The producer counts the rows it has generated: if the reader had to wait for the whole result, all 10M
        // would be counted before the first row arrived.
        var produced = 0L;
        _connection.RegisterScalarFunction("count_produced", [DuckDbType.BigInt], DuckDbType.BigInt, (input, output) =>
        {
            Interlocked.Add(ref produced, input.RowCount);
            input.GetColumn<long>(0).CopyTo(output.GetData<long>());
        }, DuckDbFunctionFlags.Volatile);

        using var reader = _connection.Query("SELECT count_produced(i) AS i, i * 2 AS j, 'row ' || i AS label FROM range(10000000) t(i)");

        long? producedAtFirstChunk = null;
        long sum = 0;
        long rows = 0;
        while (reader.ReadChunk() is { } chunk)
        {
            producedAtFirstChunk ??= Interlocked.Read(ref produced);
            var values = chunk.GetColumn<long>(0);
            for (var i = 0; i < values.Length; i++)
            {
                sum += values[i];
            }
            rows += chunk.RowCount;
        }

        Assert.True(producedAtFirstChunk < 1_000_000, $"{producedAtFirstChunk} rows were produced before the first chunk was read");
        Assert.Equal(10_000_000L, rows);
        Assert.Equal(9_999_999L * 10_000_000 / 2, sum);
        Assert.Equal(10_000_000L, Interlocked.Read(ref produced));
    }

    [Fact]
    public void the_ten_million_row_stream_is_complete_when_read_row_by_row()
    {
        using var reader = _connection.Query("SELECT i FROM range(10000000) t(i)");

        long sum = 0;
        long rows = 0;
        while (reader.Read())
        {
            sum += reader.GetInt64(0);
            rows++;
        }

        Assert.Equal(10_000_000L, rows);
        Assert.Equal(9_999_999L * 10_000_000 / 2, sum);
    }

    [Fact]
    public async Task rows_can_be_read_asynchronously()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var reader = await _connection.QueryAsync("SELECT i FROM range(5000) t(i)", cancellationToken);

        long sum = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            sum += reader.GetInt64(0);
        }

        Assert.Equal(4999L * 5000 / 2, sum);
    }

    [Fact]
    public void a_reader_closed_early_leaves_the_connection_ready_for_work()
    {
        _connection.Execute("CREATE TABLE t(a BIGINT)");
        using (var reader = _connection.Query("SELECT * FROM range(10000000)"))
        {
            Assert.True(reader.Read());
        }

        _connection.RegisterScalarFunction<long, long>("plus_one", x => x + 1);
        using (var reader = _connection.Query("SELECT * FROM range(10000000)"))
        {
            Assert.True(reader.Read());
        }
        using (var appender = _connection.CreateAppender("t"))
        {
            appender.Append(1L).EndRow();
        }

        Assert.Equal(2L, _connection.ExecuteScalar<long>("SELECT plus_one(a) FROM t"));
    }

    [Fact]
    public void a_reader_closed_early_inside_a_transaction_leaves_the_transaction_intact()
    {
        _connection.Execute("CREATE TABLE t(a BIGINT)");
        _connection.Execute("BEGIN");
        _connection.Execute("INSERT INTO t VALUES (1)");
        using (var reader = _connection.Query("SELECT * FROM range(10000000)"))
        {
            Assert.True(reader.Read());
        }
        using (var appender = _connection.CreateAppender("t"))
        {
            appender.Append(2L).EndRow();
        }
        _connection.Execute("INSERT INTO t VALUES (3)");
        _connection.Execute("COMMIT");

        using var other = _database.Connect();
        Assert.Equal(6L, other.ExecuteScalar<long>("SELECT sum(a) FROM t"));
    }
}
