using OneMap.Ingest.Hosting;

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
    /// <summary>The setting that names the server's home folder.</summary>
    public const string HomeSetting = "Api:Home";

    /// <summary>The folder the server's relative paths resolve against (the same search as a standalone ingest process).</summary>
    public static string Home(IConfiguration configuration) => IngestPaths.Home(configuration, HomeSetting);

    /// <summary>Makes the lake's (and, when the server hosts them, the ingest workers') relative paths relative to <see cref="Home"/>.</summary>
    public static IServiceCollection ResolveRelativePaths(this IServiceCollection services, IConfiguration configuration, bool ingest)
    {
        var home = Home(configuration);
        return ingest ? services.ResolveIngestPaths(home) : services.ResolveLakePath(home);
    }
}
