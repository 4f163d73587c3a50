using System.Text.Json.Nodes;
using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Tests.Conformance;
using OneMap.GraphQL.Tests.Support;
using OneMap.GraphQL.Types;
using OneMap.Testing;

namespace OneMap.GraphQL.Tests.Types;

/// <summary>
/// graphql-js reads OneMap's introspection: <c>buildClientSchema</c> accepts the result of graphql-js's own full
/// introspection query run by OneMap, and <c>printSchema</c> of the client schema equals OneMap's SDL printing.
/// </summary>
public sealed class IntrospectionRoundTripTests : IDisposable
{
    private readonly TempDirectory _directory = new("onemap-graphql-introspection");

    public static TheoryData<string> Schemas => ["conformance", "code-first", "filtered"];

    [Theory]
    [MemberData(nameof(Schemas))]
    public async Task graphql_js_rebuilds_the_schema_and_prints_the_same_sdl(string name)
    {
        NodeTools.Require();
        var cancellationToken = TestContext.Current.CancellationToken;
        var schema = Pick(name);
        var query = await NodeTools.RunAsync("introspection.mjs", ["query"], cancellationToken);
        var result = await new GraphQLEngine(schema).ExecuteAsync(query, cancellationToken: cancellationToken);
        Assert.Null(result.Errors);

        var printed = await NodeTools.RunJsonAsync("introspection.mjs", new Dictionary<string, JsonNode?> { [name] = JsonNode.Parse(result.ToJson()) },
            _directory.Path, cancellationToken, "print");
        var answer = printed[name]!;
        Assert.True(answer["error"] is null, $"buildClientSchema refused OneMap's introspection: {answer["error"]}");
        Assert.Equal(schema.ToSdl(), (string)answer["sdl"]!);
    }

    [Fact]
    public void sdl_printing_of_the_conformance_schema_reads_back_to_the_same_sdl()
    {
        var sdl = ConformanceSchema.Schema.ToSdl();
        Assert.Equal(sdl, SchemaBuilder.FromSdl(sdl).Build().ToSdl());
    }

    private static Schema Pick(string name) => name switch
    {
        "conformance" => ConformanceSchema.Schema,
        "code-first" => SampleSchema.Build(),
        _ => SampleSchema.Build().Filter(new SchemaFilter
        {
            Types = t => t.Name != "Tickets",
            Fields = (_, f) => f.Name != "tilt_degrees",
        }),
    };

    public void Dispose() => _directory.Dispose();
}
