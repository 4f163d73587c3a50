using System.Security.Cryptography;

using OneMap.Testing;

namespace OneMap.GraphQLApi.Tests.Support;

/// <summary>
/// A server of its own on a copy of the ingested sample city, for test classes that change things (keys, alerts,
/// limits, new datasets) or must see a lake nobody else writes to. It has no ingest workers, a configured bootstrap
/// admin key, JWT keys (HS256 secret and RS256 key pair), and a public role limited to a small burst.
/// </summary>
public sealed class IsolatedCity : IAsyncLifetime
{
    public const string BootstrapAdminKey = "bootstrap-admin-key-for-tests-0123456789";
    public const string HmacSecret = "test-hs256-secret-of-at-least-32-bytes!!";
    public const string Issuer = "https://sso.putian.example";
    public const string Audience = "onemap";
    public const int PublicBurst = 5;

    private readonly SampleCity city;
    private readonly TempDirectory directory = new("onemap-api-isolated");

    public IsolatedCity(SampleCity city) => this.city = city;

    public ApiServer Server { get; private set; } = null!;

    public RoleKeys Keys { get; private set; } = null!;

    /// <summary>The private half of the RS256 key whose public half the server trusts.</summary>
    public RSA Rsa { get; } = RSA.Create(2048);

    public string LakeRoot => Server.LakeRoot;

    public async ValueTask InitializeAsync()
    {
        var lake = city.CopyLake(Path.Combine(directory.Path, "lake"));
        Server = new ApiServer(lake, new Dictionary<string, string?>
        {
            ["Security:BootstrapAdminKey"] = BootstrapAdminKey,
            ["Security:Jwt:HmacSecret"] = HmacSecret,
            ["Security:Jwt:RsaPublicKey"] = Rsa.ExportSubjectPublicKeyInfoPem(),
            ["Security:Jwt:Issuer"] = Issuer,
            ["Security:Jwt:Audience"] = Audience,
            ["Security:Roles:public:RequestsPerSecond"] = "0.5",
            ["Security:Roles:public:Burst"] = PublicBurst.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The injection corpus sends hundreds of requests in a row as an analyst.
            ["Security:Roles:analyst:RequestsPerSecond"] = "1000",
            ["Security:Roles:analyst:Burst"] = "5000",
        });
        _ = Server.Server;
        Keys = await RoleKeys.CreateAsync(Server, BootstrapAdminKey, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Rsa.Dispose();
        directory.Dispose();
    }
}
