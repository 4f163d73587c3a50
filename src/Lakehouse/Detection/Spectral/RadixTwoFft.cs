using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OneMap.Lakehouse.Detection.Spectral;

/// <summary>
/// In-place iterative radix-2 FFT of one fixed power-of-two length, on separate real and imaginary arrays, with the
/// bit-reversal permutation and twiddle factors computed once. The streaming Spectral Residual runs one forward and
/// one inverse transform per window; at 64 points this is several times cheaper than MathNet's general-purpose
/// <c>Fourier.Forward</c> (which the batch mode uses for arbitrary lengths, and the tests compare against).
/// </summary>
internal sealed class RadixTwoFft
{
    private readonly int _n;
    private readonly int[] _reversed;
    private readonly double[] _cos;
    private readonly double[] _sin;

    public RadixTwoFft(int n)
    {
        if (n < 2 || !BitOperations.IsPow2(n))
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "must be a power of two, at least 2");
        }
        _n = n;
        var bits = BitOperations.Log2((uint)n);
        _reversed = new int[n];
        for (var i = 0; i < n; i++)
        {
            var r = 0;
            for (var b = 0; b < bits; b++)
            {
                r |= ((i >> b) & 1) << (bits - 1 - b);
            }
            _reversed[i] = r;
        }
        _cos = new double[n / 2];
        _sin = new double[n / 2];
        for (var k = 0; k < n / 2; k++)
        {
            _cos[k] = Math.Cos(2 * Math.PI * k / n);
            _sin[k] = -Math.Sin(2 * Math.PI * k / n);
        }
    }

    public int Length => _n;

    /// <summary>X_k = Σ x_j e^{−2πijk/n}, unscaled.</summary>
    public void Forward(double[] re, double[] im) => Transform(re, im, inverse: false);

    /// <summary>x_j = Σ X_k e^{+2πijk/n}, unscaled (divide by n for the true inverse).</summary>
    public void Inverse(double[] re, double[] im) => Transform(re, im, inverse: true);

    private void Transform(double[] re, double[] im, bool inverse)
    {
        var n = _n;
        if (re.Length < n || im.Length < n)
        {
            throw new ArgumentException($"expected arrays of at least {n} values");
        }
        for (var i = 0; i < n; i++)
        {
            var j = _reversed[i];
            if (j > i)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }
        var sign = inverse ? -1.0 : 1.0;
        // The butterflies index through refs: lengths were checked above, and the bounds checks of the naive loop
        // cost as much as the arithmetic at these sizes.
        ref var r = ref MemoryMarshal.GetArrayDataReference(re);
        ref var m = ref MemoryMarshal.GetArrayDataReference(im);
        ref var cos = ref MemoryMarshal.GetArrayDataReference(_cos);
        ref var sin = ref MemoryMarshal.GetArrayDataReference(_sin);
        for (var size = 2; size <= n; size <<= 1)
        {
            var half = size >> 1;
            var step = n / size;
            for (var k = 0; k < half; k++)
            {
                var wr = Unsafe.Add(ref cos, k * step);
                var wi = sign * Unsafe.Add(ref sin, k * step);
                for (var a = k; a < n; a += size)
                {
                    var b = a + half;
                    ref var rb = ref Unsafe.Add(ref r, b);
                    ref var mb = ref Unsafe.Add(ref m, b);
                    ref var ra = ref Unsafe.Add(ref r, a);
                    ref var ma = ref Unsafe.Add(ref m, a);
                    var tr = rb * wr - mb * wi;
                    var ti = rb * wi + mb * wr;
                    rb = ra - tr;
                    mb = ma - ti;
                    ra += tr;
                    ma += ti;
                }
            }
        }
    }
}
