using NetTopologySuite.Geometries;

namespace OneMap.Models.Administration;

/// <summary>The levels of China's administrative and grid-governance hierarchy, from largest to smallest.</summary>
public enum AdminLevel
{
    /// <summary>The city (市), e.g. Putian.</summary>
    City = 0,

    /// <summary>District or county (区/县).</summary>
    District = 1,

    /// <summary>Town or street (镇/街道/乡).</summary>
    Town = 2,

    /// <summary>Community or village (社区/村).</summary>
    Community = 3,

    /// <summary>Grid (网格): the smallest management area, at most 500 households, with a grid member.</summary>
    Grid = 4,

    /// <summary>Micro-grid (微网格): 50–80 households, a building or a floor.</summary>
    MicroGrid = 5,
}

/// <summary>An administrative or grid-governance unit. Units of one level tile their parent exactly.</summary>
/// <param name="Code">Unique code; district/town/community codes follow the 12-digit statistical division code style, grids append a 3-digit number.</param>
/// <param name="Name">Chinese name (荔城区, 镇海街道, 东岩社区, 东岩社区第3网格).</param>
/// <param name="NameEn">English or pinyin name.</param>
/// <param name="Level">The level in the hierarchy.</param>
/// <param name="ParentCode">The code of the unit it lies in; null for the city.</param>
/// <param name="Households">Resident households.</param>
/// <param name="Population">Resident population.</param>
/// <param name="Boundary">Boundary in WGS84 (Polygon or MultiPolygon).</param>
public sealed record AdminUnit(
    string Code,
    string Name,
    string NameEn,
    AdminLevel Level,
    string? ParentCode,
    int Households,
    int Population,
    Geometry Boundary);

/// <summary>The people who look after a grid.</summary>
/// <param name="GridCode">The grid's code.</param>
/// <param name="MemberName">The full-time grid member (网格员); personal data.</param>
/// <param name="MemberPhone">The member's mobile number; personal data.</param>
/// <param name="HeadName">The grid head (网格长), usually a community cadre; personal data.</param>
public sealed record GridStaff(string GridCode, string MemberName, string MemberPhone, string HeadName);
