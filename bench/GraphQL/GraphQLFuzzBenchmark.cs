using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OneMap.Bench.Runner;
using OneMap.GraphQL.Types;

namespace OneMap.Bench.GraphQL;

/// <summary>
/// The long fuzz run the test suite caps at 100 000 documents: a million random and mutated documents through the
/// engine against the conformance schema, reporting documents per second and any failure.
/// </summary>
public sealed class GraphQLFuzzBenchmark : IBenchmark
{
    private const int Documents = 1_000_000;

    public string Name => "graphql-fuzz";

    public string Description => "GraphQL fuzzing: 1 000 000 random and mutated documents, none may crash, leak an internal error or hang";

    public async Task RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var corpus = Path.Combine(RepoFiles.Root, "tests", "GraphQL.Tests", "Corpus");
        var schema = SchemaBuilder.FromSdl(await File.ReadAllTextAsync(Path.Combine(corpus, "schema.graphql"), cancellationToken)).Build();
        var data = JsonValues.ToPlain(JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(corpus, "data.json"), cancellationToken)).RootElement);
        var seeds = Directory.EnumerateFiles(corpus, "*.graphql", SearchOption.AllDirectories).Select(File.ReadAllText).ToList();
        var stopwatch = Stopwatch.StartNew();
        var outcome = await FuzzRun.RunAsync(schema, data, seeds, Documents, seed: 7, cancellationToken);
        var seconds = stopwatch.Elapsed.TotalSeconds;
        context.ReportFigure("documents", outcome.Total.ToString("N0", CultureInfo.InvariantCulture));
        context.ReportFigure("documents/s (2 workers)", (outcome.Total / seconds).ToString("N0", CultureInfo.InvariantCulture));
        context.ReportFigure("syntax errors / validation errors / executed",
            $"{outcome.SyntaxErrors:N0} / {outcome.ValidationErrors:N0} / {outcome.Executed:N0}");
        context.ReportFigure("failures (crash, internal error, timeout)", outcome.Failures.Count == 0 ? "none" : string.Join("\n", outcome.Failures));
    }
}
