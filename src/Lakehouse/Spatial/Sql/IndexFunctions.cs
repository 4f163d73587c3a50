using System.Text;

using NetTopologySuite.Geometries;

using OneMap.DuckDb;
using OneMap.DuckDb.Data;
using OneMap.DuckDb.Functions;
using OneMap.DuckDb.Types;
using OneMap.Lakehouse.Spatial.Index;

namespace OneMap.Lakehouse.Spatial.Sql;

/// <summary>
/// SQL access to named spatial indexes: <c>st_index_build(name, geom, key)</c> (aggregate) builds one from any query;
/// <c>st_index_first / st_index_all</c> assign points to indexed polygons, <c>st_index_nearest</c> and
/// <c>st_index_within</c> find indexed features by geodesic distance, <c>st_index_drop</c> forgets one.
/// </summary>
internal static class IndexFunctions
{
    private static readonly DuckDbType Match = DuckDbType.Struct(new DuckDbField("key", DuckDbType.Varchar), new DuckDbField("distance", DuckDbType.Double));

    public static void Register(DuckDbConnection connection)
    {
        var database = connection.Database;
        foreach (var geometryType in new[] { DuckDbType.Blob, DuckDbType.Geometry })
        {
            try
            {
                connection.RegisterAggregateFunction("st_index_build", [DuckDbType.Varchar, geometryType, DuckDbType.Varchar], DuckDbType.BigInt,
                    new BuildAggregate(database));
            }
            catch (DuckDbException) when (geometryType.Id == DuckDbTypeId.Geometry)
            {
                // One aggregate per name in this DuckDB: GEOMETRY columns go through ST_AsWKB(geom).
            }
        }

        connection.RegisterScalarFunction("st_index_drop", [DuckDbType.Varchar], DuckDbType.Boolean, (input, output) =>
        {
            var values = output.GetData<byte>();
            for (var row = 0; row < input.RowCount; row++)
            {
                values[row] = SpatialIndexes.Drop(database, input.GetString(0, row)) ? (byte)1 : (byte)0;
            }
        }, DuckDbFunctionFlags.Volatile);

        var overloads = new List<DuckDbScalarOverload>();
        var all = new List<DuckDbScalarOverload>();
        foreach (var type in new[] { DuckDbType.Blob, DuckDbType.Geometry, DuckDbType.Varchar })
        {
            var argument = new GeometryArgument(type.Id);
            overloads.Add(new DuckDbScalarOverload([DuckDbType.Varchar, type], DuckDbType.Varchar, (input, output) => First(database, argument, input, output)));
            overloads.Add(new DuckDbScalarOverload([DuckDbType.Varchar, type, DuckDbType.Varchar], DuckDbType.Varchar, (input, output) => First(database, argument, input, output)));
            all.Add(new DuckDbScalarOverload([DuckDbType.Varchar, type], DuckDbType.List(DuckDbType.Varchar), (input, output) => All(database, argument, input, output)));
            all.Add(new DuckDbScalarOverload([DuckDbType.Varchar, type, DuckDbType.Varchar], DuckDbType.List(DuckDbType.Varchar), (input, output) => All(database, argument, input, output)));
        }
        connection.RegisterScalarFunctionSet("st_index_first", overloads);
        connection.RegisterScalarFunctionSet("st_index_all", all);

        var nearest = new List<DuckDbScalarOverload>();
        foreach (var type in new[] { DuckDbType.Blob, DuckDbType.Geometry, DuckDbType.Varchar })
        {
            var argument = new GeometryArgument(type.Id);
            nearest.Add(new DuckDbScalarOverload([DuckDbType.Varchar, type, DuckDbType.Integer], DuckDbType.List(Match), (input, output) => Nearest(database, argument, input, output)));
        }
        connection.RegisterScalarFunctionSet("st_index_nearest", nearest);
        ScalarDefinitions.Define(connection, "st_index_within", [Parameter.Of(DuckDbType.Varchar), Parameter.Geometry, Parameter.Of(DuckDbType.Double)], DuckDbType.List(Match),
            a => Matches(SpatialIndexes.Get(database, a.String(0)).Features, a.Geometry(1).Geometry, f => f.Within(a.Geometry(1).Geometry, a.Double(2))));
    }

    private static void Nearest(DuckDbDatabase database, GeometryArgument argument, DuckDbChunk input, DuckDbVector output)
    {
        var lookup = new IndexLookup(database);
        var slot = argument.ForThread();
        for (var row = 0; row < input.RowCount; row++)
        {
            if (input.IsNull(0, row) || input.IsNull(1, row) || input.IsNull(2, row))
            {
                output.SetNull(row);
                continue;
            }
            var features = lookup.Features(input, row);
            var value = slot.Read(input, 1, row);
            var k = input.GetValue<int>(2, row);
            var found = value.IsPoint ? features.NearestToPoint(value.X, value.Y, k) : features.Nearest(value.Geometry, k);
            var matches = new List<(string Key, double Distance)>(found.Count);
            foreach (var match in found)
            {
                matches.Add((features.Key(match.Feature), match.DistanceMetres));
            }
            output.SetValue(row, matches);
        }
    }

    private static List<(string Key, double Distance)> Matches(FeatureIndex index, Geometry query, Func<FeatureIndex, List<FeatureMatch>> find) =>
        find(index).Select(m => (index.Key(m.Feature), m.DistanceMetres)).ToList();

    internal static PointPredicate ParsePredicate(string text) => text.Trim().ToLowerInvariant() switch
    {
        "intersects" or "covers" or "st_intersects" or "st_covers" => PointPredicate.Intersects,
        "contains" or "within" or "st_contains" or "st_within" => PointPredicate.Contains,
        _ => throw new SpatialArgumentException("st_index_first", "predicate", $"'{text}' is not 'intersects' or 'contains'"),
    };

    /// <summary>The index named in a chunk's first column (constant in practice; looked up again only when it changes).</summary>
    private sealed class IndexLookup(DuckDbDatabase database)
    {
        private byte[] _name = [];
        private SpatialIndex? _index;
        private byte[][]? _keys;

        public SpatialIndex Get(DuckDbChunk input, int row, out byte[][] keys)
        {
            // Compare the name's bytes: decoding it for each of millions of rows would cost more than the lookup.
            var name = input.GetBytes(0, row);
            if (_index is null || !name.SequenceEqual(_name))
            {
                _index = SpatialIndexes.Get(database, Encoding.UTF8.GetString(name));
                _name = name.ToArray();
                _keys = null;
            }
            keys = _keys ??= Enumerable.Range(0, _index.Polygons.Count).Select(i => Encoding.UTF8.GetBytes(_index.Polygons.Key(i))).ToArray();
            return _index;
        }

        /// <summary>The feature index of the named spatial index (no key bytes needed).</summary>
        public FeatureIndex Features(DuckDbChunk input, int row)
        {
            var name = input.GetBytes(0, row);
            if (_index is null || !name.SequenceEqual(_name))
            {
                _index = SpatialIndexes.Get(database, Encoding.UTF8.GetString(name));
                _name = name.ToArray();
                _keys = null;
            }
            return _index.Features;
        }
    }

    private static void First(DuckDbDatabase database, GeometryArgument argument, DuckDbChunk input, DuckDbVector output)
    {
        var lookup = new IndexLookup(database);
        var hasPredicate = input.ColumnCount == 3;
        var slot = argument.ForThread();
        var predicateBytes = Array.Empty<byte>();
        var predicate = PointPredicate.Intersects;
        for (var row = 0; row < input.RowCount; row++)
        {
            if (input.IsNull(0, row) || input.IsNull(1, row) || (hasPredicate && input.IsNull(2, row)))
            {
                output.SetNull(row);
                continue;
            }
            var index = lookup.Get(input, row, out var keys);
            if (hasPredicate && !input.GetBytes(2, row).SequenceEqual(predicateBytes))
            {
                predicateBytes = input.GetBytes(2, row).ToArray();
                predicate = ParsePredicate(input.GetString(2, row));
            }
            var value = slot.Read(input, 1, row);
            var match = value.IsPoint
                ? index.Polygons.First(value.X, value.Y, predicate)
                : FirstGeneral(index.Polygons, value.Geometry, predicate);
            if (match < 0)
            {
                output.SetNull(row);
            }
            else
            {
                output.SetBytes(row, keys[match]);
            }
        }
    }

    private static void All(DuckDbDatabase database, GeometryArgument argument, DuckDbChunk input, DuckDbVector output)
    {
        var lookup = new IndexLookup(database);
        var hasPredicate = input.ColumnCount == 3;
        var matches = new List<int>();
        var slot = argument.ForThread();
        for (var row = 0; row < input.RowCount; row++)
        {
            if (input.IsNull(0, row) || input.IsNull(1, row) || (hasPredicate && input.IsNull(2, row)))
            {
                output.SetNull(row);
                continue;
            }
            var index = lookup.Get(input, row, out _);
            var predicate = hasPredicate ? ParsePredicate(input.GetString(2, row)) : PointPredicate.Intersects;
            var value = slot.Read(input, 1, row);
            matches.Clear();
            if (value.IsPoint)
            {
                index.Polygons.All(value.X, value.Y, predicate, matches);
            }
            else
            {
                AllGeneral(index.Polygons, value.Geometry, predicate, matches);
            }
            output.SetValue(row, matches.Select(index.Polygons.Key).ToList());
        }
    }

    private static int FirstGeneral(PolygonIndex polygons, Geometry geometry, PointPredicate predicate)
    {
        var matches = new List<int>();
        AllGeneral(polygons, geometry, predicate, matches);
        return matches.Count == 0 ? -1 : matches[0];
    }

    /// <summary>Polygons matching a non-point geometry, by ST_Intersects or ST_Contains(polygon, geometry).</summary>
    internal static void AllGeneral(PolygonIndex polygons, Geometry geometry, PointPredicate predicate, List<int> matches)
    {
        foreach (var candidate in polygons.Candidates(geometry.EnvelopeInternal))
        {
            var polygon = polygons.Polygon(candidate);
            if (predicate == PointPredicate.Contains ? SpatialPredicates.Contains(polygon, geometry) : SpatialPredicates.Intersects(polygon, geometry))
            {
                matches.Add(candidate);
            }
        }
    }

    /// <summary>Collects keyed geometries and, at the end, builds the named index; returns how many were indexed.</summary>
    private sealed class BuildAggregate(DuckDbDatabase database) : DuckDbAggregateFunction<BuildState, long?>
    {
        public override BuildState CreateState() => new();

        public override void Update(BuildState state, DuckDbChunk input, int row)
        {
            var name = input.GetString(0, row);
            if (state.Name is null)
            {
                state.Name = name;
            }
            else if (!string.Equals(state.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                throw new SpatialArgumentException("st_index_build", "name", $"must be the same on every row, got '{state.Name}' and '{name}'");
            }
            state.Features.Add((input.GetString(2, row), GeometryCodec.ReadWkb(input.GetBytes(1, row))));
        }

        public override void Combine(BuildState source, BuildState target)
        {
            if (source.Name is not null && target.Name is not null && !string.Equals(source.Name, target.Name, StringComparison.OrdinalIgnoreCase))
            {
                throw new SpatialArgumentException("st_index_build", "name", $"must be the same on every row, got '{source.Name}' and '{target.Name}'");
            }
            target.Name ??= source.Name;
            target.Features.AddRange(source.Features);
        }

        public override long? Finalize(BuildState state)
        {
            if (state.Name is null)
            {
                return 0;
            }
            var index = SpatialIndexes.Build(database, state.Name, state.Features);
            return index.Count;
        }
    }

    private sealed class BuildState
    {
        public string? Name;
        public readonly List<(string Key, Geometry Geometry)> Features = [];
    }
}
