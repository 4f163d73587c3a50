namespace OneMap.Models.Government;

/// <summary>What kind of body a department is.</summary>
public enum DepartmentKind
{
    /// <summary>A municipal government department or bureau (市直部门).</summary>
    Municipal,

    /// <summary>A public utility or state-owned operator (water, gas, power, telecom).</summary>
    Utility,

    /// <summary>A district government's command centre or office.</summary>
    District,

    /// <summary>A vertically managed agency (e.g. meteorology, fire and rescue).</summary>
    Vertical,
}

/// <summary>A department that owns data and handles tickets.</summary>
/// <param name="Code">Department code (<c>D01</c>…).</param>
/// <param name="Name">Chinese name (莆田市生态环境局).</param>
/// <param name="ShortName">Short Chinese name (市生态环境局).</param>
/// <param name="NameEn">English name.</param>
/// <param name="Kind">Municipal, utility, district or vertical.</param>
/// <param name="Phone">Public service phone number.</param>
public sealed record Department(string Code, string Name, string ShortName, string NameEn, DepartmentKind Kind, string Phone);

/// <summary>What a department is responsible for: tickets it receives, layers it owns, districts it covers.</summary>
/// <param name="DepartmentCode">The department.</param>
/// <param name="TicketSubCategories">Ticket sub-category codes dispatched to it.</param>
/// <param name="AssetLayers">Asset layers (dataset names) it maintains, e.g. <c>manhole_covers</c>.</param>
/// <param name="DistrictCodes">Districts it covers; empty means the whole city.</param>
public sealed record Responsibility(
    string DepartmentCode,
    IReadOnlyList<string> TicketSubCategories,
    IReadOnlyList<string> AssetLayers,
    IReadOnlyList<string> DistrictCodes);
