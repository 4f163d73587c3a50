using System.Net.Http.Headers;

using Microsoft.Extensions.DependencyInjection;

using OneMap.Bench.Runner;
using OneMap.GraphQLApi.Hosting;
using OneMap.GraphQLApi.Querying;

namespace OneMap.Bench.Api;

/// <summary>
/// Only the two large-result figures of <see cref="ApiBenchmark"/> (hourly DO per station over 30 days, 1,000 tickets
/// in a bbox as GeoJSON), same host and same references, without the minutes of wrk runs: for iterating on the GraphQL
/// engine's cost per value.
/// </summary>
public sealed class ApiListsBenchmark : IBenchmark
{
    public string Name => "api-lists";

    public string Description => "the api benchmark's large results only: hourly DO 30 days (43k groups), 1,000 tickets in a bbox as GeoJSON";

    public async Task RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var root = Path.Combine(OneMap.Testing.RepoPaths.RepoRoot, "bench", "results", "api-scale10");
        var (_, lake) = await ApiHost.PrepareScaleTenAsync(root, context.Output, cancellationToken);
        context.Output.WriteLine($"GC mode: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, {Environment.ProcessorCount} cores, load {LoadAverage()}");
        await using var host = await ApiHost.StartAsync(new Dictionary<string, string?>
        {
            ["Lakehouse:Root"] = lake,
            ["Api:HostIngest"] = "false",
            ["Security:BootstrapAdminKey"] = ApiBenchmark.Key,
            ["Logging:LogLevel:Default"] = "Warning",
        }, cancellationToken);
        using var http = new HttpClient { BaseAddress = new Uri(host.BaseAddress) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", ApiBenchmark.Key);
        var queries = host.Services.GetRequiredService<LakeQueries>();
        await ApiBenchmark.HourlyOxygenAsync(context, http, queries, host.Services.GetRequiredService<CityClock>(), cancellationToken);
        await ApiBenchmark.TicketsInBoxAsync(context, http, queries, cancellationToken);
        context.Output.WriteLine($"load at the end {LoadAverage()}");
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
