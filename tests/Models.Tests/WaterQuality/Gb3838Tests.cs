using OneMap.Models.WaterQuality;

namespace OneMap.Models.Tests.WaterQuality;

public sealed class Gb3838Tests
{
    [Theory]
    [InlineData("do", 8.0, WaterClass.I)]
    [InlineData("do", 7.5, WaterClass.I)]
    [InlineData("do", 7.49, WaterClass.II)]
    [InlineData("do", 6.0, WaterClass.II)]
    [InlineData("do", 5.0, WaterClass.III)]
    [InlineData("do", 3.0, WaterClass.IV)]
    [InlineData("do", 2.0, WaterClass.V)]
    [InlineData("do", 1.99, WaterClass.WorseThanV)]
    [InlineData("cod_mn", 2.0, WaterClass.I)]
    [InlineData("cod_mn", 2.01, WaterClass.II)]
    [InlineData("cod_mn", 6.0, WaterClass.III)]
    [InlineData("cod_mn", 15.0, WaterClass.V)]
    [InlineData("cod_mn", 15.1, WaterClass.WorseThanV)]
    [InlineData("nh3_n", 0.15, WaterClass.I)]
    [InlineData("nh3_n", 0.16, WaterClass.II)]
    [InlineData("nh3_n", 1.0, WaterClass.III)]
    [InlineData("nh3_n", 1.5, WaterClass.IV)]
    [InlineData("nh3_n", 2.0, WaterClass.V)]
    [InlineData("nh3_n", 2.5, WaterClass.WorseThanV)]
    [InlineData("tp", 0.02, WaterClass.I)]
    [InlineData("tp", 0.1, WaterClass.II)]
    [InlineData("tp", 0.2, WaterClass.III)]
    [InlineData("tp", 0.3, WaterClass.IV)]
    [InlineData("tp", 0.4, WaterClass.V)]
    [InlineData("tp", 0.41, WaterClass.WorseThanV)]
    [InlineData("ph", 6.0, WaterClass.I)]
    [InlineData("ph", 9.0, WaterClass.I)]
    [InlineData("ph", 9.2, WaterClass.WorseThanV)]
    [InlineData("ph", 5.9, WaterClass.WorseThanV)]
    [InlineData("w01009", 6.5, WaterClass.II)]
    public void classifies_each_indicator_at_the_class_limits(string indicator, double value, WaterClass expected)
    {
        Assert.Equal(expected, Gb3838.Classify(indicator, value));
    }

    [Theory]
    [InlineData("turbidity")]
    [InlineData("water_temp")]
    [InlineData("conductivity")]
    public void indicators_without_limits_have_no_class(string indicator)
    {
        Assert.Null(Gb3838.Classify(indicator, 12.3));
    }

    [Fact]
    public void the_overall_class_is_the_worst_indicator_and_names_it()
    {
        var assessment = Gb3838.ClassifyOverall([("do", 7.8), ("cod_mn", 3.1), ("nh3_n", 1.2), ("tp", 0.12), ("ph", 7.4), ("turbidity", 80)]);
        Assert.NotNull(assessment);
        Assert.Equal(WaterClass.IV, assessment.Class);
        Assert.Equal(["nh3_n"], assessment.DeterminingIndicators);
    }

    [Fact]
    public void ties_list_every_determining_indicator()
    {
        var assessment = Gb3838.ClassifyOverall([("do", 1.5), ("nh3_n", 3.0), ("tp", 0.05)]);
        Assert.Equal(WaterClass.WorseThanV, assessment!.Class);
        Assert.Equal(["do", "nh3_n"], assessment.DeterminingIndicators);
        Assert.Equal("劣V", assessment.Class.Label());
    }

    [Fact]
    public void no_classified_indicator_means_no_class()
    {
        Assert.Null(Gb3838.ClassifyOverall([("turbidity", 10), ("water_temp", 25)]));
    }

    [Fact]
    public void unknown_indicators_and_bad_values_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Gb3838.Classify("bod5", 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gb3838.Classify("do", double.NaN));
    }

    [Theory]
    [InlineData("III", WaterClass.III)]
    [InlineData("Ⅳ类", WaterClass.IV)]
    [InlineData("劣V", WaterClass.WorseThanV)]
    [InlineData("劣Ⅴ类", WaterClass.WorseThanV)]
    [InlineData("2", WaterClass.II)]
    public void parses_class_labels(string label, WaterClass expected)
    {
        Assert.Equal(expected, WaterClassLabels.Parse(label));
    }

    [Fact]
    public void every_indicator_has_names_units_and_a_unique_id()
    {
        Assert.Equal(8, Indicators.All.Count);
        Assert.Equal(8, Indicators.All.Select(i => i.Id).Distinct().Count());
        Assert.Equal(8, Indicators.All.Select(i => i.Hj212Code).Distinct().Count());
        Assert.All(Indicators.All, i => Assert.False(string.IsNullOrWhiteSpace(i.NameZh + i.NameEn + i.Unit)));
        Assert.Equal(5, Indicators.All.Count(i => i.HasClassLimits));
    }
}
