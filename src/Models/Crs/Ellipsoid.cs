namespace OneMap.Models.Crs;

/// <summary>A reference ellipsoid by semi-major axis and inverse flattening.</summary>
public sealed record Ellipsoid(string Name, double SemiMajorAxis, double InverseFlattening)
{
    /// <summary>CGCS2000 (China Geodetic Coordinate System 2000): a = 6378137 m, 1/f = 298.257222101 (the GRS80 values).</summary>
    public static Ellipsoid Cgcs2000 { get; } = new("CGCS2000", 6_378_137.0, 298.257222101);

    /// <summary>WGS84: a = 6378137 m, 1/f = 298.257223563.</summary>
    public static Ellipsoid Wgs84 { get; } = new("WGS 84", 6_378_137.0, 298.257223563);

    /// <summary>Krasovsky 1940, the ellipsoid the GCJ-02 offset formulas are written on.</summary>
    public static Ellipsoid Krasovsky1940 { get; } = new("Krasovsky 1940", 6_378_245.0, 298.3);

    public double Flattening => 1 / InverseFlattening;

    /// <summary>First eccentricity squared, e² = f(2 − f).</summary>
    public double EccentricitySquared => Flattening * (2 - Flattening);

    /// <summary>Third flattening n = f / (2 − f), the parameter of the Krüger series.</summary>
    public double ThirdFlattening => Flattening / (2 - Flattening);
}
