using OneMap.GraphQLApi.Tests.Support;
using OneMap.Testing;

namespace OneMap.GraphQLApi.Tests.Datasets;

/// <summary>
/// A server of its own on a copy of the sample city whose queries run on one DuckDB thread: sums and averages of
/// doubles then come out of the same order of additions every time (with several threads the last digit can
/// differ from one run of a statement to the next), so two responses can be compared byte for byte.
/// </summary>
public sealed class SingleThreadCity(SampleCity city) : IAsyncLifetime
{
    private const string BootstrapAdminKey = "bootstrap-admin-key-for-direct-json-tests";

    private readonly TempDirectory directory = new("onemap-api-single-thread");

    public ApiServer Server { get; private set; } = null!;

    public RoleKeys Keys { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = new ApiServer(city.CopyLake(Path.Combine(directory.Path, "lake")), new Dictionary<string, string?>
        {
            ["Api:QueryThreads"] = "1",
            ["Security:BootstrapAdminKey"] = BootstrapAdminKey,
            ["Security:Roles:analyst:RequestsPerSecond"] = "1000",
            ["Security:Roles:analyst:Burst"] = "5000",
            ["Security:Roles:public:RequestsPerSecond"] = "1000",
            ["Security:Roles:public:Burst"] = "5000",
        });
        _ = Server.Server;
        Keys = await RoleKeys.CreateAsync(Server, BootstrapAdminKey, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        directory.Dispose();
    }
}
