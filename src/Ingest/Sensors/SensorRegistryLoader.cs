using OneMap.Lakehouse;

namespace OneMap.Ingest.Sensors;

/// <summary>Fills a <see cref="SensorRegistry"/> from the lake's registers (<c>monitoring_stations</c>, <c>manhole_covers</c>) and a known-sensors file.</summary>
public sealed class SensorRegistryLoader(Lake lake, SensorOptions options)
{
    public async Task<SensorRegistry> CreateAsync(CancellationToken cancellationToken)
    {
        var registry = new SensorRegistry { Enforced = options.RequireKnownSensors };
        await RefreshAsync(registry, cancellationToken).ConfigureAwait(false);
        return registry;
    }

    /// <summary>Re-reads the registers; returns the number of known sensors.</summary>
    public async Task<int> RefreshAsync(SensorRegistry registry, CancellationToken cancellationToken)
    {
        if (!registry.Enforced)
        {
            return 0;
        }
        var stations = new List<string>();
        var devices = new List<string>();
        if (options.KnownSensorsFile is { } file && File.Exists(file))
        {
            foreach (var raw in await File.ReadAllLinesAsync(file, cancellationToken).ConfigureAwait(false))
            {
                var line = raw.Trim();
                if (line.Length == 0 || line.StartsWith('#'))
                {
                    continue;
                }
                if (line.StartsWith("wq:", StringComparison.Ordinal))
                {
                    stations.Add(line[3..]);
                }
                else if (line.StartsWith("manhole:", StringComparison.Ordinal))
                {
                    devices.Add(line[8..]);
                }
                else
                {
                    stations.Add(line);
                    devices.Add(line);
                }
            }
        }
        stations.AddRange(await IdsAsync("monitoring_stations", "station_id", cancellationToken).ConfigureAwait(false));
        devices.AddRange(await IdsAsync("manhole_covers", "device_id", cancellationToken).ConfigureAwait(false));
        registry.Replace(stations, devices);
        return registry.Count;
    }

    private async Task<IEnumerable<string>> IdsAsync(string table, string column, CancellationToken cancellationToken)
    {
        var target = lake.Table(table);
        if (!target.Exists)
        {
            return [];
        }
        var rows = await target.QueryAsync($"SELECT DISTINCT CAST(\"{column}\" AS VARCHAR) FROM {{table}} WHERE \"{column}\" IS NOT NULL", cancellationToken: cancellationToken).ConfigureAwait(false);
        return rows.Select(r => (string)r[0]!);
    }
}
