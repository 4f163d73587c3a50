using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using OneMap.GraphQLApi.Security;

namespace OneMap.GraphQLApi.Hosting;

/// <summary>Where the one-time admin key is printed (standard output unless a test says otherwise).</summary>
public sealed class FirstStartOutput(TextWriter writer)
{
    public TextWriter Writer { get; } = writer;
}

/// <summary>
/// Makes sure the server is never open: before it serves anything, an admin API key exists. On a fresh lake a key is
/// created and printed once to standard output; only its hash is stored (or the configured bootstrap key's hash).
/// </summary>
public sealed class FirstStart(ApiKeyStore keys, IOptions<SecurityOptions> options, FirstStartOutput output, ILogger<FirstStart> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (keys.EnsureAdminKey(options.Value.BootstrapAdminKey) is { } created)
        {
            var writer = output.Writer;
            writer.WriteLine();
            writer.WriteLine("================================================================================");
            writer.WriteLine(" OneMap: an admin API key was created for this lake. It is shown only now;");
            writer.WriteLine(" only its hash is stored. Keep it somewhere safe:");
            writer.WriteLine();
            writer.WriteLine("   " + created.Key);
            writer.WriteLine();
            writer.WriteLine(" Use it as:  Authorization: ApiKey <key>   (or the X-API-Key header)");
            writer.WriteLine("================================================================================");
            writer.WriteLine();
            writer.Flush();
            Log.AdminKeyCreated(logger, created.Record.Id, keys.Path);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
