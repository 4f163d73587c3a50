using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using OneMap.Ingest.Feeds;
using OneMap.Ingest.Feeds.Contracts;
using OneMap.Ingest.Sensors;
using OneMap.Lakehouse;

namespace OneMap.GraphQLApi.Hosting;

/// <summary>
/// In the embedded default every worker starts at once on a fresh lake, but the sensor worker accepts readings only
/// from registered stations and covers, which the feed worker is still ingesting: readings replayed before their
/// register landed would be quarantined as unknown. This starts the sensor worker once the registers it checks against
/// (<c>monitoring_stations</c>, <c>manhole_covers</c>) are in the lake — at once when they already are, or when no feed
/// contract writes them — and after <see cref="Timeout"/> in any case.
/// </summary>
public sealed class RegistersFirst(SensorWorker sensors, Lake lake, IOptions<FeedOptions> feeds, ILogger<RegistersFirst> logger) : BackgroundService
{
    /// <summary>The registers the sensor worker's register loader reads.</summary>
    public static readonly IReadOnlyList<string> Registers = ["monitoring_stations", "manhole_covers"];

    /// <summary>How long the sensor worker waits for the registers at most.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var expected = ExpectedRegisters();
        var deadline = DateTimeOffset.UtcNow + Timeout;
        try
        {
            while (!stoppingToken.IsCancellationRequested && DateTimeOffset.UtcNow < deadline && !expected.All(Landed))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), stoppingToken).ConfigureAwait(false);
            }
            if (expected.Count > 0)
            {
                Log.RegistersReady(logger, string.Join(", ", expected.Where(name => lake.Table(name).Exists)));
            }
            await sensors.StartAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await sensors.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A register has landed once a commit after the table's creation holds rows.</summary>
    private bool Landed(string name)
    {
        var table = lake.Table(name);
        if (!table.Exists)
        {
            return false;
        }
        var snapshot = table.Latest();
        return snapshot.Version >= 1 && snapshot.RowCount is null or > 0;
    }

    /// <summary>The registers some feed contract writes (those not in the lake yet are waited for).</summary>
    private List<string> ExpectedRegisters()
    {
        if (!feeds.Value.Enabled || !Directory.Exists(feeds.Value.ContractsFolder))
        {
            return [];
        }
        try
        {
            var written = FeedContractReader.LoadFolder(feeds.Value.ContractsFolder).Select(c => c.Dataset).ToHashSet(StringComparer.Ordinal);
            return Registers.Where(written.Contains).ToList();
        }
        catch (Ingest.FeedContractException)
        {
            // The feed worker reports broken contracts itself; nothing to wait for then.
            return [];
        }
    }

    /// <summary>Replaces the sensor worker's own hosted-service registration by this one, which starts it.</summary>
    public static IServiceCollection Install(IServiceCollection services)
    {
        var registration = services.FirstOrDefault(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(SensorWorker));
        if (registration is null)
        {
            return services;
        }
        services.Remove(registration);
        services.AddSingleton<SensorWorker>();
        services.AddHostedService<RegistersFirst>();
        return services;
    }
}
