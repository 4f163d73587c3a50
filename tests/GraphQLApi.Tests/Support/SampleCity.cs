using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

using OneMap.GraphQLApi.Datasets;
using OneMap.GraphQLApi.Tests.Support;
using OneMap.Ingest.Feeds.Contracts;
using OneMap.Lakehouse;
using OneMap.Testing;

[assembly: AssemblyFixture(typeof(SampleCity))]

namespace OneMap.GraphQLApi.Tests.Support;

/// <summary>
/// The sample city, ingested once for the whole test assembly by the server itself, as the embedded default does on a
/// fresh clone: feeds from data-samples and feeds/sample-city, the ticket exports, and two days of the sensor logs
/// replayed without a broker. The server keeps running (read-mostly tests share it); tests that change things start
/// their own server on a copy of the lake taken right after ingest (<see cref="CopyLake"/>).
/// </summary>
public sealed partial class SampleCity : IAsyncLifetime
{
    /// <summary>The sensor days replayed (the last two of the sample's week).</summary>
    public static readonly IReadOnlyList<string> SensorDays = ["2024-06-06", "2024-06-07"];

    /// <summary>The sample's export time: tickets are judged as of it.</summary>
    public static readonly DateTimeOffset ExportTime = new(2024, 6, 8, 0, 0, 0, TimeSpan.FromHours(8));

    private readonly TempDirectory directory = new("onemap-api-city");

    public ApiServer Server { get; private set; } = null!;

    /// <summary>What the first server printed at its first start on the fresh lake.</summary>
    public string FirstStartText { get; private set; } = "";

    /// <summary>The admin key the server printed at first start.</summary>
    public string AdminKey { get; private set; } = "";

    /// <summary>Keys made through the API for each role: public, analyst, department D11 (housing, many tickets), D17 (fisheries, owns vessels).</summary>
    public RoleKeys Keys { get; private set; } = null!;

    public static string DataSamples => Path.Combine(RepoPaths.RepoRoot, "data-samples");

    public static string Contracts => Path.Combine(RepoPaths.RepoRoot, "feeds", "sample-city");

    public string TemplateLake => Path.Combine(directory.Path, "template");

    public async ValueTask InitializeAsync()
    {
        var sensors = Path.Combine(directory.Path, "sensors");
        foreach (var stream in new[] { "water-quality", "manholes" })
        {
            Directory.CreateDirectory(Path.Combine(sensors, stream));
            foreach (var day in SensorDays)
            {
                File.Copy(Path.Combine(DataSamples, "sensors", stream, day + ".log.gz"), Path.Combine(sensors, stream, day + ".log.gz"));
            }
        }
        var lake = Path.Combine(directory.Path, "lake");
        var settings = new Dictionary<string, string?>
        {
            ["Api:HostIngest"] = "true",
            ["Ingest:Feeds:ContractsFolder"] = Contracts,
            ["Ingest:Feeds:DropRoot"] = DataSamples,
            ["Ingest:Feeds:PollInterval"] = "00:00:01",
            ["Ingest:Feeds:SettleTime"] = "00:00:00",
            ["Ingest:Sensors:ReplayFolder"] = sensors,
            ["Ingest:Sensors:RegistryRefresh"] = "00:00:02",
            ["Ingest:Tickets:Hotline:ExportFile"] = Path.Combine(DataSamples, "tickets", "hotline-12345.jsonl.gz"),
            ["Ingest:Tickets:Open311:ExportFile"] = Path.Combine(DataSamples, "tickets", "open311", "requests.json"),
            ["Ingest:Tickets:PollInterval"] = "00:05:00",
        };
        // The embedded default on a fresh lake: every worker at once (sensor readings wait for their registers).
        await using (var first = new ApiServer(lake, settings))
        {
            _ = first.Server;
            FirstStartText = first.FirstStartOutput.ToString();
            AdminKey = AdminKeyPattern().Match(FirstStartText).Value;
            Assert.False(string.IsNullOrEmpty(AdminKey), "the server printed no admin key at first start: " + FirstStartText);
            await WaitForIngestAsync(first, expectSensors: true, TestContext.Current.CancellationToken);
        }
        // Restarted on the same lake, as after a reboot: nothing is ingested twice, no key is printed again.
        Server = new ApiServer(lake, settings);
        _ = Server.Server;
        await WaitForIngestAsync(Server, expectSensors: true, TestContext.Current.CancellationToken);
        CopyDirectory(lake, TemplateLake);
        Keys = await RoleKeys.CreateAsync(Server, AdminKey, TestContext.Current.CancellationToken);
    }

    /// <summary>A copy of the lake as ingest left it (before any test changed anything).</summary>
    public string CopyLake(string destination)
    {
        CopyDirectory(TemplateLake, destination);
        // The copy gets its own keys: the template's first-start admin key is this fixture's, not the copy's.
        var keys = Path.Combine(destination, "_onemap", "api-keys.json");
        if (File.Exists(keys))
        {
            File.Delete(keys);
        }
        return destination;
    }

    private static async Task WaitForIngestAsync(ApiServer server, bool expectSensors, CancellationToken cancellationToken)
    {
        var expectedFeedInputs = FeedContractReader.LoadFolder(Contracts)
            .Where(c => c.Source.IsFolder)
            .Sum(c => Directory.Exists(Path.Combine(DataSamples, c.Source.Folder!))
                ? Directory.EnumerateFiles(Path.Combine(DataSamples, c.Source.Folder!), c.Source.Pattern).Count()
                : 0);
        var expectedSensorInputs = expectSensors ? SensorDays.Count * 2 : 0;
        var lake = server.Get<Lake>();
        var registry = server.Get<DatasetRegistry>();
        var watch = Stopwatch.StartNew();
        var state = "";
        while (watch.Elapsed < TimeSpan.FromMinutes(4))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var receipts = lake.Table("ingest_receipts");
            if (receipts.Exists)
            {
                var rows = await receipts.QueryAsync("SELECT source_kind, count(DISTINCT input), count(DISTINCT source) FROM {table} GROUP BY source_kind", cancellationToken: cancellationToken);
                var counts = rows.ToDictionary(r => (string)r[0]!, r => (Inputs: Convert.ToInt64(r[1], CultureInfo.InvariantCulture), Sources: Convert.ToInt64(r[2], CultureInfo.InvariantCulture)));
                state = string.Join(", ", counts.Select(c => $"{c.Key}: {c.Value.Inputs} inputs from {c.Value.Sources} sources")) + $"; expected {expectedFeedInputs} feed and {expectedSensorInputs} sensor inputs";
                var done = counts.GetValueOrDefault("feed").Inputs >= expectedFeedInputs
                    && counts.GetValueOrDefault("sensors").Inputs >= expectedSensorInputs
                    && counts.GetValueOrDefault("tickets").Sources >= 2;
                if (done)
                {
                    await registry.ReloadAsync(cancellationToken);
                    if ((!expectSensors || registry.Current["sensor_twins"] is not null) && registry.Current["tickets"] is not null && registry.Current["vessels"] is not null)
                    {
                        return;
                    }
                }
            }
            await Task.Delay(500, cancellationToken);
        }
        throw new TimeoutException("the sample city was not ingested within 4 minutes: " + state);
    }

    internal static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.EndsWith(".tmp", StringComparison.Ordinal))
            {
                continue;
            }
            var target = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        directory.Dispose();
    }

    [GeneratedRegex(@"om_[0-9a-f]{12}_[A-Za-z0-9_-]+")]
    private static partial Regex AdminKeyPattern();
}

/// <summary>API keys for every role, made through the admin's createApiKey mutation.</summary>
public sealed record RoleKeys(string Admin, string Public, string Analyst, string HousingDepartment, string FisheriesDepartment, string EcologyDepartment)
{
    /// <summary>The housing and construction bureau: many tickets are dispatched to it.</summary>
    public const string Housing = "D11";

    /// <summary>Ocean and fisheries: owns the vessels dataset (with personal owner columns).</summary>
    public const string Fisheries = "D17";

    /// <summary>Ecology and environment: owns the stations and readings.</summary>
    public const string Ecology = "D12";

    public static async Task<RoleKeys> CreateAsync(ApiServer server, string adminKey, CancellationToken cancellationToken)
    {
        var created = (await server.QueryAsync(adminKey, """
            mutation {
              p: createApiKey(name: "public portal", role: PUBLIC) { key }
              a: createApiKey(name: "analyst", role: ANALYST) { key }
              h: createApiKey(name: "housing bureau", role: DEPARTMENT, department: "D11") { key }
              f: createApiKey(name: "fisheries bureau", role: DEPARTMENT, department: "D17") { key }
              e: createApiKey(name: "ecology bureau", role: DEPARTMENT, department: "D12") { key }
            }
            """, cancellationToken: cancellationToken)).Ok();
        return new RoleKeys(adminKey, (string)created["p"]!["key"]!, (string)created["a"]!["key"]!, (string)created["h"]!["key"]!, (string)created["f"]!["key"]!,
            (string)created["e"]!["key"]!);
    }
}
