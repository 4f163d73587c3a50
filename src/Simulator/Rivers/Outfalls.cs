using System.Globalization;
using NetTopologySuite.Geometries;
using OneMap.Models.Rivers;
using OneMap.Simulator.Geography;
using OneMap.Simulator.Industry;
using OneMap.Simulator.Randomness;

namespace OneMap.Simulator.Rivers;

/// <summary>An outfall while the city is built.</summary>
public sealed class OutfallInfo
{
    public required Outfall Record { get; init; }
    public required int Reach { get; init; }
    public required double DistanceKm { get; init; }
    public required Coordinate LocationKm { get; init; }
}

/// <summary>
/// Outfalls: permitted ones of polluting enterprises near a river (at the nearest point of the nearest reach), storm
/// drains of the dense districts, and a handful of hidden ones that appear in no register (only in the ground truth).
/// </summary>
public static class OutfallBuilder
{
    public static List<OutfallInfo> Build(Rng rng, RiverSystem rivers, AdminMap admin, DensityField density, List<EnterpriseInfo> enterprises)
    {
        var outfalls = new List<OutfallInfo>();
        var reachLines = rivers.Reaches.Select(r => r.ShapeKm).ToList();

        (int Reach, double Km, Coordinate Point, double Distance) Nearest(Coordinate c)
        {
            var best = (Reach: -1, Km: 0.0, Point: c, Distance: double.MaxValue);
            var point = LocalFrame.Factory.CreatePoint(c);
            for (var r = 0; r < reachLines.Count; r++)
            {
                var d = reachLines[r].Distance(point);
                if (d < best.Distance)
                {
                    var indexed = new NetTopologySuite.LinearReferencing.LengthIndexedLine(reachLines[r]);
                    var km = Math.Clamp(indexed.Project(c), 0.05, reachLines[r].Length - 0.05);
                    best = (r, km, indexed.ExtractPoint(km), d);
                }
            }
            return best;
        }

        // Permitted: polluting plants within 3 km of a river, one outfall each, largest first.
        var candidates = enterprises.Where(e => e.Polluting)
            .Select(e => (Enterprise: e, Near: Nearest(e.LocationKm)))
            .Where(x => x.Near.Distance < 3)
            .OrderByDescending(x => x.Enterprise.Record.OutputValueTenThousandYuan).ThenBy(x => x.Enterprise.Record.CreditCode, StringComparer.Ordinal)
            .Take(40)
            .OrderBy(x => x.Near.Reach).ThenBy(x => x.Near.Km)
            .ToList();
        var permitted = rng.Fork("permitted");
        foreach (var (enterprise, near) in candidates)
        {
            Add(OutfallKind.Permitted, $"{Short(enterprise.Record.Name)}废水排放口", near, enterprise.Record.CreditCode,
                Math.Round(permitted.LogNormal(400, 0.8), 0));
        }

        // Storm drains along reaches through dense areas.
        var storm = rng.Fork("storm");
        var urbanReaches = Enumerable.Range(0, rivers.Reaches.Count)
            .Where(r => density.At(rivers.Reaches[r].ShapeKm.Centroid.X, rivers.Reaches[r].ShapeKm.Centroid.Y) > 5).ToList();
        for (var i = 0; i < 30 && urbanReaches.Count > 0; i++)
        {
            var reach = storm.Pick(urbanReaches);
            var km = storm.Uniform(0.1, rivers.Reaches[reach].LengthKm - 0.1);
            var p = rivers.PointOnReach(reach, km);
            Add(OutfallKind.StormDrain, $"{rivers.Reaches[reach].Record.RiverName}雨水排口{i + 1}号", (reach, km, p, 0), null, null);
        }

        // Hidden outfalls: on reaches with at least two automatic stations downstream, away from the mouth.
        var hidden = rng.Fork("hidden");
        var hiddenReaches = Enumerable.Range(0, rivers.Reaches.Count)
            .Where(r => rivers.Reaches[r].Downstream >= 0 && rivers.Reaches[rivers.Reaches[r].Downstream].Downstream >= 0)
            .ToList();
        for (var i = 0; i < 6; i++)
        {
            var reach = hidden.Pick(hiddenReaches);
            var km = hidden.Uniform(0.2, Math.Max(0.3, rivers.Reaches[reach].LengthKm - 0.2));
            var p = rivers.PointOnReach(reach, km);
            Add(OutfallKind.Hidden, $"暗管排口{i + 1}(未登记)", (reach, km, p, 0), null, null);
        }
        return outfalls;

        void Add(OutfallKind kind, string name, (int Reach, double Km, Coordinate Point, double Distance) at, string? enterprise, double? flow)
        {
            var prefix = kind switch { OutfallKind.Permitted => "OF-", OutfallKind.StormDrain => "SD-", _ => "HD-" };
            var number = outfalls.Count(o => o.Record.Kind == kind) + 1;
            outfalls.Add(new OutfallInfo
            {
                Record = new Outfall(prefix + number.ToString("000", CultureInfo.InvariantCulture), name, kind, rivers.Reaches[at.Reach].Record.Id,
                    rivers.MetresAlong(at.Reach, at.Km), enterprise, flow, LocalFrame.PointWgs84(at.Point.X, at.Point.Y)),
                Reach = at.Reach, DistanceKm = at.Km, LocationKm = at.Point,
            });
        }
    }

    private static string Short(string enterpriseName) =>
        enterpriseName.Replace("莆田市", "", StringComparison.Ordinal).Replace("福建", "", StringComparison.Ordinal)
            .Replace("股份有限公司", "", StringComparison.Ordinal).Replace("有限公司", "", StringComparison.Ordinal);
}
