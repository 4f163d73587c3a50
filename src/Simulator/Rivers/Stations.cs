using NetTopologySuite.Geometries;
using OneMap.Models.Rivers;
using OneMap.Simulator.Geography;
using OneMap.Simulator.Randomness;

namespace OneMap.Simulator.Rivers;

/// <summary>How a station sends its readings over MQTT.</summary>
public enum ReportingMode
{
    /// <summary>One message per 5-minute cycle with every indicator.</summary>
    Batch,

    /// <summary>One message per indicator per cycle (older instruments).</summary>
    Single,
}

/// <summary>A monitoring site while the city is built.</summary>
public sealed class StationInfo
{
    public required MonitoringStation Record { get; init; }
    public required int Reach { get; init; }
    public required double DistanceKm { get; init; }
    public required Coordinate LocationKm { get; init; }
    public required ReportingMode Mode { get; init; }

    /// <summary>Baseline pollution of the water here, 0 (pristine) … ~1.2 (worse than class V).</summary>
    public required double Pollution { get; init; }

    /// <summary>How close to the estuary (0 inland … 1 at the mouth): salt water raises conductivity with the tide.</summary>
    public required double Tidal { get; init; }

    /// <summary>How far below the mean temperature the water is (mountain streams are cooler), °C.</summary>
    public required double Cooling { get; init; }
}

/// <summary>Places the 60 automatic stations and 53 sampling points evenly along the whole network.</summary>
public static class StationPlacer
{
    public const int AutomaticCount = 60;
    public const int SamplingPointCount = 53;

    public static List<StationInfo> Place(Rng rng, RiverSystem rivers, AdminMap admin, DensityField density, Land land)
    {
        var stations = new List<StationInfo>();
        var dirty = rng.Fork("dirty-creeks");
        // Some tributaries drain industrial or farming areas and run dirtier than the land use alone suggests.
        var creekLoad = rivers.Rivers.Select((_, i) => i == 0 ? 0.0 : dirty.Chance(0.3) ? dirty.Uniform(0.18, 0.4) : dirty.Uniform(0, 0.05)).ToArray();
        var total = rivers.Reaches.Sum(r => r.LengthKm);
        Place(stations, rng.Fork("automatic"), rivers, admin, density, land, creekLoad, AutomaticCount, total, 0.5, StationKind.Automatic);
        Place(stations, rng.Fork("sampling"), rivers, admin, density, land, creekLoad, SamplingPointCount, total, 0.15, StationKind.SamplingPoint);
        return stations;
    }

    private static void Place(List<StationInfo> stations, Rng rng, RiverSystem rivers, AdminMap admin, DensityField density, Land land,
        double[] creekLoad, int count, double total, double phase, StationKind kind)
    {
        var spacing = total / count;
        // Reaches in river order, so station numbers run downstream along each river.
        var ordered = Enumerable.Range(0, rivers.Reaches.Count)
            .OrderBy(r => rivers.Reaches[r].River).ThenBy(r => rivers.Reaches[r].FromIndex).ToList();
        var offsets = new List<(int Reach, double Km)>();
        var walked = 0.0;
        var next = spacing * phase;
        foreach (var r in ordered)
        {
            var length = rivers.Reaches[r].LengthKm;
            while (next < walked + length && offsets.Count < count)
            {
                var along = Math.Clamp(next - walked, 0.08, length - 0.08);
                offsets.Add((r, along));
                next += spacing;
            }
            walked += length;
        }
        var mouth = rivers.Rivers[0].Points[^1];
        var number = 0;
        foreach (var (reach, km) in offsets)
        {
            number++;
            var info = rivers.Reaches[reach];
            var location = rivers.PointOnReach(reach, km);
            var grid = admin.GridAt(location.X, location.Y);
            var town = grid >= 0 ? admin.TownOfGrid(grid).Name.Replace("街道", "", StringComparison.Ordinal).Replace("镇", "", StringComparison.Ordinal) : "河口";
            var id = (kind == StationKind.Automatic ? "WQS-" : "SP-") + number.ToString("000", System.Globalization.CultureInfo.InvariantCulture);
            var name = kind == StationKind.Automatic ? $"{info.Record.RiverName}{town}水质自动站" : $"{info.Record.RiverName}{town}断面";
            var urban = Math.Log10(Math.Max(1, AverageDensity(rivers, reach, density)));
            // How far down its river the station is: the main river gathers more load than the headwaters of a creek.
            var downstream = (info.FromIndex + km / info.LengthKm * (info.ToIndex - info.FromIndex)) / rivers.Rivers[info.River].Points.Count * (info.River == 0 ? 1 : 0.6);
            var pollution = Math.Clamp(0.02 + 0.47 * Math.Min(urban, 1.5) + 0.36 * downstream + creekLoad[info.River] + rng.Uniform(-0.04, 0.08), 0.02, 1.2);
            var target = pollution switch { < 0.2 => 2, < 0.55 => 3, _ => 4 };
            var (theta, distance) = land.Polar(location.X, location.Y);
            var toSea = location.Distance(mouth);
            var tidal = info.River == 0 ? Math.Clamp(1 - toSea / 12, 0, 1) : 0;
            var cooling = Math.Clamp((land.Radius(theta) - distance) / 40 * 3 - (urban * 0.5), 0, 3);
            stations.Add(new StationInfo
            {
                Record = new MonitoringStation(id, name, kind, info.Record.Id, rivers.MetresAlong(reach, km), target,
                    kind == StationKind.Automatic ? TimeSpan.FromMinutes(5) : TimeSpan.FromDays(7), LocalFrame.PointWgs84(location.X, location.Y)),
                Reach = reach, DistanceKm = km, LocationKm = location,
                Mode = kind == StationKind.Automatic && number % 5 == 3 ? ReportingMode.Single : ReportingMode.Batch,
                Pollution = pollution, Tidal = tidal, Cooling = cooling,
            });
        }
    }

    // Land use upstream matters more than the bank a station stands on: average the density along the reach and the one above.
    private static double AverageDensity(RiverSystem rivers, int reach, DensityField density)
    {
        var samples = new List<double>();
        var info = rivers.Reaches[reach];
        foreach (var c in info.ShapeKm.Coordinates.Where((_, i) => i % 5 == 0))
        {
            samples.Add(density.At(c.X, c.Y));
        }
        var upstream = rivers.Reaches.FindIndex(r => r.Downstream == reach && r.River == info.River);
        if (upstream >= 0)
        {
            foreach (var c in rivers.Reaches[upstream].ShapeKm.Coordinates.Where((_, i) => i % 5 == 0))
            {
                samples.Add(density.At(c.X, c.Y) * 0.7);
            }
        }
        return samples.Average();
    }
}
