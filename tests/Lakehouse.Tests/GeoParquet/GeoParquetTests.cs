using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;

namespace OneMap.Lakehouse.Tests.GeoParquet;

/// <summary>Data files with geometry are GeoParquet 1.1, checked by reading them back with DuckDB directly.</summary>
public sealed class GeoParquetTests : LakeTestBase
{
    private static readonly WKTReader Wkt = new();
    private static readonly WKBWriter WkbWriter = new(ByteOrder.LittleEndian, handleSRID: false, emitZ: false, emitM: false);

    private static byte[] Wkb(string wkt) => WkbWriter.Write(Wkt.Read(wkt));

    private static TableDefinition Stations() => new()
    {
        Name = "stations",
        Columns =
        [
            new("station_id", DeltaType.String) { Nullable = false },
            new("district", DeltaType.String),
            ColumnDefinition.Geometry("geom"),
            ColumnDefinition.Geometry("catchment"),
        ],
        PartitionColumns = ["district"],
        KeyColumns = ["station_id"],
    };

    private async Task<DeltaTable> StationsWithRows()
    {
        var table = await Lake.CreateTableAsync(Stations(), Ct);
        using var batch = table.CreateBatch();
        batch.AppendRow("S1", "Licheng", Wkb("POINT (119.01 25.43)"), Wkb("POLYGON ((119 25.4, 119.1 25.4, 119.1 25.5, 119 25.5, 119 25.4))"));
        batch.AppendRow("S2", "Licheng", Wkb("POINT (119.05 25.46)"), null);
        batch.AppendRow("S3", "Xiuyu", Wkb("POINT (119.2 25.2)"), Wkb("MULTIPOLYGON (((119.1 25.1, 119.3 25.1, 119.3 25.3, 119.1 25.1)))"));
        batch.AppendRow("S4", "Xiuyu", null, null);
        await batch.AppendAsync(cancellationToken: Ct);
        return table;
    }

    private JsonElement GeoMetadata(string file)
    {
        using var connection = Lake.Engine.Connect();
        var json = connection.ExecuteScalar<string>($"SELECT decode(value) FROM parquet_kv_metadata('{file}') WHERE decode(key) = 'geo'");
        return JsonDocument.Parse(json!).RootElement.Clone();
    }

    [Fact]
    public async Task data_files_carry_geoparquet_1_1_metadata_read_back_by_duckdb()
    {
        var table = await StationsWithRows();
        var snapshot = await table.GetSnapshotAsync(Ct);
        var licheng = snapshot.Files.Single(f => f.PartitionValues["district"] == "Licheng");

        var geo = GeoMetadata(snapshot.FullPath(licheng));

        Assert.Equal("1.1.0", geo.GetProperty("version").GetString());
        Assert.Equal("geom", geo.GetProperty("primary_column").GetString());
        var geom = geo.GetProperty("columns").GetProperty("geom");
        Assert.Equal("WKB", geom.GetProperty("encoding").GetString());
        Assert.Equal(["Point"], geom.GetProperty("geometry_types").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([119.01, 25.43, 119.05, 25.46], geom.GetProperty("bbox").EnumerateArray().Select(e => e.GetDouble()));
        var crs = geom.GetProperty("crs");
        Assert.Equal("GeographicCRS", crs.GetProperty("type").GetString());
        Assert.Equal("OGC", crs.GetProperty("id").GetProperty("authority").GetString());
        Assert.Equal("CRS84", crs.GetProperty("id").GetProperty("code").GetString());
        Assert.Equal(["bbox", "xmin"], geom.GetProperty("covering").GetProperty("bbox").GetProperty("xmin").EnumerateArray().Select(e => e.GetString()));
        var catchment = geo.GetProperty("columns").GetProperty("catchment");
        Assert.Equal(["Polygon"], catchment.GetProperty("geometry_types").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("catchment_bbox", catchment.GetProperty("covering").GetProperty("bbox").GetProperty("ymax")[0].GetString());
    }

    [Fact]
    public async Task duckdb_reads_the_geometry_back_as_its_geometry_type_with_the_same_coordinates()
    {
        var table = await StationsWithRows();
        var snapshot = await table.GetSnapshotAsync(Ct);
        var xiuyu = snapshot.FullPath(snapshot.Files.Single(f => f.PartitionValues["district"] == "Xiuyu"));
        using var connection = Lake.Engine.Connect();

        // The lake engine reads WKB; a default DuckDB (GeoParquet conversion on) sees GEOMETRY from the geo metadata.
        using var plain = OneMap.DuckDb.DuckDbDatabase.Open();
        using var reader = plain.Connect();
        var type = reader.ExecuteScalar<string>($"SELECT typeof(geom) FROM read_parquet('{xiuyu}') LIMIT 1");
        var text = reader.ExecuteScalar<string>($"SELECT ST_AsText(geom) FROM read_parquet('{xiuyu}') WHERE station_id = 'S3'");
        var types = reader.ExecuteScalar<string>($"SELECT decode(value) FROM parquet_kv_metadata('{xiuyu}') WHERE decode(key) = 'geo'");

        Assert.StartsWith("GEOMETRY", type, StringComparison.Ordinal);
        Assert.Equal("POINT (119.2 25.2)", text);
        Assert.Contains("\"MultiPolygon\"", types, StringComparison.Ordinal);
    }

    [Fact]
    public async Task rows_carry_a_bbox_struct_that_is_null_exactly_when_the_geometry_is_null()
    {
        var table = await StationsWithRows();

        var rows = await table.QueryAsync("SELECT station_id, bbox.xmin, bbox.ymax, catchment_bbox IS NULL, catchment_bbox.xmax FROM {table} ORDER BY station_id", cancellationToken: Ct);

        Assert.Equal(new object?[] { "S1", 119.01, 25.43, false, 119.1 }, rows[0]);
        Assert.Equal(new object?[] { "S2", 119.05, 25.46, true, null }, rows[1]);
        Assert.Equal(new object?[] { "S4", null, null, true, null }, rows[3]);
    }

    [Fact]
    public async Task spatial_pruning_skips_files_by_the_bbox_statistics()
    {
        var table = await StationsWithRows();
        var snapshot = await table.GetSnapshotAsync(Ct);

        var scan = table.Scan(snapshot, Predicate.BboxIntersects(119.0, 25.4, 119.02, 25.44));

        Assert.Single(scan.Files);
        Assert.Equal(1, await table.CountAsync(Predicate.BboxIntersects(119.0, 25.4, 119.02, 25.44), cancellationToken: Ct));
        Assert.Empty(table.Scan(snapshot, Predicate.BboxIntersects(100, 10, 101, 11)).Files);
        var xiuyu = snapshot.Files.Single(f => f.PartitionValues["district"] == "Xiuyu").Statistics;
        Assert.Equal(119.2, xiuyu.Min(["bbox", "xmin"])!.Value.GetDouble());
        Assert.Equal(1, xiuyu.NullCount(["bbox", "xmin"]));
    }

    [Fact]
    public async Task ewkb_with_z_and_srid_is_stored_as_iso_wkb()
    {
        var table = await Lake.CreateTableAsync(Stations(), Ct);
        var point = new Point(119.1, 25.3, 12.5) { SRID = 4326 };
        var ewkb = new WKBWriter(ByteOrder.LittleEndian, handleSRID: true, emitZ: true).Write(point);
        using var batch = table.CreateBatch();
        batch.AppendRow("S9", "Licheng", ewkb, null);
        await batch.AppendAsync(cancellationToken: Ct);

        var stored = (byte[])(await table.QueryAsync("SELECT geom FROM {table}", cancellationToken: Ct))[0][0]!;
        Assert.Equal(1001u, BitConverter.ToUInt32(stored, 1));
        Assert.Equal(29, stored.Length);
        var snapshot = await table.GetSnapshotAsync(Ct);
        var geo = GeoMetadata(snapshot.FullPath(snapshot.Files.Single()));
        Assert.Equal(["Point Z"], geo.GetProperty("columns").GetProperty("geom").GetProperty("geometry_types").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task malformed_wkb_is_refused_naming_the_column()
    {
        var table = await Lake.CreateTableAsync(Stations(), Ct);
        using var batch = table.CreateBatch();
        batch.AppendRow("S1", "Licheng", new byte[] { 1, 1, 0, 0, 0, 0, 0 }, null);

        var error = await Assert.ThrowsAsync<InvalidValueException>(() => batch.AppendAsync(cancellationToken: Ct));

        Assert.Equal("geom", error.Column);
        Assert.Contains("WKB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task merges_and_deletes_keep_correct_geo_metadata_in_rewritten_files()
    {
        var table = await StationsWithRows();

        await table.MergeQueryAsync("SELECT 'S1' AS station_id, 'Licheng' AS district, ST_AsWKB(ST_GeomFromWKB(from_hex('0101000000000000000000F03F0000000000000040'))) AS geom", cancellationToken: Ct);
        await table.DeleteAsync(Predicate.Eq("station_id", "S2"), cancellationToken: Ct);

        var snapshot = await table.GetSnapshotAsync(Ct);
        var licheng = snapshot.Files.Single(f => f.PartitionValues["district"] == "Licheng");
        var geo = GeoMetadata(snapshot.FullPath(licheng));
        Assert.Equal([1.0, 2.0, 1.0, 2.0], geo.GetProperty("columns").GetProperty("geom").GetProperty("bbox").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Empty(geo.GetProperty("columns").GetProperty("catchment").GetProperty("geometry_types").EnumerateArray());
    }

    [Fact]
    public async Task unpartitioned_append_writes_exact_geo_metadata_and_bbox_stats_without_a_staging_copy()
    {
        var table = await Lake.CreateTableAsync(Stations() with { Name = "flat_stations", PartitionColumns = [] }, Ct);
        using var batch = table.CreateBatch();
        batch.AppendRow("S1", "Licheng", Wkb("POINT (119.01 25.43)"), Wkb("POLYGON ((119 25.4, 119.1 25.4, 119.1 25.5, 119 25.5, 119 25.4))"));
        batch.AppendRow("S2", "Xiuyu", Wkb("POINT (119.2 25.2)"), null);
        batch.AppendRow("S3", null, null, null);
        await batch.AppendAsync(cancellationToken: Ct);

        var snapshot = await table.GetSnapshotAsync(Ct);
        var file = snapshot.FullPath(snapshot.Files.Single());
        var geom = GeoMetadata(file).GetProperty("columns").GetProperty("geom");
        Assert.Equal([119.01, 25.2, 119.2, 25.43], geom.GetProperty("bbox").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(["Point"], geom.GetProperty("geometry_types").EnumerateArray().Select(e => e.GetString()));
        using var stats = JsonDocument.Parse(snapshot.Files.Single().Stats!);
        Assert.Equal(3, stats.RootElement.GetProperty("numRecords").GetInt64());
        Assert.Equal(119.01, stats.RootElement.GetProperty("minValues").GetProperty("bbox").GetProperty("xmin").GetDouble());
        Assert.Equal(25.43, stats.RootElement.GetProperty("maxValues").GetProperty("bbox").GetProperty("ymax").GetDouble());
        // A second reader: DuckDB on the file itself.
        using var connection = Lake.Engine.Connect();
        Assert.Equal(2L, connection.ExecuteScalar<long>($"SELECT count(*) FROM read_parquet('{file}') WHERE bbox IS NOT NULL AND geom IS NOT NULL"));
    }

    [Fact]
    public async Task malformed_wkb_in_an_unpartitioned_table_is_refused_naming_the_column_and_leaves_no_file()
    {
        var table = await Lake.CreateTableAsync(Stations() with { Name = "flat_stations", PartitionColumns = [] }, Ct);
        using var batch = table.CreateBatch();
        batch.AppendRow("S1", "Licheng", Wkb("POINT (119.01 25.43)"), null);
        batch.AppendRow("S2", "Licheng", null, new byte[] { 1, 3, 0, 0, 0, 9 });

        var error = await Assert.ThrowsAsync<InvalidValueException>(() => batch.AppendAsync(cancellationToken: Ct));

        Assert.Equal("catchment", error.Column);
        Assert.Contains("WKB", error.Message, StringComparison.Ordinal);
        Assert.Empty((await table.GetSnapshotAsync(Ct)).Files);
        Assert.Empty(System.IO.Directory.EnumerateFiles(table.Root, "*.parquet", SearchOption.AllDirectories));
    }
}
