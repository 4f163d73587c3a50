using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OneMap.Ingest.Feeds;
using OneMap.Ingest.Hosting;
using OneMap.Ingest.Sensors;
using OneMap.Ingest.Tickets;
using OneMap.Lakehouse;
using OneMap.Testing;

namespace OneMap.Ingest.Tests.Hosting;

public sealed class IngestPathsTests : IDisposable
{
    private readonly TempDirectory home = new("onemap-ingest-home");

    public void Dispose() => home.Dispose();

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void home_is_the_checkout_above_the_working_folder()
    {
        Directory.CreateDirectory(Path.Combine(home.Path, "feeds"));
        Directory.CreateDirectory(Path.Combine(home.Path, "data-samples"));
        var project = Directory.CreateDirectory(Path.Combine(home.Path, "src", "IngestHost")).FullName;

        Assert.Equal(home.Path, IngestPaths.Home(Configuration(), [project]).TrimEnd(Path.DirectorySeparatorChar));
    }

    [Fact]
    public void configured_home_wins_and_relative_option_paths_resolve_against_it_while_rooted_ones_stay()
    {
        var configured = IngestPaths.Home(Configuration(("Ingest:Home", home.Path)), []);
        var services = new ServiceCollection();
        services.Configure<SensorOptions>(o => o.KnownSensorsFile = "/etc/onemap/sensors.txt");
        services.Configure<TicketOptions>(_ => { });
        services.Configure<FeedOptions>(_ => { });
        services.Configure<LakehouseOptions>(_ => { });
        services.ResolveIngestPaths(configured);
        using var provider = services.BuildServiceProvider();

        Assert.Equal(Path.Combine(home.Path, "feeds", "sample-city"), provider.GetRequiredService<IOptions<FeedOptions>>().Value.ContractsFolder);
        Assert.Equal(Path.Combine(home.Path, "data-samples"), provider.GetRequiredService<IOptions<FeedOptions>>().Value.DropRoot);
        Assert.Equal(Path.Combine(home.Path, "lake"), provider.GetRequiredService<IOptions<LakehouseOptions>>().Value.Root);
        Assert.Equal(Path.Combine(home.Path, "data-samples", "sensors"), provider.GetRequiredService<IOptions<SensorOptions>>().Value.ReplayFolder);
        Assert.Equal("/etc/onemap/sensors.txt", provider.GetRequiredService<IOptions<SensorOptions>>().Value.KnownSensorsFile);
        Assert.Equal(Path.Combine(home.Path, "data-samples", "tickets", "hotline-12345.jsonl.gz"), provider.GetRequiredService<IOptions<TicketOptions>>().Value.Hotline.ExportFile);
    }
}
