using OneMap.Simulator.Randomness;

namespace OneMap.Simulator.Geography;

/// <summary>
/// Relative household density over the land: the central city on the lower river (Licheng and Chengxiang), Hanjiang
/// to its north-east, the Xianyou county town up-river, Hushi on the Xiuyu peninsula, market towns, a populated coastal
/// plain and thin mountain villages in the north and west.
/// </summary>
public sealed class DensityField
{
    private readonly Land _land;
    private readonly ulong _key;
    private readonly List<(double X, double Y, double SigmaKm, double Amplitude)> _centres = [];

    public DensityField(Land land, Rng rng)
    {
        _land = land;
        _key = rng.Fork("density").NextULong();
        AddCentre(119.005, 25.438, 3.2, 130);
        AddCentre(118.985, 25.415, 2.2, 70);
        AddCentre(119.105, 25.462, 2.3, 70);
        AddCentre(118.695, 25.362, 2.2, 55);
        AddCentre(119.105, 25.262, 1.8, 40);
        // Market towns scattered over the land.
        var towns = rng.Fork("market-towns");
        var placed = 0;
        while (placed < 16)
        {
            var x = towns.Uniform(-45, 45);
            var y = towns.Uniform(-42, 42);
            if (!land.Contains(x, y))
            {
                continue;
            }
            _centres.Add((x, y, towns.Uniform(0.8, 1.5), towns.Uniform(6, 14)));
            placed++;
        }
    }

    /// <summary>The main city centre (local km), where the densest grids are.</summary>
    public (double X, double Y) CityCentre => (_centres[0].X, _centres[0].Y);

    /// <summary>Relative density at (x, y) in local km; about 1 in the countryside, over 100 downtown.</summary>
    public double At(double x, double y)
    {
        var (theta, distance) = _land.Polar(x, y);
        // Mountains: north-west and west are thin; the coastal plain is denser.
        var fromEdge = Math.Max(0, _land.Radius(theta) - distance);
        var coastal = Land.CoastWeight(theta) * Math.Exp(-fromEdge / 12);
        var mountain = Math.Clamp(0.5 + 0.5 * Math.Cos(theta - 2.2), 0, 1);
        var rural = (0.55 + 0.35 * Noise.Fractal2(_key, x / 9, y / 9, 3)) * (1 - 0.55 * mountain) + 0.9 * coastal;
        var urban = 0.0;
        foreach (var (cx, cy, sigma, amplitude) in _centres)
        {
            var d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
            if (d2 < 25 * sigma * sigma)
            {
                urban += amplitude * Math.Exp(-d2 / (2 * sigma * sigma));
            }
        }
        return Math.Max(0.12, rural) + urban;
    }

    private void AddCentre(double lon, double lat, double sigmaKm, double amplitude)
    {
        var (x, y) = LocalFrame.ToKm(lon, lat);
        _centres.Add((x, y, sigmaKm, amplitude));
    }
}
