using System.Text;
using OneMap.Ingest.Feeds;
using OneMap.Ingest.Feeds.Contracts;
using OneMap.Ingest.Receipts;
using OneMap.Ingest.Tests.Support;
using OneMap.Models.Crs;

namespace OneMap.Ingest.Tests.Feeds;

public sealed class FeedIngestorTests : IngestTestBase
{
    private static readonly Encoding Gb18030 = Gb();

    private static Encoding Gb()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(54936);
    }

    private static FeedContract Stations(string encoding = "gb18030", string mode = "upsert") => FeedContractReader.Parse($$"""
        {
          "feed": "ecology-stations", "dataset": "monitoring_stations", "owner": "D12", "title": "Stations",
          "mode": "{{mode}}", "key": ["station_id"],
          "source": { "folder": "ecology" },
          "format": { "type": "csv", "encoding": "{{encoding}}", "headerLine": 2 },
          "bounds": [118.0, 24.5, 119.5, 25.8],
          "geometry": { "lon": "经度", "lat": "纬度", "crs": "GCJ-02" },
          "columns": [
            { "name": "station_id", "from": "站点编码" },
            { "name": "name", "from": "站点名称", "required": true },
            { "name": "target_class", "from": "目标类别", "type": "int64", "values": { "I": "1", "II": "2", "III": "3" } },
            { "name": "depth_m", "from": "水深(米)", "type": "double", "unit": "m" },
            { "name": "built_at", "from": "建站时间", "type": "timestamp" },
            { "name": "built_on", "derivedFrom": "built_at", "type": "date" },
            { "name": "manager_phone", "from": "负责人电话", "sensitivity": "personal", "hashInto": "manager_phone_hash" }
          ]
        }
        """, "stations.json");

    private const string StationsCsv =
        "水质自动站一览表(2024年6月)\r\n" +
        "站点编码,站点名称,目标类别,水深(米),建站时间,经度,纬度,负责人电话\r\n" +
        "WQ001,\"木兰溪,上游站\",II,3.5,2024-06-01 08:00:00,119.0105,25.4321,13812345678\r\n" +
        "WQ002,下游站,III,abc,2024-06-02 09:30:00,119.0205,25.4421,13900001111\r\n" +
        "WQ003,河口站,IV,2.0,2024-06-03 10:00:00,119.0305,25.4521,\r\n" +
        "WQ004,远站,I,1.0,2024-06-04 10:00:00,121.5,31.2,\r\n" +
        ",无编码,I,1.0,2024-06-04 10:00:00,119.01,25.43,\r\n" +
        "WQ005,支流站,I,1.25,2024-06-05T07:15:00+08:00,119.0405,25.4621,13812345678\r\n";

    [Fact]
    public async Task lands_good_rows_and_quarantines_bad_ones_with_line_and_reason()
    {
        var path = WriteFile("stations.csv", StationsCsv, Gb18030);

        var outcome = await Ingestor.IngestFileAsync(Stations(), path, moveRefused: true, cancellationToken: Ct);

        Assert.Equal(FeedOutcomeKind.Committed, outcome.Kind);
        var receipt = outcome.Receipt;
        Assert.Equal((6L, 2L, 4L), (receipt.RowsRead, receipt.RowsWritten, receipt.RowsRejected));
        Assert.True(receipt.Reconciles);
        Assert.NotNull(receipt.TableVersion);

        var rows = ReadBack("monitoring_stations", "station_id, name, target_class, built_at, built_on, geom, manager_phone, manager_phone_hash", "station_id");
        Assert.Equal(["WQ001", "WQ005"], rows.Select(r => (string)r[0]!));
        Assert.Equal("木兰溪,上游站", rows[0][1]);
        Assert.Equal(2L, rows[0][2]);
        // 08:00 in Asia/Shanghai is 00:00 UTC.
        Assert.Equal(new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero), (DateTimeOffset)rows[0][3]!);
        Assert.Equal(new DateTimeOffset(2024, 6, 4, 23, 15, 0, TimeSpan.Zero), (DateTimeOffset)rows[1][3]!);
        Assert.Equal(new DateOnly(2024, 6, 5), rows[1][4] is DateOnly d ? d : DateOnly.FromDateTime((DateTime)rows[1][4]!));
        Assert.Equal("138****5678", rows[0][6]);
        Assert.Equal(rows[0][7], rows[1][7]); // the same phone hashes the same
        Assert.Equal(32, ((string)rows[0][7]!).Length);

        var quarantined = Quarantine.ReadAll("ecology-stations").ToList();
        Assert.Equal(4, quarantined.Count);
        var reasons = quarantined.ToDictionary(q => q.GetProperty("line").GetInt64(), q => q.GetProperty("reason").GetString()!);
        Assert.Contains("column 'depth_m' (from '水深(米)'): 'abc' is not a number", reasons[4], StringComparison.Ordinal);
        Assert.Contains("'IV' is not one of the listed values", reasons[5], StringComparison.Ordinal);
        Assert.Contains("outside the city's bounds", reasons[6], StringComparison.Ordinal);
        Assert.Contains("column 'station_id' (from '站点编码'): the value is empty", reasons[7], StringComparison.Ordinal);
        Assert.Contains("WQ002,下游站,III,abc", quarantined[0].GetProperty("record").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task converts_gcj02_coordinates_to_wgs84()
    {
        var path = WriteFile("stations.csv", StationsCsv, Gb18030);

        await Ingestor.IngestFileAsync(Stations(), path, moveRefused: true, cancellationToken: Ct);

        var rows = ReadBack("monitoring_stations", "geom", "station_id");
        var point = (NetTopologySuite.Geometries.Point)OneMap.Models.Spatial.Geo.FromWkb((byte[])rows[0][0]!);
        var (lon, lat) = CoordinateConverter.ToWgs84(CrsId.Gcj02, 119.0105, 25.4321);
        Assert.Equal(lon, point.X, 9);
        Assert.Equal(lat, point.Y, 9);
        Assert.True(Math.Abs(lon - 119.0105) > 0.001, "GCJ-02 is hundreds of metres off WGS84");
        Assert.Contains("\"bbox\"", (string)ReadBackMetadata("monitoring_stations"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_same_file_twice_changes_nothing()
    {
        var path = WriteFile("stations.csv", StationsCsv, Gb18030);
        var first = await Ingestor.IngestFileAsync(Stations(mode: "append"), path, moveRefused: true, cancellationToken: Ct);
        var version = (await Lake.Table("monitoring_stations").GetSnapshotAsync(Ct)).Version;

        var second = await Ingestor.IngestFileAsync(Stations(mode: "append"), path, moveRefused: true, cancellationToken: Ct);

        Assert.Equal(FeedOutcomeKind.Duplicate, second.Kind);
        Assert.Equal(first.Receipt.ReceiptId, second.Receipt.ReceiptId);
        Assert.Equal(version, (await Lake.Table("monitoring_stations").GetSnapshotAsync(Ct)).Version);
        Assert.Equal(2, ReadBack("monitoring_stations", "station_id").Count);
        Assert.Single(await Receipts.QueryAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task refuses_a_file_in_the_wrong_encoding_and_moves_it_aside()
    {
        var path = WriteFile("stations-utf8.csv", StationsCsv, new UTF8Encoding(false));

        var outcome = await Ingestor.IngestFileAsync(Stations(encoding: "gb18030"), path, moveRefused: true, cancellationToken: Ct);

        Assert.Equal(FeedOutcomeKind.Refused, outcome.Kind);
        Assert.Contains("stations-utf8.csv", outcome.Receipt.Message, StringComparison.Ordinal);
        Assert.Contains("looks like utf-8", outcome.Receipt.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
        Assert.True(File.Exists(outcome.MovedTo));
        Assert.Contains("looks like utf-8", await File.ReadAllTextAsync(outcome.MovedTo + ".reason.txt", Ct), StringComparison.Ordinal);
        Assert.False(Lake.Table("monitoring_stations").Exists && ReadBack("monitoring_stations", "station_id").Count > 0);
        var receipt = Assert.Single(await Receipts.QueryAsync(cancellationToken: Ct));
        Assert.Equal(ReceiptStatus.Refused, receipt.Status);
    }

    [Fact]
    public async Task refuses_utf8_declared_file_holding_gb18030_bytes()
    {
        var path = WriteFile("stations-gbk.csv", StationsCsv, Gb18030);

        var outcome = await Ingestor.IngestFileAsync(Stations(encoding: "utf-8"), path, moveRefused: true, cancellationToken: Ct);

        Assert.Equal(FeedOutcomeKind.Refused, outcome.Kind);
        Assert.Contains("utf-8", outcome.Receipt.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task refuses_a_file_missing_mapped_columns_naming_them()
    {
        var path = WriteFile("short.csv", "title\n站点编码,站点名称\nWQ1,a\n", Gb18030);

        var outcome = await Ingestor.IngestFileAsync(Stations(), path, moveRefused: true, cancellationToken: Ct);

        Assert.Equal(FeedOutcomeKind.Refused, outcome.Kind);
        Assert.Contains("'目标类别'", outcome.Receipt.Message, StringComparison.Ordinal);
        Assert.Contains("'经度'", outcome.Receipt.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task upserts_replace_rows_by_key()
    {
        await Ingestor.IngestFileAsync(Stations(), WriteFile("a.csv", StationsCsv, Gb18030), moveRefused: true, cancellationToken: Ct);
        var update = "t\r\n站点编码,站点名称,目标类别,水深(米),建站时间,经度,纬度,负责人电话\r\nWQ001,改名站,I,3.5,2024-06-01 08:00:00,119.0105,25.4321,\r\n";

        var outcome = await Ingestor.IngestFileAsync(Stations(), WriteFile("b.csv", update, Gb18030), moveRefused: true, cancellationToken: Ct);

        Assert.Equal(FeedOutcomeKind.Committed, outcome.Kind);
        var rows = ReadBack("monitoring_stations", "station_id, name, target_class", "station_id");
        Assert.Equal(2, rows.Count);
        Assert.Equal("改名站", rows[0][1]);
        Assert.Equal(1L, rows[0][2]);
    }

    [Fact]
    public async Task registers_the_dataset_in_the_catalog_from_the_contract()
    {
        await Ingestor.IngestFileAsync(Stations(), WriteFile("a.csv", StationsCsv, Gb18030), moveRefused: true, cancellationToken: Ct);

        var info = await Lake.Catalog.GetAsync("monitoring_stations", cancellationToken: Ct);

        Assert.NotNull(info);
        Assert.Equal("D12", info.Descriptor.OwnerDepartment);
        Assert.Equal(["ecology-stations"], info.Descriptor.Sources);
        Assert.Equal(["station_id"], info.KeyColumns);
        Assert.Equal("m", info.Columns.Single(c => c.Name == "depth_m").Unit);
        Assert.Equal(OneMap.Lakehouse.Tables.Sensitivity.Personal, info.Columns.Single(c => c.Name == "manager_phone").Sensitivity);
        Assert.True(info.Columns.Single(c => c.Name == "geom").IsGeometry);
        Assert.Contains(info.RecentLineage, l => l.Source == "ecology-stations");
    }

    [Fact]
    public async Task repeated_and_unique_text_values_land_exactly_as_written_trimmed()
    {
        var contract = FeedContractReader.Parse("""
            {
              "feed": "covers", "dataset": "covers", "owner": "D14", "mode": "append", "key": ["device_id"],
              "source": { "folder": "." }, "format": { "type": "csv", "encoding": "utf-8" },
              "columns": [ { "name": "device_id" }, { "name": "network" }, { "name": "road" } ]
            }
            """, "covers.json");
        string[] networks = ["storm", " sewage ", "gas", ""];
        var csv = new StringBuilder("device_id,network,road\n");
        for (var i = 0; i < 3000; i++)
        {
            // Ids are all distinct (more than the interner keeps); networks repeat, with padding and empties.
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"MH-{i:D5},{networks[i % 4]},路{i % 3}\n");
        }
        var outcome = await Ingestor.IngestFileAsync(contract, WriteFile("covers.csv", csv.ToString(), Encoding.UTF8), moveRefused: false, cancellationToken: Ct);

        Assert.Equal(3000L, outcome.Receipt.RowsWritten);
        var rows = ReadBack("covers", "device_id, network, road", "device_id");
        Assert.Equal(3000, rows.Select(r => (string)r[0]!).Distinct().Count());
        Assert.Equal(["MH-02998", "gas", "路1"], rows[^2].Select(v => (string?)v));
        Assert.Equal(["MH-01001", "sewage", "路2"], rows[1001].Select(v => (string?)v));
        Assert.Null(rows[2999][1]);
        Assert.Equal(750, rows.Count(r => (string?)r[1] == "storm"));
    }
}
