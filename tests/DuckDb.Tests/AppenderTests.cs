using OneMap.DuckDb.Appending;
using OneMap.DuckDb.Types;

namespace OneMap.DuckDb.Tests;

public sealed class AppenderTests : IDisposable
{
    private readonly DuckDbDatabase _database = DuckDbDatabase.Open();
    private readonly DuckDbConnection _connection;

    public AppenderTests()
    {
        _connection = _database.Connect();
    }

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }

    private const string AllTypes = """
        CREATE TABLE everything(
            b BOOLEAN, i8 TINYINT, i16 SMALLINT, i32 INTEGER, i64 BIGINT, u8 UTINYINT, u16 USMALLINT, u32 UINTEGER,
            u64 UBIGINT, h HUGEINT, uh UHUGEINT, f FLOAT, d DOUBLE, dec DECIMAL(18,3), bigdec DECIMAL(38,6), s VARCHAR,
            bl BLOB, dt DATE, ts TIMESTAMP, tstz TIMESTAMPTZ, t TIME, iv INTERVAL, u UUID, l INTEGER[],
            st STRUCT(name VARCHAR, depth DOUBLE), m MAP(VARCHAR, INTEGER), g GEOMETRY)
        """;

    [Fact]
    public void every_type_and_null_round_trips_through_the_appender()
    {
        _connection.Execute(AllTypes);
        var wkb = Convert.FromHexString("0101000000000000000000F03F0000000000000040");
        var time = new DateTime(2024, 5, 6, 7, 8, 9).AddTicks(1234560);
        var instant = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(8));
        var id = Guid.NewGuid();

        using (var appender = _connection.CreateAppender("everything"))
        {
            appender.Append(true).Append((sbyte)-8).Append((short)-16).Append(-32).Append(-64L).Append((byte)8).Append((ushort)16)
                .Append(32u).Append(64ul).Append(Int128.MinValue + 1).Append(UInt128.MaxValue).Append(1.25f).Append(Math.E)
                .Append(-123456.789m).Append(123456789012345678901234.567891m).Append("莆田 water station with a long name")
                .Append(new byte[] { 9, 8, 7 }).Append(new DateOnly(2024, 2, 29)).Append(time).Append(instant)
                .Append(new TimeOnly(13, 14, 15)).Append(TimeSpan.FromMinutes(90)).Append(id)
                .AppendValue(new[] { 1, 2, 3 }).AppendValue(new Dictionary<string, object?> { ["name"] = "S-1", ["depth"] = 2.5 })
                .AppendValue(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }).Append(wkb);
            appender.EndRow();
            for (var column = 0; column < appender.ColumnTypes.Count; column++)
            {
                appender.AppendNull();
            }
            appender.EndRow();
            Assert.Equal(2, appender.RowsAppended);
        }

        using var reader = _connection.Query("SELECT *, ST_AsWKB(g) AS wkb FROM everything ORDER BY b NULLS LAST");
        Assert.True(reader.Read());
        Assert.True(reader.GetBoolean(0));
        Assert.Equal((sbyte)-8, reader.GetFieldValue<sbyte>(1));
        Assert.Equal((short)-16, reader.GetInt16(2));
        Assert.Equal(-32, reader.GetInt32(3));
        Assert.Equal(-64L, reader.GetInt64(4));
        Assert.Equal((byte)8, reader.GetByte(5));
        Assert.Equal((ushort)16, reader.GetUInt16(6));
        Assert.Equal(32u, reader.GetUInt32(7));
        Assert.Equal(64ul, reader.GetUInt64(8));
        Assert.Equal(Int128.MinValue + 1, reader.GetInt128(9));
        Assert.Equal(UInt128.MaxValue, reader.GetUInt128(10));
        Assert.Equal(1.25f, reader.GetFloat(11));
        Assert.Equal(Math.E, reader.GetDouble(12));
        Assert.Equal(-123456.789m, reader.GetDecimal(13));
        Assert.Equal(123456789012345678901234.567891m, reader.GetDecimal(14));
        Assert.Equal("莆田 water station with a long name", reader.GetString(15));
        Assert.Equal(new byte[] { 9, 8, 7 }, (byte[])reader.GetValue(16));
        Assert.Equal(new DateOnly(2024, 2, 29), reader.GetDateOnly(17));
        Assert.Equal(time, reader.GetDateTime(18));
        Assert.Equal(instant, reader.GetDateTimeOffset(19));
        Assert.Equal(new TimeOnly(13, 14, 15), reader.GetTimeOnly(20));
        Assert.Equal(TimeSpan.FromMinutes(90), reader.GetTimeSpan(21));
        Assert.Equal(id, reader.GetGuid(22));
        Assert.Equal([1, 2, 3], reader.GetList<int>(23));
        Assert.Equal("S-1", reader.GetStruct(24)["name"]);
        Assert.Equal(2, ((Dictionary<object, object?>)reader.GetValue(25))["b"]);
        Assert.Equal(wkb, (byte[])reader.GetValue(27));
        Assert.True(reader.Read());
        for (var column = 0; column < reader.FieldCount; column++)
        {
            Assert.True(reader.IsDBNull(column), $"column {reader.GetName(column)} should be NULL");
        }
        Assert.False(reader.Read());
    }

    [Fact]
    public void many_rows_span_several_chunks()
    {
        _connection.Execute("CREATE TABLE readings(id BIGINT, station VARCHAR, value DOUBLE)");
        using (var appender = _connection.CreateAppender("readings"))
        {
            for (var i = 0; i < 10_000; i++)
            {
                appender.Append((long)i).Append(i % 7 == 0 ? null : $"station-{i % 13}").Append(i * 0.5);
                appender.EndRow();
            }
        }

        Assert.Equal(10_000L, _connection.ExecuteScalar<long>("SELECT count(*) FROM readings"));
        Assert.Equal(Enumerable.Range(0, 10_000).Sum(i => i * 0.5), _connection.ExecuteScalar<double>("SELECT sum(value) FROM readings"));
        Assert.Equal(10_000L - 1429, _connection.ExecuteScalar<long>("SELECT count(station) FROM readings"));
    }

    [Fact]
    public void whole_columns_append_in_one_call_with_null_masks()
    {
        _connection.Execute("CREATE TABLE points(id BIGINT, ts TIMESTAMP, lon DOUBLE, lat DOUBLE, label VARCHAR, code INTEGER)");
        const int rows = 5000;
        var ids = Enumerable.Range(0, rows).Select(i => (long)i).ToArray();
        var times = Enumerable.Range(0, rows).Select(i => new DateTime(2024, 1, 1).AddSeconds(i)).ToArray();
        var lons = Enumerable.Range(0, rows).Select(i => 119 + (i * 1e-4)).ToArray();
        var lats = Enumerable.Range(0, rows).Select(i => 25 + (i * 1e-4)).ToArray();
        var labels = Enumerable.Range(0, rows).Select(i => i % 2 == 0 ? $"p{i}" : null).ToArray();
        var codes = Enumerable.Range(0, rows).ToArray();
        var codeNulls = Enumerable.Range(0, rows).Select(i => i % 5 == 0).ToArray();

        using (var appender = _connection.CreateAppender("points"))
        {
            appender.Append(-1L).Append(DateTime.UnixEpoch).Append(0.0).Append(0.0).Append("first").Append(0);
            appender.EndRow();
            appender.AppendColumns(ids, times, lons, lats, labels, DuckDbColumnData.From<int>(codes, codeNulls));
        }

        Assert.Equal(rows + 1L, _connection.ExecuteScalar<long>("SELECT count(*) FROM points"));
        Assert.Equal(ids.Sum(), _connection.ExecuteScalar<long>("SELECT sum(id) FROM points WHERE id >= 0"));
        Assert.Equal(times[4321], _connection.ExecuteScalar<DateTime>("SELECT ts FROM points WHERE id = 4321"));
        Assert.Equal(lons[77], _connection.ExecuteScalar<double>("SELECT lon FROM points WHERE id = 77"));
        Assert.Equal(rows / 2 + 1L, _connection.ExecuteScalar<long>("SELECT count(label) FROM points"));
        Assert.Equal(rows - 1000 + 1L, _connection.ExecuteScalar<long>("SELECT count(code) FROM points"));
    }

    [Fact]
    public void a_value_that_does_not_fit_its_column_is_refused_naming_the_column()
    {
        _connection.Execute("CREATE TABLE small(a TINYINT, b VARCHAR)");
        using var appender = _connection.CreateAppender("small");

        var overflow = Assert.Throws<DuckDbConversionException>(() => appender.Append(1000L));
        Assert.Contains("small.a", overflow.Message, StringComparison.Ordinal);
        Assert.Contains("1000", overflow.Message, StringComparison.Ordinal);

        appender.Append(100L);
        var mismatch = Assert.Throws<DuckDbConversionException>(() => appender.Append(Guid.NewGuid()));
        Assert.Contains("small.b", mismatch.Message, StringComparison.Ordinal);

        appender.Append("refused values can be replaced").EndRow();
        appender.Flush();
        Assert.Equal(100, _connection.ExecuteScalar<int>("SELECT a FROM small"));
    }

    [Fact]
    public void an_incomplete_row_is_refused()
    {
        _connection.Execute("CREATE TABLE pair(a INTEGER, b INTEGER)");
        using var appender = _connection.CreateAppender("pair");
        appender.Append(1);

        Assert.Throws<InvalidOperationException>(() => appender.EndRow());
        Assert.Throws<InvalidOperationException>(() => appender.Flush());
        appender.Append(2).EndRow();
        Assert.Throws<InvalidOperationException>(() => appender.Append(3).Append(4).Append(5));
        appender.ClearRow();
        appender.Append(5).Append(6).EndRow();
        appender.Append(7);
        appender.Dispose();

        Assert.Equal("1-2,5-6", _connection.ExecuteScalar<string>("SELECT string_agg(a || '-' || b, ',' ORDER BY a) FROM pair"));
    }

    [Fact]
    public void flushed_rows_are_visible_before_the_appender_closes_and_defaults_apply()
    {
        _connection.Execute("CREATE TABLE events(id INTEGER, kind VARCHAR DEFAULT 'report')");
        using var appender = _connection.CreateAppender("events");
        appender.Append(1).AppendDefault().EndRow();
        appender.AppendRow(2, "dispatch");

        appender.Flush();

        Assert.Equal(2L, _connection.ExecuteScalar<long>("SELECT count(*) FROM events"));
        Assert.Equal("report", _connection.ExecuteScalar<string>("SELECT kind FROM events WHERE id = 1"));
    }

    [Fact]
    public void rows_refused_by_a_constraint_fail_the_flush_with_duckdbs_message()
    {
        _connection.Execute("CREATE TABLE keyed(id INTEGER PRIMARY KEY)");
        var appender = _connection.CreateAppender("keyed");
        appender.Append(1).EndRow();
        appender.Append(1).EndRow();

        var error = Assert.Throws<DuckDbConstraintException>(appender.Dispose);

        Assert.Contains("keyed", error.Message, StringComparison.Ordinal);
        appender.Dispose();
    }

    [Fact]
    public void an_appender_for_a_missing_table_names_it()
    {
        var error = Assert.Throws<DuckDbCatalogException>(() => _connection.CreateAppender("nowhere", "main"));

        Assert.Contains("nowhere", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void appender_column_types_describe_the_table()
    {
        _connection.Execute("CREATE SCHEMA lake; CREATE TABLE lake.t(a DECIMAL(10,2), b VARCHAR[])");
        using var appender = _connection.CreateAppender("t", "lake");

        Assert.Equal(DuckDbType.Decimal(10, 2), appender.ColumnTypes[0]);
        Assert.Equal(DuckDbType.List(DuckDbType.Varchar), appender.ColumnTypes[1]);
    }
}
