using System.Globalization;
using OneMap.Simulator.Output;
using OneMap.Testing;

namespace OneMap.Simulator.Tests.City;

public sealed class DeterminismTests
{
    [Fact]
    public void the_same_seed_gives_byte_identical_output_whatever_the_culture()
    {
        using var first = new TempDirectory("onemap-det-a");
        using var second = new TempDirectory("onemap-det-b");
        var options = new SimulationOptions { Seed = 7, Scale = 0.1 };
        SampleWriter.Write(SampleCity.Build(options), first.Path, TimeSpan.Zero, TestContext.Current.CancellationToken);

        // A culture with a comma decimal separator and a different calendar week, on every thread.
        var culture = CultureInfo.CurrentCulture;
        var defaultCulture = CultureInfo.DefaultThreadCurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.DefaultThreadCurrentCulture = new CultureInfo("de-DE");
            SampleWriter.Write(SampleCity.Build(options), second.Path, TimeSpan.Zero, TestContext.Current.CancellationToken);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.DefaultThreadCurrentCulture = defaultCulture;
        }

        var a = Files(first.Path);
        var b = Files(second.Path);
        Assert.Equal(a, b);
        Assert.True(a.Count >= 30);
        foreach (var file in a)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(first.Path, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(second.Path, file))),
                $"{file} differs between two runs with seed 7");
        }
    }

    [Fact]
    public void another_seed_gives_another_city()
    {
        var a = SampleCity.BuildGeography(new SimulationOptions { Seed = 1 });
        var b = SampleCity.BuildGeography(new SimulationOptions { Seed = 2 });
        Assert.NotEqual(a.Admin.Grids[0].Shape.Area, b.Admin.Grids[0].Shape.Area);
        Assert.Equal(a.Admin.Districts.Count, b.Admin.Districts.Count);
    }

    private static List<string> Files(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToList();
}
