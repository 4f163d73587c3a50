namespace OneMap.Simulator.Randomness;

/// <summary>
/// Smooth value noise (hash values at lattice points, smoothstep-interpolated), summed over octaves. Pure functions of
/// the key and the position, used for coastlines, density fields and slowly wandering sensor baselines.
/// </summary>
public static class Noise
{
    /// <summary>1-D noise in about [−1, 1] with features of size ~1.</summary>
    public static double Value1(ulong key, double x)
    {
        var i = Math.Floor(x);
        var f = x - i;
        var a = Lattice(key, (long)i, 0);
        var b = Lattice(key, (long)i + 1, 0);
        return a + (b - a) * Smooth(f);
    }

    /// <summary>2-D noise in about [−1, 1] with features of size ~1.</summary>
    public static double Value2(ulong key, double x, double y)
    {
        var ix = Math.Floor(x);
        var iy = Math.Floor(y);
        var fx = Smooth(x - ix);
        var fy = Smooth(y - iy);
        long x0 = (long)ix, y0 = (long)iy;
        var a = Lattice(key, x0, y0);
        var b = Lattice(key, x0 + 1, y0);
        var c = Lattice(key, x0, y0 + 1);
        var d = Lattice(key, x0 + 1, y0 + 1);
        var top = a + (b - a) * fx;
        var bottom = c + (d - c) * fx;
        return top + (bottom - top) * fy;
    }

    /// <summary>Fractal sum of <paramref name="octaves"/> octaves of 1-D noise, normalised to about [−1, 1].</summary>
    public static double Fractal1(ulong key, double x, int octaves, double persistence = 0.5)
    {
        double sum = 0, amplitude = 1, norm = 0, frequency = 1;
        for (var o = 0; o < octaves; o++)
        {
            sum += amplitude * Value1(Hash.Combine(key, (ulong)o), x * frequency);
            norm += amplitude;
            amplitude *= persistence;
            frequency *= 2;
        }
        return sum / norm;
    }

    /// <summary>Fractal sum of 2-D noise, normalised to about [−1, 1].</summary>
    public static double Fractal2(ulong key, double x, double y, int octaves, double persistence = 0.5)
    {
        double sum = 0, amplitude = 1, norm = 0, frequency = 1;
        for (var o = 0; o < octaves; o++)
        {
            sum += amplitude * Value2(Hash.Combine(key, (ulong)o), x * frequency, y * frequency);
            norm += amplitude;
            amplitude *= persistence;
            frequency *= 2;
        }
        return sum / norm;
    }

    /// <summary>Periodic 1-D noise with period <paramref name="period"/> lattice cells (for closed outlines).</summary>
    public static double Periodic1(ulong key, double x, int period, int octaves, double persistence = 0.5)
    {
        double sum = 0, amplitude = 1, norm = 0;
        var p = period;
        var scale = 1.0;
        for (var o = 0; o < octaves; o++)
        {
            var xs = x * scale;
            var i = Math.Floor(xs);
            var f = xs - i;
            var k = Hash.Combine(key, (ulong)o);
            var a = Lattice(k, Modulo((long)i, p), 0);
            var b = Lattice(k, Modulo((long)i + 1, p), 0);
            sum += amplitude * (a + (b - a) * Smooth(f));
            norm += amplitude;
            amplitude *= persistence;
            scale *= 2;
            p *= 2;
        }
        return sum / norm;
    }

    private static long Modulo(long a, long m) => ((a % m) + m) % m;

    private static double Lattice(ulong key, long x, long y) =>
        Hash.Unit(Hash.Combine(key, (ulong)x, (ulong)y)) * 2 - 1;

    private static double Smooth(double t) => t * t * (3 - 2 * t);
}
