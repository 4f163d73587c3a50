using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Protection;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Tests.Execution;

/// <summary>Per-request limits: every rejection is a GraphQL error with a code, before anything runs.</summary>
public sealed class LimitTests
{
    private static readonly Schema Schema = new SchemaBuilder()
        .Query(q => q
            .Field("node", "Node", _ => new Dictionary<string, object?>())
            .Field("stations", "[Node!]!", f => f.Argument("first", "Int").Cost(2, "first").Resolve(_ => Array.Empty<object>())))
        .Object("Node", o => o
            .Field("id", "ID")
            .Field("child", "Node", _ => new Dictionary<string, object?>())
            .Field("readings", "[Node!]!", f => f.Argument("limit", "Int").Cost(1, "limit").Resolve(_ => Array.Empty<object>())))
        .Build();

    private static Task<ExecutionResult> RunAsync(string query, RequestLimits limits, IReadOnlyDictionary<string, object?>? variables = null) =>
        new GraphQLEngine(Schema).ExecuteAsync(new GraphQLRequest { Query = query, Variables = variables }, new ExecutionOptions { Limits = limits },
            TestContext.Current.CancellationToken);

    [Fact]
    public async Task depth_is_limited_through_fragments()
    {
        const string query = "{ node { ...Deep } } fragment Deep on Node { child { child { child { id } } } }";
        Assert.Null((await RunAsync(query, RequestLimits.None with { MaxDepth = 5 })).Errors);
        var refused = await RunAsync(query, RequestLimits.None with { MaxDepth = 4 });
        Assert.Equal(ErrorCodes.DepthLimit, refused.Errors![0].Code);
        Assert.False(refused.HasData);
    }

    [Fact]
    public async Task aliases_are_limited_counting_fragment_spreads()
    {
        const string query = "{ node { ...A ...A2 } } fragment A on Node { a: id b: id } fragment A2 on Node { ...A c: id }";
        Assert.Null((await RunAsync(query, RequestLimits.None with { MaxAliases = 5 })).Errors);
        Assert.Equal(ErrorCodes.AliasLimit, (await RunAsync(query, RequestLimits.None with { MaxAliases = 4 })).Errors![0].Code);
    }

    [Fact]
    public async Task tokens_are_limited_while_parsing()
    {
        var query = "{ " + string.Join(" ", Enumerable.Repeat("node { id }", 50)) + " }";
        Assert.Equal(ErrorCodes.TokenLimit, (await RunAsync(query, RequestLimits.None with { MaxTokens = 100 })).Errors![0].Code);
        // A smaller limit on a later request still applies to the cached document.
        Assert.Null((await RunAsync("{ node { id } }", RequestLimits.None with { MaxTokens = 100 })).Errors);
    }

    [Fact]
    public async Task cost_multiplies_list_fields_by_their_size_arguments()
    {
        // stations(first: 10): 2 + 10 × (readings(limit: 20): 1 + 20 × (child: 1)) = 2 + 10 × 21 = 212
        const string query = "query($n: Int) { stations(first: $n) { readings(limit: 20) { child { id } } } }";
        var variables = new Dictionary<string, object?> { ["n"] = 10L };
        Assert.Null((await RunAsync(query, RequestLimits.None with { MaxCost = 212 }, variables)).Errors);
        var refused = await RunAsync(query, RequestLimits.None with { MaxCost = 211 }, variables);
        Assert.Equal(ErrorCodes.CostLimit, refused.Errors![0].Code);
        Assert.Equal(212L, refused.Errors[0].Extensions!["cost"]);
        // Without size arguments the default list size applies to both lists: 2 + 7 × (1 + 7 × 1) = 58.
        Assert.Null((await RunAsync("{ stations { readings { child { id } } } }", RequestLimits.None with { MaxCost = 58, DefaultListSize = 7 })).Errors);
        var assumed = await RunAsync("{ stations { readings { child { id } } } }", RequestLimits.None with { MaxCost = 57, DefaultListSize = 7 });
        Assert.Equal(ErrorCodes.CostLimit, assumed.Errors![0].Code);
        Assert.Equal(58L, assumed.Errors[0].Extensions!["cost"]);
    }

    [Fact]
    public void cost_of_a_fragment_bomb_is_computed_without_expanding_it()
    {
        var fragments = string.Join("\n", Enumerable.Range(0, 30).Select(i => $"fragment F{i} on Node {{ a: child {{ ...F{i + 1} }} b: child {{ ...F{i + 1} }} }}"));
        var document = GraphQL.Language.Parser.Parse("{ node { ...F0 } }\n" + fragments + "\nfragment F30 on Node { id }");
        var operation = document.Definitions.OfType<GraphQL.Language.OperationDefinitionNode>().Single();
        var cost = CostAnalyzer.Compute(Schema, document, operation, new Dictionary<string, object?>(), RequestLimits.Default);
        // 2^31 - 1 children plus the root node: huge, and computed at once.
        Assert.True(cost > 1_000_000_000L);
        Assert.True(OperationMeasures.Measure(document, operation).Aliases > 1_000_000_000L);
    }
}
