using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneMap.Bench.Runner;
using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Protection;

namespace OneMap.Bench.GraphQL;

/// <summary>
/// The engine's own time for a 200-field query with three fragment levels over in-memory data (20 stations, 5
/// readings each: about 7 000 values), against graphql-js (node) on the same schema, data and query in the same run:
/// parse + validate + execute, and execute alone on a parsed (cached) document. Target: OneMap at least as fast.
/// </summary>
public sealed class GraphQLExecutionBenchmark : IBenchmark
{
    private const int Batch = 40;
    private const int Warmup = 400;

    public string Name => "graphql-execute";

    public string Description => "GraphQL parse+validate+execute and execute of a 200-field query, OneMap vs graphql-js";

    public async Task RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        RepoFiles.RequireNodeTools();
        var input = Path.Combine(context.ScratchDirectory, "bench-input.json");
        await File.WriteAllTextAsync(input, JsonSerializer.Serialize(new
        {
            sdl = BenchSchema.Sdl,
            data = JsonNode.Parse(BenchSchema.DataJson),
            query = BenchSchema.Query,
            runs = context.Runs,
            batch = Batch,
            warmup = Warmup,
        }), cancellationToken);

        var schema = BenchSchema.Build();
        var options = new ExecutionOptions { RootValue = BenchSchema.Data, Limits = RequestLimits.None };
        // No document cache: every run parses and validates, as graphql-js's parse + validate + execute does.
        var uncached = new GraphQLEngine(schema, new GraphQLEngineOptions { DocumentCacheSize = 0, Limits = RequestLimits.None });
        var cached = new GraphQLEngine(schema, new GraphQLEngineOptions { Limits = RequestLimits.None });
        var request = new GraphQLRequest { Query = BenchSchema.Query };

        var check = await uncached.ExecuteAsync(request, options, cancellationToken);
        if (check.Errors is not null)
        {
            throw new InvalidOperationException("the benchmark query failed: " + check.Errors[0]);
        }
        context.Output.WriteLine($"query: {BenchSchema.CountFieldSelections()} field selections, result {check.ToUtf8Json().Length / 1024} KiB");

        var oneMapFull = Measure(context, "OneMap", () => uncached.ExecuteAsync(request, options, cancellationToken));
        var oneMapExecute = Measure(context, "OneMap", () => cached.ExecuteAsync(request, options, cancellationToken));

        var output = JsonNode.Parse(await RepoFiles.RunNodeAsync("graphql-js-execute.mjs", cancellationToken, input))!;
        var referenceFull = new Samples("graphql-js", output["full"]!.AsArray().Select(n => (double)n!).ToList());
        var referenceExecute = new Samples("graphql-js", output["execute"]!.AsArray().Select(n => (double)n!).ToList());
        var sizeMatches = (int)output["size"]! == JsonSerializer.Serialize(JsonNode.Parse(check.ToJson())).Length;
        context.Output.WriteLine($"results of both engines have the same JSON size: {(sizeMatches ? "yes" : "NO")}");

        context.ReportTimes("parse+validate+execute (ms per operation)", oneMapFull, referenceFull, maxRatio: 1.0);
        context.ReportTimes("execute, cached document (ms per operation)", oneMapExecute, referenceExecute, maxRatio: 1.0);
    }

    /// <summary>Warm-up, then <see cref="BenchmarkContext.Runs"/> samples, each the mean of a batch of operations.</summary>
    private static Samples Measure(BenchmarkContext context, string label, Func<Task<ExecutionResult>> operation)
    {
        for (var i = 0; i < Warmup; i++)
        {
            operation().GetAwaiter().GetResult();
        }
        var samples = new double[context.Runs];
        for (var run = 0; run < context.Runs; run++)
        {
            var stopwatch = Stopwatch.StartNew();
            for (var i = 0; i < Batch; i++)
            {
                // Resolvers here are synchronous, so the task is already complete.
                operation().GetAwaiter().GetResult();
            }
            samples[run] = stopwatch.Elapsed.TotalMilliseconds / Batch;
        }
        return new Samples(label, samples);
    }
}
