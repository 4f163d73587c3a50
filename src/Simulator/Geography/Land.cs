using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using OneMap.Simulator.Randomness;

namespace OneMap.Simulator.Geography;

/// <summary>
/// The land of the sample city: a star-shaped outline around the centre with a ragged coast on the east (bays,
/// the Xiuyu peninsula, an estuary where the main river meets the sea) and smoother borders with the neighbouring
/// prefectures elsewhere. Sea is the radial band outside the coast.
/// </summary>
public sealed class Land
{
    /// <summary>Coast spans these polar angles (radians, 0 = east, counter-clockwise) around the centre.</summary>
    public const double CoastFrom = -80 * Math.PI / 180, CoastTo = 70 * Math.PI / 180;

    /// <summary>The polar angle of the river mouth.</summary>
    public const double MouthAngle = 4 * Math.PI / 180;

    private const int Vertices = 1440;
    private readonly ulong _key;
    private readonly IPreparedGeometry _prepared;

    public Land(Rng rng)
    {
        _key = rng.Fork("land").NextULong();
        Centre = LocalFrame.Km(119.02, 25.40);
        var ring = new Coordinate[Vertices + 1];
        for (var i = 0; i < Vertices; i++)
        {
            var theta = -Math.PI + 2 * Math.PI * i / Vertices;
            var r = Radius(theta);
            ring[i] = new Coordinate(Centre.X + r * Math.Cos(theta), Centre.Y + r * Math.Sin(theta));
        }
        ring[Vertices] = ring[0].Copy();
        Outline = LocalFrame.Factory.CreatePolygon(ring);
        _prepared = PreparedGeometryFactory.Prepare(Outline);
    }

    /// <summary>The centre the outline is star-shaped around (local km).</summary>
    public Coordinate Centre { get; }

    /// <summary>The land polygon (local km).</summary>
    public Polygon Outline { get; }

    /// <summary>Distance from the centre to the land's edge at polar angle <paramref name="theta"/>, in km.</summary>
    public double Radius(double theta)
    {
        // Base: a slightly elongated shape, wider to the west-north-west (Xianyou's mountains).
        var r = 40.5 * (1 + 0.07 * Math.Cos(theta - 2.7) - 0.04 * Math.Cos(2 * theta));
        var coastWeight = CoastWeight(theta);
        var u = (theta + Math.PI) / (2 * Math.PI);
        var shape = Noise.Periodic1(_key ^ 0x5A4E, u * 5, 5, 2);
        var border = Noise.Periodic1(_key, u * 14, 14, 4);
        var coast = Noise.Periodic1(_key ^ 0xC0A57, u * 36, 36, 6, 0.6);
        r *= 1 + 0.10 * shape + (1 - coastWeight) * 0.08 * border + coastWeight * 0.16 * coast;
        // The Xiuyu peninsula to the south-east, Meizhou Bay south of it, Xinghua Bay north of the estuary, the
        // Pinghai headland between.
        r *= 1 + 0.26 * Bump(theta, -0.62, 0.13) - 0.20 * Bump(theta, -1.0, 0.08) - 0.16 * Bump(theta, 0.32, 0.10)
               + 0.10 * Bump(theta, -0.25, 0.06) + 0.08 * Bump(theta, 0.72, 0.07);
        // The estuary: a narrow inlet at the mouth.
        r *= 1 - 0.06 * Bump(theta, MouthAngle, 0.035);
        return r;
    }

    /// <summary>How much of a coast the edge at <paramref name="theta"/> is (1 inside the coast range, fading to 0).</summary>
    public static double CoastWeight(double theta)
    {
        const double fade = 0.25;
        var inside = Math.Min(theta - CoastFrom, CoastTo - theta);
        return Math.Clamp(0.5 + inside / (2 * fade), 0, 1);
    }

    public bool Contains(double x, double y) => _prepared.Contains(LocalFrame.Factory.CreatePoint(new Coordinate(x, y)));

    /// <summary>Polar angle and distance of a point from the centre.</summary>
    public (double Theta, double Distance) Polar(double x, double y) =>
        (Math.Atan2(y - Centre.Y, x - Centre.X), Math.Sqrt((x - Centre.X) * (x - Centre.X) + (y - Centre.Y) * (y - Centre.Y)));

    /// <summary>The point at polar angle <paramref name="theta"/>, <paramref name="offsetKm"/> beyond the land's edge (negative: inland).</summary>
    public Coordinate AtEdge(double theta, double offsetKm)
    {
        var r = Radius(theta) + offsetKm;
        return new Coordinate(Centre.X + r * Math.Cos(theta), Centre.Y + r * Math.Sin(theta));
    }

    /// <summary>Whether (x, y) is sea: outside the land, seaward of the coast.</summary>
    public bool IsSea(double x, double y)
    {
        var (theta, distance) = Polar(x, y);
        return theta is > CoastFrom and < CoastTo && distance > Radius(theta);
    }

    /// <summary>
    /// The sea as a polygon: the radial band from the coast out to <paramref name="outerKm"/> beyond it, which is simple
    /// because the land is star-shaped around the centre.
    /// </summary>
    public Polygon Sea(double outerKm)
    {
        var inner = new List<Coordinate>();
        var outer = new List<Coordinate>();
        const int steps = 600;
        for (var i = 0; i <= steps; i++)
        {
            var theta = CoastFrom + (CoastTo - CoastFrom) * i / steps;
            inner.Add(AtEdge(theta, 0));
            outer.Add(AtEdge(theta, outerKm));
        }
        outer.Reverse();
        var ring = inner.Concat(outer).Append(inner[0].Copy()).ToArray();
        return LocalFrame.Factory.CreatePolygon(ring);
    }

    private static double Bump(double theta, double centre, double width)
    {
        var d = Math.IEEERemainder(theta - centre, 2 * Math.PI);
        return Math.Exp(-d * d / (2 * width * width));
    }
}
