using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

using NetTopologySuite.Geometries;

using OneMap.DuckDb;

namespace OneMap.Lakehouse.Spatial.Index;

/// <summary>
/// A named set of keyed geometries held in memory for joins: a <see cref="PolygonIndex"/> (built on first use, when
/// every geometry is a polygon) for assigning points, and a <see cref="FeatureIndex"/> for nearest and within-distance
/// queries. Built from SQL with <c>st_index_build</c> or from C# with <see cref="SpatialIndexes.Build"/>.
/// </summary>
public sealed class SpatialIndex
{
    private readonly Lazy<PolygonIndex> _polygons;
    private readonly Lazy<FeatureIndex> _features;

    public SpatialIndex(string name, IReadOnlyList<(string Key, Geometry Geometry)> features)
    {
        Name = name;
        Count = features.Count(f => !f.Geometry.IsEmpty);
        _polygons = new Lazy<PolygonIndex>(() => new PolygonIndex(features), LazyThreadSafetyMode.ExecutionAndPublication);
        _features = new Lazy<FeatureIndex>(() => new FeatureIndex(features), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Name { get; }

    /// <summary>Non-empty geometries indexed.</summary>
    public int Count { get; }

    /// <summary>The polygons for point assignment (throws if a geometry is not a polygon).</summary>
    public PolygonIndex Polygons => _polygons.Value;

    public FeatureIndex Features => _features.Value;
}

/// <summary>The spatial indexes of each DuckDB database, by name (case-insensitive).</summary>
public static class SpatialIndexes
{
    private static readonly ConditionalWeakTable<DuckDbDatabase, ConcurrentDictionary<string, SpatialIndex>> ByDatabase = [];

    private static ConcurrentDictionary<string, SpatialIndex> Of(DuckDbDatabase database) =>
        ByDatabase.GetValue(database, _ => new ConcurrentDictionary<string, SpatialIndex>(StringComparer.OrdinalIgnoreCase));

    /// <summary>Builds (or replaces) the index <paramref name="name"/> of <paramref name="database"/>.</summary>
    public static SpatialIndex Build(DuckDbDatabase database, string name, IReadOnlyList<(string Key, Geometry Geometry)> features)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var index = new SpatialIndex(name, features);
        Of(database)[name] = index;
        return index;
    }

    public static SpatialIndex Get(DuckDbDatabase database, string name) =>
        Of(database).TryGetValue(name, out var index)
            ? index
            : throw new SpatialArgumentException("spatial index", "name",
                $"'{name}' names no spatial index of this database (build it with SELECT st_index_build('{name}', geom, key) FROM …)");

    public static bool Drop(DuckDbDatabase database, string name) => Of(database).TryRemove(name, out _);

    public static IReadOnlyCollection<string> Names(DuckDbDatabase database) => Of(database).Keys.ToArray();
}
