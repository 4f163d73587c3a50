namespace OneMap.Models.Crs;

/// <summary>
/// Transverse Mercator on an ellipsoid by the Krüger series in the third flattening to order n⁶ (the formulation of
/// Karney, "Transverse Mercator with an accuracy of a few nanometers", J. Geodesy 2011, which is also what PROJ's
/// default <c>tmerc</c> evaluates). Accurate to well under a millimetre within a few degrees of the central meridian,
/// which covers every Gauss-Krüger zone.
/// </summary>
public sealed class TransverseMercator
{
    private readonly double _e;
    private readonly double _e2;
    private readonly double _scaledA;
    private readonly double[] _alpha;
    private readonly double[] _beta;

    public TransverseMercator(Ellipsoid ellipsoid, double centralMeridian, double scaleFactor, double falseEasting, double falseNorthing)
    {
        ArgumentNullException.ThrowIfNull(ellipsoid);
        Ellipsoid = ellipsoid;
        CentralMeridian = centralMeridian;
        ScaleFactor = scaleFactor;
        FalseEasting = falseEasting;
        FalseNorthing = falseNorthing;

        var n = ellipsoid.ThirdFlattening;
        _e2 = ellipsoid.EccentricitySquared;
        _e = Math.Sqrt(_e2);
        double n2 = n * n, n3 = n2 * n, n4 = n3 * n, n5 = n4 * n, n6 = n5 * n;
        // Rectifying radius: the meridian arc length per radian of rectifying latitude.
        var rectifyingRadius = ellipsoid.SemiMajorAxis / (1 + n) * (1 + n2 / 4 + n4 / 64 + n6 / 256);
        _scaledA = scaleFactor * rectifyingRadius;
        _alpha =
        [
            n / 2 - 2.0 / 3 * n2 + 5.0 / 16 * n3 + 41.0 / 180 * n4 - 127.0 / 288 * n5 + 7891.0 / 37800 * n6,
            13.0 / 48 * n2 - 3.0 / 5 * n3 + 557.0 / 1440 * n4 + 281.0 / 630 * n5 - 1983433.0 / 1935360 * n6,
            61.0 / 240 * n3 - 103.0 / 140 * n4 + 15061.0 / 26880 * n5 + 167603.0 / 181440 * n6,
            49561.0 / 161280 * n4 - 179.0 / 168 * n5 + 6601661.0 / 7257600 * n6,
            34729.0 / 80640 * n5 - 3418889.0 / 1995840 * n6,
            212378941.0 / 319334400 * n6,
        ];
        _beta =
        [
            n / 2 - 2.0 / 3 * n2 + 37.0 / 96 * n3 - 1.0 / 360 * n4 - 81.0 / 512 * n5 + 96199.0 / 604800 * n6,
            1.0 / 48 * n2 + 1.0 / 15 * n3 - 437.0 / 1440 * n4 + 46.0 / 105 * n5 - 1118711.0 / 3870720 * n6,
            17.0 / 480 * n3 - 37.0 / 840 * n4 - 209.0 / 4480 * n5 + 5569.0 / 90720 * n6,
            4397.0 / 161280 * n4 - 11.0 / 504 * n5 - 830251.0 / 7257600 * n6,
            4583.0 / 161280 * n5 - 108847.0 / 3991680 * n6,
            20648693.0 / 638668800 * n6,
        ];
    }

    public Ellipsoid Ellipsoid { get; }
    public double CentralMeridian { get; }
    public double ScaleFactor { get; }
    public double FalseEasting { get; }
    public double FalseNorthing { get; }

    /// <summary>Projects geographic (longitude, latitude) in degrees to (easting, northing) in metres.</summary>
    public (double Easting, double Northing) Forward(double longitude, double latitude)
    {
        var lambda = double.DegreesToRadians(longitude - CentralMeridian);
        var tau = Math.Tan(double.DegreesToRadians(latitude));
        var tauPrime = ConformalTangent(tau);
        var xiPrime = Math.Atan2(tauPrime, Math.Cos(lambda));
        var etaPrime = Math.Asinh(Math.Sin(lambda) / Math.Sqrt(tauPrime * tauPrime + Math.Cos(lambda) * Math.Cos(lambda)));
        double xi = xiPrime, eta = etaPrime;
        for (var j = 1; j <= 6; j++)
        {
            xi += _alpha[j - 1] * Math.Sin(2 * j * xiPrime) * Math.Cosh(2 * j * etaPrime);
            eta += _alpha[j - 1] * Math.Cos(2 * j * xiPrime) * Math.Sinh(2 * j * etaPrime);
        }
        return (FalseEasting + _scaledA * eta, FalseNorthing + _scaledA * xi);
    }

    /// <summary>Unprojects (easting, northing) in metres to geographic (longitude, latitude) in degrees.</summary>
    public (double Longitude, double Latitude) Inverse(double easting, double northing)
    {
        var xi = (northing - FalseNorthing) / _scaledA;
        var eta = (easting - FalseEasting) / _scaledA;
        double xiPrime = xi, etaPrime = eta;
        for (var j = 1; j <= 6; j++)
        {
            xiPrime -= _beta[j - 1] * Math.Sin(2 * j * xi) * Math.Cosh(2 * j * eta);
            etaPrime -= _beta[j - 1] * Math.Cos(2 * j * xi) * Math.Sinh(2 * j * eta);
        }
        var tauPrime = Math.Sin(xiPrime) / Math.Sqrt(Math.Sinh(etaPrime) * Math.Sinh(etaPrime) + Math.Cos(xiPrime) * Math.Cos(xiPrime));
        var lambda = Math.Atan2(Math.Sinh(etaPrime), Math.Cos(xiPrime));
        var tau = GeographicTangent(tauPrime);
        return (CentralMeridian + double.RadiansToDegrees(lambda), double.RadiansToDegrees(Math.Atan(tau)));
    }

    // tan of the conformal latitude from tan of the geographic latitude.
    private double ConformalTangent(double tau)
    {
        var sigma = Math.Sinh(_e * Math.Atanh(_e * tau / Math.Sqrt(1 + tau * tau)));
        return tau * Math.Sqrt(1 + sigma * sigma) - sigma * Math.Sqrt(1 + tau * tau);
    }

    // Newton's method for the inverse of ConformalTangent; converges in two or three steps.
    private double GeographicTangent(double tauPrime)
    {
        var tau = tauPrime;
        for (var i = 0; i < 10; i++)
        {
            var tauPrimeI = ConformalTangent(tau);
            var step = (tauPrime - tauPrimeI) / Math.Sqrt(1 + tauPrimeI * tauPrimeI) *
                       (1 + (1 - _e2) * tau * tau) / ((1 - _e2) * Math.Sqrt(1 + tau * tau));
            tau += step;
            if (Math.Abs(step) < 1e-14 * Math.Max(1, Math.Abs(tau)))
            {
                break;
            }
        }
        return tau;
    }
}
