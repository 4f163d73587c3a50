using System.Globalization;
using System.Text;
using OneMap.Ingest.Feeds;
using OneMap.Ingest.Feeds.Contracts;
using OneMap.Ingest.Tests.Support;
using OneMap.Models.Crs;

namespace OneMap.Ingest.Tests.Feeds;

/// <summary>
/// Files larger than the load pipeline's windows (4,096 records) and its commit chunks: records are read, mapped on
/// several threads and appended in order, so these check that order, rejections and chunk commits survive the overlap.
/// </summary>
public sealed class FeedPipelineTests : IngestTestBase
{
    private const int Rows = 30_000;

    private static FeedContract Covers(string format = "csv") => FeedContractReader.Parse($$"""
        {
          "feed": "covers", "dataset": "covers", "owner": "D14", "mode": "append", "key": ["device_id"],
          "source": { "folder": "." }, "format": { "type": "{{format}}", "encoding": "utf-8" },
          "bounds": [118.0, 24.0, 120.5, 26.5],
          "geometry": { "lon": "lng", "lat": "lat", "crs": "BD-09" },
          "columns": [ { "name": "device_id" }, { "name": "seq", "type": "int64" }, { "name": "depth_cm", "type": "int64" } ]
        }
        """, "covers.json");

    /// <summary>Rows with a non-number depth every 997th row and a point off the map every 1,499th.</summary>
    private static bool IsBadDepth(int i) => i % 997 == 500;

    private static bool IsOffTheMap(int i) => i % 1499 == 700;

    private static (double Lng, double Lat) Bd09Of(int i) => CoordinateConverter.FromWgs84(CrsId.Bd09, 118.9 + i % 1000 * 0.0002, 25.3 + i / 1000 * 0.003);

    private static string CsvFile()
    {
        var csv = new StringBuilder("device_id,seq,depth_cm,lng,lat\n");
        for (var i = 0; i < Rows; i++)
        {
            var (lng, lat) = IsOffTheMap(i) ? (140.0, 40.0) : Bd09Of(i);
            csv.Append(CultureInfo.InvariantCulture, $"MH-{i:D6},{i},{(IsBadDepth(i) ? "deep" : (100 + i % 50).ToString(CultureInfo.InvariantCulture))},{lng:R},{lat:R}\n");
        }
        return csv.ToString();
    }

    private static string JsonLinesFile()
    {
        var lines = new StringBuilder();
        for (var i = 0; i < Rows; i++)
        {
            var (lng, lat) = IsOffTheMap(i) ? (140.0, 40.0) : Bd09Of(i);
            var depth = IsBadDepth(i) ? "\"deep\"" : (100 + i % 50).ToString(CultureInfo.InvariantCulture);
            lines.Append(CultureInfo.InvariantCulture, $"{{\"device_id\":\"MH-{i:D6}\",\"seq\":{i},\"depth_cm\":{depth},\"lng\":{lng:R},\"lat\":{lat:R}}}\n");
        }
        return lines.ToString();
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("jsonl")]
    public async Task a_file_of_many_windows_and_chunks_lands_whole_in_order_with_its_bad_rows_quarantined_by_line(string format)
    {
        var expectedBad = Enumerable.Range(0, Rows).Where(i => IsBadDepth(i) || IsOffTheMap(i)).ToList();
        var ingestor = new FeedIngestor(Lake, Receipts, Quarantine, null, Metrics) { ChunkRows = 7_000 };
        var text = format == "csv" ? CsvFile() : JsonLinesFile();
        var contract = Covers(format == "csv" ? "csv" : "jsonl");

        var outcome = await ingestor.IngestFileAsync(contract, WriteFile($"covers.{format}", text), moveRefused: false, cancellationToken: Ct);

        Assert.Equal(FeedOutcomeKind.Committed, outcome.Kind);
        var receipt = outcome.Receipt;
        Assert.Equal((long)Rows, receipt.RowsRead);
        Assert.Equal(expectedBad.Count, receipt.RowsRejected);
        Assert.Equal(Rows - expectedBad.Count, receipt.RowsWritten);
        Assert.True(receipt.Reconciles);
        // 30,000 rows less the rejected ones in chunks of ≥ 7,000: four commits after the table's creation.
        Assert.True(receipt.TableVersion >= 4, $"table version {receipt.TableVersion}");

        var rows = ReadBack("covers", "device_id, seq, depth_cm, geom", "seq");
        var good = Enumerable.Range(0, Rows).Except(expectedBad).ToList();
        Assert.Equal(good.Select(i => (long)i), rows.Select(r => (long)r[1]!));
        foreach (var k in new[] { 0, 4095, 4096, 12_345, rows.Count - 1 })
        {
            var i = (int)(long)rows[k][1]!;
            Assert.Equal($"MH-{i:D6}", rows[k][0]);
            Assert.Equal(100L + i % 50, rows[k][2]);
            var (lng, lat) = Bd09Of(i);
            var (lon, wgsLat) = CoordinateConverter.ToWgs84(CrsId.Bd09, lng, lat);
            var point = (NetTopologySuite.Geometries.Point)OneMap.Models.Spatial.Geo.FromWkb((byte[])rows[k][3]!);
            Assert.Equal(lon, point.X, 1e-9);
            Assert.Equal(wgsLat, point.Y, 1e-9);
        }

        var quarantined = Quarantine.ReadAll("covers").ToList();
        // A record's line is its row index plus one, after the header line of a CSV file.
        var offset = format == "csv" ? 2 : 1;
        Assert.Equal(expectedBad.Select(i => (long)(i + offset)), quarantined.Select(q => q.GetProperty("line").GetInt64()));
        var firstOffMap = quarantined.First(q => q.GetProperty("line").GetInt64() == 700 + offset);
        Assert.Contains("outside the city's bounds", firstOffMap.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("MH-000700", firstOffMap.GetProperty("record").GetString(), StringComparison.Ordinal);
        var firstBadDepth = quarantined.First(q => q.GetProperty("line").GetInt64() == 500 + offset);
        Assert.Contains("'deep' is not", firstBadDepth.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task bytes_that_are_not_utf8_deep_inside_a_file_refuse_it_naming_the_line_and_nothing_lands()
    {
        var good = Encoding.UTF8.GetBytes(CsvFile());
        // Cut after 20,000 records (several windows) and append a row with a byte that is not UTF-8.
        var cut = 0;
        for (var newlines = 0; newlines < 20_001; cut++)
        {
            newlines += good[cut] == (byte)'\n' ? 1 : 0;
        }
        var bad = good[..cut].Concat("MH-X,1,2,"u8.ToArray()).Concat(new byte[] { 0xFF, 0xFE }).Concat(",25.4\n"u8.ToArray()).Concat(good[cut..]).ToArray();
        var path = Path.Combine(Directory.Path, "drop", "broken.csv");
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, bad, Ct);

        var outcome = await Ingestor.IngestFileAsync(Covers(), path, moveRefused: true, cancellationToken: Ct);

        Assert.Equal(FeedOutcomeKind.Refused, outcome.Kind);
        Assert.Contains("broken.csv", outcome.Receipt.Message, StringComparison.Ordinal);
        Assert.Contains("is not valid utf-8 near line", outcome.Receipt.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(outcome.MovedTo));
        Assert.False(Lake.Table("covers").Exists && ReadBack("covers", "device_id").Count > 0);
    }

    [Fact]
    public async Task a_cancelled_load_stops_every_stage_and_commits_nothing()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var progress = new CancelAfterFirstReport(cancel);
        var path = WriteFile("covers.csv", CsvFile());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Ingestor.IngestFileAsync(Covers(), path, moveRefused: false, progress, cancel.Token));

        Assert.False(Lake.Table("covers").Exists && ReadBack("covers", "device_id").Count > 0);
        Assert.Empty(await Receipts.QueryAsync(cancellationToken: Ct));
    }

    private sealed class CancelAfterFirstReport(CancellationTokenSource cancel) : IProgress<IngestProgress>
    {
        public void Report(IngestProgress value) => cancel.Cancel();
    }
}
