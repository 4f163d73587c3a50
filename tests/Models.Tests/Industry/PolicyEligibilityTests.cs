using OneMap.Models.Industry;
using OneMap.Models.Spatial;

namespace OneMap.Models.Tests.Industry;

public sealed class PolicyEligibilityTests
{
    private static readonly Enterprise ShoeMaker = new("91350300MA2XXXXX1A", "莆田某鞋业有限公司", "C01", "C01-S04", "1952", "350304",
        12_000m, 320, true, new DateOnly(2008, 3, 1), Geo.Point(119.0, 25.43));

    [Fact]
    public void admits_only_enterprises_meeting_every_criterion()
    {
        var policy = new PolicyEligibility(["C01"], [ChainStage.Midstream], ["19"], [], 100, null, 5_000m, true);
        Assert.True(policy.Admits(ShoeMaker, ChainStage.Midstream));
        Assert.False(policy.Admits(ShoeMaker, ChainStage.Upstream));
        Assert.False(policy.Admits(ShoeMaker with { Employees = 50 }, ChainStage.Midstream));
        Assert.False(policy.Admits(ShoeMaker with { IndustryCode = "3982" }, ChainStage.Midstream));
        Assert.False(policy.Admits(ShoeMaker with { IsAboveDesignatedSize = false }, ChainStage.Midstream));
    }

    [Fact]
    public void empty_criteria_admit_anyone()
    {
        var open = new PolicyEligibility([], [], [], [], null, null, null, false);
        Assert.True(open.Admits(ShoeMaker with { ChainId = "C09" }, ChainStage.Downstream));
    }
}

public sealed class CreditCodeTests
{
    [Theory]
    [InlineData("9144030071526726XG")] // Tencent Technology (Shenzhen), as printed on its business licence
    [InlineData("91350100M000100Y43")]
    public void published_codes_are_valid(string code)
    {
        Assert.True(CreditCode.IsValid(code));
    }

    [Theory]
    [InlineData("9144030071526726XH")] // wrong final check character
    [InlineData("91440300715267261G")] // wrong organization check character
    [InlineData("9144030071526726X")]  // too short
    [InlineData("9144030071526726IG")] // I is not in the alphabet
    [InlineData(null)]
    public void damaged_codes_are_invalid(string? code)
    {
        Assert.False(CreditCode.IsValid(code));
    }
}
