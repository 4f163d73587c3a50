using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneMap.Lakehouse.Catalog;

namespace OneMap.Lakehouse;

public static class LakehouseServiceCollectionExtensions
{
    /// <summary>Registers <see cref="LakehouseOptions"/> (section <c>Lakehouse</c>), the <see cref="Lake"/> and its catalog.</summary>
    public static IServiceCollection AddLakehouse(this IServiceCollection services, Action<LakehouseOptions>? configure = null)
    {
        var options = services.AddOptions<LakehouseOptions>().BindConfiguration("Lakehouse").ValidateDataAnnotations().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.AddSingleton(sp => new Lake(sp.GetRequiredService<IOptions<LakehouseOptions>>().Value, sp.GetService<ILoggerFactory>()));
        services.AddSingleton<LakeCatalog>(sp => sp.GetRequiredService<Lake>().Catalog);
        return services;
    }
}
