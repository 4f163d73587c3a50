using OneMap.Models.Administration;
using OneMap.Models.Industry;
using OneMap.Simulator.Geography;
using OneMap.Simulator.Industry;
using OneMap.Simulator.Manholes;
using OneMap.Simulator.Randomness;
using OneMap.Simulator.Rivers;
using OneMap.Simulator.Tickets;
using OneMap.Simulator.Vessels;
using OneMap.Simulator.WaterQuality;

namespace OneMap.Simulator;

/// <summary>
/// The whole simulated city, built deterministically from <see cref="SimulationOptions"/>. Each part draws from its
/// own named random stream, so changing one part never shifts another.
/// </summary>
public sealed class SampleCity
{
    private SampleCity(SimulationOptions options, bool geographyOnly)
    {
        Options = options;
        var rng = new Rng(options.Seed);
        Land = new Land(rng.Fork("land"));
        Density = new DensityField(Land, rng.Fork("density"));
        Admin = AdminMap.Build(rng.Fork("admin"), Land, Density);
        Rivers = RiverSystem.Build(rng.Fork("rivers"), Land, Density);
        Stations = StationPlacer.Place(rng.Fork("stations"), Rivers, Admin, Density, Land);
        if (geographyOnly)
        {
            return;
        }
        GridStaff = BuildStaff(rng.Fork("grid-staff"), Admin);
        Enterprises = EnterpriseBuilder.Build(rng.Fork("enterprises"), Land, Admin);
        Policies = EnterpriseBuilder.Policies(rng.Fork("policies"));
        Outfalls = OutfallBuilder.Build(rng.Fork("outfalls"), Rivers, Admin, Density, Enterprises);
        Weather = new Weather(rng.Fork("weather"), options);
        Incidents = IncidentPlanner.Plan(rng.Fork("incidents"), options, Rivers, Stations, Outfalls, Weather);
        Signal = new WaterSignal(rng.Fork("signal").NextULong(), Stations, Weather, Incidents, options.Start);
        Manholes = ManholeSystem.Build(rng.Fork("manholes"), options, Admin, Weather);
        (Tickets, TicketTruth) = TicketGenerator.Generate(rng.Fork("tickets"), options, Admin, Manholes, Incidents,
            Outfalls.Select(o => o.Record).ToList(), GridStaff);
        Fleet = Fleet.Build(rng.Fork("fleet"), options, Land, Admin);
    }

    public SimulationOptions Options { get; }
    public Land Land { get; }
    public DensityField Density { get; }
    public AdminMap Admin { get; }
    public RiverSystem Rivers { get; }
    public List<StationInfo> Stations { get; }
    public List<GridStaff> GridStaff { get; } = [];
    public List<EnterpriseInfo> Enterprises { get; } = [];
    public List<Policy> Policies { get; } = [];
    public List<OutfallInfo> Outfalls { get; } = [];
    public Weather Weather { get; } = null!;
    public List<Incident> Incidents { get; } = [];
    public WaterSignal Signal { get; } = null!;
    public ManholeSystem Manholes { get; } = null!;
    public List<TicketInfo> Tickets { get; } = [];
    public TicketTruth TicketTruth { get; } = null!;
    public Fleet Fleet { get; } = null!;

    /// <summary>Builds everything.</summary>
    public static SampleCity Build(SimulationOptions options) => new(options, geographyOnly: false);

    /// <summary>Builds only the map (land, units, rivers, stations): enough to render the picture.</summary>
    public static SampleCity BuildGeography(SimulationOptions options) => new(options, geographyOnly: true);

    private static List<GridStaff> BuildStaff(Rng rng, AdminMap admin) =>
        admin.Grids.Select(g => new GridStaff(g.Code, People.Name(rng), People.Mobile(rng), People.Name(rng))).ToList();
}
