using System.Runtime.CompilerServices;
using OneMap.GraphQL.Tests.Types;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Tests.Transport;

/// <summary>The sample schema plus a subscription that counts, for transport tests.</summary>
public static class ServerSchema
{
    public static Schema Build() => SampleSchema.Builder()
        .Mutation(m => m.Field("echo", "String!", f => f.Argument("text", "String!").Resolve(c => c.Arguments["text"])))
        .Subscription(s => s.Field("ticks", "Int!", f => f
            .Description("Counts from 1 to count, one number every few milliseconds.")
            .Argument("count", "Int!")
            .Subscribe(c => Count((int)c.Arguments["count"]!, c.CancellationToken))))
        .Build();

    private static async IAsyncEnumerable<object?> Count(int count, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var i = 1; i <= count; i++)
        {
            await Task.Delay(5, cancellationToken);
            yield return i;
        }
    }
}
