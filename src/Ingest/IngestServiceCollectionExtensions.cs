using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneMap.Ingest.Feeds;
using OneMap.Ingest.Metrics;
using OneMap.Ingest.Privacy;
using OneMap.Ingest.Quarantine;
using OneMap.Ingest.Receipts;
using OneMap.Ingest.Sensors;
using OneMap.Ingest.Tickets;
using OneMap.Lakehouse;

namespace OneMap.Ingest;

public static class IngestServiceCollectionExtensions
{
    /// <summary>
    /// Registers the ingest workers as hosted services (feeds, sensors, tickets; each switched by its <c>Enabled</c>
    /// option) with options bound from <c>Ingest</c>, <c>Ingest:Feeds</c>, <c>Ingest:Sensors</c> and <c>Ingest:Tickets</c>,
    /// and their metrics. Needs a <see cref="Lake"/> in the container (<c>AddLakehouse</c>).
    /// </summary>
    public static IServiceCollection AddOneMapIngest(this IServiceCollection services, Action<IngestOptions>? configure = null)
    {
        var ingest = services.AddOptions<IngestOptions>().BindConfiguration("Ingest");
        if (configure is not null)
        {
            ingest.Configure(configure);
        }
        services.AddOptions<FeedOptions>().BindConfiguration("Ingest:Feeds").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SensorOptions>().BindConfiguration("Ingest:Sensors").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TicketOptions>().BindConfiguration("Ingest:Tickets").ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient();

        services.TryAddSingleton<IngestMetrics>();
        services.TryAddSingleton(sp => new ReceiptStore(sp.GetRequiredService<Lake>()));
        services.TryAddSingleton(sp => new QuarantineStore(sp.GetRequiredService<Lake>().Root));
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<IngestOptions>>().Value.PersonalDataKey is { Length: > 0 } key
            ? new PersonalData(key)
            : throw new OptionsValidationException("Ingest:PersonalDataKey", typeof(IngestOptions),
                ["Ingest:PersonalDataKey is not set: personal data (ticket callers, personal feed columns) cannot be hashed (set a secret of at least 16 bytes, e.g. environment variable Ingest__PersonalDataKey)"]));
        services.TryAddSingleton(sp => new FeedIngestor(sp.GetRequiredService<Lake>(), sp.GetRequiredService<ReceiptStore>(), sp.GetRequiredService<QuarantineStore>(),
            sp.GetRequiredService<IOptions<IngestOptions>>().Value.PersonalDataKey is { Length: > 0 } ? sp.GetRequiredService<PersonalData>() : null,
            sp.GetRequiredService<IngestMetrics>(), sp.GetService<ILogger<FeedIngestor>>()));

        services.AddHostedService<FeedWorker>();
        services.AddHostedService<SensorWorker>();
        services.AddHostedService(sp =>
        {
            var tickets = sp.GetRequiredService<IOptions<TicketOptions>>();
            // A disabled ticket worker never hashes anything, so it does not need the key.
            var personalData = tickets.Value.Enabled ? sp.GetRequiredService<PersonalData>() : new PersonalData(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
            return new TicketWorker(sp.GetRequiredService<Lake>(), sp.GetRequiredService<ReceiptStore>(), sp.GetRequiredService<QuarantineStore>(),
                sp.GetRequiredService<IngestMetrics>(), personalData, tickets, sp.GetService<IHttpClientFactory>(), sp.GetService<ILogger<TicketWorker>>());
        });
        return services;
    }

    /// <summary>Maps the ingest workers' metrics in Prometheus text format (default path <c>/metrics</c>).</summary>
    public static IEndpointConventionBuilder MapOneMapIngestMetrics(this IEndpointRouteBuilder endpoints, string pattern = "/metrics") =>
        endpoints.MapGet(pattern, (IngestMetrics metrics) => Results.Text(metrics.ToPrometheusText(), IngestMetrics.PrometheusContentType));
}
