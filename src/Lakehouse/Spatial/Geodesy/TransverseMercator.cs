namespace OneMap.Lakehouse.Spatial.Geodesy;

/// <summary>
/// The ellipsoidal transverse Mercator projection by Krüger's series in the third flattening n (to n⁶, accurate to
/// nanometres within a UTM zone; the same method PROJ's <c>tmerc</c> uses), with the conformal latitude inverted
/// exactly by Newton's method. Coordinates in metres, angles in degrees.
/// </summary>
public sealed class TransverseMercator
{
    private readonly double _centralMeridian;
    private readonly double _scale;
    private readonly double _falseEasting;
    private readonly double _falseNorthing;
    private readonly double _e;
    private readonly double _e2;
    private readonly double _rectifyingRadius;
    private readonly double[] _alpha;
    private readonly double[] _beta;

    public TransverseMercator(Spheroid spheroid, double centralMeridian, double scale, double falseEasting, double falseNorthing)
    {
        _centralMeridian = centralMeridian;
        _scale = scale;
        _falseEasting = falseEasting;
        _falseNorthing = falseNorthing;
        _e2 = spheroid.EccentricitySquared;
        _e = Math.Sqrt(_e2);
        var f = spheroid.Flattening;
        var n = f / (2 - f);
        double n2 = n * n, n3 = n2 * n, n4 = n3 * n, n5 = n4 * n, n6 = n5 * n;
        _rectifyingRadius = spheroid.A / (1 + n) * (1 + (n2 / 4) + (n4 / 64) + (n6 / 256));
        _alpha =
        [
            (n / 2) - (2 * n2 / 3) + (5 * n3 / 16) + (41 * n4 / 180) - (127 * n5 / 288) + (7891 * n6 / 37800),
            (13 * n2 / 48) - (3 * n3 / 5) + (557 * n4 / 1440) + (281 * n5 / 630) - (1983433 * n6 / 1935360),
            (61 * n3 / 240) - (103 * n4 / 140) + (15061 * n5 / 26880) + (167603 * n6 / 181440),
            (49561 * n4 / 161280) - (179 * n5 / 168) + (6601661 * n6 / 7257600),
            (34729 * n5 / 80640) - (3418889 * n6 / 1995840),
            212378941 * n6 / 319334400,
        ];
        _beta =
        [
            (n / 2) - (2 * n2 / 3) + (37 * n3 / 96) - (n4 / 360) - (81 * n5 / 512) + (96199 * n6 / 604800),
            (n2 / 48) + (n3 / 15) - (437 * n4 / 1440) + (46 * n5 / 105) - (1118711 * n6 / 3870720),
            (17 * n3 / 480) - (37 * n4 / 840) - (209 * n5 / 4480) + (5569 * n6 / 90720),
            (4397 * n4 / 161280) - (11 * n5 / 504) - (830251 * n6 / 7257600),
            (4583 * n5 / 161280) - (108847 * n6 / 3991680),
            20648693 * n6 / 638668800,
        ];
    }

    /// <summary>UTM zone 1–60, north or south of the equator, on WGS84.</summary>
    public static TransverseMercator Utm(int zone, bool south) =>
        new(Spheroid.Wgs84, (zone * 6) - 183, 0.9996, 500000, south ? 10000000 : 0);

    public (double Easting, double Northing) Forward(double lon, double lat)
    {
        var phi = lat * Math.PI / 180;
        var lambda = Math.IEEERemainder(lon - _centralMeridian, 360) * Math.PI / 180;
        var tau = Math.Tan(phi);
        var tauPrime = ConformalTangent(tau);
        var xiPrime = Math.Atan2(tauPrime, Math.Cos(lambda));
        var etaPrime = Math.Asinh(Math.Sin(lambda) / Math.Sqrt((tauPrime * tauPrime) + (Math.Cos(lambda) * Math.Cos(lambda))));
        var xi = xiPrime;
        var eta = etaPrime;
        for (var j = 1; j <= _alpha.Length; j++)
        {
            xi += _alpha[j - 1] * Math.Sin(2 * j * xiPrime) * Math.Cosh(2 * j * etaPrime);
            eta += _alpha[j - 1] * Math.Cos(2 * j * xiPrime) * Math.Sinh(2 * j * etaPrime);
        }
        return (_falseEasting + (_scale * _rectifyingRadius * eta), _falseNorthing + (_scale * _rectifyingRadius * xi));
    }

    public (double Lon, double Lat) Inverse(double easting, double northing)
    {
        var xi = (northing - _falseNorthing) / (_scale * _rectifyingRadius);
        var eta = (easting - _falseEasting) / (_scale * _rectifyingRadius);
        var xiPrime = xi;
        var etaPrime = eta;
        for (var j = 1; j <= _beta.Length; j++)
        {
            xiPrime -= _beta[j - 1] * Math.Sin(2 * j * xi) * Math.Cosh(2 * j * eta);
            etaPrime -= _beta[j - 1] * Math.Cos(2 * j * xi) * Math.Sinh(2 * j * eta);
        }
        var sinhEta = Math.Sinh(etaPrime);
        var cosXi = Math.Cos(xiPrime);
        var tauPrime = Math.Sin(xiPrime) / Math.Sqrt((sinhEta * sinhEta) + (cosXi * cosXi));
        var lambda = Math.Atan2(sinhEta, cosXi);
        var tau = GeodeticTangent(tauPrime);
        return (_centralMeridian + (lambda * 180 / Math.PI), Math.Atan(tau) * 180 / Math.PI);
    }

    /// <summary>tan of the conformal latitude from tan of the geodetic latitude.</summary>
    private double ConformalTangent(double tau)
    {
        var tau1 = Math.Sqrt(1 + (tau * tau));
        var sigma = Math.Sinh(_e * Math.Atanh(_e * tau / tau1));
        return (tau * Math.Sqrt(1 + (sigma * sigma))) - (sigma * tau1);
    }

    /// <summary>Inverts <see cref="ConformalTangent"/> by Newton's method (converges in a few steps to round-off).</summary>
    private double GeodeticTangent(double tauPrime)
    {
        var tau = tauPrime / (1 - _e2);
        for (var i = 0; i < 10; i++)
        {
            var tauPrimeI = ConformalTangent(tau);
            var derivative = (1 - _e2) * Math.Sqrt(1 + (tauPrimeI * tauPrimeI)) * Math.Sqrt(1 + (tau * tau)) / (1 + ((1 - _e2) * tau * tau));
            var step = (tauPrime - tauPrimeI) / derivative;
            tau += step;
            if (Math.Abs(step) <= 1e-15 * Math.Max(1, Math.Abs(tau)))
            {
                break;
            }
        }
        return tau;
    }
}
