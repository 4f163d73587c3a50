using System.Globalization;

namespace OneMap.Models.Crs;

/// <summary>The kinds of coordinate systems found in Chinese government data.</summary>
public enum CrsKind
{
    /// <summary>WGS84 longitude/latitude (GPS), EPSG:4326. What OneMap stores.</summary>
    Wgs84,

    /// <summary>CGCS2000 longitude/latitude, EPSG:4490; within centimetres of WGS84.</summary>
    Cgcs2000,

    /// <summary>A CGCS2000 Gauss-Krüger (transverse Mercator) zone, easting/northing in metres.</summary>
    Cgcs2000GaussKruger,

    /// <summary>GCJ-02, the obfuscated datum of AMap (Gaode) and Tencent maps; a few hundred metres off WGS84.</summary>
    Gcj02,

    /// <summary>BD-09, Baidu's further offset of GCJ-02.</summary>
    Bd09,
}

/// <summary>
/// A coordinate system as feed contracts name it: <c>"WGS84"</c>, <c>"CGCS2000"</c>, <c>"EPSG:4549"</c>, <c>"GCJ-02"</c>,
/// <c>"BD-09"</c>. Gauss-Krüger zones are the CGCS2000 3-degree zones EPSG:4513–4533 (zone number prefixed to the
/// easting) and EPSG:4534–4554 (no prefix), and the 6-degree zones EPSG:4491–4501 (prefix) and 4502–4512 (no prefix).
/// </summary>
public sealed record CrsId
{
    private CrsId(CrsKind kind, int? epsg, string name, GaussKrugerZone? zone)
    {
        Kind = kind;
        Epsg = epsg;
        Name = name;
        Zone = zone;
    }

    /// <summary>WGS84 longitude/latitude (EPSG:4326).</summary>
    public static CrsId Wgs84 { get; } = new(CrsKind.Wgs84, 4326, "EPSG:4326", null);

    /// <summary>CGCS2000 longitude/latitude (EPSG:4490).</summary>
    public static CrsId Cgcs2000 { get; } = new(CrsKind.Cgcs2000, 4490, "EPSG:4490", null);

    /// <summary>GCJ-02 longitude/latitude (AMap, Tencent).</summary>
    public static CrsId Gcj02 { get; } = new(CrsKind.Gcj02, null, "GCJ-02", null);

    /// <summary>BD-09 longitude/latitude (Baidu).</summary>
    public static CrsId Bd09 { get; } = new(CrsKind.Bd09, null, "BD-09", null);

    public CrsKind Kind { get; }

    /// <summary>The EPSG code, or null for GCJ-02 and BD-09 (which have none).</summary>
    public int? Epsg { get; }

    /// <summary>The canonical name: <c>EPSG:n</c> when there is a code, else <c>GCJ-02</c> or <c>BD-09</c>.</summary>
    public string Name { get; }

    /// <summary>The Gauss-Krüger zone for projected systems, else null.</summary>
    public GaussKrugerZone? Zone { get; }

    /// <summary>True for projected systems (metres), false for longitude/latitude ones.</summary>
    public bool IsProjected => Kind == CrsKind.Cgcs2000GaussKruger;

    /// <summary>The CGCS2000 3-degree Gauss-Krüger zone with the given central meridian (75…135, a multiple of 3).</summary>
    public static CrsId GaussKruger3(int centralMeridian, bool zonePrefix)
    {
        if (centralMeridian is < 75 or > 135 || centralMeridian % 3 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(centralMeridian), centralMeridian,
                "a CGCS2000 3-degree zone has a central meridian in 75…135°E that is a multiple of 3");
        }
        var zone = centralMeridian / 3;
        return FromEpsg((zonePrefix ? 4513 : 4534) + zone - 25);
    }

    /// <summary>The CRS with this EPSG code, if OneMap can convert it.</summary>
    public static CrsId FromEpsg(int code)
    {
        return code switch
        {
            4326 => Wgs84,
            4490 => Cgcs2000,
            >= 4513 and <= 4533 => Projected(code, 3, code - 4513 + 25, zonePrefix: true),
            >= 4534 and <= 4554 => Projected(code, 3, code - 4534 + 25, zonePrefix: false),
            >= 4491 and <= 4501 => Projected(code, 6, code - 4491 + 13, zonePrefix: true),
            >= 4502 and <= 4512 => Projected(code, 6, code - 4502 + 13, zonePrefix: false),
            _ => throw new UnknownCrsException(
                $"EPSG:{code} is not a coordinate system OneMap converts (WGS84 4326, CGCS2000 4490, CGCS2000 Gauss-Krüger 4491–4554)"),
        };
    }

    /// <summary>
    /// Parses the names departments use: <c>EPSG:4549</c>, <c>4549</c>, <c>urn:ogc:def:crs:EPSG::4549</c>,
    /// <c>http://www.opengis.net/def/crs/EPSG/0/4549</c>, <c>WGS84</c>, <c>CRS84</c>, <c>CGCS2000</c>,
    /// <c>GCJ-02</c>/<c>GCJ02</c>, <c>BD-09</c>/<c>BD09</c> (case-insensitive).
    /// </summary>
    public static CrsId Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryParse(name, out var crs)
            ? crs
            : throw new UnknownCrsException($"unknown coordinate system \"{name}\" (expected e.g. EPSG:4549, WGS84, CGCS2000, GCJ-02, BD-09)");
    }

    /// <summary>Parses like <see cref="Parse"/>; false for unknown names and unsupported EPSG codes.</summary>
    public static bool TryParse(string? name, out CrsId crs)
    {
        crs = Wgs84;
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }
        var key = name.Trim().ToUpperInvariant();
        switch (key)
        {
            case "WGS84" or "WGS-84" or "WGS 84" or "CRS84" or "OGC:CRS84" or "URN:OGC:DEF:CRS:OGC:1.3:CRS84" or "URN:OGC:DEF:CRS:OGC::CRS84":
                crs = Wgs84;
                return true;
            case "CGCS2000" or "CGCS 2000" or "CGCS-2000":
                crs = Cgcs2000;
                return true;
            case "GCJ-02" or "GCJ02" or "GCJ_02" or "AMAP" or "MARS":
                crs = Gcj02;
                return true;
            case "BD-09" or "BD09" or "BD_09" or "BD09LL" or "BAIDU":
                crs = Bd09;
                return true;
        }
        string digits;
        if (key.StartsWith("EPSG:", StringComparison.Ordinal))
        {
            digits = key["EPSG:".Length..];
        }
        else if (key.StartsWith("URN:OGC:DEF:CRS:EPSG:", StringComparison.Ordinal))
        {
            digits = key[(key.LastIndexOf(':') + 1)..];
        }
        else if (key.StartsWith("HTTP://WWW.OPENGIS.NET/DEF/CRS/EPSG/", StringComparison.Ordinal) ||
                 key.StartsWith("HTTPS://WWW.OPENGIS.NET/DEF/CRS/EPSG/", StringComparison.Ordinal))
        {
            digits = key[(key.LastIndexOf('/') + 1)..];
        }
        else
        {
            digits = key;
        }
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            return false;
        }
        try
        {
            crs = FromEpsg(code);
            return true;
        }
        catch (UnknownCrsException)
        {
            return false;
        }
    }

    public override string ToString() => Name;

    private static CrsId Projected(int code, int width, int zoneNumber, bool zonePrefix)
    {
        var centralMeridian = width == 3 ? zoneNumber * 3 : zoneNumber * 6 - 3;
        return new CrsId(CrsKind.Cgcs2000GaussKruger, code, "EPSG:" + code.ToString(CultureInfo.InvariantCulture),
            new GaussKrugerZone(width, zoneNumber, centralMeridian, zonePrefix));
    }
}

/// <summary>
/// A Gauss-Krüger zone: transverse Mercator on the CGCS2000 ellipsoid, scale 1 on the central meridian, false easting
/// 500 km, plus <c>zone × 1,000,000</c> m when the zone number is prefixed to the easting.
/// </summary>
/// <param name="Width">Zone width in degrees (3 or 6).</param>
/// <param name="Number">Zone number (3-degree: central meridian / 3; 6-degree: (central meridian + 3) / 6).</param>
/// <param name="CentralMeridian">Central meridian in degrees east.</param>
/// <param name="ZonePrefix">Whether eastings carry the zone number in front (e.g. 40 500 000 m).</param>
public sealed record GaussKrugerZone(int Width, int Number, int CentralMeridian, bool ZonePrefix)
{
    /// <summary>The false easting in metres, including the zone prefix when there is one.</summary>
    public double FalseEasting => 500_000.0 + (ZonePrefix ? Number * 1_000_000.0 : 0);
}
