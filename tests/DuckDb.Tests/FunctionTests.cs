using System.Buffers.Binary;

using OneMap.DuckDb.Data;
using OneMap.DuckDb.Functions;
using OneMap.DuckDb.Types;

namespace OneMap.DuckDb.Tests;

public sealed class FunctionTests : IDisposable
{
    private readonly DuckDbDatabase _database = DuckDbDatabase.Open();
    private readonly DuckDbConnection _connection;

    public FunctionTests()
    {
        _connection = _database.Connect();
    }

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }

    /// <summary>WKB of POINT(x y), little-endian.</summary>
    private static byte[] PointWkb(double x, double y)
    {
        var wkb = new byte[21];
        wkb[0] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(wkb.AsSpan(1), 1);
        BinaryPrimitives.WriteDoubleLittleEndian(wkb.AsSpan(5), x);
        BinaryPrimitives.WriteDoubleLittleEndian(wkb.AsSpan(13), y);
        return wkb;
    }

    [Fact]
    public void a_vectorised_scalar_function_runs_over_a_million_rows()
    {
        _connection.RegisterScalarFunction("scaled_distance", [DuckDbType.Double, DuckDbType.Double], DuckDbType.Double, (input, output) =>
        {
            var x = input.GetColumn<double>(0);
            var y = input.GetColumn<double>(1);
            var result = output.GetData<double>();
            for (var i = 0; i < input.RowCount; i++)
            {
                result[i] = Math.Sqrt((x[i] * x[i]) + (y[i] * y[i]));
            }
        });

        var mismatches = _connection.ExecuteScalar<long>("""
            SELECT count(*) FROM (SELECT i::DOUBLE AS x, (i % 1000)::DOUBLE AS y FROM range(1000000) t(i))
            WHERE abs(scaled_distance(x, y) - sqrt(x * x + y * y)) > 1e-9
            """);
        var count = _connection.ExecuteScalar<long>("SELECT count(scaled_distance(i::DOUBLE, 0)) FROM range(1000000) t(i)");

        Assert.Equal(0L, mismatches);
        Assert.Equal(1_000_000L, count);
    }

    [Fact]
    public void scalar_functions_take_and_return_varchar_blob_and_geometry()
    {
        _connection.RegisterScalarFunction("station_code", [DuckDbType.Varchar, DuckDbType.Integer], DuckDbType.Varchar, (input, output) =>
        {
            var numbers = input.GetColumn<int>(1);
            for (var i = 0; i < input.RowCount; i++)
            {
                output.SetString(i, $"{input.GetString(0, i).ToUpperInvariant()}-{numbers[i]:D4}-long-enough-to-leave-the-inline-slot");
            }
        });
        _connection.RegisterScalarFunction("wkb_x", [DuckDbType.Geometry], DuckDbType.Double, (input, output) =>
        {
            var result = output.GetData<double>();
            for (var i = 0; i < input.RowCount; i++)
            {
                result[i] = BinaryPrimitives.ReadDoubleLittleEndian(input.GetBytes(0, i)[5..]);
            }
        });
        _connection.RegisterScalarFunction("shifted_point", [DuckDbType.Geometry, DuckDbType.Double], DuckDbType.Geometry, (input, output) =>
        {
            var dx = input.GetColumn<double>(1);
            for (var i = 0; i < input.RowCount; i++)
            {
                var wkb = input.GetBytes(0, i).ToArray();
                BinaryPrimitives.WriteDoubleLittleEndian(wkb.AsSpan(5), BinaryPrimitives.ReadDoubleLittleEndian(wkb.AsSpan(5)) + dx[i]);
                output.SetBytes(i, wkb);
            }
        });
        _connection.RegisterScalarFunction<byte[], int>("blob_size", b => b.Length);

        Assert.Equal("PT-0042-long-enough-to-leave-the-inline-slot", _connection.ExecuteScalar<string>("SELECT station_code('pt', 42)"));
        Assert.Equal(119.5, _connection.ExecuteScalar<double>("SELECT wkb_x(ST_GeomFromWKB($1))", PointWkb(119.5, 25.4)));
        Assert.Equal(PointWkb(120.5, 25.4), _connection.ExecuteScalar<byte[]>("SELECT ST_AsWKB(shifted_point(ST_GeomFromWKB($1), 1.0))", PointWkb(119.5, 25.4)));
        Assert.Equal("GEOMETRY", _connection.ExecuteScalar<string>("SELECT typeof(shifted_point(ST_GeomFromWKB($1), 1.0))", PointWkb(1, 2)));
        Assert.Equal(3, _connection.ExecuteScalar<int>("SELECT blob_size('\\x01\\x02\\x03'::BLOB)"));
    }

    [Fact]
    public void row_wise_functions_return_null_for_null_inputs_unless_they_handle_nulls()
    {
        _connection.RegisterScalarFunction<long, long>("plus_one", x => x + 1);
        _connection.RegisterScalarFunction<long?, string>("describe_value", x => x is null ? "missing" : $"value {x}", DuckDbFunctionFlags.SpecialNullHandling);

        using var reader = _connection.Query("SELECT plus_one(v), describe_value(v) FROM (VALUES (1), (NULL)) t(v) ORDER BY v NULLS LAST");

        Assert.True(reader.Read());
        Assert.Equal(2L, reader.GetInt64(0));
        Assert.Equal("value 1", reader.GetString(1));
        Assert.True(reader.Read());
        Assert.True(reader.IsDBNull(0));
        Assert.Equal("missing", reader.GetString(1));
    }

    [Fact]
    public void a_vectorised_function_can_write_nulls()
    {
        _connection.RegisterScalarFunction("even_or_null", [DuckDbType.BigInt], DuckDbType.BigInt, (input, output) =>
        {
            var values = input.GetColumn<long>(0);
            var result = output.GetData<long>();
            for (var i = 0; i < input.RowCount; i++)
            {
                if (values[i] % 2 == 0)
                {
                    result[i] = values[i];
                }
                else
                {
                    output.SetNull(i);
                }
            }
        });

        Assert.Equal(5000L, _connection.ExecuteScalar<long>("SELECT count(even_or_null(i)) FROM range(10000) t(i)"));
    }

    [Fact]
    public void volatile_functions_run_for_every_row()
    {
        var calls = 0;
        _connection.RegisterScalarFunction("tick", [], DuckDbType.BigInt, (input, output) =>
        {
            var result = output.GetData<long>();
            for (var i = 0; i < input.RowCount; i++)
            {
                result[i] = Interlocked.Increment(ref calls);
            }
        }, DuckDbFunctionFlags.Volatile);

        Assert.Equal(100L, _connection.ExecuteScalar<long>("SELECT count(DISTINCT tick()) FROM range(100)"));
    }

    [Fact]
    public void overloads_and_varargs_pick_the_right_implementation()
    {
        DuckDbScalarFunction describe(string label) => (input, output) =>
        {
            for (var i = 0; i < input.RowCount; i++)
            {
                output.SetString(i, $"{label}:{input.ColumnCount}");
            }
        };
        _connection.RegisterScalarFunctionSet("kind",
            new DuckDbScalarOverload([DuckDbType.BigInt], DuckDbType.Varchar, describe("int")),
            new DuckDbScalarOverload([DuckDbType.Varchar], DuckDbType.Varchar, describe("text")));
        _connection.RegisterScalarFunction("total", [], DuckDbType.Double, (input, output) =>
        {
            var result = output.GetData<double>();
            for (var row = 0; row < input.RowCount; row++)
            {
                double sum = 0;
                for (var column = 0; column < input.ColumnCount; column++)
                {
                    sum += input.GetColumn<double>(column)[row];
                }
                result[row] = sum;
            }
        }, varArgs: DuckDbType.Double);

        Assert.Equal("int:1", _connection.ExecuteScalar<string>("SELECT kind(1::BIGINT)"));
        Assert.Equal("text:1", _connection.ExecuteScalar<string>("SELECT kind('a')"));
        Assert.Equal(10.0, _connection.ExecuteScalar<double>("SELECT total(1, 2, 3, 4)"));
    }

    [Fact]
    public void an_exception_in_a_scalar_function_becomes_a_clear_duckdb_error()
    {
        _connection.RegisterScalarFunction<long, long>("fragile", x => x < 1500 ? x : throw new ArgumentOutOfRangeException(nameof(x), x, "station id out of range"));

        var error = Assert.Throws<DuckDbFunctionException>(() => _connection.Execute("SELECT sum(fragile(i)) FROM range(3000) t(i)"));

        Assert.Contains("fragile", error.Message, StringComparison.Ordinal);
        Assert.Contains("station id out of range", error.Message, StringComparison.Ordinal);
        Assert.IsType<ArgumentOutOfRangeException>(error.InnerException);
        Assert.Equal("SELECT sum(fragile(i)) FROM range(3000) t(i)", error.Sql);
        Assert.Equal(1L, _connection.ExecuteScalar<long>("SELECT fragile(1)"));
    }

    [Fact]
    public void a_table_function_declares_columns_from_its_arguments_and_streams_chunks()
    {
        _connection.RegisterTableFunction("grid_cells", [DuckDbType.Integer],
            bind: context =>
            {
                var size = context.GetParameter<int>(0);
                context.AddColumn("cell", DuckDbType.BigInt).AddColumn("label", DuckDbType.Varchar).AddColumn("center", DuckDbType.Geometry);
                if (context.NamedParameters.TryGetValue("prefix", out var prefix))
                {
                    context.AddColumn("prefixed", DuckDbType.Varchar);
                }
                context.SetCardinality((long)size * size, exact: true);
                return (size, prefix: prefix as string);
            },
            scan: bound => new GridScan(bound.size, bound.prefix),
            namedParameters: new Dictionary<string, DuckDbType> { ["prefix"] = DuckDbType.Varchar });

        Assert.Equal(10_000L, _connection.ExecuteScalar<long>("SELECT count(*) FROM grid_cells(100)"));
        Assert.Equal(49_995_000L, _connection.ExecuteScalar<long>("SELECT sum(cell) FROM grid_cells(100)"));
        Assert.Equal("cell-42", _connection.ExecuteScalar<string>("SELECT label FROM grid_cells(10) WHERE cell = 42"));
        Assert.Equal("G-7", _connection.ExecuteScalar<string>("SELECT prefixed FROM grid_cells(3, prefix := 'G') WHERE cell = 7"));
        Assert.Equal(PointWkb(2, 4), _connection.ExecuteScalar<byte[]>("SELECT ST_AsWKB(center) FROM grid_cells(10) WHERE cell = 42"));
        using var statement = _connection.Prepare("SELECT count(*) FROM grid_cells(50)");
        Assert.Equal(2500L, statement.ExecuteScalar<long>(TestContext.Current.CancellationToken));
        Assert.Equal(2500L, statement.ExecuteScalar<long>(TestContext.Current.CancellationToken));
    }

    private sealed class GridScan(int size, string? prefix) : IDuckDbTableScan
    {
        private long _next;

        public int Fill(DuckDbChunk output)
        {
            var total = (long)size * size;
            var count = (int)Math.Min(output.RowCount, total - _next);
            var cells = output[0].GetData<long>();
            for (var i = 0; i < count; i++)
            {
                var cell = _next + i;
                cells[i] = cell;
                output.SetValue(1, i, $"cell-{cell}");
                output.SetValue(2, i, PointWkb(cell % size, cell / size));
                if (prefix is not null)
                {
                    output.SetValue(3, i, $"{prefix}-{cell}");
                }
            }
            _next += count;
            return count;
        }
    }

    [Fact]
    public void a_table_function_can_yield_rows_of_values()
    {
        _connection.RegisterTableFunction("departments", [],
            [new DuckDbField("id", DuckDbType.Integer), new DuckDbField("name", DuckDbType.Varchar), new DuckDbField("since", DuckDbType.Date)],
            _ => [[1, "Ecology and Environment", new DateOnly(2019, 1, 1)], [2, "Water Resources", null]]);

        using var reader = _connection.Query("SELECT * FROM departments() ORDER BY id");

        Assert.True(reader.Read());
        Assert.Equal("Ecology and Environment", reader.GetString(1));
        Assert.Equal(new DateOnly(2019, 1, 1), reader.GetDateOnly(2));
        Assert.True(reader.Read());
        Assert.True(reader.IsDBNull(2));
        Assert.False(reader.Read());
    }

    [Fact]
    public void an_exception_while_binding_or_scanning_a_table_function_becomes_a_duckdb_error()
    {
        _connection.RegisterTableFunction("picky", [DuckDbType.Integer],
            bind: context => context.GetParameter<int>(0) >= 0
                ? context.AddColumn("n", DuckDbType.Integer).Parameters[0]
                : throw new ArgumentException("the count must not be negative"),
            scan: _ => new FailingScan());

        var bindError = Assert.Throws<DuckDbFunctionException>(() => _connection.Execute("SELECT * FROM picky(-1)"));
        var scanError = Assert.Throws<DuckDbFunctionException>(() => _connection.Execute("SELECT * FROM picky(1)"));

        Assert.Contains("must not be negative", bindError.Message, StringComparison.Ordinal);
        Assert.IsType<ArgumentException>(bindError.InnerException);
        Assert.Contains("source feed went away", scanError.Message, StringComparison.Ordinal);
    }

    private sealed class FailingScan : IDuckDbTableScan
    {
        public int Fill(DuckDbChunk output) => throw new IOException("the source feed went away");
    }

    [Fact]
    public void an_aggregate_function_groups_combines_and_finalizes()
    {
        _connection.RegisterAggregateFunction("bbox_wkt", [DuckDbType.Double, DuckDbType.Double], DuckDbType.Varchar, new BoundingBox());
        _connection.Execute("""
            CREATE TABLE points AS
            SELECT i % 10 AS grid, (i % 997)::DOUBLE AS x, (i % 113)::DOUBLE AS y FROM range(300000) t(i)
            """);

        using var reader = _connection.Query("""
            SELECT grid, bbox_wkt(x, y), 'BOX(' || min(x)::BIGINT || ' ' || min(y)::BIGINT || ', ' || max(x)::BIGINT || ' ' || max(y)::BIGINT || ')'
            FROM points GROUP BY grid ORDER BY grid
            """);

        var groups = 0;
        while (reader.Read())
        {
            groups++;
            Assert.Equal(reader.GetString(2), reader.GetString(1));
        }
        Assert.Equal(10, groups);
        Assert.Null(_connection.ExecuteScalar<string>("SELECT bbox_wkt(x, y) FROM points WHERE false"));
        Assert.Equal("BOX(1 2, 1 2)", _connection.ExecuteScalar<string>("SELECT bbox_wkt(x, y) FROM (VALUES (1.0, 2.0), (NULL, 5.0)) t(x, y)"));
    }

    private sealed class BoundingBox : DuckDbAggregateFunction<double[], string>
    {
        public override double[] CreateState() => [double.PositiveInfinity, double.PositiveInfinity, double.NegativeInfinity, double.NegativeInfinity];

        public override void Update(double[] state, DuckDbChunk input, int row)
        {
            var x = input.GetValue<double>(0, row);
            var y = input.GetValue<double>(1, row);
            state[0] = Math.Min(state[0], x);
            state[1] = Math.Min(state[1], y);
            state[2] = Math.Max(state[2], x);
            state[3] = Math.Max(state[3], y);
        }

        public override void Combine(double[] source, double[] target)
        {
            target[0] = Math.Min(target[0], source[0]);
            target[1] = Math.Min(target[1], source[1]);
            target[2] = Math.Max(target[2], source[2]);
            target[3] = Math.Max(target[3], source[3]);
        }

        public override string? Finalize(double[] state) =>
            double.IsInfinity(state[0]) ? null : FormattableString.Invariant($"BOX({state[0]} {state[1]}, {state[2]} {state[3]})");
    }

    [Fact]
    public void an_exception_in_an_aggregate_becomes_a_duckdb_error()
    {
        _connection.RegisterAggregateFunction("strict_sum", [DuckDbType.BigInt], DuckDbType.BigInt, new StrictSum());

        var error = Assert.Throws<DuckDbFunctionException>(() => _connection.Execute("SELECT i % 3, strict_sum(i) FROM range(5000) t(i) GROUP BY ALL"));

        Assert.Contains("negative totals are not allowed", error.Message, StringComparison.Ordinal);
        Assert.Equal(4950L, _connection.ExecuteScalar<long>("SELECT strict_sum(i) FROM range(100) t(i)"));
    }

    private sealed class StrictSum : DuckDbAggregateFunction<long[], long>
    {
        public override long[] CreateState() => new long[1];

        public override void Update(long[] state, DuckDbChunk input, int row)
        {
            var value = input.GetValue<long>(0, row);
            state[0] += value == 4321 ? throw new InvalidDataException("negative totals are not allowed") : value;
        }

        public override void Combine(long[] source, long[] target) => target[0] += source[0];

        public override long Finalize(long[] state) => state[0];
    }

    [Fact]
    public void functions_are_visible_to_every_connection_of_the_database()
    {
        _connection.RegisterScalarFunction<string, int>("word_count", s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);

        using var other = _database.Connect();

        Assert.Equal(3, other.ExecuteScalar<int>("SELECT word_count('one map city')"));
    }
}
