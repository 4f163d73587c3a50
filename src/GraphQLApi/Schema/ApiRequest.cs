using Microsoft.Extensions.DependencyInjection;

using OneMap.GraphQL.Execution;
using OneMap.GraphQLApi.Datasets;
using OneMap.GraphQLApi.Security;

namespace OneMap.GraphQLApi.Schema;

/// <summary>
/// What every resolver of one request shares: the caller, the datasets of the schema generation the request runs
/// against, the role's limits, the services, and the running count of rows returned (for the audit table).
/// </summary>
public sealed class ApiRequest(Caller caller, DatasetSet datasets, RoleLimitOptions limits, IServiceProvider services)
{
    /// <summary>The key of the request's <see cref="ApiRequest"/> in <see cref="RequestContext.Items"/>.</summary>
    public const string ItemKey = "onemap.request";

    private long rows;

    public Caller Caller { get; } = caller;

    public DatasetSet Datasets { get; } = datasets;

    public RoleLimitOptions Limits { get; } = limits;

    public IServiceProvider Services { get; } = services;

    /// <summary>Rows returned so far (rows of connections and exports, groups of aggregates).</summary>
    public long Rows => Interlocked.Read(ref rows);

    public void CountRows(long count) => Interlocked.Add(ref rows, count);

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>The dataset by name, or a not-found error naming it.</summary>
    public DatasetModel Dataset(string name) => Datasets[name] ?? throw new ApiUnavailableException($"the dataset '{name}' is not in the lake yet");

    /// <summary>The request a resolver belongs to.</summary>
    public static ApiRequest Of(ResolveContext context) =>
        context.Request.Items.TryGetValue(ItemKey, out var value) && value is ApiRequest request
            ? request
            : throw new InvalidOperationException("the request was not set up by OneMap's transport (no ApiRequest in its items)");
}
