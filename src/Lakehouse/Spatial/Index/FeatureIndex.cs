using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

using OneMap.Lakehouse.Spatial.Geodesy;

namespace OneMap.Lakehouse.Spatial.Index;

/// <summary>A feature found near a query geometry, with its geodesic distance in metres (WGS84).</summary>
public readonly record struct FeatureMatch(int Feature, double DistanceMetres);

/// <summary>
/// Keyed features of any type (manholes, stations, reaches, enterprises) for nearest-neighbour and within-distance
/// queries in metres on WGS84, with PostGIS's geography semantics (<c>ST_DWithin(geography)</c>,
/// <c>ST_Distance(geography)</c>). An STR-tree over lon/lat envelopes finds candidates; points also get a 3-D k-d
/// tree on the unit sphere, whose chord order is the great-circle order. Immutable and thread-safe once built.
/// </summary>
public sealed class FeatureIndex
{
    // Metres per degree of latitude is at least 110,574 (at the equator); of longitude, 111,320·cos φ at most.
    private const double MinMetresPerDegreeLatitude = 110_574.0;
    private const double MetresPerDegreeLongitudeAtEquator = 111_320.0;
    // Geodesic distances stay within 1 % of the mean-sphere distance (flattening 1/298).
    private const double SphereSlack = 1.01;

    private readonly string[] _keys;
    private readonly Geometry[] _geometries;
    private readonly GeodeticShape[] _shapes;
    private readonly STRtree<int> _tree = new();
    private readonly PointKdTree? _points;
    private readonly GeoPoint[] _pointRadians = [];

    public FeatureIndex(IEnumerable<(string Key, Geometry Geometry)> features)
    {
        var ordered = features.Where(f => !f.Geometry.IsEmpty).OrderBy(f => f.Key, StringComparer.Ordinal).ToArray();
        _keys = ordered.Select(f => f.Key).ToArray();
        _geometries = ordered.Select(f => f.Geometry).ToArray();
        _shapes = _geometries.Select(GeodeticShape.From).ToArray();
        for (var i = 0; i < _geometries.Length; i++)
        {
            _tree.Insert(_geometries[i].EnvelopeInternal, i);
        }
        _tree.Build();
        if (_geometries.Length > 0 && _geometries.All(g => g is Point))
        {
            _points = new PointKdTree(_geometries.Select(g => ((Point)g).Coordinate).ToArray());
            _pointRadians = _geometries.Select(g => GeoPoint.FromDegrees(((Point)g).X, ((Point)g).Y)).ToArray();
        }
    }

    public int Count => _keys.Length;

    public string Key(int feature) => _keys[feature];

    public Geometry Geometry(int feature) => _geometries[feature];

    /// <summary>Every feature within <paramref name="metres"/> of the geometry, nearest first (ties by key).</summary>
    public List<FeatureMatch> Within(Geometry query, double metres) => Within(GeodeticShape.From(query), query.EnvelopeInternal, metres);

    public List<FeatureMatch> Within(GeodeticShape query, Envelope queryEnvelope, double metres)
    {
        var matches = new List<FeatureMatch>();
        if (query.IsEmpty || Count == 0 || !(metres >= 0))
        {
            return matches;
        }
        foreach (var feature in _tree.Query(Expand(queryEnvelope, metres)))
        {
            if (GeodeticDistance.Within(query, _shapes[feature], metres, Spheroid.Wgs84))
            {
                matches.Add(new FeatureMatch(feature, GeodeticDistance.Distance(query, _shapes[feature], Spheroid.Wgs84) ?? 0));
            }
        }
        matches.Sort(static (a, b) => a.DistanceMetres != b.DistanceMetres ? a.DistanceMetres.CompareTo(b.DistanceMetres) : a.Feature.CompareTo(b.Feature));
        return matches;
    }

    /// <summary>The <paramref name="k"/> features nearest to the geometry by geodesic distance (ties by key).</summary>
    public List<FeatureMatch> Nearest(Geometry query, int k)
    {
        if (k <= 0 || Count == 0 || query.IsEmpty)
        {
            return [];
        }
        if (_points is not null && query is Point point)
        {
            return NearestToPoint(point.X, point.Y, k);
        }
        var shape = GeodeticShape.From(query);
        // General features: widen a radius until it holds k features; everything nearer than the k-th is inside it.
        var radius = 100.0;
        while (true)
        {
            var found = Within(shape, query.EnvelopeInternal, radius);
            if (found.Count >= k || radius > 2.1e7)
            {
                return found.Count > k ? found.GetRange(0, k) : found;
            }
            radius *= 4;
        }
    }

    /// <summary>The <paramref name="k"/> indexed points nearest to a lon/lat point (this index must hold only points).</summary>
    public List<FeatureMatch> NearestToPoint(double lon, double lat, int k)
    {
        if (_points is null)
        {
            return Nearest(GeometryCodec.Factory.CreatePoint(new Coordinate(lon, lat)), k);
        }
        if (k <= 0 || double.IsNaN(lon) || double.IsNaN(lat))
        {
            return [];
        }
        var target = Vec3.FromLonLatDegrees(lon, lat);
        var from = GeoPoint.FromDegrees(lon, lat);
        var nearest = new int[k];
        var found = _points.Nearest(target, nearest);
        var worst = 0.0;
        var known = new double[found];
        for (var i = 0; i < found; i++)
        {
            known[i] = GeodesicMetres(from, nearest[i]);
            worst = Math.Max(worst, known[i]);
        }
        // Re-rank by geodesic distance among everything that could beat the k-th on the sphere: geodesic and
        // sphere distances differ by under 1 %, so only points within the worst geodesic distance plus 1 % can.
        var angle = Math.Min(Math.PI, worst * SphereSlack / Spheroid.Wgs84.Radius);
        var chord = 2 * Math.Sin(angle / 2);
        var candidates = new List<int>(found + 4);
        _points.Within(target, chord * chord * (1 + 1e-9), candidates);
        var matches = new List<FeatureMatch>(candidates.Count);
        foreach (var i in candidates)
        {
            var seen = Array.IndexOf(nearest, i, 0, found);
            matches.Add(new FeatureMatch(i, seen >= 0 ? known[seen] : GeodesicMetres(from, i)));
        }
        matches.Sort(static (a, b) => a.DistanceMetres != b.DistanceMetres ? a.DistanceMetres.CompareTo(b.DistanceMetres) : a.Feature.CompareTo(b.Feature));
        if (matches.Count > k)
        {
            matches.RemoveRange(k, matches.Count - k);
        }
        return matches;
    }

    private double GeodesicMetres(GeoPoint from, int feature)
    {
        var to = _pointRadians[feature];
        return from.NearlyEquals(to) ? 0 : Geodesic.Distance(from.Lat, from.Lon, to.Lat, to.Lon, Spheroid.Wgs84);
    }

    /// <summary>A lon/lat envelope surely holding everything within <paramref name="metres"/> of <paramref name="envelope"/>.</summary>
    internal static Envelope Expand(Envelope envelope, double metres)
    {
        var dLat = metres / MinMetresPerDegreeLatitude * SphereSlack;
        var minY = envelope.MinY - dLat;
        var maxY = envelope.MaxY + dLat;
        var poleward = Math.Max(Math.Abs(minY), Math.Abs(maxY));
        if (poleward >= 89.9)
        {
            return new Envelope(-180, 180, Math.Max(-90, minY), Math.Min(90, maxY));
        }
        var dLon = metres / (MetresPerDegreeLongitudeAtEquator * Math.Cos(poleward * Math.PI / 180)) * SphereSlack;
        return new Envelope(envelope.MinX - dLon, envelope.MaxX + dLon, minY, maxY);
    }
}
