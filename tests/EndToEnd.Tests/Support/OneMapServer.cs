using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OneMap.EndToEnd.Tests.Support;

/// <summary>
/// The OneMap server (src/GraphQLApi's Program) in process on Kestrel, listening on a free 127.0.0.1 port, so clients
/// reach it over real sockets: HTTP, WebSocket and SSE exactly as outside callers do.
/// </summary>
public sealed class OneMapServer : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> settings;

    public OneMapServer(IReadOnlyDictionary<string, string?> settings)
    {
        this.settings = settings;
        UseKestrel(0);
    }

    /// <summary>The server's base address (http://127.0.0.1:PORT), once started.</summary>
    public Uri Address { get; private set; } = null!;

    public void Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Address = new Uri(addresses.First());
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }
}
