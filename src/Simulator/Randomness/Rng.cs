namespace OneMap.Simulator.Randomness;

/// <summary>
/// A seeded xoshiro256** generator. System.Random's seeded sequence is an implementation detail of the runtime, so
/// the simulator carries its own: the same seed gives the same city on every machine and .NET version.
/// <see cref="Fork(string)"/> derives independent streams by name, so adding draws in one part of the city does not shift
/// another part.
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;

    public Rng(ulong seed)
    {
        Seed = seed;
        var x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public ulong Seed { get; }

    /// <summary>An independent generator for the named purpose (the same name always gives the same stream).</summary>
    public Rng Fork(string name) => new(Hash.Combine(Seed, Hash.Of(name)));

    /// <summary>An independent generator for the named purpose and index.</summary>
    public Rng Fork(string name, long index) => new(Hash.Combine(Hash.Combine(Seed, Hash.Of(name)), (ulong)index));

    public ulong NextULong()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [0, count).</summary>
    public int Next(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return (int)(NextDouble() * count);
    }

    /// <summary>Uniform integer in [min, max].</summary>
    public int Between(int min, int max) => min + Next(max - min + 1);

    /// <summary>True with the given probability.</summary>
    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>Standard normal by Box–Muller (one draw per call, no cached pair, so streams stay simple to reason about).</summary>
    public double Normal()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Normal with the given mean and standard deviation.</summary>
    public double Normal(double mean, double sd) => mean + sd * Normal();

    /// <summary>Log-normal whose median is <paramref name="median"/>.</summary>
    public double LogNormal(double median, double sigma) => median * Math.Exp(sigma * Normal());

    /// <summary>Exponential with the given mean.</summary>
    public double Exponential(double mean) => -mean * Math.Log(1.0 - NextDouble());

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Picks an index with probability proportional to its weight.</summary>
    public int PickWeighted(IReadOnlyList<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights)
        {
            total += w;
        }
        var target = NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            target -= weights[i];
            if (target < 0)
            {
                return i;
            }
        }
        return weights.Count - 1;
    }

    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}

/// <summary>
/// Counter-based randomness: a value that is a pure function of its inputs, so sensor values can be computed for any
/// station and time independently (in parallel, in any order) and still be the same on every run.
/// </summary>
public static class Hash
{
    /// <summary>FNV-1a of the string's UTF-16 code units, then mixed.</summary>
    public static ulong Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var h = 14695981039346656037UL;
        foreach (var c in text)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        return Mix(h);
    }

    public static ulong Combine(ulong a, ulong b) => Mix(a ^ (b + 0x9E3779B97F4A7C15UL + (a << 6) + (a >> 2)));

    public static ulong Combine(ulong a, ulong b, ulong c) => Combine(Combine(a, b), c);

    /// <summary>Uniform in [0, 1) from a key.</summary>
    public static double Unit(ulong key) => (Mix(key) >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal from a key (Box–Muller over two derived uniforms).</summary>
    public static double Normal(ulong key)
    {
        var u1 = 1.0 - Unit(key);
        var u2 = Unit(key ^ 0xD1B54A32D192ED03UL);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
