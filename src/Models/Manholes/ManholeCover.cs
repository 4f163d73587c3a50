using NetTopologySuite.Geometries;

namespace OneMap.Models.Manholes;

/// <summary>What network a manhole gives access to.</summary>
public enum ManholeNetwork
{
    /// <summary>Storm drainage (雨水).</summary>
    Storm,

    /// <summary>Sewage (污水).</summary>
    Sewage,

    /// <summary>Water supply (给水).</summary>
    WaterSupply,

    /// <summary>Gas (燃气).</summary>
    Gas,

    /// <summary>Electric power (电力).</summary>
    Power,

    /// <summary>Telecommunications (通信).</summary>
    Telecom,
}

/// <summary>A smart manhole cover (智能井盖) with a sensor reporting tilt, displacement, water level and gas.</summary>
/// <param name="Id">Device id (<c>MH-00001</c>), also the MQTT client id.</param>
/// <param name="Network">The network below it.</param>
/// <param name="OwnerDepartmentCode">The department responsible for it (tickets about it go there).</param>
/// <param name="DistrictCode">District it lies in.</param>
/// <param name="Road">Road name (拱辰大道).</param>
/// <param name="DepthCentimeters">Depth of the chamber from lid to invert; water level is measured down from the lid.</param>
/// <param name="InstalledOn">Date the sensor was installed.</param>
/// <param name="Location">Position in WGS84.</param>
public sealed record ManholeCover(
    string Id,
    ManholeNetwork Network,
    string OwnerDepartmentCode,
    string DistrictCode,
    string Road,
    int DepthCentimeters,
    DateOnly InstalledOn,
    Point Location);

/// <summary>Alarm types a smart manhole cover raises.</summary>
public enum ManholeAlarmKind
{
    /// <summary>The lid is tilted past the threshold (lifted, broken, missing).</summary>
    Tilt,

    /// <summary>The lid moved horizontally past the threshold.</summary>
    Displacement,

    /// <summary>Water within the threshold distance of the lid (overflow risk).</summary>
    WaterLevel,

    /// <summary>Combustible or toxic gas above the threshold.</summary>
    Gas,

    /// <summary>Battery below the operating voltage.</summary>
    LowBattery,
}
