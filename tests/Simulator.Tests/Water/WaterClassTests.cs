using OneMap.Models.WaterQuality;
using OneMap.Simulator.Tests.Support;

namespace OneMap.Simulator.Tests.Water;

[Collection("sample")]
public sealed class WaterClassTests(SampleFixture sample)
{
    [Fact]
    public void gb3838_classes_occur_in_sensible_proportions()
    {
        var readings = sample.Readings;
        var counts = new Dictionary<WaterClass, int>();
        foreach (var station in readings.Stations)
        {
            var series = WaterReadings.IndicatorIds.Select(i => (Id: i, Values: readings.Values(station, i))).ToList();
            for (var s = 0; s < readings.Steps; s++)
            {
                var present = series.Where(x => !double.IsNaN(x.Values[s])).Select(x => (x.Id, x.Values[s])).ToList();
                if (present.Count == 0)
                {
                    continue;
                }
                var cls = Gb3838.ClassifyOverall(present)!.Class;
                counts[cls] = counts.GetValueOrDefault(cls) + 1;
            }
        }
        var total = (double)counts.Values.Sum();
        double Share(params WaterClass[] classes) => classes.Sum(c => counts.GetValueOrDefault(c)) / total;
        // Like a Chinese river basin with a city on it: mostly II–III, every class present, worse than V rare.
        Assert.All(Enum.GetValues<WaterClass>(), c => Assert.True(Share(c) >= 0.005, $"class {c.Label()} makes up {Share(c):P2}"));
        Assert.InRange(Share(WaterClass.II, WaterClass.III), 0.5, 0.9);
        Assert.InRange(Share(WaterClass.I, WaterClass.II, WaterClass.III), 0.65, 0.95);
        Assert.InRange(Share(WaterClass.WorseThanV), 0.005, 0.08);
        Assert.True(Share(WaterClass.IV, WaterClass.V) > Share(WaterClass.WorseThanV));
    }

    [Fact]
    public void stations_report_every_five_minutes_with_units_and_flags()
    {
        var readings = sample.Readings;
        Assert.Equal(60, readings.Stations.Count());
        // Every station reports nearly every cycle: gaps are the dropouts and the rare lost message.
        foreach (var station in readings.Stations)
        {
            var values = readings.Values(station, "do");
            var present = values.Count(v => !double.IsNaN(v));
            Assert.True(present >= readings.Steps * 0.9, $"{station} reported {present} of {readings.Steps} cycles");
        }
        var lines = sample.GzipLines("sensors/water-quality/2024-06-01.log.gz").Take(200).ToList();
        Assert.All(lines, l => Assert.Matches(@"^putian/wq/WQS-\d{3}/(data|water_temp|ph|do|conductivity|turbidity|cod_mn|nh3_n|tp)\t\{""stationId"":", l));
        Assert.Contains(lines, l => l.Contains("\"unit\":\"mg/L\"", StringComparison.Ordinal) && l.Contains("+08:00", StringComparison.Ordinal));
    }
}
