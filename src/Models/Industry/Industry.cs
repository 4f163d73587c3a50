using NetTopologySuite.Geometries;

namespace OneMap.Models.Industry;

/// <summary>Where a segment sits in its chain.</summary>
public enum ChainStage
{
    /// <summary>Raw materials and components (上游).</summary>
    Upstream,

    /// <summary>Manufacturing and assembly (中游).</summary>
    Midstream,

    /// <summary>Brands, trade, services (下游).</summary>
    Downstream,
}

/// <summary>A link (环节) of an industrial chain.</summary>
/// <param name="Id">Segment id (<c>C01-S03</c>).</param>
/// <param name="ChainId">The chain it belongs to.</param>
/// <param name="Stage">Upstream, midstream or downstream.</param>
/// <param name="Name">Chinese name (鞋底材料).</param>
/// <param name="NameEn">English name.</param>
/// <param name="IndustryCode">GB/T 4754-2017 industry class code (4 digits, e.g. 1952 皮鞋制造).</param>
public sealed record ChainSegment(string Id, string ChainId, ChainStage Stage, string Name, string NameEn, string IndustryCode);

/// <summary>A key industrial chain (重点产业链) with its segments: "one chain, one file".</summary>
/// <param name="Id">Chain id (<c>C01</c>).</param>
/// <param name="Name">Chinese name (鞋服).</param>
/// <param name="NameEn">English name.</param>
/// <param name="LeadDepartmentCode">The department leading the chain (链长单位).</param>
/// <param name="Segments">The chain's segments, upstream first.</param>
public sealed record IndustrialChain(string Id, string Name, string NameEn, string LeadDepartmentCode, IReadOnlyList<ChainSegment> Segments);

/// <summary>An enterprise in a chain.</summary>
/// <param name="CreditCode">Unified social credit code (统一社会信用代码, 18 characters).</param>
/// <param name="Name">Registered Chinese name.</param>
/// <param name="ChainId">Chain it belongs to.</param>
/// <param name="SegmentId">Segment it works in.</param>
/// <param name="IndustryCode">GB/T 4754-2017 class code of its main business.</param>
/// <param name="DistrictCode">District of its registered address.</param>
/// <param name="OutputValueTenThousandYuan">Annual output value in 10,000 yuan (万元), as Chinese statistics report it.</param>
/// <param name="Employees">Employees at year end.</param>
/// <param name="IsAboveDesignatedSize">规上企业: annual revenue of 20 M yuan or more.</param>
/// <param name="FoundedOn">Registration date.</param>
/// <param name="Location">Position in WGS84.</param>
public sealed record Enterprise(
    string CreditCode,
    string Name,
    string ChainId,
    string SegmentId,
    string IndustryCode,
    string DistrictCode,
    decimal OutputValueTenThousandYuan,
    int Employees,
    bool IsAboveDesignatedSize,
    DateOnly FoundedOn,
    Point Location);

/// <summary>An enterprise-support policy (惠企政策) and who is eligible.</summary>
/// <param name="Id">Policy id (<c>POL-2024-001</c>).</param>
/// <param name="Title">Chinese title.</param>
/// <param name="IssuingDepartmentCode">Issuing department.</param>
/// <param name="Eligibility">Who may apply.</param>
/// <param name="MaxSubsidyTenThousandYuan">Maximum subsidy per enterprise in 10,000 yuan.</param>
/// <param name="ValidFrom">First day applications are accepted.</param>
/// <param name="ValidTo">Last day applications are accepted.</param>
public sealed record Policy(
    string Id,
    string Title,
    string IssuingDepartmentCode,
    PolicyEligibility Eligibility,
    decimal MaxSubsidyTenThousandYuan,
    DateOnly ValidFrom,
    DateOnly ValidTo);

/// <summary>Eligibility criteria of a policy; an empty list or a null bound means "any".</summary>
/// <param name="ChainIds">Chains whose enterprises may apply.</param>
/// <param name="Stages">Chain stages that may apply.</param>
/// <param name="IndustryCodePrefixes">GB/T 4754 code prefixes that may apply (e.g. "19" for leather and footwear).</param>
/// <param name="DistrictCodes">Districts that may apply.</param>
/// <param name="MinEmployees">Minimum employees.</param>
/// <param name="MaxEmployees">Maximum employees (for small-business policies).</param>
/// <param name="MinOutputValueTenThousandYuan">Minimum annual output value.</param>
/// <param name="AboveDesignatedSizeOnly">Only 规上 enterprises.</param>
public sealed record PolicyEligibility(
    IReadOnlyList<string> ChainIds,
    IReadOnlyList<ChainStage> Stages,
    IReadOnlyList<string> IndustryCodePrefixes,
    IReadOnlyList<string> DistrictCodes,
    int? MinEmployees,
    int? MaxEmployees,
    decimal? MinOutputValueTenThousandYuan,
    bool AboveDesignatedSizeOnly)
{
    /// <summary>Whether an enterprise (in a segment of the given stage) meets every criterion.</summary>
    public bool Admits(Enterprise enterprise, ChainStage stage)
    {
        ArgumentNullException.ThrowIfNull(enterprise);
        return (ChainIds.Count == 0 || ChainIds.Contains(enterprise.ChainId)) &&
               (Stages.Count == 0 || Stages.Contains(stage)) &&
               (IndustryCodePrefixes.Count == 0 || IndustryCodePrefixes.Any(p => enterprise.IndustryCode.StartsWith(p, StringComparison.Ordinal))) &&
               (DistrictCodes.Count == 0 || DistrictCodes.Contains(enterprise.DistrictCode)) &&
               (MinEmployees is null || enterprise.Employees >= MinEmployees) &&
               (MaxEmployees is null || enterprise.Employees <= MaxEmployees) &&
               (MinOutputValueTenThousandYuan is null || enterprise.OutputValueTenThousandYuan >= MinOutputValueTenThousandYuan) &&
               (!AboveDesignatedSizeOnly || enterprise.IsAboveDesignatedSize);
    }
}
