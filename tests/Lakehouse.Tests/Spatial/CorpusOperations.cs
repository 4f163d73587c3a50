using System.Globalization;

using NetTopologySuite.Geometries;

using OneMap.Lakehouse.Spatial;

namespace OneMap.Lakehouse.Tests.Spatial;

/// <summary>How two results of one operation are compared.</summary>
internal enum Agreement
{
    /// <summary>Identical text (booleans, GeoJSON, WKB hex).</summary>
    Exact,

    /// <summary>Numbers within 1e-6 relative (1e-7 absolute near zero: PostGIS rounds distances to 1e-8 m).</summary>
    Relative,

    /// <summary>"x y" coordinate pairs within 1e-9 degrees.</summary>
    Coordinates,
}

/// <summary>
/// One operation of the agreement corpus: the PostGIS expression over <c>a</c>, <c>b</c> (geometries), <c>d</c> (a
/// within-distance) and <c>r</c> (a buffer radius), and OneMap's computation of the same value, both as text.
/// </summary>
internal sealed record CorpusOperation(string Name, string PostgisExpression, Func<Geometry, Geometry, CorpusPair, string?> OneMap, Agreement Agreement, bool Unary = false);

internal static class CorpusOperations
{
    public const string Error = "ERR";

    public static IReadOnlyList<CorpusOperation> All { get; } =
    [
        new("contains", "ST_Contains(a, b)::text", (a, b, _) => Bool(SpatialPredicates.Contains(a, b)), Agreement.Exact),
        new("within", "ST_Within(a, b)::text", (a, b, _) => Bool(SpatialPredicates.Within(a, b)), Agreement.Exact),
        new("intersects", "ST_Intersects(a, b)::text", (a, b, _) => Bool(SpatialPredicates.Intersects(a, b)), Agreement.Exact),
        new("covers", "ST_Covers(a, b)::text", (a, b, _) => Bool(SpatialPredicates.Covers(a, b)), Agreement.Exact),
        new("covers-reversed", "ST_Covers(b, a)::text", (a, b, _) => Bool(SpatialPredicates.Covers(b, a)), Agreement.Exact),
        new("touches", "ST_Touches(a, b)::text", (a, b, _) => Bool(SpatialPredicates.Touches(a, b)), Agreement.Exact),
        new("dwithin", "ST_DWithin(a::geography, b::geography, d)::text", (a, b, p) => Bool(GeometryOperations.DWithin(a, b, p.WithinMetres)), Agreement.Exact),
        new("distance-sphere", "ST_DistanceSphere(a, b)::text", (a, b, _) => Number(GeometryOperations.DistanceSphere(a, b)), Agreement.Relative),
        new("distance-spheroid", "ST_Distance(a::geography, b::geography)::text", (a, b, _) => Number(GeometryOperations.DistanceSpheroid(a, b)), Agreement.Relative),
        new("area-spheroid", "ST_Area(a::geography)::text", (a, _, _) => Number(GeometryOperations.AreaSpheroid(a)), Agreement.Relative, Unary: true),
        new("length-spheroid", "ST_LengthSpheroid(a, 'SPHEROID[\"WGS 84\",6378137,298.257223563]')::text",
            (a, _, _) => Number(GeometryOperations.LengthSpheroid(a)), Agreement.Relative, Unary: true),
        new("centroid", "CASE WHEN ST_IsEmpty(ST_Centroid(a)) THEN 'EMPTY' ELSE ST_X(ST_Centroid(a))::text || ' ' || ST_Y(ST_Centroid(a))::text END",
            (a, _, _) => Coordinates(GeometryOperations.Centroid(a)), Agreement.Coordinates, Unary: true),
        new("envelope", "encode(ST_AsBinary(ST_Envelope(a), 'NDR'), 'hex')",
            (a, _, _) => Convert.ToHexString(GeometryCodec.ToWkb(GeometryOperations.Envelope(a))).ToLowerInvariant(), Agreement.Exact, Unary: true),
        new("geojson", "ST_AsGeoJSON(a)", (a, _, _) => GeoJsonFormat.Write(a), Agreement.Exact, Unary: true),
        new("buffer-area", "ST_Area(ST_Buffer(a::geography, r)::geography)::text",
            (a, _, p) => Number(GeometryOperations.AreaSpheroid(GeometryOperations.BufferMetres(a, p.BufferMetres))), Agreement.Relative, Unary: true),
    ];

    private static string Bool(bool value) => value ? "true" : "false";

    private static string? Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);

    private static string Coordinates(Point point) =>
        point.IsEmpty ? "EMPTY" : string.Create(CultureInfo.InvariantCulture, $"{point.X:R} {point.Y:R}");

    /// <summary>OneMap's value of an operation for a pair, or <see cref="Error"/> when OneMap refuses the input.</summary>
    public static string? Evaluate(CorpusOperation operation, CorpusPair pair)
    {
        try
        {
            var a = GeometryCodec.ReadWkb(pair.A);
            var b = operation.Unary ? a : GeometryCodec.ReadWkb(pair.B);
            return operation.OneMap(a, b, pair);
        }
        catch (SpatialException)
        {
            return Error;
        }
    }

    public static bool Agree(Agreement agreement, string? expected, string? actual)
    {
        if (expected is null || actual is null || expected == Error || actual == Error)
        {
            return expected == actual;
        }
        switch (agreement)
        {
            case Agreement.Relative:
                var x = double.Parse(expected, CultureInfo.InvariantCulture);
                var y = double.Parse(actual, CultureInfo.InvariantCulture);
                // PostGIS rounds geography distances to 1e-8 m; below 0.1 µm only the absolute difference means anything.
                return Math.Abs(x - y) <= (1e-6 * Math.Max(Math.Abs(x), Math.Abs(y))) + 1e-7;
            case Agreement.Coordinates:
                if (expected == "EMPTY" || actual == "EMPTY")
                {
                    return expected == actual;
                }
                var e = expected.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                var o = actual.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                return Math.Abs(e[0] - o[0]) <= 1e-9 && Math.Abs(e[1] - o[1]) <= 1e-9;
            default:
                return expected == actual;
        }
    }
}
