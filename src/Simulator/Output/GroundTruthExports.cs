using System.Text.Json;
using OneMap.Models.Crs;
using OneMap.Models.Rivers;
using OneMap.Models.Tickets;
using OneMap.Simulator.Tickets;
using OneMap.Simulator.WaterQuality;

namespace OneMap.Simulator.Output;

public static partial class SampleWriter
{
    /// <summary>The indicator that shows an incident most clearly (the one detectors and tests look at first).</summary>
    public static string PrimaryIndicator(string type) => type switch
    {
        "hidden_outfall" or "sewage_overflow" => "nh3_n",
        "industrial_spill" => "conductivity",
        "agricultural_runoff" => "tp",
        _ => "",
    };

    private static void WriteGroundTruth(SampleCity city, Files files, List<BadRow> bad)
    {
        files.Write("ground-truth/incidents.json", Json.Document(w =>
        {
            w.WriteStartObject();
            w.WriteString("sensor_window_start", ChinaTime.Iso(city.Options.Start));
            w.WriteString("sensor_window_end", ChinaTime.Iso(city.Options.End));
            w.WriteNumber("minimum_attenuation_listed", IncidentPlanner.MinimumAttenuation);
            w.WriteStartArray("rain_events");
            foreach (var r in city.Weather.Rain)
            {
                w.WriteStartObject();
                w.WriteString("start", ChinaTime.Iso(r.Start));
                Json.Number(w, "hours", r.Hours, 1);
                Json.Number(w, "intensity", r.Intensity, 2);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("hidden_outfalls");
            foreach (var o in city.Outfalls.Where(o => o.Record.Kind == OutfallKind.Hidden))
            {
                w.WriteStartObject();
                w.WriteString("outfall_id", o.Record.Id);
                w.WriteString("name", o.Record.Name);
                w.WriteString("reach_id", o.Record.ReachId);
                Json.Number(w, "distance_along_reach_m", o.Record.DistanceAlongReachMeters, 1);
                Json.Number(w, "lon", o.Record.Location.X, 6);
                Json.Number(w, "lat", o.Record.Location.Y, 6);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("incidents");
            foreach (var i in city.Incidents)
            {
                WriteIncident(w, city, i);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }));

        files.Write("ground-truth/manhole-events.json", Json.Document(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("thresholds");
            Json.Number(w, "tilt_deg", Manholes.ManholeSystem.TiltThreshold, 1);
            Json.Number(w, "displacement_mm", Manholes.ManholeSystem.DisplacementThreshold, 1);
            Json.Number(w, "water_level_cm", Manholes.ManholeSystem.WaterThreshold, 1);
            Json.Number(w, "ch4_pct_lel", Manholes.ManholeSystem.GasThreshold, 1);
            Json.Number(w, "battery_v", Manholes.ManholeSystem.BatteryThreshold, 2);
            w.WriteEndObject();
            w.WriteStartArray("events");
            foreach (var e in city.Manholes.Events)
            {
                var cover = city.Manholes.Covers[e.Device].Record;
                w.WriteStartObject();
                w.WriteString("id", e.Id);
                w.WriteString("device_id", cover.Id);
                w.WriteString("type", e.Type);
                w.WriteBoolean("is_real", e.IsReal);
                w.WriteString("start", ChinaTime.Iso(e.Start));
                w.WriteString("end", ChinaTime.Iso(e.End));
                Json.StringOrNull(w, "ticket_id", e.TicketId);
                w.WriteString("owner_department", cover.OwnerDepartmentCode);
                Json.Number(w, "lon", cover.Location.X, 6);
                Json.Number(w, "lat", cover.Location.Y, 6);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }));

        files.Write("ground-truth/fence-crossings.json", Json.Document(w =>
        {
            w.WriteStartArray();
            foreach (var c in city.Fleet.Crossings)
            {
                w.WriteStartObject();
                w.WriteString("vessel_id", c.VesselId);
                w.WriteString("fence_id", c.FenceId);
                w.WriteString("entered_at", ChinaTime.Iso(c.EnteredAt));
                Json.StringOrNull(w, "exited_at", c.ExitedAt is { } x ? ChinaTime.Iso(x) : null);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }));

        var end = city.Options.End;
        var overdue = city.Tickets.Where(t => t.Record.IsOverdueAt(end)).Select(t => t.Record.Id).Order(StringComparer.Ordinal).ToList();
        files.Write("ground-truth/tickets.json", Json.Document(w =>
        {
            w.WriteStartObject();
            w.WriteString("export_time", ChinaTime.Iso(end));
            w.WriteNumber("tickets", city.Tickets.Count);
            w.WriteNumber("closed", city.Tickets.Count(t => t.Record.ClosedAt is not null));
            w.WriteNumber("escalated", city.Tickets.Count(t => t.Events.Any(e => e.Kind == TicketEventKind.Escalate)));
            w.WriteNumber("reopened", city.Tickets.Count(t => t.Events.Any(e => e.Kind == TicketEventKind.Reopen)));
            w.WriteNumber("without_coordinates", city.Tickets.Count(t => t.WithoutCoordinates));
            Json.Number(w, "overdue_share", overdue.Count / (double)city.Tickets.Count, 4);
            w.WriteString("overdue_rule", "handled after the deadline of the level holding the ticket, or unhandled at export time with the deadline passed");
            Strings(w, "overdue_at_export", overdue);
            w.WriteStartObject("street_light_cluster");
            w.WriteString("road", city.TicketTruth.StreetLightRoad);
            w.WriteString("handled_by", "D51");
            Strings(w, "ticket_ids", city.TicketTruth.StreetLightCluster);
            w.WriteEndObject();
            w.WriteStartArray("linked_reports");
            foreach (var (ticket, evt, kind) in city.TicketTruth.Links)
            {
                w.WriteStartObject();
                w.WriteString("ticket_id", ticket);
                w.WriteString("event_id", evt);
                w.WriteString("kind", kind);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }));

        files.Write("ground-truth/bad-rows.json", Json.Document(w =>
        {
            w.WriteStartArray();
            foreach (var b in bad.OrderBy(b => b.File, StringComparer.Ordinal).ThenBy(b => b.Line))
            {
                w.WriteStartObject();
                w.WriteString("file", b.File);
                w.WriteNumber(b.File.EndsWith(".json", StringComparison.Ordinal) ? "index" : "line", b.Line);
                w.WriteString("key", b.Key);
                w.WriteString("problem", b.Problem);
                w.WriteString("detail", b.Detail);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }));

        // True WGS84 positions of everything exported in another coordinate system, to check conversions against.
        var truth = new CsvTable(["dataset", "id", "crs_in_file", "lon_wgs84", "lat_wgs84"]);
        foreach (var c in city.Manholes.Covers)
        {
            truth.Add("municipal/manhole-covers.csv", c.Record.Id, CrsId.Bd09.Name, Json.Format(c.Record.Location.X, 7), Json.Format(c.Record.Location.Y, 7));
        }
        foreach (var e in city.Enterprises)
        {
            truth.Add("industry/enterprises.json", e.Record.CreditCode, CrsId.Gcj02.Name, Json.Format(e.Record.Location.X, 7), Json.Format(e.Record.Location.Y, 7));
        }
        foreach (var o in city.Outfalls.Where(o => o.Record.Kind != OutfallKind.Hidden))
        {
            truth.Add("ecology/outfalls.csv", o.Record.Id, "EPSG:4528", Json.Format(o.Record.Location.X, 7), Json.Format(o.Record.Location.Y, 7));
        }
        foreach (var n in city.Rivers.Nodes)
        {
            truth.Add("water/river-nodes.csv", n.Id, "EPSG:4528", Json.Format(n.Location.X, 7), Json.Format(n.Location.Y, 7));
        }
        foreach (var t in city.Tickets.Where(t => t.Record.Source != TicketSource.CitizenApp && !t.WithoutCoordinates))
        {
            truth.Add(HotlineStore, t.Record.Id, CrsId.Gcj02.Name, Json.Format(t.Record.Location.X, 7), Json.Format(t.Record.Location.Y, 7));
        }
        files.Write("ground-truth/coordinates.csv", truth.ToBytes(TextEncodings.Utf8));
    }

    private static void WriteIncident(Utf8JsonWriter w, SampleCity city, Incident i)
    {
        w.WriteStartObject();
        w.WriteString("id", i.Id);
        w.WriteString("type", i.Type);
        w.WriteBoolean("is_pollution", i.IsPollution);
        w.WriteString("start", ChinaTime.Iso(i.Start));
        w.WriteString("end", ChinaTime.Iso(i.End));
        var reach = city.Rivers.Reaches[i.Reach].Record;
        if (i.IsPollution)
        {
            var p = city.Rivers.PointOnReach(i.Reach, i.DistanceKm);
            var (lon, lat) = Geography.LocalFrame.ToLonLat(p.X, p.Y);
            w.WriteStartObject("source");
            w.WriteString("reach_id", reach.Id);
            Json.Number(w, "distance_along_reach_m", city.Rivers.MetresAlong(i.Reach, i.DistanceKm), 1);
            Json.Number(w, "lon", lon, 6);
            Json.Number(w, "lat", lat, 6);
            Json.StringOrNull(w, "outfall_id", i.OutfallId);
            Json.StringOrNull(w, "enterprise_credit_code", i.EnterpriseCreditCode);
            w.WriteEndObject();
            w.WriteString("primary_indicator", PrimaryIndicator(i.Type));
            w.WritePropertyName("change_at_source");
            WriteKeyValues(w, i.Effects, 3);
            w.WriteStartArray("affected_stations");
            foreach (var a in i.Affected)
            {
                var station = city.Stations[a.Station].Record;
                w.WriteStartObject();
                w.WriteString("station_id", station.Id);
                w.WriteString("kind", station.Kind == StationKind.Automatic ? "automatic" : "sampling_point");
                Json.Number(w, "lag_minutes", a.LagHours * 60, 1);
                Json.Number(w, "river_distance_km", a.DistanceKm, 3);
                Json.Number(w, "attenuation", a.Attenuation, 3);
                Json.Number(w, "ramp_minutes", a.Ramp.TotalMinutes, 1);
                w.WriteString("arrival", ChinaTime.Iso(i.Start.AddHours(a.LagHours)));
                w.WriteString("departure", ChinaTime.Iso(i.End.AddHours(a.LagHours) + a.Ramp));
                w.WritePropertyName("expected_change");
                WriteKeyValues(w, i.Effects.Select(e => (e.Indicator, e.Delta * a.Attenuation)), 3);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        else
        {
            var station = city.Stations[i.FaultStation].Record;
            w.WriteString("station_id", station.Id);
            w.WriteString("indicator", i.Type == "dropout" ? "all" : i.Effects[0].Indicator);
            Json.Number(w, "parameter", i.Effects[0].Delta, 3);
            w.WriteString("detail", i.FaultDetail);
            w.WriteStartArray("affected_stations");
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }
}
