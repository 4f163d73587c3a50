using System.Globalization;
using System.Text.Json;

using OneMap.GraphQLApi.Tests.Support;
using OneMap.Testing;

namespace OneMap.GraphQLApi.Tests.Catalog;

/// <summary>The catalog: owners, schemas with sensitivity and units, freshness, lineage, receipts, and ingest health.</summary>
public sealed class CatalogTests(SampleCity city)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_dataset_says_how_far_its_data_reaches_in_time_and_space()
    {
        var entry = (await city.Server.QueryAsync(city.Keys.Analyst, """
            { catalog { dataset(name: "tickets") { extent { time { column from to } bbox } } } }
            """, cancellationToken: Ct)).Ok()["catalog"]!["dataset"]!["extent"]!;
        var expected = LakeFiles.Query(city.Server.LakeRoot, "tickets",
            "SELECT min(reported_at), max(reported_at), min(bbox.xmin), min(bbox.ymin), max(bbox.xmax), max(bbox.ymax) FROM {t}")[0];

        var reported = entry["time"]!.AsArray().Single(t => (string?)t!["column"] == "reported_at")!;
        Assert.Equal(Truncated((DateTimeOffset)expected[0]!), DateTimeOffset.Parse((string)reported["from"]!, CultureInfo.InvariantCulture));
        Assert.Equal(Truncated((DateTimeOffset)expected[1]!), DateTimeOffset.Parse((string)reported["to"]!, CultureInfo.InvariantCulture));
        Assert.EndsWith("+08:00", (string)reported["from"]!, StringComparison.Ordinal);
        Assert.Equal(expected[2..].Select(v => (double)v!), entry["bbox"]!.AsArray().Select(v => (double)v!));
        // A table without geometry has no bbox; a time column per visible timestamp column.
        var readings = (await city.Server.QueryAsync(city.Keys.Analyst, """{ catalog { dataset(name: "water_quality_readings") { extent { time { column } bbox } } } }""",
            cancellationToken: Ct)).Ok()["catalog"]!["dataset"]!["extent"]!;
        Assert.Null(readings["bbox"]);
        Assert.Contains(readings["time"]!.AsArray(), t => (string?)t!["column"] == "ts");
    }

    [Fact]
    public async Task a_departments_extent_covers_only_the_rows_it_may_read()
    {
        var entry = (await city.Server.QueryAsync(city.Keys.HousingDepartment, """
            { catalog { dataset(name: "tickets") { extent { time { column from to } bbox } } } }
            """, cancellationToken: Ct)).Ok()["catalog"]!["dataset"]!["extent"]!;
        var expected = LakeFiles.Query(city.Server.LakeRoot, "tickets",
            "SELECT min(reported_at), max(reported_at), min(bbox.xmin), max(bbox.xmax) FROM {t} WHERE department_code = $1", RoleKeys.Housing)[0];
        var everyone = LakeFiles.Query(city.Server.LakeRoot, "tickets", "SELECT min(reported_at), max(reported_at) FROM {t}")[0];

        var reported = entry["time"]!.AsArray().Single(t => (string?)t!["column"] == "reported_at")!;
        Assert.Equal((DateTimeOffset)expected[0]!, DateTimeOffset.Parse((string)reported["from"]!, CultureInfo.InvariantCulture));
        Assert.Equal((DateTimeOffset)expected[1]!, DateTimeOffset.Parse((string)reported["to"]!, CultureInfo.InvariantCulture));
        Assert.NotEqual(everyone[0], expected[0]);
        Assert.Equal((double)expected[2]!, (double)entry["bbox"]![0]!);
        Assert.Equal((double)expected[3]!, (double)entry["bbox"]![2]!);
    }

    /// <summary>File statistics keep timestamps to the millisecond.</summary>
    private static DateTimeOffset Truncated(DateTimeOffset value) => new(value.Ticks - value.Ticks % TimeSpan.TicksPerMillisecond, value.Offset);

    [Fact]
    public async Task a_dataset_shows_owner_schema_sensitivity_units_and_freshness()
    {
        var entry = (await city.Server.QueryAsync(city.Keys.Admin, """
            { catalog { dataset(name: "tickets") { name title owner { code name } keyColumns version rowCount sizeBytes fileCount
                columns { name type unit sensitivity description } freshness { lastCommit ageSeconds } } } }
            """, cancellationToken: Ct)).Ok()["catalog"]!["dataset"]!;
        Assert.Equal("D41", (string?)entry["owner"]!["code"]);
        Assert.False(string.IsNullOrEmpty((string?)entry["owner"]!["name"]));
        Assert.Equal(["ticket_id"], entry["keyColumns"]!.AsArray().Select(k => (string)k!));
        var columns = entry["columns"]!.AsArray().ToDictionary(c => (string)c!["name"]!, c => c!);
        Assert.Equal("PERSONAL", (string?)columns["reporter_phone"]["sensitivity"]);
        Assert.Equal("INTERNAL", (string?)columns["description"]["sensitivity"]);
        Assert.Equal("PUBLIC", (string?)columns["ticket_id"]["sensitivity"]);
        Assert.Equal(LakeFiles.Count(city.Server.LakeRoot, "tickets"), (long)entry["rowCount"]!);
        // Freshness is the time of the table's latest commit, as its Delta log says.
        var log = Path.Combine(city.Server.LakeRoot, "tickets", "_delta_log");
        var latest = Directory.EnumerateFiles(log, "*.json").Where(f => Path.GetFileNameWithoutExtension(f).All(char.IsAsciiDigit)).Order(StringComparer.Ordinal).Last();
        Assert.Equal(long.Parse(Path.GetFileNameWithoutExtension(latest), CultureInfo.InvariantCulture), (long)entry["version"]!);
        var commitInfo = File.ReadLines(latest).Select(l => JsonDocument.Parse(l).RootElement).First(e => e.TryGetProperty("commitInfo", out _)).GetProperty("commitInfo");
        var committed = DateTimeOffset.FromUnixTimeMilliseconds(commitInfo.GetProperty("timestamp").GetInt64());
        Assert.Equal(committed, DateTimeOffset.Parse((string)entry["freshness"]!["lastCommit"]!, CultureInfo.InvariantCulture));
        var units = (await city.Server.QueryAsync(city.Keys.Admin, "{ catalog { dataset(name: \"manhole_readings\") { columns { name unit } } } }", cancellationToken: Ct)).Ok();
        Assert.Contains(units["catalog"]!["dataset"]!["columns"]!.AsArray(), c => (string?)c!["name"] == "tilt_deg" && (string?)c["unit"] == "°");
    }

    [Fact]
    public async Task lineage_and_receipts_account_for_every_row()
    {
        var entry = (await city.Server.QueryAsync(city.Keys.Analyst, """
            { catalog { dataset(name: "manhole_covers") { lineage(limit: 10) { version operation source receipts }
                receipts(limit: 10) { receiptId source input status rowsRead rowsWritten rowsRejected rowsDuplicate tableVersion reconciles } } } }
            """, cancellationToken: Ct)).Ok()["catalog"]!["dataset"]!;
        var receipts = entry["receipts"]!.AsArray();
        var receipt = Assert.Single(receipts)!;
        Assert.Equal("manhole-covers.csv", Path.GetFileName((string)receipt["input"]!));
        Assert.True((bool)receipt["reconciles"]!);
        Assert.Equal((long)receipt["rowsRead"]!, (long)receipt["rowsWritten"]! + (long)receipt["rowsRejected"]! + (long)receipt["rowsDuplicate"]!);
        Assert.True((long)receipt["rowsRejected"]! > 0, "the sample spoils some manhole rows on purpose");
        var lineage = entry["lineage"]!.AsArray();
        Assert.Contains(lineage, l => l!["receipts"]!.AsArray().Any(r => (string?)r == (string?)receipt["receiptId"]));
    }

    [Fact]
    public async Task ingest_health_reports_lag_and_rejection_rate_per_worker()
    {
        var data = (await city.Server.QueryAsync(city.Keys.Analyst, """
            { catalog { ingestHealth { worker kind rowsRead rowsWritten rowsRejected rejectionRate lagSeconds lastCommit }
                        sourceHealth { source sourceKind inputs rowsRead rowsRejected rejectionRate lastInputAt } } }
            """, cancellationToken: Ct)).Ok()["catalog"]!;
        // The server was restarted on the ingested lake: its sensor worker runs (and found nothing new to replay).
        var workers = data["ingestHealth"]!.AsArray();
        Assert.Contains(workers, w => (string?)w!["kind"] == "sensors");
        foreach (var worker in workers)
        {
            var read = (long)worker!["rowsRead"]!;
            Assert.Equal(read == 0 ? 0 : (double)(long)worker["rowsRejected"]! / read, (double)worker["rejectionRate"]!, 12);
            Assert.True((double)worker["lagSeconds"]! >= 0);
        }
        var sources = data["sourceHealth"]!.AsArray();
        Assert.Contains(sources, s => (string?)s!["source"] == "manhole-covers" && (double)s["rejectionRate"]! > 0);
        Assert.Contains(sources, s => (string?)s!["sourceKind"] == "tickets");
        Assert.Contains(sources, s => (string?)s!["sourceKind"] == "sensors" && (long)s["inputs"]! >= SampleCity.SensorDays.Count * 2);
    }
}
