using System.Buffers.Binary;

using OneMap.Testing;

namespace OneMap.DuckDb.Tests;

public sealed class ParquetTests : IDisposable
{
    private readonly TempDirectory _temp = new("duckdb-parquet");
    private readonly DuckDbDatabase _database = DuckDbDatabase.Open();
    private readonly DuckDbConnection _connection;

    public ParquetTests()
    {
        _connection = _database.Connect();
    }

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
        _temp.Dispose();
    }

    private static byte[] PointWkb(double x, double y)
    {
        var wkb = new byte[21];
        wkb[0] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(wkb.AsSpan(1), 1);
        BinaryPrimitives.WriteDoubleLittleEndian(wkb.AsSpan(5), x);
        BinaryPrimitives.WriteDoubleLittleEndian(wkb.AsSpan(13), y);
        return wkb;
    }

    private static string Literal(string path) => "'" + path.Replace("'", "''", StringComparison.Ordinal) + "'";

    [Fact]
    public void rows_appended_and_copied_to_parquet_read_back_with_their_types_and_geometry()
    {
        _connection.Execute("CREATE TABLE readings(station VARCHAR, ts TIMESTAMP, do_mg_l DOUBLE, ok BOOLEAN, geom GEOMETRY)");
        using (var appender = _connection.CreateAppender("readings"))
        {
            for (var i = 0; i < 3000; i++)
            {
                appender.Append($"S-{i % 60:D2}").Append(new DateTime(2024, 6, 1).AddMinutes(i)).Append(5 + (i % 40 * 0.1)).Append(i % 9 != 0)
                    .Append(PointWkb(119.0 + (i % 60 * 0.01), 25.4));
                appender.EndRow();
            }
        }
        var file = Path.Combine(_temp.Path, "readings.parquet");

        _connection.Execute($"COPY readings TO {Literal(file)} (FORMAT parquet)");

        Assert.True(File.Exists(file));
        Assert.Equal(3000L, _connection.ExecuteScalar<long>($"SELECT count(*) FROM read_parquet({Literal(file)})"));
        Assert.Equal(
            _connection.ExecuteScalar<double>("SELECT sum(do_mg_l) FROM readings"),
            _connection.ExecuteScalar<double>($"SELECT sum(do_mg_l) FROM read_parquet({Literal(file)})"));
        using (var reader = _connection.Query($"SELECT station, ts, ok, ST_AsWKB(geom), typeof(geom) FROM read_parquet({Literal(file)}) WHERE station = $1 ORDER BY ts LIMIT 1", "S-07"))
        {
            Assert.True(reader.Read());
            Assert.Equal(new DateTime(2024, 6, 1).AddMinutes(7), reader.GetDateTime(1));
            Assert.True(reader.GetBoolean(2));
            Assert.Equal(PointWkb(119.07, 25.4), (byte[])reader.GetValue(3));
            Assert.StartsWith("GEOMETRY", reader.GetString(4), StringComparison.Ordinal);
        }
        var geo = _connection.ExecuteScalar<string>($"SELECT decode(value) FROM parquet_kv_metadata({Literal(file)}) WHERE decode(key) = 'geo'");
        Assert.Contains("\"encoding\":\"WKB\"", geo, StringComparison.Ordinal);
        Assert.Contains("Point", geo, StringComparison.Ordinal);
    }
}
