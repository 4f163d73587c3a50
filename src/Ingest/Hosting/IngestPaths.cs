using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OneMap.Ingest.Feeds;
using OneMap.Ingest.Sensors;
using OneMap.Ingest.Tickets;
using OneMap.Lakehouse;

namespace OneMap.Ingest.Hosting;

/// <summary>
/// Where a standalone ingest process resolves the relative paths of its options (the lake, feed contracts, drop
/// folders, sensor logs, ticket exports): <c>Ingest:Home</c> when set, else the OneMap checkout it runs from (the first
/// folder above the working directory or the binary holding <c>feeds/</c> and <c>data-samples/</c>), else the working
/// directory. So <c>dotnet run --project src/IngestHost</c> finds the sample city from any folder of the checkout, and
/// a deployed worker (no checkout around it) keeps resolving against its working directory.
/// </summary>
public static class IngestPaths
{
    /// <summary>The setting that names the home folder of a standalone ingest process.</summary>
    public const string HomeSetting = "Ingest:Home";

    /// <summary>The folder relative paths resolve against, searching upward from the working directory and the binary.</summary>
    /// <param name="configuration">Where <paramref name="homeSetting"/> is read.</param>
    /// <param name="homeSetting">The setting that overrides the search (the server hosting the workers uses its own).</param>
    public static string Home(IConfiguration configuration, string homeSetting = HomeSetting) =>
        Home(configuration, [Directory.GetCurrentDirectory(), AppContext.BaseDirectory], homeSetting);

    /// <summary>The folder relative paths resolve against, searching upward from <paramref name="searchFrom"/> in order.</summary>
    public static string Home(IConfiguration configuration, IEnumerable<string> searchFrom, string homeSetting = HomeSetting)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration[homeSetting] is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }
        foreach (var start in searchFrom)
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (Directory.Exists(Path.Combine(directory.FullName, "feeds")) && Directory.Exists(Path.Combine(directory.FullName, "data-samples")))
                {
                    return directory.FullName;
                }
            }
        }
        return Directory.GetCurrentDirectory();
    }

    /// <summary><paramref name="path"/> relative to <paramref name="home"/>; empty and rooted paths stay as they are.</summary>
    public static string Resolve(string home, string path) =>
        string.IsNullOrEmpty(path) || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(home, path));

    /// <summary>Makes the lake's root relative to <paramref name="home"/>.</summary>
    public static IServiceCollection ResolveLakePath(this IServiceCollection services, string home) =>
        services.PostConfigure<LakehouseOptions>(o => o.Root = Resolve(home, o.Root));

    /// <summary>Makes the lake's and the ingest workers' relative paths relative to <paramref name="home"/>; rooted paths stay.</summary>
    public static IServiceCollection ResolveIngestPaths(this IServiceCollection services, string home)
    {
        string Resolve(string path) => IngestPaths.Resolve(home, path);
        services.ResolveLakePath(home);
        services.PostConfigure<FeedOptions>(o =>
        {
            o.ContractsFolder = Resolve(o.ContractsFolder);
            o.DropRoot = Resolve(o.DropRoot);
        });
        services.PostConfigure<SensorOptions>(o =>
        {
            o.ReplayFolder = Resolve(o.ReplayFolder);
            if (o.KnownSensorsFile is { } known)
            {
                o.KnownSensorsFile = Resolve(known);
            }
        });
        services.PostConfigure<TicketOptions>(o =>
        {
            o.Hotline.ExportFile = Resolve(o.Hotline.ExportFile);
            o.Open311.ExportFile = Resolve(o.Open311.ExportFile);
        });
        return services;
    }
}
