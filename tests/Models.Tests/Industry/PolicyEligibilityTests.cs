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
