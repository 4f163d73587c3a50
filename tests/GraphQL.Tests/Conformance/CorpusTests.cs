using System.Text.Json;
using System.Text.Json.Nodes;
using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Language;
using OneMap.GraphQL.Protection;
using OneMap.GraphQL.Tests.Support;
using OneMap.GraphQL.Validation;

namespace OneMap.GraphQL.Tests.Conformance;

/// <summary>
/// Every corpus document through OneMap and graphql-js side by side: the same syntax errors (at the same place), the
/// same validation rules failing at the same locations, and for valid documents the same execution result.
/// </summary>
public sealed class CorpusTests(ReferenceResults reference) : IClassFixture<ReferenceResults>
{
    private static readonly GraphQLEngine Engine = new(ConformanceSchema.Schema, new GraphQLEngineOptions { Limits = RequestLimits.None });

    public static TheoryData<string> DocumentIds => [.. CorpusDocument.LoadAll().Select(d => d.Id)];

    [Theory]
    [MemberData(nameof(DocumentIds))]
    public async Task agrees_with_graphql_js(string id)
    {
        NodeTools.Require();
        var document = reference.Documents.Single(d => d.Id == id);
        var expected = reference.For(id);

        DocumentNode parsed;
        try
        {
            parsed = Parser.Parse(document.Query);
        }
        catch (GraphQLSyntaxException e)
        {
            Assert.True(expected["syntaxError"] is JsonObject, $"OneMap reports a syntax error that graphql-js does not: {e.Message}");
            Assert.Equal(Locations(expected["syntaxError"]!["locations"]), [$"{e.Location.Line}:{e.Location.Column}"]);
            return;
        }
        Assert.True(expected["syntaxError"] is null, $"graphql-js reports a syntax error that OneMap does not: {expected["syntaxError"]?.ToJsonString()}");

        var errors = DocumentValidator.Validate(ConformanceSchema.Schema, parsed);
        if (expected["crashed"] is JsonValue crash)
        {
            // graphql-js threw instead of answering (a known defect of the reference, e.g. @include with a variable on a
            // subscription root field); the specification calls these documents invalid, and so must OneMap.
            Assert.True(errors.Count > 0, $"graphql-js crashed ({crash}); OneMap must reject the document but accepted it");
            return;
        }

        var expectedRules = expected["rules"]!.AsArray().Select(r => $"{r!["rule"]} at {string.Join(" ", Locations(r["locations"]))}").Order().ToList();
        var actualRules = errors.Select(e => $"{e.Rule} at {string.Join(" ", e.Locations?.Select(l => $"{l.Line}:{l.Column}") ?? [])}").Order().ToList();
        Assert.True(expectedRules.Distinct().SequenceEqual(actualRules.Distinct()),
            $"validation differs.\n  graphql-js: {string.Join("; ", expectedRules)}\n  OneMap:     {string.Join("; ", actualRules)}\n  OneMap messages: {string.Join(" | ", errors.Select(e => e.Message))}");

        if (expected["result"] is not JsonObject expectedResult)
        {
            return;
        }
        var result = await Engine.ExecuteAsync(new GraphQLRequest { Query = document.Query, Variables = document.Variables, OperationName = document.OperationName },
            new ExecutionOptions { RootValue = ConformanceSchema.Data }, TestContext.Current.CancellationToken);
        var actual = JsonNode.Parse(result.ToJson())!.AsObject();
        Assert.Equal((bool)expectedResult["hasData"]!, result.HasData);
        if (result.HasData)
        {
            var expectedData = expectedResult["data"];
            Assert.True(JsonNode.DeepEquals(expectedData, actual["data"]),
                $"data differs at {JsonDiff.FirstDifference(expectedData, actual["data"])}\n  OneMap errors: {actual["errors"]?.ToJsonString()}");
        }
        var expectedErrors = expectedResult["errors"]!.AsArray().Select(ErrorKey).Order().ToList();
        var actualErrors = (actual["errors"]?.AsArray() ?? []).Select(ErrorKey).Order().ToList();
        Assert.True(expectedErrors.SequenceEqual(actualErrors),
            $"errors differ.\n  graphql-js: {string.Join("; ", expectedErrors)}\n  OneMap:     {string.Join("; ", actualErrors)}\n  OneMap messages: {actual["errors"]?.ToJsonString()}");
    }

    [Fact]
    public void corpus_has_at_least_300_documents() => Assert.True(reference.Documents.Count >= 300, $"only {reference.Documents.Count} documents");

    [Fact]
    public void corpus_makes_graphql_js_fail_every_validation_rule()
    {
        NodeTools.Require();
        var failed = reference.Documents.SelectMany(d => reference.For(d.Id)["rules"]?.AsArray() ?? []).Select(r => (string)r!["rule"]!).ToHashSet();
        var all = DocumentValidator.SpecifiedRules.Select(create => create().Name).ToList();
        Assert.All(all, rule => Assert.True(failed.Contains(rule), $"no corpus document makes graphql-js fail {rule}"));
    }

    [Fact]
    public void corpus_has_valid_documents_that_execute()
    {
        NodeTools.Require();
        var executed = reference.Documents.Count(d => reference.For(d.Id)["result"] is JsonObject);
        Assert.True(executed >= 80, $"only {executed} documents are valid and executed");
    }

    private static List<string> Locations(JsonNode? locations) =>
        locations?.AsArray().Select(l => $"{l!["line"]}:{l["column"]}").ToList() ?? [];

    /// <summary>
    /// Errors are compared by path and locations; messages only for errors resolvers raise (the engines word their own
    /// messages differently).
    /// </summary>
    private static string ErrorKey(JsonNode? error)
    {
        var message = (string?)error!["message"] ?? "";
        var path = error["path"]?.ToJsonString() ?? "null";
        var shown = message is "boom" or "boom!" or "mutation failed" ? message : "*";
        return $"{path} {string.Join(",", Locations(error["locations"]))} {shown}";
    }
}
