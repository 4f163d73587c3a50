using System.Collections.Concurrent;
using System.Text.Json;
using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Protection;
using OneMap.GraphQL.Tests.Conformance;

namespace OneMap.GraphQL.Tests.Fuzzing;

/// <summary>
/// 100 000 random and mutated documents through parse, validate and execute: none may throw out of the engine,
/// none may produce an internal error, none may run into the time limit, and every response must be valid JSON.
/// Bigger runs: bench/GraphQL (graphql-fuzz).
/// </summary>
public sealed class FuzzTests
{
    public const int Documents = 100_000;

    [Fact]
    public async Task random_and_mutated_documents_never_crash_or_hang_the_engine()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var outcome = await RunAsync(Documents, seed: 20240501, cancellationToken);
        Assert.Equal(Documents, outcome.Total);
        Assert.True(outcome.Failures.Count == 0, string.Join("\n\n", outcome.Failures));
        // The generator must reach every stage: parse errors, validation errors and executed documents.
        Assert.True(outcome.SyntaxErrors > Documents / 10, $"{outcome.SyntaxErrors} syntax errors");
        Assert.True(outcome.ValidationErrors > Documents / 10, $"{outcome.ValidationErrors} validation errors");
        Assert.True(outcome.Executed > Documents / 20, $"{outcome.Executed} executed");
    }

    public sealed record Outcome(int Total, int SyntaxErrors, int ValidationErrors, int Executed, IReadOnlyList<string> Failures);

    /// <summary>Runs <paramref name="count"/> generated documents on two workers; shared with the bench's longer runs.</summary>
    public static async Task<Outcome> RunAsync(int count, int seed, CancellationToken cancellationToken)
    {
        var engine = new GraphQLEngine(ConformanceSchema.Schema, new GraphQLEngineOptions
        {
            Limits = new RequestLimits { MaxTokens = 5_000, MaxDepth = 30, MaxAliases = 1_000, MaxCost = 1_000_000, Timeout = TimeSpan.FromSeconds(10) },
            // Mostly unique documents: a small cache keeps eviction busy as well.
            DocumentCacheSize = 256,
        });
        var seeds = CorpusDocument.LoadAll().Select(d => d.Query).ToList();
        var failures = new ConcurrentQueue<string>();
        int syntax = 0, validation = 0, executed = 0, total = 0;
        const int workers = 2;
        await Parallel.ForEachAsync(Enumerable.Range(0, workers), new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken },
            async (worker, token) =>
            {
                var fuzzer = new DocumentFuzzer(ConformanceSchema.Schema, seeds, seed + worker);
                for (var i = worker; i < count; i += workers)
                {
                    var (query, variables) = fuzzer.Next();
                    try
                    {
                        var result = await engine.ExecuteAsync(new GraphQLRequest { Query = query, Variables = variables },
                            new ExecutionOptions { RootValue = ConformanceSchema.Data }, token);
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
