using System.Collections.Concurrent;
using System.Globalization;

using Microsoft.Extensions.Options;

using OneMap.GraphQLApi.Hosting;
using OneMap.GraphQLApi.Querying;
using OneMap.Lakehouse.Spatial.Index;
using OneMap.Models.Spatial;

namespace OneMap.GraphQLApi.Datasets;

/// <summary>
/// Point-in-polygon indexes of the administrative units, one per level, built from the admin-units dataset and rebuilt
/// when it gets a new version. SQL assigns a geometry to its unit with <c>st_index_first(index, geom)</c>.
/// </summary>
public sealed class SpatialUnits(LakeQueries lake, IOptions<ApiOptions> options)
{
    /// <summary>The levels there are, as stored in the dataset's <c>level</c> column.</summary>
    public static readonly IReadOnlyList<string> Levels = ["district", "town", "community", "grid", "micro_grid"];

    private readonly ConcurrentDictionary<string, (long Version, string Name)> built = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim building = new(1, 1);

    public string Dataset => options.Value.AdminUnitsDataset;

    /// <summary>The name of the current index of a level (built on first use and after the units change).</summary>
    public async Task<string> IndexAsync(string level, CancellationToken cancellationToken)
    {
        if (!Levels.Contains(level))
        {
            throw new ApiArgumentException("spatialUnit", $"'{level}' is not a level of administrative units");
        }
        var version = lake.CurrentVersion(Dataset) ?? throw new ApiUnavailableException($"there are no administrative units ({Dataset}) in the lake yet");
        if (built.TryGetValue(level, out var known) && known.Version == version)
        {
            return known.Name;
        }
        await building.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (built.TryGetValue(level, out known) && known.Version == version)
            {
                return known.Name;
            }
            var sql = new SqlBuilder();
            sql.Append("SELECT CAST(code AS VARCHAR), geom FROM ").Append(lake.Relation(Dataset, version))
                .Append(" WHERE level = ").Append(sql.Param(level)).Append(" AND geom IS NOT NULL ORDER BY code");
            var rows = await lake.QueryAsync(sql.Build(), cancellationToken).ConfigureAwait(false);
            var features = rows.Rows.Select(r => ((string)r[0]!, Geo.FromWkb((byte[])r[1]!))).ToList();
            var name = string.Create(CultureInfo.InvariantCulture, $"onemap_units_{level}_v{version}");
            SpatialIndexes.Build(lake.Database, name, features);
            // Older indexes stay: a query that started before the units changed may still be using one.
            built[level] = (version, name);
            return name;
        }
        finally
        {
            building.Release();
        }
    }
}
