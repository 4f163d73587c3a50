using Microsoft.Extensions.Options;

using OneMap.Ingest.Feeds;
using OneMap.Ingest.Sensors;
using OneMap.Ingest.Tickets;
using OneMap.Lakehouse;

namespace OneMap.GraphQLApi.Hosting;

/// <summary>
/// Where the embedded default's relative paths (the lake, feed contracts, drop folders, sensor logs, ticket exports)
/// resolve: <c>Api:Home</c> when set, else the OneMap checkout the server runs from (the folder above the working
/// directory or the binary that holds <c>feeds/</c> and <c>data-samples/</c>), else the working directory. So
/// <c>dotnet run --project src/GraphQLApi</c>, which runs in the project's folder, finds the sample city and keeps
/// its lake in the repository's (git-ignored) <c>lake/</c>.
/// </summary>
public static class EmbeddedPaths
{
    public static string Home(IConfiguration configuration)
    {
        if (configuration["Api:Home"] is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
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

    /// <summary>Makes the lake's and the ingest workers' relative paths relative to <see cref="Home"/>.</summary>
    public static IServiceCollection ResolveRelativePaths(this IServiceCollection services, IConfiguration configuration, bool ingest)
    {
        var home = Home(configuration);
        string Resolve(string path) => string.IsNullOrEmpty(path) || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(home, path));
        services.PostConfigure<LakehouseOptions>(o => o.Root = Resolve(o.Root));
        if (ingest)
        {
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
        }
        return services;
    }
}
