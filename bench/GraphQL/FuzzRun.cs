using System.Collections.Concurrent;
using System.Text.Json;
using OneMap.GraphQL;
using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Protection;
using OneMap.GraphQL.Types;

namespace OneMap.Bench.GraphQL;

/// <summary>
/// Runs generated documents through parse, validate and execute on two workers and collects what went wrong: an
/// exception out of the engine, an internal error, a time limit reached, a response that is not JSON. Shared by the
/// fuzz test (100 000 documents) and the graphql-fuzz benchmark (longer runs).
/// </summary>
public static class FuzzRun
{
    public sealed record Outcome(int Total, int SyntaxErrors, int ValidationErrors, int Executed, IReadOnlyList<string> Failures);

    public static async Task<Outcome> RunAsync(Schema schema, object? rootValue, IReadOnlyList<string> seeds, int count, int seed, CancellationToken cancellationToken)
    {
        var engine = new GraphQLEngine(schema, new GraphQLEngineOptions
        {
            Limits = new RequestLimits { MaxTokens = 5_000, MaxDepth = 30, MaxAliases = 1_000, MaxCost = 1_000_000, Timeout = TimeSpan.FromSeconds(10) },
            // Mostly unique documents: a small cache keeps eviction busy as well.
            DocumentCacheSize = 256,
        });
        var failures = new ConcurrentQueue<string>();
        int syntax = 0, validation = 0, executed = 0, total = 0;
        const int workers = 2;
        await Parallel.ForEachAsync(Enumerable.Range(0, workers), new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken },
            async (worker, token) =>
            {
                var fuzzer = new DocumentFuzzer(schema, seeds, seed + worker);
                for (var i = worker; i < count; i += workers)
                {
                    var (query, variables) = fuzzer.Next();
                    try
                    {
                        var result = await engine.ExecuteAsync(new GraphQLRequest { Query = query, Variables = variables },
                            new ExecutionOptions { RootValue = rootValue }, token);
                        using var json = JsonDocument.Parse(result.ToUtf8Json());
                        var codes = result.Errors?.Select(e => e.Code).ToList() ?? [];
                        if (codes.Contains(ErrorCodes.InternalError) || codes.Contains(ErrorCodes.Timeout))
                        {
                            failures.Enqueue($"{string.Join(",", codes)} for {Shorten(query)}: {Shorten(result.ToJson())}");
                        }
                        if (codes.Contains(ErrorCodes.SyntaxError))
                        {
                            Interlocked.Increment(ref syntax);
                        }
                        else if (codes.Contains(ErrorCodes.ValidationFailed))
                        {
                            Interlocked.Increment(ref validation);
                        }
                        else if (result.HasData || result.Stream is not null)
                        {
                            Interlocked.Increment(ref executed);
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                    {
                        failures.Enqueue($"{e.GetType().Name}: {e.Message} for {Shorten(query)}\n{e.StackTrace}");
                    }
                    Interlocked.Increment(ref total);
                }
            });
        return new Outcome(total, syntax, validation, executed, failures.Take(20).ToList());
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
