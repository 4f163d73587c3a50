using NetTopologySuite.Geometries;
using OneMap.Simulator.Randomness;

namespace OneMap.Simulator.Geography;

/// <summary>
/// Places points inside a polygon with density proportional to a field and a minimum spacing that shrinks where the
/// field is dense (variable-radius Poisson-disc sampling), so Voronoi cells come out even-sized for their density.
/// </summary>
public static class PointSampler
{
    public static List<Coordinate> Sample(
        Rng rng, Geometry area, int count, Func<double, double, double> density, Func<double, double, bool>? inside = null)
    {
        var envelope = area.EnvelopeInternal;
        var prepared = NetTopologySuite.Geometries.Prepared.PreparedGeometryFactory.Prepare(area);
        inside ??= (x, y) => prepared.Contains(LocalFrame.Factory.CreatePoint(new Coordinate(x, y)));

        // Estimate the integral of the field and its maximum to set the spacing and the acceptance rate.
        double total = 0, max = 0;
        var probes = 0;
        var probe = rng.Fork("probe");
        for (var i = 0; i < 4000; i++)
        {
            var x = probe.Uniform(envelope.MinX, envelope.MaxX);
            var y = probe.Uniform(envelope.MinY, envelope.MaxY);
            if (!inside(x, y))
            {
                continue;
            }
            var d = density(x, y);
            total += d;
            max = Math.Max(max, d);
            probes++;
        }
        if (probes == 0)
        {
            // A sliver too thin to probe: fall back to its interior point.
            return [area.InteriorPoint.Coordinate.Copy()];
        }
        var areaKm2 = area.Area;
        var meanDensity = total / probes;
        max *= 1.5;

        var points = new List<Coordinate>(count);
        var cell = Math.Sqrt(areaKm2 / count) / 2;
        var buckets = new Dictionary<(long, long), List<int>>();
        var spacingFactor = 0.75;
        var attempts = 0;
        while (points.Count < count)
        {
            attempts++;
            if (attempts % (count * 200) == 0)
            {
                // Too strict for this shape: relax the spacing rather than loop for ever.
                spacingFactor *= 0.8;
            }
            var x = rng.Uniform(envelope.MinX, envelope.MaxX);
            var y = rng.Uniform(envelope.MinY, envelope.MaxY);
            var d = density(x, y);
            if (rng.NextDouble() * max > d || !inside(x, y))
            {
                continue;
            }
            // Expected area per point here, and a spacing of a fraction of its side.
            var spacing = spacingFactor * Math.Sqrt(areaKm2 * meanDensity / (count * d));
            if (TooClose(points, buckets, cell, x, y, spacing))
            {
                continue;
            }
            var key = ((long)Math.Floor(x / cell), (long)Math.Floor(y / cell));
            if (!buckets.TryGetValue(key, out var list))
            {
                buckets[key] = list = [];
            }
            list.Add(points.Count);
            points.Add(new Coordinate(x, y));
        }
        return points;
    }

    private static bool TooClose(List<Coordinate> points, Dictionary<(long, long), List<int>> buckets, double cell, double x, double y, double spacing)
    {
        var reach = (long)Math.Ceiling(spacing / cell);
        var bx = (long)Math.Floor(x / cell);
        var by = (long)Math.Floor(y / cell);
        var s2 = spacing * spacing;
        for (var i = bx - reach; i <= bx + reach; i++)
        {
            for (var j = by - reach; j <= by + reach; j++)
            {
                if (!buckets.TryGetValue((i, j), out var list))
                {
                    continue;
                }
                foreach (var index in list)
                {
                    var p = points[index];
                    if ((p.X - x) * (p.X - x) + (p.Y - y) * (p.Y - y) < s2)
                    {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
