using System.Text.Json.Nodes;
using OneMap.GraphQL.Tests.Support;
using OneMap.Testing;

namespace OneMap.GraphQL.Tests.Conformance;

/// <summary>
/// What graphql-js says about every corpus document, computed once per test run by one node process
/// (tests/tools/conformance.mjs) and shared by the conformance tests.
/// </summary>
public sealed class ReferenceResults : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("onemap-graphql-conformance");
    private Dictionary<string, JsonObject>? _results;

    public IReadOnlyList<CorpusDocument> Documents { get; } = CorpusDocument.LoadAll();

    public JsonObject For(string id) => _results?[id] ?? throw new InvalidOperationException("reference results were not computed");

    public async ValueTask InitializeAsync()
    {
        try
        {
            NodeTools.Require();
        }
        catch (Exception)
        {
            // Each test calls Require itself and skips or fails there.
            return;
        }
        var input = new
        {
            sdl = ConformanceSchema.Sdl,
            data = JsonNode.Parse(ConformanceSchema.DataJson),
            documents = Documents.Select(d => new
            {
                id = d.Id,
                query = d.Query,
                variables = d.VariablesJson is null ? null : JsonNode.Parse(d.VariablesJson),
                operationName = d.OperationName,
            }),
        };
        var output = await NodeTools.RunJsonAsync("conformance.mjs", input, _directory.Path, CancellationToken.None);
        _results = output.AsArray().Select(n => n!.AsObject()).ToDictionary(o => (string)o["id"]!, o => o);
    }

    public ValueTask DisposeAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}
