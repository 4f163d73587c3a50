using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

using OneMap.GraphQLApi.Tests.Support;
using OneMap.Ingest.Feeds;
using OneMap.Ingest.Feeds.Contracts;
using OneMap.Ingest.Metrics;
using OneMap.Ingest.Privacy;
using OneMap.Ingest.Quarantine;
using OneMap.Ingest.Receipts;
using OneMap.Lakehouse;

namespace OneMap.GraphQLApi.Tests.Datasets;

/// <summary>
/// A department onboarded with one contract file and no code: after its first commit its dataset is in the schema,
/// with the catalog's descriptions and units, its sensitivity applied, and queryable like every other.
/// </summary>
public sealed class OnboardingTests(IsolatedCity city) : IClassFixture<IsolatedCity>, IDisposable
{
    private readonly OneMap.Testing.TempDirectory directory = new("onemap-api-onboard");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_new_feed_appears_in_the_schema_after_its_first_commit()
    {
        var drop = Path.Combine(directory.Path, "air");
        Directory.CreateDirectory(drop);
        var contract = FeedContractReader.Parse("""
            {
              "feed": "air-stations", "dataset": "air_quality_stations", "owner": "D12", "title": "Air-quality stations",
              "description": "Automatic air-quality monitoring stations of the ecology bureau.",
              "mode": "upsert", "key": ["station_id"],
              "source": { "folder": "air" },
              "format": { "type": "csv" },
              "geometry": { "lon": "lon", "lat": "lat", "crs": "WGS84" },
              "columns": [
                { "name": "station_id", "from": "id", "description": "Station code." },
                { "name": "name", "from": "name", "description": "Station name." },
                { "name": "pm25_annual", "from": "pm25", "type": "double", "unit": "μg/m³", "description": "Annual mean PM2.5." },
                { "name": "keeper_phone", "from": "keeper", "sensitivity": "personal", "description": "Phone of the keeper." }
              ]
            }
            """, Path.Combine(directory.Path, "air-stations.json"));
        var file = Path.Combine(drop, "stations.csv");
        await File.WriteAllTextAsync(file, "id,name,pm25,lon,lat,keeper\nAQ-01,城厢站,27.5,119.00,25.43,13912345678\nAQ-02,涵江站,31.0,119.10,25.46,13800001111\n",
            new UTF8Encoding(false), Ct);

        Assert.Null((await city.Server.QueryAsync(city.Keys.Analyst, "{ __type(name: \"AirQualityStations\") { name } }", cancellationToken: Ct)).Ok()["__type"]);

        var lake = city.Server.Get<Lake>();
        var ingestor = new FeedIngestor(lake, new ReceiptStore(lake), new QuarantineStore(lake.Root), new PersonalData("onboarding-test-personal-data-key"), new IngestMetrics());
        var outcome = await ingestor.IngestFileAsync(contract, file, moveRefused: false, cancellationToken: Ct);
        Assert.Equal(FeedOutcomeKind.Committed, outcome.Kind);

        // The registry sees the catalog change (a commit through this lake) and the schema is generated again.
        JsonNode? type = null;
        var watch = Stopwatch.StartNew();
        while (type is null && watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            type = (await city.Server.QueryAsync(city.Keys.Analyst, "{ __type(name: \"AirQualityStations\") { description fields { name description } } }", cancellationToken: Ct))
                .Ok()["__type"];
            if (type is null)
            {
                await Task.Delay(200, Ct);
            }
        }
        Assert.NotNull(type);
        Assert.Contains("Air-quality stations", (string?)type["description"], StringComparison.Ordinal);
        var fields = type["fields"]!.AsArray().ToDictionary(f => (string)f!["name"]!, f => (string?)f!["description"]);
        Assert.Equal("Annual mean PM2.5. Unit: μg/m³.", fields["pm25_annual"]);
        Assert.DoesNotContain("keeper_phone", fields.Keys);
        var rows = (await city.Server.QueryAsync(city.Keys.Analyst, "{ air_quality_stations(orderBy: [{ column: pm25_annual, direction: DESC }]) { nodes { station_id pm25_annual geom } } air_quality_stations_aggregate { groups { avg { pm25_annual } } } }",
            cancellationToken: Ct)).Ok();
        Assert.Equal(["AQ-02", "AQ-01"], rows["air_quality_stations"]!["nodes"]!.AsArray().Select(n => (string)n!["station_id"]!));
        Assert.Equal(29.25, (double)rows["air_quality_stations_aggregate"]!["groups"]![0]!["avg"]!["pm25_annual"]!, 9);
        // The owner sees its personal column, stored masked.
        var ecology = (await city.Server.QueryAsync(city.Keys.EcologyDepartment, "{ air_quality_stations { nodes { keeper_phone } } }", cancellationToken: Ct)).Ok();
        Assert.All(ecology["air_quality_stations"]!["nodes"]!.AsArray(), n => Assert.Contains("****", (string)n!["keeper_phone"]!, StringComparison.Ordinal));
    }

    public void Dispose() => directory.Dispose();
}
