using OneMap.Bench.GraphQL;
using OneMap.GraphQL.Tests.Conformance;

namespace OneMap.GraphQL.Tests.Fuzzing;

/// <summary>
/// 100 000 random and mutated documents through parse, validate and execute: none may throw out of the engine,
/// none may produce an internal error, none may run into the time limit, and every response must be valid JSON.
/// Longer runs: <c>dotnet run --project bench -c Release -- graphql-fuzz</c>.
/// </summary>
public sealed class FuzzTests
{
    public const int Documents = 100_000;

    [Fact]
    public async Task random_and_mutated_documents_never_crash_or_hang_the_engine()
    {
        var seeds = CorpusDocument.LoadAll().Select(d => d.Query).ToList();
        var outcome = await FuzzRun.RunAsync(ConformanceSchema.Schema, ConformanceSchema.Data, seeds, Documents, seed: 20240501,
            TestContext.Current.CancellationToken);
        Assert.Equal(Documents, outcome.Total);
        Assert.True(outcome.Failures.Count == 0, string.Join("\n\n", outcome.Failures));
        // The generator must reach every stage: parse errors, validation errors and executed documents.
        Assert.True(outcome.SyntaxErrors > Documents / 10, $"{outcome.SyntaxErrors} syntax errors");
        Assert.True(outcome.ValidationErrors > Documents / 10, $"{outcome.ValidationErrors} validation errors");
        Assert.True(outcome.Executed > Documents / 20, $"{outcome.Executed} executed");
    }
}
