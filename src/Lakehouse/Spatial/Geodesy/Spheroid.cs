using System.Globalization;
using System.Text.RegularExpressions;

namespace OneMap.Lakehouse.Spatial.Geodesy;

/// <summary>
/// An ellipsoid of revolution (or a sphere when <see cref="A"/> equals <see cref="B"/>), in metres. <see cref="Radius"/>
/// is the mean radius (2a + b) / 3 that PostGIS uses for its sphere calculations.
/// </summary>
public sealed partial record Spheroid
{
    private Spheroid(double a, double b)
    {
        A = a;
        B = b;
        Flattening = (a - b) / a;
        EccentricitySquared = ((a * a) - (b * b)) / (a * a);
        Radius = ((2.0 * a) + b) / 3.0;
    }

    /// <summary>Semi-major axis (m).</summary>
    public double A { get; }

    /// <summary>Semi-minor axis (m).</summary>
    public double B { get; }

    public double Flattening { get; }

    public double EccentricitySquared { get; }

    /// <summary>Mean radius (2a + b) / 3.</summary>
    public double Radius { get; }

    public bool IsSphere => A == B;

    /// <summary>WGS84 with PostGIS's exact semi-minor axis (6356752.314245179498 m).</summary>
    public static Spheroid Wgs84 { get; } = new(6378137.0, 6356752.314245179498);

    /// <summary>The sphere of WGS84's mean radius, 6371008.7714 m (PostGIS's ST_DistanceSphere).</summary>
    public static Spheroid Wgs84Sphere { get; } = Sphere(Wgs84.Radius);

    public static Spheroid FromAxes(double a, double b)
    {
        if (!(a > 0) || !(b > 0) || b > a || double.IsInfinity(a))
        {
            throw new SpatialArgumentException("spheroid", "axes", $"need 0 < b <= a, got a={a}, b={b}");
        }
        return new Spheroid(a, b);
    }

    public static Spheroid FromInverseFlattening(double a, double inverseFlattening) =>
        FromAxes(a, a - (a / inverseFlattening));

    public static Spheroid Sphere(double radius)
    {
        if (!(radius > 0) || double.IsInfinity(radius))
        {
            throw new SpatialArgumentException("sphere", "radius", $"must be a positive finite number of metres, was {radius}");
        }
        return new Spheroid(radius, radius);
    }

    /// <summary>Parses PostGIS's spheroid text, <c>SPHEROID["WGS 84",6378137,298.257223563]</c> (brackets or parentheses).</summary>
    public static Spheroid Parse(string text)
    {
        var match = SpheroidText().Match(text ?? "");
        if (!match.Success)
        {
            throw new SpatialArgumentException("spheroid", "spheroid",
                $"'{text}' is not of the form SPHEROID[\"name\",semi_major_axis,inverse_flattening]");
        }
        var a = double.Parse(match.Groups["a"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        var rf = double.Parse(match.Groups["rf"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        return FromInverseFlattening(a, rf);
    }

    [GeneratedRegex("""^\s*SPHEROID\s*[\[(]\s*"[^"]{0,19}"\s*,\s*(?<a>[-+0-9.eE]+)\s*,\s*(?<rf>[-+0-9.eE]+)\s*[\])]\s*$""")]
    private static partial Regex SpheroidText();
}
