using OneMap.DuckDb.Types;

namespace OneMap.DuckDb.Tests;

public sealed class ParameterTests
{
    public static TheoryData<object, string> TypedValues() => new()
    {
        { true, "BOOLEAN" },
        { (sbyte)-100, "TINYINT" },
        { (short)-30000, "SMALLINT" },
        { -2_000_000_000, "INTEGER" },
        { long.MinValue, "BIGINT" },
        { (byte)250, "UTINYINT" },
        { (ushort)65000, "USMALLINT" },
        { 4_000_000_000u, "UINTEGER" },
        { ulong.MaxValue, "UBIGINT" },
        { Int128.MaxValue, "HUGEINT" },
        { UInt128.MaxValue, "UHUGEINT" },
        { 1.5f, "FLOAT" },
        { Math.PI, "DOUBLE" },
        { 12345.678m, "DECIMAL(8,3)" },
        { -0.5m, "DECIMAL(2,1)" },
        { "Putian 莆田 🌊", "VARCHAR" },
        { new string('x', 5000), "VARCHAR" },
        { new byte[] { 0, 1, 2, 255, 0 }, "BLOB" },
        { new DateOnly(2024, 2, 29), "DATE" },
        { new DateTime(2024, 5, 6, 7, 8, 9, 123).AddTicks(4560), "TIMESTAMP" },
        { new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(8)), "TIMESTAMP WITH TIME ZONE" },
        { new TimeOnly(23, 59, 58, 999), "TIME" },
        { TimeSpan.FromHours(49.5), "INTERVAL" },
        { Guid.Parse("f81d4fae-7dec-11d0-a765-00a0c91e6bf6"), "UUID" },
    };

    [Theory]
    [MemberData(nameof(TypedValues))]
    public void every_parameter_type_round_trips_with_the_matching_duckdb_type(object value, string duckDbType)
    {
        using var database = DuckDbDatabase.Open();
        using var connection = database.Connect();

        using var reader = connection.Query("SELECT $1 AS v, typeof($1) AS t", value);

        Assert.True(reader.Read());
        Assert.Equal(duckDbType, reader.GetString(1));
        Assert.Equal(duckDbType, reader.GetDataTypeName(0));
        var back = reader.GetValue(0);
        switch (value)
        {
            case DateTimeOffset offset:
                Assert.Equal(offset.UtcDateTime, ((DateTimeOffset)back).UtcDateTime);
                break;
            case TimeSpan span:
                Assert.Equal(span, ((DuckDbInterval)back).ToTimeSpan());
                break;
            default:
                Assert.Equal(value, back);
                Assert.Equal(value.GetType(), reader.GetFieldType(0));
                break;
        }
    }

    [Fact]
    public void a_prepared_statement_binds_every_type_by_index_and_by_name_and_is_reused()
    {
        using var database = DuckDbDatabase.Open();
        using var connection = database.Connect();
        using var statement = connection.Prepare("SELECT typeof($a) || ',' || typeof($b), $a::VARCHAR || '|' || $b::VARCHAR");

        Assert.Equal(2, statement.ParameterCount);
        Assert.Equal(["a", "b"], statement.ParameterNames);

        statement.Bind("$a", 5L).Bind("b", "x");
        using (var reader = statement.ExecuteReader(TestContext.Current.CancellationToken))
        {
            Assert.True(reader.Read());
            Assert.Equal("BIGINT,VARCHAR", reader.GetString(0));
            Assert.Equal("5|x", reader.GetString(1));
        }

        statement.ClearBindings();
        statement.Bind(1, new DateOnly(2020, 1, 1)).Bind(2, 2.5);
        using (var reader = statement.ExecuteReader(TestContext.Current.CancellationToken))
        {
            Assert.True(reader.Read());
            Assert.Equal("DATE,DOUBLE", reader.GetString(0));
            Assert.Equal("2020-01-01|2.5", reader.GetString(1));
        }
    }

    [Fact]
    public void null_and_dbnull_bind_as_sql_null()
    {
        using var database = DuckDbDatabase.Open();
        using var connection = database.Connect();

        using var reader = connection.Query("SELECT $1 IS NULL, $2 IS NULL, $3::INTEGER", null, DBNull.Value, null);

        Assert.True(reader.Read());
        Assert.True(reader.GetBoolean(0));
        Assert.True(reader.GetBoolean(1));
        Assert.True(reader.IsDBNull(2));
        Assert.Equal(DBNull.Value, reader.GetValue(2));
        Assert.Null(reader.GetFieldValue<int?>(2));
        Assert.Throws<InvalidCastException>(() => reader.GetInt32(2));
    }

    [Fact]
    public void named_parameters_work_through_the_connection_helpers()
    {
        using var database = DuckDbDatabase.Open();
        using var connection = database.Connect();

        var result = connection.ExecuteScalar<string>("SELECT $city || '-' || $grid",
            new DuckDbParameter("city", "Putian"), new DuckDbParameter("$grid", 12));

        Assert.Equal("Putian-12", result);
    }

    [Fact]
    public void a_wrong_number_of_values_is_refused_with_the_sql()
    {
        using var database = DuckDbDatabase.Open();
        using var connection = database.Connect();

        var error = Assert.Throws<DuckDbException>(() => connection.Execute("SELECT $1, $2", 1));

        Assert.Contains("2 parameter(s)", error.Message, StringComparison.Ordinal);
        Assert.Equal("SELECT $1, $2", error.Sql);
    }

    [Fact]
    public void an_unsupported_parameter_type_is_refused_by_name()
    {
        using var database = DuckDbDatabase.Open();
        using var connection = database.Connect();

        var error = Assert.Throws<DuckDbConversionException>(() => connection.Execute("SELECT $1", new Uri("http://example.org")));

        Assert.Contains("Uri", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void user_values_are_data_not_sql()
    {
        using var database = DuckDbDatabase.Open();
        using var connection = database.Connect();
        connection.Execute("CREATE TABLE tickets(title VARCHAR)");

        connection.Execute("INSERT INTO tickets VALUES ($1)", "x'); DROP TABLE tickets; --");

        Assert.Equal("x'); DROP TABLE tickets; --", connection.ExecuteScalar<string>("SELECT title FROM tickets"));
    }

    [Fact]
    public void execute_returns_the_rows_changed_and_scalar_handles_null_and_no_rows()
    {
        using var database = DuckDbDatabase.Open();
        using var connection = database.Connect();

        Assert.Equal(0L, connection.Execute("CREATE TABLE t AS SELECT i FROM range(10) r(i) WHERE false"));
        Assert.Equal(10L, connection.Execute("INSERT INTO t SELECT i FROM range(10) r(i)"));
        Assert.Equal(4L, connection.Execute("UPDATE t SET i = i + 100 WHERE i < $1", 4));
        Assert.Equal(3L, connection.Execute("DELETE FROM t WHERE i >= 7 AND i < 100"));

        Assert.Null(connection.ExecuteScalar<long?>("SELECT max(i) FROM t WHERE i < 0"));
        Assert.Null(connection.ExecuteScalar<string>("SELECT 'x' WHERE false"));
        Assert.Throws<InvalidCastException>(() => connection.ExecuteScalar<long>("SELECT max(i) FROM t WHERE i < 0"));
        Assert.Throws<InvalidCastException>(() => connection.ExecuteScalar<long>("SELECT 1 WHERE false"));
    }

    [Fact]
    public void several_statements_run_in_order_and_the_last_one_answers()
    {
        using var database = DuckDbDatabase.Open();
        using var connection = database.Connect();

        var answer = connection.ExecuteScalar<long>("CREATE TABLE t(a INTEGER); INSERT INTO t VALUES (1), (2); SELECT sum(a) + $1 FROM t", 10);

        Assert.Equal(13L, answer);
    }
}
