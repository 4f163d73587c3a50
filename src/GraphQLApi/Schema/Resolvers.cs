using Microsoft.Extensions.Logging;

using OneMap.DuckDb;
using OneMap.GraphQL;
using OneMap.GraphQL.Execution;

namespace OneMap.GraphQLApi.Schema;

/// <summary>
/// Wraps the API's resolvers: an <see cref="ApiException"/> becomes a GraphQL error with its message and code; any
/// other failure (a DuckDB error, a bug) is logged and shown only as an internal error, so that nothing about the
/// SQL, the lake or hidden columns reaches the client.
/// </summary>
public static class Resolvers
{
    public static FieldResolver Of(Func<ResolveContext, ApiRequest, Task<object?>> resolve) => context => Run(context, resolve);

    /// <summary>A synchronous resolver: no task or state machine per call (group values, row extensions on large pages).</summary>
    public static FieldResolver Of(Func<ResolveContext, ApiRequest, object?> resolve) => context =>
    {
        try
        {
            return ValueTask.FromResult(resolve(context, ApiRequest.Of(context)));
        }
        catch (ApiException e)
        {
            throw new GraphQLFieldException(e.Message, e.Code, inner: e);
        }
    };

    /// <summary>A resolver that needs nothing of the request (values already computed): no lookups, no allocations.</summary>
    public static FieldResolver Plain(Func<ResolveContext, object?> resolve) => context => ValueTask.FromResult(resolve(context));

    public static SubscriptionSource Subscription(Func<ResolveContext, ApiRequest, IAsyncEnumerable<object?>> subscribe) => context =>
    {
        try
        {
            return ValueTask.FromResult(subscribe(context, ApiRequest.Of(context)));
        }
        catch (ApiException e)
        {
            throw new GraphQLFieldException(e.Message, e.Code, inner: e);
        }
    };

    private static async ValueTask<object?> Run(ResolveContext context, Func<ResolveContext, ApiRequest, Task<object?>> resolve)
    {
        var request = ApiRequest.Of(context);
        try
        {
            return await resolve(context, request).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            throw new GraphQLFieldException(e.Message, e.Code, inner: e);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is DuckDbException or Lakehouse.LakehouseException or IOException)
        {
            var logger = request.Get<ILoggerFactory>().CreateLogger("OneMap.GraphQLApi.Resolvers");
            Log.ResolverFailed(logger, context.ParentType.Name + "." + context.Field.Name, e.Message, e);
            throw new GraphQLFieldException("The query could not be run on the lake.", ErrorCodes.InternalError, inner: e);
        }
    }
}
