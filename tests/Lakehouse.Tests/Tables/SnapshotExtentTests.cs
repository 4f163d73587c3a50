using NetTopologySuite.IO;
using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;

namespace OneMap.Lakehouse.Tests.Tables;

/// <summary>How far a table's data reaches, from the log's file statistics, checked against the rows themselves.</summary>
public sealed class SnapshotExtentTests : LakeTestBase
{
    [Fact]
    public async Task ranges_of_a_timestamp_a_number_and_a_partition_column_are_those_of_the_rows()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        await AppendReadings(table, 90);
        await AppendReadings(table, 10, day: new DateOnly(2024, 6, 2));
        var snapshot = await table.GetSnapshotAsync(Ct);
        var rows = (await table.QueryAsync("SELECT min(ts), max(ts), min(value), max(value), min(day), max(day) FROM {table}", cancellationToken: Ct))[0];

        Assert.Equal((rows[0]!, rows[1]!), SnapshotExtent.Range(snapshot, "ts"));
        Assert.Equal((rows[2]!, rows[3]!), SnapshotExtent.Range(snapshot, "value"));
        Assert.Equal(((object)new DateOnly(2024, 5, 1), (object)new DateOnly(2024, 6, 2)), SnapshotExtent.Range(snapshot, "day"));
    }

    [Fact]
    public async Task an_empty_table_and_a_column_of_nulls_have_no_range()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        Assert.Null(SnapshotExtent.Range(await table.GetSnapshotAsync(Ct), "ts"));

        await table.AppendQueryAsync("SELECT 'S1' AS station, DATE '2024-05-01' AS day, TIMESTAMPTZ '2024-05-01 00:00:00+00' AS ts, NULL::VARCHAR AS indicator, NULL::DOUBLE AS value", cancellationToken: Ct);
        var snapshot = await table.GetSnapshotAsync(Ct);
        Assert.Null(SnapshotExtent.Range(snapshot, "value"));
        Assert.NotNull(SnapshotExtent.Range(snapshot, "ts"));
        Assert.Throws<ArgumentException>(() => SnapshotExtent.Range(snapshot, "nope"));
    }

    [Fact]
    public async Task the_bbox_of_a_geometry_column_covers_every_geometry_across_files()
    {
        var table = await Lake.CreateTableAsync(new TableDefinition
        {
            Name = "points",
            Columns = [new("id", DeltaType.Long), new("district", DeltaType.String), ColumnDefinition.Geometry("geom")],
            PartitionColumns = ["district"],
        }, Ct);
        var wkt = new WKTReader();
        var wkb = new WKBWriter(ByteOrder.LittleEndian, handleSRID: false, emitZ: false, emitM: false);
        using (var batch = table.CreateBatch())
        {
            batch.AppendRow(1L, "Licheng", wkb.Write(wkt.Read("POINT (119.01 25.43)")));
            batch.AppendRow(2L, "Xiuyu", wkb.Write(wkt.Read("LINESTRING (119.2 25.2, 119.3 25.1)")));
            batch.AppendRow(3L, "Xiuyu", null);
            await batch.AppendAsync(cancellationToken: Ct);
        }

        var bbox = SnapshotExtent.Bbox(await table.GetSnapshotAsync(Ct));

        Assert.Equal(new OneMap.Lakehouse.GeoParquet.Envelope(119.01, 25.1, 119.3, 25.43), bbox);
        Assert.Null(SnapshotExtent.Bbox(await (await Lake.CreateTableAsync(Readings("plain"), Ct)).GetSnapshotAsync(Ct)));
    }
}
