using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneMap.Bench.Runner;
using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Transport;

namespace OneMap.Bench.GraphQL;

/// <summary>
/// Requests per second and p99 latency with wrk on loopback for a small query (a cached document, GET), OneMap's
/// endpoint on Kestrel against graphql-js on node's http server with the same schema, data and document cache.
/// </summary>
public sealed partial class GraphQLHttpBenchmark : IBenchmark
{
    private const int Seconds = 5;
    private const int Connections = 32;

    public string Name => "graphql-http";

    public string Description => "GraphQL over HTTP with wrk: requests/s and p99 of a small cached query, OneMap (Kestrel) vs graphql-js (node http)";

    public async Task RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        RepoFiles.RequireNodeTools();
        if (!File.Exists("/usr/bin/wrk"))
        {
            context.ReportFigure("graphql-http", "skipped: wrk is not installed (apt-get install wrk)");
            return;
        }
        var input = Path.Combine(context.ScratchDirectory, "server-input.json");
        await File.WriteAllTextAsync(input, JsonSerializer.Serialize(new { sdl = BenchSchema.Sdl, data = JsonNode.Parse(BenchSchema.DataJson) }), cancellationToken);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        var engine = new GraphQLEngine(BenchSchema.Build());
        app.MapGraphQL("/graphql", engine, new GraphQLServerOptions
        {
            ConfigureRequest = _ => ValueTask.FromResult(new ExecutionOptions { RootValue = BenchSchema.Data }),
        });
        await app.StartAsync(cancellationToken);
        var oneMapBase = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        using var node = RepoFiles.StartNode("graphql-js-server.mjs", input);
        var port = await node.StandardOutput.ReadLineAsync(cancellationToken) ?? throw new InvalidOperationException("the node server printed no port");
        try
        {
            var path = "/graphql?query=" + Uri.EscapeDataString(BenchSchema.SmallQuery);
            var oneMapUrl = oneMapBase.TrimEnd('/') + path;
            var nodeUrl = $"http://127.0.0.1:{port.Trim()}{path}";
            using (var http = new HttpClient())
            {
                var a = JsonNode.Parse(await http.GetStringAsync(oneMapUrl, cancellationToken));
                var b = JsonNode.Parse(await http.GetStringAsync(nodeUrl, cancellationToken));
                context.Output.WriteLine($"both servers answer the same: {(JsonNode.DeepEquals(a, b) ? "yes" : "NO")}");
            }
            var oneMapRates = new List<double>();
            var nodeRates = new List<double>();
            var oneMapP99 = new List<double>();
            var nodeP99 = new List<double>();
            // Interleaved runs, so load from the rest of the machine falls on both alike.
            for (var run = 0; run < context.Runs; run++)
            {
                var (rate, p99) = await WrkAsync(oneMapUrl, cancellationToken);
                oneMapRates.Add(rate);
                oneMapP99.Add(p99);
                (rate, p99) = await WrkAsync(nodeUrl, cancellationToken);
                nodeRates.Add(rate);
                nodeP99.Add(p99);
            }
            context.ReportRates($"requests/s, {Connections} connections, {Seconds} s", "req/s",
                new Samples("OneMap", oneMapRates).Median, new Samples("graphql-js", nodeRates).Median);
            context.ReportTimes("p99 latency (ms)", new Samples("OneMap", oneMapP99), new Samples("graphql-js", nodeP99));
        }
        finally
        {
            node.Kill(entireProcessTree: true);
            await app.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<(double Rate, double P99)> WrkAsync(string url, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-t2", $"-c{Connections}", $"-d{Seconds}s", "--latency", url })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var rate = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var p99 = P99().Match(output);
        var value = double.Parse(p99.Groups[1].Value, CultureInfo.InvariantCulture);
        var milliseconds = p99.Groups[2].Value switch
        {
            "us" => value / 1000,
            "ms" => value,
            "s" => value * 1000,
            _ => value * 60_000,
        };
        if (output.Contains("Non-2xx", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("wrk saw error responses: " + output);
        }
        return (rate, milliseconds);
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"\s99%\s+([0-9.]+)(us|ms|s|m)")]
    private static partial Regex P99();
}
