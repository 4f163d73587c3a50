using System.Globalization;
using OneMap.Simulator.Randomness;

namespace OneMap.Simulator.Geography;

/// <summary>Fake but realistic-looking names and mobile numbers (personal data in the exports).</summary>
public static class People
{
    private static readonly string[] MobilePrefixes =
    [
        "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156", "157", "158", "159",
        "166", "177", "180", "181", "182", "183", "185", "186", "187", "188", "189", "191", "198", "199",
    ];

    public static string Name(Rng rng)
    {
        // Surnames follow a steep frequency curve: the first few cover most people in Putian.
        var surname = PlaceNames.Surnames[(int)Math.Min(PlaceNames.Surnames.Count - 1, rng.Exponential(6))];
        var given = rng.Pick(PlaceNames.GivenNameCharacters);
        return rng.Chance(0.75) ? surname + given + rng.Pick(PlaceNames.GivenNameCharacters) : surname + given;
    }

    public static string Mobile(Rng rng) =>
        rng.Pick(MobilePrefixes) + rng.Next(100_000_000).ToString("00000000", CultureInfo.InvariantCulture);
}

/// <summary>Road names per grid: main roads downtown, village lanes elsewhere.</summary>
public static class Streets
{
    public static string Of(AdminMap admin, int grid, ulong seed)
    {
        var g = admin.Grids[grid];
        var key = Hash.Combine(seed, (ulong)grid);
        if (g.Density > 12)
        {
            return PlaceNames.MainRoads[(int)(Hash.Unit(key) * PlaceNames.MainRoads.Count)];
        }
        var community = admin.Communities[g.Parent].Name;
        var middle = PlaceNames.FirstSyllables[(int)(Hash.Unit(key ^ 1) * PlaceNames.FirstSyllables.Count)].Zh;
        var suffix = PlaceNames.RoadSuffixes[(int)(Hash.Unit(key ^ 2) * 3)];
        return community[..1] + middle + suffix;
    }

    /// <summary>A full Chinese address in the grid: 莆田市 + district + town + community + road + number.</summary>
    public static string Address(AdminMap admin, int grid, ulong seed, Rng rng)
    {
        var community = admin.Communities[admin.Grids[grid].Parent];
        var town = admin.Towns[community.Parent];
        var district = admin.Districts[town.Parent];
        return $"{PlaceNames.CityName}{district.Name}{town.Name}{community.Name}{Of(admin, grid, seed)}{rng.Between(1, 388)}号";
    }
}
