using T = OneMap.Models.Datasets.ColumnType;

namespace OneMap.Models.Datasets;

/// <summary>
/// The datasets of a "one map" city, as domain facts: names, owners, keys and columns with units and sensitivity.
/// Department codes are those of the sample city (D-prefixed, see the simulator's department list).
/// </summary>
public static class DomainDatasets
{
    private const string CivilAffairs = "D06";
    private const string GridCentre = "D40";
    private const string WaterResources = "D15";
    private const string Ecology = "D12";
    private const string UrbanManagement = "D14";
    private const string Industry = "D02";
    private const string DataBureau = "D39";
    private const string Hotline = "D41";
    private const string Fisheries = "D17";

    public static DatasetContract AdminUnits { get; } = new(
        "admin_units", "Districts, towns/streets, communities/villages, grids and micro-grids; each level tiles its parent.",
        CivilAffairs, ["code"], ["level"],
        [
            new("code", T.String, "Unit code."),
            new("name", T.String, "Chinese name."),
            new("name_en", T.String, "English or pinyin name."),
            new("level", T.String, "district, town, community, grid or micro_grid."),
            new("parent_code", T.String, "Code of the unit it lies in.", Nullable: true),
            new("households", T.Int64, "Resident households.", "households"),
            new("population", T.Int64, "Resident population.", "persons"),
            new("geom", T.Geometry, "Boundary (WGS84 polygon or multipolygon)."),
        ]);

    public static DatasetContract RiverReaches { get; } = new(
        "river_reaches", "Directed river reaches forming a tree that drains to the sea.",
        WaterResources, ["reach_id"], [],
        [
            new("reach_id", T.String, "Reach id."),
            new("river_name", T.String, "River name."),
            new("from_node", T.String, "Upstream node."),
            new("to_node", T.String, "Downstream node."),
            new("downstream_reach_id", T.String, "Next reach downstream; empty for the reach at the mouth.", Nullable: true),
            new("length_m", T.Double, "Channel length.", "m"),
            new("flow_speed_mps", T.Double, "Mean flow speed.", "m/s"),
            new("stream_order", T.Int64, "Strahler order."),
            new("geom", T.Geometry, "Centre line in flow direction (WGS84)."),
        ]);

    public static DatasetContract Outfalls { get; } = new(
        "outfalls", "Registered outfalls into rivers (hidden ones are, by nature, not in any register).",
        Ecology, ["outfall_id"], [],
        [
            new("outfall_id", T.String, "Outfall id."),
            new("name", T.String, "Chinese name."),
            new("kind", T.String, "permitted or storm_drain."),
            new("reach_id", T.String, "Receiving reach."),
            new("enterprise_credit_code", T.String, "Discharging enterprise.", Nullable: true),
            new("permitted_flow_m3_per_day", T.Double, "Permitted discharge.", "m3/d", Nullable: true),
            new("geom", T.Geometry, "Position (WGS84)."),
        ]);

    public static DatasetContract MonitoringStations { get; } = new(
        "monitoring_stations", "Automatic water-quality stations and manual sampling points on the river reaches.",
        Ecology, ["station_id"], [],
        [
            new("station_id", T.String, "Station or sampling point id."),
            new("name", T.String, "Chinese name."),
            new("kind", T.String, "automatic or sampling_point."),
            new("reach_id", T.String, "Reach it lies on."),
            new("distance_along_reach_m", T.Double, "Distance from the reach's upstream end.", "m"),
            new("target_class", T.Int64, "GB 3838 class the section must meet (1…5)."),
            new("geom", T.Geometry, "Position (WGS84)."),
        ]);

    public static DatasetContract WaterQualityReadings { get; } = new(
        "water_quality_readings", "Automatic station readings, one row per station, indicator and time.",
        Ecology, ["station_id", "indicator", "ts"], ["date"],
        [
            new("station_id", T.String, "Station id."),
            new("indicator", T.String, "Indicator id: do, ph, nh3_n, cod_mn, tp, turbidity, water_temp, conductivity."),
            new("ts", T.Timestamp, "Measurement time."),
            new("value", T.Double, "Measured value in the unit column's unit."),
            new("unit", T.String, "mg/L, dimensionless, NTU, °C or μS/cm."),
            new("flag", T.String, "HJ 212 data flag (N normal, M maintenance, D fault, C calibration, T over range, B comms)."),
            new("date", T.Date, "Local date of ts (partition)."),
        ]);

    public static DatasetContract SamplingResults { get; } = new(
        "sampling_results", "Laboratory results of the weekly manual samples.",
        Ecology, ["point_id", "sampled_on", "indicator"], [],
        [
            new("point_id", T.String, "Sampling point id."),
            new("sampled_on", T.Date, "Sampling date."),
            new("indicator", T.String, "Indicator id."),
            new("value", T.Double, "Laboratory value."),
            new("unit", T.String, "Unit."),
            new("water_class", T.String, "GB 3838 class of this indicator (I…V, 劣V).", Nullable: true),
        ]);

    public static DatasetContract ManholeCovers { get; } = new(
        "manhole_covers", "Smart manhole covers and the networks below them.",
        UrbanManagement, ["device_id"], [],
        [
            new("device_id", T.String, "Device id."),
            new("network", T.String, "storm, sewage, water_supply, gas, power or telecom."),
            new("owner_department", T.String, "Responsible department code."),
            new("district_code", T.String, "District."),
            new("road", T.String, "Road name."),
            new("depth_cm", T.Int64, "Chamber depth.", "cm"),
            new("installed_on", T.Date, "Sensor installation date."),
            new("geom", T.Geometry, "Position (WGS84)."),
        ]);

    public static DatasetContract ManholeReadings { get; } = new(
        "manhole_readings", "Periodic status reports of the smart manhole covers.",
        UrbanManagement, ["device_id", "ts"], ["date"],
        [
            new("device_id", T.String, "Device id."),
            new("ts", T.Timestamp, "Report time."),
            new("tilt_deg", T.Double, "Lid tilt.", "°"),
            new("displacement_mm", T.Double, "Lid displacement.", "mm"),
            new("water_level_cm", T.Double, "Distance from lid to water surface.", "cm"),
            new("ch4_pct_lel", T.Double, "Combustible gas.", "%LEL"),
            new("h2s_ppm", T.Double, "Hydrogen sulphide.", "ppm"),
            new("battery_v", T.Double, "Battery voltage.", "V"),
            new("signal_dbm", T.Int64, "Signal strength.", "dBm"),
            new("date", T.Date, "Local date of ts (partition)."),
        ]);

    public static DatasetContract ManholeAlarms { get; } = new(
        "manhole_alarms", "Threshold alarms raised by the smart manhole covers.",
        UrbanManagement, ["device_id", "ts", "kind"], [],
        [
            new("device_id", T.String, "Device id."),
            new("ts", T.Timestamp, "Alarm time."),
            new("kind", T.String, "tilt, displacement, water_level, gas or low_battery."),
            new("value", T.Double, "Measured value."),
            new("threshold", T.Double, "Threshold crossed."),
        ]);

    public static DatasetContract Enterprises { get; } = new(
        "enterprises", "Enterprises of the key industrial chains.",
        Industry, ["credit_code"], [],
        [
            new("credit_code", T.String, "Unified social credit code."),
            new("name", T.String, "Registered name."),
            new("chain_id", T.String, "Industrial chain."),
            new("segment_id", T.String, "Chain segment."),
            new("industry_code", T.String, "GB/T 4754-2017 class code."),
            new("district_code", T.String, "District."),
            new("output_value_10k_yuan", T.Decimal, "Annual output value.", "10k yuan", Sensitivity.Internal),
            new("employees", T.Int64, "Employees.", "persons"),
            new("above_designated_size", T.Boolean, "规上 enterprise (revenue ≥ 20 M yuan)."),
            new("founded_on", T.Date, "Registration date."),
            new("geom", T.Geometry, "Position (WGS84)."),
        ]);

    public static DatasetContract Departments { get; } = new(
        "departments", "Departments, their responsibilities and the layers they own.",
        DataBureau, ["code"], [],
        [
            new("code", T.String, "Department code."),
            new("name", T.String, "Chinese name."),
            new("name_en", T.String, "English name."),
            new("kind", T.String, "municipal, utility, district or vertical."),
            new("ticket_sub_categories", T.StringList, "Ticket sub-categories dispatched to it."),
            new("asset_layers", T.StringList, "Datasets it maintains."),
            new("district_codes", T.StringList, "Districts it covers (empty: the whole city)."),
        ]);

    public static DatasetContract Tickets { get; } = new(
        "tickets", "Tickets from the 12345 hotline, grid patrols and the citizen app, in their current state.",
        Hotline, ["ticket_id"], [],
        [
            new("ticket_id", T.String, "Ticket id."),
            new("source", T.String, "hotline_12345, grid_patrol, citizen_app or sensor_alarm."),
            new("category_code", T.String, "Category code."),
            new("sub_category_code", T.String, "Sub-category code."),
            new("title", T.String, "Title."),
            new("description", T.String, "Description.", Sensitivity: Sensitivity.Internal),
            new("address", T.String, "Address."),
            new("grid_code", T.String, "Grid of the location."),
            new("reporter_name", T.String, "Reporter.", Sensitivity: Sensitivity.Personal, Nullable: true),
            new("reporter_phone", T.String, "Reporter's phone.", Sensitivity: Sensitivity.Personal, Nullable: true),
            new("reported_at", T.Timestamp, "Report time."),
            new("due_at", T.Timestamp, "Deadline at the current level."),
            new("status", T.String, "State after the latest event."),
            new("level", T.String, "grid, community, street, district or city."),
            new("department_code", T.String, "Department handling it.", Nullable: true),
            new("handled_at", T.Timestamp, "When it was last reported handled.", Nullable: true),
            new("closed_at", T.Timestamp, "Close time.", Nullable: true),
            new("satisfaction", T.Int64, "Reporter's rating 1…5.", Nullable: true),
            new("updated_at", T.Timestamp, "Time of the latest event."),
            new("geom", T.Geometry, "Position (WGS84)."),
        ]);

    public static DatasetContract TicketEvents { get; } = new(
        "ticket_events", "Every step of every ticket's closed loop.",
        Hotline, ["ticket_id", "seq"], [],
        [
            new("ticket_id", T.String, "Ticket id."),
            new("seq", T.Int64, "Position in the history, from 1."),
            new("kind", T.String, "report, accept, dispatch, escalate, handle, feedback, verify, close, reopen or evaluate."),
            new("at", T.Timestamp, "When."),
            new("level", T.String, "Level acting or receiving."),
            new("actor", T.String, "Who acted."),
            new("department_code", T.String, "Department involved.", Nullable: true),
            new("due_at", T.Timestamp, "Deadline set by a dispatch or escalation.", Nullable: true),
            new("note", T.String, "Free text.", Sensitivity: Sensitivity.Internal, Nullable: true),
            new("satisfaction", T.Int64, "Rating of an evaluate step.", Nullable: true),
        ]);

    public static DatasetContract Vessels { get; } = new(
        "vessels", "Registered fishing vessels with BeiDou terminals.",
        Fisheries, ["vessel_id"], [],
        [
            new("vessel_id", T.String, "Registration number."),
            new("name", T.String, "Vessel name."),
            new("terminal_id", T.String, "BeiDou terminal id."),
            new("home_port", T.String, "Home port."),
            new("length_m", T.Double, "Length overall.", "m"),
            new("owner_name", T.String, "Owner.", Sensitivity: Sensitivity.Personal),
            new("owner_phone", T.String, "Owner's phone.", Sensitivity: Sensitivity.Personal),
            new("grid_code", T.String, "Owner's grid."),
        ]);

    public static DatasetContract VesselPositions { get; } = new(
        "vessel_positions", "Vessel position reports (every minute at sea).",
        Fisheries, ["vessel_id", "ts"], ["date"],
        [
            new("vessel_id", T.String, "Vessel."),
            new("ts", T.Timestamp, "Fix time."),
            new("speed_kn", T.Double, "Speed over ground.", "kn"),
            new("course_deg", T.Double, "Course over ground.", "°"),
            new("geom", T.Geometry, "Position (WGS84)."),
            new("date", T.Date, "Local date of ts (partition)."),
        ]);

    public static DatasetContract Fences { get; } = new(
        "fences", "Electronic fences along the coast.",
        Fisheries, ["fence_id"], [],
        [
            new("fence_id", T.String, "Fence id."),
            new("name", T.String, "Chinese name."),
            new("kind", T.String, "no_fishing, channel, aquaculture or offshore."),
            new("geom", T.Geometry, "Fenced water (WGS84 polygon)."),
        ]);

    /// <summary>All of them.</summary>
    public static IReadOnlyList<DatasetContract> All { get; } =
    [
        AdminUnits, RiverReaches, Outfalls, MonitoringStations, WaterQualityReadings, SamplingResults, ManholeCovers,
        ManholeReadings, ManholeAlarms, Enterprises, Departments, Tickets, TicketEvents, Vessels, VesselPositions, Fences,
    ];
}
