using Microsoft.Extensions.Options;

using OneMap.GraphQLApi.Schema;
using OneMap.Ingest.Sensors;
using OneMap.Lakehouse;
using OneMap.Lakehouse.Alerts;
using OneMap.Lakehouse.Alerts.Producing;

namespace OneMap.GraphQLApi.Alerts.Producing;

public static class AlertProducerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the alert producer (section <c>Alerts</c>), its hook on the sensor worker (when ingest runs in this
    /// process), the webhooks (<c>Alerts:Webhooks</c>) and the admin's <c>backfillAlerts</c> mutation. Needs an
    /// <see cref="IAlertStore"/> and a <see cref="Lake"/>.
    /// </summary>
    public static IServiceCollection AddOneMapAlertProducer(this IServiceCollection services, bool hostsIngest)
    {
        services.AddOptions<AlertProducerOptions>().BindConfiguration("Alerts");
        services.AddOptions<AlertWebhookOptions>().BindConfiguration("Alerts");
        services.AddSingleton(sp => new AlertProducer(sp.GetRequiredService<Lake>(), sp.GetRequiredService<IAlertStore>(),
            sp.GetRequiredService<IOptions<AlertProducerOptions>>().Value, logger: sp.GetService<ILogger<AlertProducer>>()));
        services.AddSingleton<ISchemaContributor, AlertOperationsFields>();
        services.AddHttpClient();
        services.AddSingleton<AlertWebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertWebhookDispatcher>());
        if (hostsIngest)
        {
            services.AddSingleton<AlertIngestObserver>();
            services.AddSingleton<IReadingBatchObserver>(sp => sp.GetRequiredService<AlertIngestObserver>());
            services.AddSingleton<AlertService>();
            services.AddHostedService(sp => sp.GetRequiredService<AlertService>());
        }
        return services;
    }
}
