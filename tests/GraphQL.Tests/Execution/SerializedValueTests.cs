using System.Text;

using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Tests.Execution;

/// <summary>
/// A resolver may hand back its field's value already serialized (<see cref="SerializedValue"/>): the executor takes
/// it without completing it and the response writer copies its bytes, in place of the value completion would give,
/// between the fields completed as usual.
/// </summary>
public sealed class SerializedValueTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static Schema Schema(Func<ResolveContext, object?> items, Func<ResolveContext, object?> blob) => new SchemaBuilder()
        .Scalar(Scalars.Json)
        .Query(q => q
            .Field("before", "String", _ => "a")
            .Field("items", "[Item!]!", f => f.Resolve(c => ValueTask.FromResult(items(c))))
            .Field("blob", "JSON", f => f.Resolve(c => ValueTask.FromResult(blob(c))))
            .Field("after", "Int", _ => 2))
        .Object("Item", o => o.Field("id", "Int!").Field("name", "String"))
        .Build();

    private static async Task<string> RunAsync(Schema schema, string query) =>
        (await new GraphQLEngine(schema).ExecuteAsync(new GraphQLRequest { Query = query }, null, Cancel)).ToJson();

    [Fact]
    public async Task a_serialized_list_is_written_as_it_is_between_completed_fields()
    {
        var general = Schema(_ => new List<Dictionary<string, object?>> { new() { ["id"] = 1, ["name"] = "一" }, new() { ["id"] = 2, ["name"] = null } }, _ => null);
        var serialized = Schema(_ => new SerializedValue(Encoding.UTF8.GetBytes("[{\"id\":1,\"name\":\"一\"},{\"id\":2,\"name\":null}]")), _ => null);
        const string query = "{ before items { id name } after }";

        var expected = await RunAsync(general, query);
        Assert.Equal("{\"data\":{\"before\":\"a\",\"items\":[{\"id\":1,\"name\":\"一\"},{\"id\":2,\"name\":null}],\"after\":2}}", expected);
        Assert.Equal(expected, await RunAsync(serialized, query));
    }

    [Fact]
    public async Task a_serialized_scalar_is_written_as_it_is_and_null_stays_null()
    {
        var schema = Schema(_ => new List<object>(), c => c.Arguments.Count == 0 ? new SerializedValue("{\"type\":\"FeatureCollection\",\"features\":[]}"u8.ToArray()) : null);
        Assert.Equal("{\"data\":{\"items\":[],\"blob\":{\"type\":\"FeatureCollection\",\"features\":[]},\"x\":{\"type\":\"FeatureCollection\",\"features\":[]}}}",
            await RunAsync(schema, "{ items { id } blob x: blob }"));
    }

    [Fact]
    public async Task an_empty_serialized_value_is_refused_where_it_is_made()
    {
        Assert.Throws<ArgumentException>(() => new SerializedValue(ReadOnlyMemory<byte>.Empty));
        await Task.CompletedTask;
    }
}
