namespace OneMap.Lakehouse.Spatial.Geodesy;

/// <summary>
/// Geodesics on an ellipsoid of revolution by Vincenty's method (the auxiliary-sphere iteration, converged to 1e-14
/// rad, i.e. sub-micrometre): the inverse problem (distance and azimuths between two points) and the direct problem
/// (where a geodesic of given start and azimuth is after s metres). Angles in radians.
/// Nearly antipodal points (within a fraction of a degree of the antipode), where the iteration does not converge,
/// are refused; OneMap's data are city-scale.
/// </summary>
public static class Geodesic
{
    private const double Convergence = 1e-14;
    private const int MaxIterations = 500;

    /// <summary>The inverse problem: metres between two points and the forward azimuths at each end.</summary>
    public readonly record struct InverseResult(double Distance, double Azimuth1, double Azimuth2);

    /// <summary>The direct problem: where a geodesic arrives, its longitude offset from the start and its azimuth there.</summary>
    public readonly record struct DirectResult(double Latitude, double LongitudeOffset, double Azimuth);

    /// <summary>Geodesic distance in metres; on a sphere, the great-circle distance.</summary>
    public static double Distance(double lat1, double lon1, double lat2, double lon2, Spheroid spheroid) =>
        Inverse(lat1, lon1, lat2, lon2, spheroid).Distance;

    public static InverseResult Inverse(double lat1, double lon1, double lat2, double lon2, Spheroid spheroid)
    {
        if (lat1 == lat2 && lon1 == lon2)
        {
            return new InverseResult(0, 0, 0);
        }
        var a = spheroid.A;
        var b = spheroid.B;
        var f = spheroid.Flattening;
        var longitudeDifference = Math.IEEERemainder(lon2 - lon1, 2 * Math.PI);
        var u1 = Math.Atan((1 - f) * Math.Tan(lat1));
        var u2 = Math.Atan((1 - f) * Math.Tan(lat2));
        double sinU1 = Math.Sin(u1), cosU1 = Math.Cos(u1), sinU2 = Math.Sin(u2), cosU2 = Math.Cos(u2);

        var lambda = longitudeDifference;
        double sinLambda, cosLambda, sinSigma, cosSigma, sigma, sinAlpha, cosSqAlpha, cos2SigmaM;
        var iterations = 0;
        while (true)
        {
            sinLambda = Math.Sin(lambda);
            cosLambda = Math.Cos(lambda);
            var t1 = cosU2 * sinLambda;
            var t2 = (cosU1 * sinU2) - (sinU1 * cosU2 * cosLambda);
            sinSigma = Math.Sqrt((t1 * t1) + (t2 * t2));
            if (sinSigma == 0)
            {
                return new InverseResult(0, 0, 0);
            }
            cosSigma = (sinU1 * sinU2) + (cosU1 * cosU2 * cosLambda);
            sigma = Math.Atan2(sinSigma, cosSigma);
            sinAlpha = cosU1 * cosU2 * sinLambda / sinSigma;
            cosSqAlpha = 1 - (sinAlpha * sinAlpha);
            // On the equator (cos²α = 0) the middle term vanishes.
            cos2SigmaM = cosSqAlpha != 0 ? cosSigma - (2 * sinU1 * sinU2 / cosSqAlpha) : 0;
            var c = f / 16 * cosSqAlpha * (4 + (f * (4 - (3 * cosSqAlpha))));
            var previous = lambda;
            lambda = longitudeDifference + ((1 - c) * f * sinAlpha *
                (sigma + (c * sinSigma * (cos2SigmaM + (c * cosSigma * (-1 + (2 * cos2SigmaM * cos2SigmaM)))))));
            if (Math.Abs(lambda - previous) <= Convergence)
            {
                break;
            }
            if (++iterations > MaxIterations || Math.Abs(lambda) > Math.PI)
            {
                throw new GeometryOperationException("geodesic inverse",
                    $"no convergence between ({Degrees(lat1)}, {Degrees(lon1)}) and ({Degrees(lat2)}, {Degrees(lon2)}): the points are nearly antipodal");
            }
        }

        var uSq = cosSqAlpha * ((a * a) - (b * b)) / (b * b);
        var bigA = 1 + (uSq / 16384 * (4096 + (uSq * (-768 + (uSq * (320 - (175 * uSq)))))));
        var bigB = uSq / 1024 * (256 + (uSq * (-128 + (uSq * (74 - (47 * uSq))))));
        var deltaSigma = bigB * sinSigma * (cos2SigmaM + (bigB / 4 * ((cosSigma * (-1 + (2 * cos2SigmaM * cos2SigmaM)))
            - (bigB / 6 * cos2SigmaM * (-3 + (4 * sinSigma * sinSigma)) * (-3 + (4 * cos2SigmaM * cos2SigmaM))))));
        var distance = b * bigA * (sigma - deltaSigma);
        var azimuth1 = Math.Atan2(cosU2 * sinLambda, (cosU1 * sinU2) - (sinU1 * cosU2 * cosLambda));
        var azimuth2 = Math.Atan2(cosU1 * sinLambda, (-sinU1 * cosU2) + (cosU1 * sinU2 * cosLambda));
        return new InverseResult(distance, azimuth1, azimuth2);
    }

    /// <summary>The point <paramref name="distance"/> metres from (lat1, ·) along azimuth <paramref name="azimuth1"/>.</summary>
    public static DirectResult Direct(double lat1, double azimuth1, double distance, Spheroid spheroid)
    {
        var a = spheroid.A;
        var b = spheroid.B;
        var f = spheroid.Flattening;
        double sinAlpha1 = Math.Sin(azimuth1), cosAlpha1 = Math.Cos(azimuth1);
        var tanU1 = (1 - f) * Math.Tan(lat1);
        var cosU1 = 1 / Math.Sqrt(1 + (tanU1 * tanU1));
        var sinU1 = tanU1 * cosU1;
        var sigma1 = Math.Atan2(tanU1, cosAlpha1);
        var sinAlpha = cosU1 * sinAlpha1;
        var cosSqAlpha = 1 - (sinAlpha * sinAlpha);
        var uSq = cosSqAlpha * ((a * a) - (b * b)) / (b * b);
        var bigA = 1 + (uSq / 16384 * (4096 + (uSq * (-768 + (uSq * (320 - (175 * uSq)))))));
        var bigB = uSq / 1024 * (256 + (uSq * (-128 + (uSq * (74 - (47 * uSq))))));

        var sigma = distance / (b * bigA);
        double sinSigma, cosSigma, cos2SigmaM;
        var iterations = 0;
        while (true)
        {
            cos2SigmaM = Math.Cos((2 * sigma1) + sigma);
            sinSigma = Math.Sin(sigma);
            cosSigma = Math.Cos(sigma);
            var deltaSigma = bigB * sinSigma * (cos2SigmaM + (bigB / 4 * ((cosSigma * (-1 + (2 * cos2SigmaM * cos2SigmaM)))
                - (bigB / 6 * cos2SigmaM * (-3 + (4 * sinSigma * sinSigma)) * (-3 + (4 * cos2SigmaM * cos2SigmaM))))));
            var previous = sigma;
            sigma = (distance / (b * bigA)) + deltaSigma;
            if (Math.Abs(sigma - previous) <= Convergence || ++iterations > MaxIterations)
            {
                break;
            }
        }
        sinSigma = Math.Sin(sigma);
        cosSigma = Math.Cos(sigma);
        cos2SigmaM = Math.Cos((2 * sigma1) + sigma);

        var t = (sinU1 * sinSigma) - (cosU1 * cosSigma * cosAlpha1);
        var lat2 = Math.Atan2((sinU1 * cosSigma) + (cosU1 * sinSigma * cosAlpha1), (1 - f) * Math.Sqrt((sinAlpha * sinAlpha) + (t * t)));
        var lambda = Math.Atan2(sinSigma * sinAlpha1, (cosU1 * cosSigma) - (sinU1 * sinSigma * cosAlpha1));
        var c = f / 16 * cosSqAlpha * (4 + (f * (4 - (3 * cosSqAlpha))));
        var l = lambda - ((1 - c) * f * sinAlpha * (sigma + (c * sinSigma * (cos2SigmaM + (c * cosSigma * (-1 + (2 * cos2SigmaM * cos2SigmaM)))))));
        var azimuth2 = Math.Atan2(sinAlpha, -t);
        return new DirectResult(lat2, l, azimuth2);
    }

    private static double Degrees(double radians) => radians * 180 / Math.PI;
}
