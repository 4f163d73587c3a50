using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using OneMap.Models.Administration;
using OneMap.Simulator.Randomness;

namespace OneMap.Simulator.Geography;

/// <summary>An administrative or grid unit while the city is built (local-km geometry).</summary>
public sealed class Unit
{
    public required string Code { get; init; }
    public required string Name { get; init; }
    public required string NameEn { get; init; }
    public required AdminLevel Level { get; init; }
    public required int Parent { get; init; }
    public required Geometry Shape { get; init; }
    public int Households { get; set; }
    public int Population { get; set; }

    /// <summary>Relative density at the unit's interior point (see <see cref="DensityField"/>).</summary>
    public double Density { get; init; }

    public AdminUnit ToRecord(string? parentCode) =>
        new(Code, Name, NameEn, Level, parentCode, Households, Population, LocalFrame.ToWgs84(Shape));
}

/// <summary>
/// Districts, towns, communities, grids and micro-grids. Grids are the Voronoi cells of ~1,400 density-weighted sites
/// clipped to the land (see <see cref="Partition"/>); communities, towns and districts are connected unions of grids
/// grown from seeds over the grid adjacency graph, so every level tiles its parent exactly; micro-grids split the
/// densest grids again.
/// </summary>
public sealed class AdminMap
{
    public const int GridCount = 1400;
    private const double CommunityGrids = 3.1;

    private readonly STRtree<int> _gridIndex = new();
    private readonly IPreparedGeometry[] _preparedGrids;

    private AdminMap(List<Unit> districts, List<Unit> towns, List<Unit> communities, List<Unit> grids, List<Unit> microGrids,
        IReadOnlyList<IReadOnlyDictionary<int, double>> gridAdjacency)
    {
        Districts = districts;
        Towns = towns;
        Communities = communities;
        Grids = grids;
        MicroGrids = microGrids;
        GridAdjacency = gridAdjacency;
        _preparedGrids = grids.Select(g => PreparedGeometryFactory.Prepare(g.Shape)).ToArray();
        for (var i = 0; i < grids.Count; i++)
        {
            _gridIndex.Insert(grids[i].Shape.EnvelopeInternal, i);
        }
        _gridIndex.Build();
    }

    public List<Unit> Districts { get; }
    public List<Unit> Towns { get; }
    public List<Unit> Communities { get; }
    public List<Unit> Grids { get; }
    public List<Unit> MicroGrids { get; }
    public IReadOnlyList<IReadOnlyDictionary<int, double>> GridAdjacency { get; }

    /// <summary>The grid containing (x, y) in local km, or −1 outside the land.</summary>
    public int GridAt(double x, double y)
    {
        var point = LocalFrame.Factory.CreatePoint(new Coordinate(x, y));
        foreach (var i in _gridIndex.Query(point.EnvelopeInternal).Order())
        {
            if (_preparedGrids[i].Covers(point))
            {
                return i;
            }
        }
        return -1;
    }

    public Unit CommunityOfGrid(int grid) => Communities[Grids[grid].Parent];
    public Unit TownOfGrid(int grid) => Towns[CommunityOfGrid(grid).Parent];
    public Unit DistrictOfGrid(int grid) => Districts[TownOfGrid(grid).Parent];

    /// <summary>A uniformly random point inside the grid (local km).</summary>
    public Coordinate RandomPointIn(int grid, Rng rng)
    {
        var shape = Grids[grid].Shape;
        var envelope = shape.EnvelopeInternal;
        for (var i = 0; i < 200; i++)
        {
            var x = rng.Uniform(envelope.MinX, envelope.MaxX);
            var y = rng.Uniform(envelope.MinY, envelope.MaxY);
            if (_preparedGrids[grid].Contains(LocalFrame.Factory.CreatePoint(new Coordinate(x, y))))
            {
                return new Coordinate(x, y);
            }
        }
        return shape.InteriorPoint.Coordinate.Copy();
    }

    /// <summary>All units as Models records, districts first.</summary>
    public IEnumerable<AdminUnit> Records()
    {
        foreach (var d in Districts)
        {
            yield return d.ToRecord(PlaceNames.CityCode);
        }
        foreach (var t in Towns)
        {
            yield return t.ToRecord(Districts[t.Parent].Code);
        }
        foreach (var c in Communities)
        {
            yield return c.ToRecord(Towns[c.Parent].Code);
        }
        foreach (var g in Grids)
        {
            yield return g.ToRecord(Communities[g.Parent].Code);
        }
        foreach (var m in MicroGrids)
        {
            yield return m.ToRecord(Grids[m.Parent].Code);
        }
    }

    public static AdminMap Build(Rng rng, Land land, DensityField density)
    {
        var sites = PointSampler.Sample(rng.Fork("grid-sites"), land.Outline, GridCount, density.At);
        var partition = Partition.Voronoi(land.Outline, sites);
        var cells = partition.Cells;
        var adjacency = partition.Adjacency;
        var centroids = cells.Select(c => c.InteriorPoint.Coordinate).ToArray();
        var dens = centroids.Select(c => density.At(c.X, c.Y)).ToArray();
        var all = Enumerable.Range(0, cells.Count).ToList();
        var noiseKey = rng.Fork("borders").NextULong();

        double Wiggle(int a, int b) =>
            1 + 0.45 * Noise.Fractal2(noiseKey, (centroids[a].X + centroids[b].X) / 14, (centroids[a].Y + centroids[b].Y) / 14, 2);
        double Geometric(int a, int b) => centroids[a].Distance(centroids[b]) * Wiggle(a, b);
        double Populous(int a, int b) => Geometric(a, b) * Math.Sqrt((dens[a] + dens[b]) / 2);

        // Districts: multiplicatively weighted growth from fixed seeds, so Xianyou comes out large and Licheng small.
        var districtSpecs = PlaceNames.Districts;
        var districtSeeds = districtSpecs.Select(d => NearestCell(centroids, LocalFrame.Km(d.SeedLon, d.SeedLat))).ToList();
        var districtOf = Grow(all, adjacency, districtSeeds, (a, b, s) => Geometric(a, b) / districtSpecs[s].Weight);

        var districts = new List<Unit>();
        var towns = new List<Unit>();
        var communities = new List<Unit>();
        var gridCommunity = new int[cells.Count];
        var townRng = rng.Fork("towns");
        var usedCommunityNames = new HashSet<string>(StringComparer.Ordinal);
        var nameRng = rng.Fork("community-names");

        for (var d = 0; d < districtSpecs.Count; d++)
        {
            var spec = districtSpecs[d];
            var members = all.Where(i => districtOf[i] == d).ToList();
            districts.Add(new Unit
            {
                Code = spec.Code, Name = spec.Name, NameEn = spec.NameEn, Level = AdminLevel.District, Parent = -1,
                Shape = Partition.Union(members.Select(i => cells[i])), Density = dens[districtSeeds[d]],
            });

            // Towns: seeds spread by population distance (urban streets small, mountain towns large), densest first.
            var first = members.OrderByDescending(i => dens[i]).ThenBy(i => i).First();
            var townSeeds = FarthestSeeds(members, adjacency, spec.Towns.Count, first, Populous, townRng);
            townSeeds = townSeeds.OrderByDescending(s => dens[s]).ThenBy(s => s).ToList();
            var townOf = Grow(members, adjacency, townSeeds, (a, b, _) => Populous(a, b));
            var streetNumber = 0;
            var townNumber = 100;
            for (var t = 0; t < townSeeds.Count; t++)
            {
                var (townName, townNameEn) = spec.Towns[t];
                var isStreet = townName.EndsWith("街道", StringComparison.Ordinal);
                var townCode = spec.Code + (isStreet ? ++streetNumber : ++townNumber).ToString("000", System.Globalization.CultureInfo.InvariantCulture);
                var townMembers = members.Where(i => townOf[i] == t).ToList();
                var townIndex = towns.Count;
                towns.Add(new Unit
                {
                    Code = townCode, Name = townName, NameEn = townNameEn, Level = AdminLevel.Town, Parent = d,
                    Shape = Partition.Union(townMembers.Select(i => cells[i])), Density = dens[townSeeds[t]],
                });

                // Communities: about three grids each, grown by hops so dense and sparse towns get similar counts.
                var count = Math.Max(1, (int)Math.Round(townMembers.Count / CommunityGrids));
                var firstCommunity = townMembers.OrderByDescending(i => dens[i]).ThenBy(i => i).First();
                var communitySeeds = FarthestSeeds(townMembers, adjacency, count, firstCommunity, (a, b) => 1 + 0.3 * Wiggle(a, b), townRng);
                var communityOf = Grow(townMembers, adjacency, communitySeeds, (a, b, _) => 1 + 0.3 * Wiggle(a, b));
                var order = Enumerable.Range(0, communitySeeds.Count)
                    .OrderBy(c => centroids[communitySeeds[c]].Distance(centroids[townSeeds[t]])).ThenBy(c => c).ToList();
                int communityNumber = 0, villageNumber = 200;
                foreach (var c in order)
                {
                    var communityMembers = townMembers.Where(i => communityOf[i] == c).ToList();
                    var urban = isStreet || dens[communitySeeds[c]] > 6;
                    var (zh, py) = UniqueName(nameRng, usedCommunityNames);
                    var number = urban ? ++communityNumber : ++villageNumber;
                    var index = communities.Count;
                    communities.Add(new Unit
                    {
                        Code = townCode + number.ToString("000", System.Globalization.CultureInfo.InvariantCulture),
                        Name = zh + (urban ? "社区" : "村"),
                        NameEn = py + (urban ? " Community" : " Village"),
                        Level = AdminLevel.Community, Parent = townIndex,
                        Shape = Partition.Union(communityMembers.Select(i => cells[i])), Density = dens[communitySeeds[c]],
                    });
                    foreach (var i in communityMembers)
                    {
                        gridCommunity[i] = index;
                    }
                }
            }
        }

        // Grids, numbered within their community from north-west to south-east.
        var gridOrder = all.OrderBy(i => gridCommunity[i])
            .ThenByDescending(i => Math.Round(centroids[i].Y, 1)).ThenBy(i => centroids[i].X).ThenBy(i => i).ToList();
        var newIndex = new int[cells.Count];
        var grids = new List<Unit>();
        var households = rng.Fork("households");
        var perCommunity = new int[communities.Count];
        foreach (var i in gridOrder)
        {
            var community = communities[gridCommunity[i]];
            var n = ++perCommunity[gridCommunity[i]];
            var urban = dens[i] > 8;
            var hh = urban
                ? (int)Math.Clamp(Math.Round(households.Normal(400, 50)), 260, 500)
                : (int)Math.Clamp(Math.Round(households.Normal(330, 80)), 120, 500);
            newIndex[i] = grids.Count;
            grids.Add(new Unit
            {
                Code = community.Code + n.ToString("000", System.Globalization.CultureInfo.InvariantCulture),
                Name = $"{community.Name}第{n}网格",
                NameEn = $"{community.NameEn} Grid {n}",
                Level = AdminLevel.Grid, Parent = gridCommunity[i], Shape = cells[i], Density = dens[i],
                Households = hh, Population = (int)Math.Round(hh * households.Uniform(2.6, 3.3)),
            });
        }
        var gridAdjacency = new IReadOnlyDictionary<int, double>[cells.Count];
        for (var i = 0; i < cells.Count; i++)
        {
            var remapped = new SortedDictionary<int, double>();
            foreach (var (neighbour, length) in adjacency[i])
            {
                remapped[newIndex[neighbour]] = length;
            }
            gridAdjacency[newIndex[i]] = remapped;
        }

        var microGrids = BuildMicroGrids(rng.Fork("micro-grids"), grids);
        RollUp(grids, communities);
        RollUp(communities, towns);
        RollUp(towns, districts);
        return new AdminMap(districts, towns, communities, grids, microGrids, gridAdjacency);
    }

    private static List<Unit> BuildMicroGrids(Rng rng, List<Unit> grids)
    {
        var micro = new List<Unit>();
        var dense = Enumerable.Range(0, grids.Count)
            .Where(i => grids[i].Households >= 320 && grids[i].Shape is Polygon)
            .OrderByDescending(i => grids[i].Density).ThenBy(i => i)
            .Take(60)
            .Order()
            .ToList();
        foreach (var g in dense)
        {
            var grid = grids[g];
            var hh = grid.Households;
            var n = Math.Clamp((int)Math.Round(hh / 66.0), (int)Math.Ceiling(hh / 80.0), hh / 50);
            var sites = PointSampler.Sample(rng.Fork("sites", g), grid.Shape, n, (_, _) => 1);
            if (sites.Count != n)
            {
                continue;
            }
            var partition = Partition.Voronoi((Polygon)grid.Shape, sites);
            var shares = Enumerable.Repeat(50, n).ToArray();
            var left = hh - 50 * n;
            while (left > 0)
            {
                var k = rng.Next(n);
                if (shares[k] < 80)
                {
                    shares[k]++;
                    left--;
                }
            }
            var order = Enumerable.Range(0, n)
                .OrderByDescending(k => Math.Round(sites[k].Y, 2)).ThenBy(k => sites[k].X).ToList();
            for (var k = 0; k < n; k++)
            {
                var cell = order[k];
                micro.Add(new Unit
                {
                    Code = grid.Code + (k + 1).ToString("00", System.Globalization.CultureInfo.InvariantCulture),
                    Name = $"{grid.Name}第{k + 1}微网格",
                    NameEn = $"{grid.NameEn} Micro-grid {k + 1}",
                    Level = AdminLevel.MicroGrid, Parent = g, Shape = partition.Cells[cell], Density = grid.Density,
                    Households = shares[cell], Population = (int)Math.Round(shares[cell] * rng.Uniform(2.6, 3.3)),
                });
            }
        }
        return micro;
    }

    private static void RollUp(List<Unit> children, List<Unit> parents)
    {
        foreach (var parent in parents)
        {
            parent.Households = 0;
            parent.Population = 0;
        }
        foreach (var child in children)
        {
            parents[child.Parent].Households += child.Households;
            parents[child.Parent].Population += child.Population;
        }
    }

    private static int NearestCell(Coordinate[] centroids, Coordinate p)
    {
        var best = 0;
        for (var i = 1; i < centroids.Length; i++)
        {
            if (centroids[i].Distance(p) < centroids[best].Distance(p))
            {
                best = i;
            }
        }
        return best;
    }

    private static (string Zh, string Py) UniqueName(Rng rng, HashSet<string> used)
    {
        while (true)
        {
            var a = rng.Pick(PlaceNames.FirstSyllables);
            var b = rng.Pick(PlaceNames.SecondSyllables);
            if (a.Zh == b.Zh || !used.Add(a.Zh + b.Zh))
            {
                continue;
            }
            return (a.Zh + b.Zh, a.Py + b.Py);
        }
    }

    /// <summary>
    /// Multi-source Dijkstra over the adjacency graph restricted to <paramref name="members"/>: each node joins the seed
    /// that reaches it first, so every region is connected (a node's predecessor belongs to the same region).
    /// </summary>
    private static Dictionary<int, int> Grow(List<int> members, IReadOnlyList<IReadOnlyDictionary<int, double>> adjacency,
        IReadOnlyList<int> seeds, Func<int, int, int, double> cost)
    {
        var inside = new HashSet<int>(members);
        var region = new Dictionary<int, int>();
        var best = new Dictionary<int, double>();
        var queue = new PriorityQueue<(int Node, int Region), (double, int)>();
        for (var s = 0; s < seeds.Count; s++)
        {
            best[seeds[s]] = 0;
            queue.Enqueue((seeds[s], s), (0, seeds[s]));
        }
        while (queue.TryDequeue(out var item, out var priority))
        {
            if (region.ContainsKey(item.Node))
            {
                continue;
            }
            region[item.Node] = item.Region;
            foreach (var neighbour in adjacency[item.Node].Keys)
            {
                if (!inside.Contains(neighbour) || region.ContainsKey(neighbour))
                {
                    continue;
                }
                var d = priority.Item1 + cost(item.Node, neighbour, item.Region);
                if (!best.TryGetValue(neighbour, out var known) || d < known)
                {
                    best[neighbour] = d;
                    queue.Enqueue((neighbour, item.Region), (d, neighbour));
                }
            }
        }
        // A member the graph cannot reach from any seed (a detached sliver) joins the nearest region by index order.
        foreach (var m in members.Where(m => !region.ContainsKey(m)))
        {
            region[m] = 0;
        }
        return region;
    }

    /// <summary>Farthest-point seeds: each next seed is the member farthest (by graph distance) from those chosen.</summary>
    private static List<int> FarthestSeeds(List<int> members, IReadOnlyList<IReadOnlyDictionary<int, double>> adjacency, int count,
        int first, Func<int, int, double> cost, Rng rng)
    {
        var seeds = new List<int> { first };
        var distance = members.ToDictionary(m => m, _ => double.MaxValue);
        while (seeds.Count < Math.Min(count, members.Count))
        {
            var single = ShortestDistances(members, adjacency, seeds[^1], cost);
            foreach (var m in members)
            {
                distance[m] = Math.Min(distance[m], single.GetValueOrDefault(m, double.MaxValue / 4));
            }
            // A little randomness among the farthest candidates keeps towns from lining up on the border.
            var candidates = members.Where(m => !seeds.Contains(m))
                .OrderByDescending(m => distance[m]).ThenBy(m => m).Take(3).ToList();
            seeds.Add(candidates[rng.Next(candidates.Count)]);
        }
        return seeds;
    }

    private static Dictionary<int, double> ShortestDistances(List<int> members, IReadOnlyList<IReadOnlyDictionary<int, double>> adjacency,
        int source, Func<int, int, double> cost)
    {
        var inside = new HashSet<int>(members);
        var done = new Dictionary<int, double>();
        var queue = new PriorityQueue<int, (double, int)>();
        queue.Enqueue(source, (0, source));
        while (queue.TryDequeue(out var node, out var priority))
        {
            if (done.ContainsKey(node))
            {
                continue;
            }
            done[node] = priority.Item1;
            foreach (var neighbour in adjacency[node].Keys)
            {
                if (inside.Contains(neighbour) && !done.ContainsKey(neighbour))
                {
                    queue.Enqueue(neighbour, (priority.Item1 + cost(node, neighbour), neighbour));
                }
            }
        }
        return done;
    }
}
