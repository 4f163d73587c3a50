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
    private SampleCity(SimulationOptions options, bool geographyOnly, Action<string>? progress)
    {
        Options = options;
        var rng = new Rng(options.Seed);
        var step = new ProgressClock(progress);
        Land = new Land(rng.Fork("land"));
        Density = new DensityField(Land, rng.Fork("density"));
        Admin = AdminMap.Build(rng.Fork("admin"), Land, Density);
        step.Done("districts, towns, communities, grids, micro-grids");
        Rivers = RiverSystem.Build(rng.Fork("rivers"), Land, Density);
        Stations = StationPlacer.Place(rng.Fork("stations"), Rivers, Admin, Density, Land);
        step.Done("rivers and stations");
        if (geographyOnly)
        {
            return;
        }
        GridStaff = BuildStaff(rng.Fork("grid-staff"), Admin);
        Enterprises = EnterpriseBuilder.Build(rng.Fork("enterprises"), Land, Admin);
        Policies = EnterpriseBuilder.Policies(rng.Fork("policies"));
        Outfalls = OutfallBuilder.Build(rng.Fork("outfalls"), Rivers, Admin, Density, Enterprises);
        step.Done("enterprises and outfalls");
        Weather = new Weather(rng.Fork("weather"), options);
        Incidents = IncidentPlanner.Plan(rng.Fork("incidents"), options, Rivers, Stations, Outfalls, Weather);
        Signal = new WaterSignal(rng.Fork("signal").NextULong(), Stations, Weather, Incidents, options.Start);
        Manholes = ManholeSystem.Build(rng.Fork("manholes"), options, Admin, Weather);
        step.Done("incidents and manhole events");
        (Tickets, TicketTruth) = TicketGenerator.Generate(rng.Fork("tickets"), options, Admin, Manholes, Incidents,
            Outfalls.Select(o => o.Record).ToList(), GridStaff);
        step.Done("tickets");
        Fleet = Fleet.Build(rng.Fork("fleet"), options, Land, Admin);
        step.Done("vessel tracks");
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

    /// <summary>Builds everything; <paramref name="progress"/> hears each finished part with its wall and CPU time.</summary>
    public static SampleCity Build(SimulationOptions options, Action<string>? progress = null) => new(options, geographyOnly: false, progress);

    /// <summary>Builds only the map (land, units, rivers, stations): enough to render the picture.</summary>
    public static SampleCity BuildGeography(SimulationOptions options) => new(options, geographyOnly: true, null);

    private static List<GridStaff> BuildStaff(Rng rng, AdminMap admin) =>
        admin.Grids.Select(g => new GridStaff(g.Code, People.Name(rng), People.Mobile(rng), People.Name(rng))).ToList();
}

/// <summary>Reports steps of long work with the wall and CPU time each took (CPU tells a busy machine from slow code).</summary>
public sealed class ProgressClock(Action<string>? progress)
{
    private readonly System.Diagnostics.Stopwatch _wall = System.Diagnostics.Stopwatch.StartNew();
    private TimeSpan _cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;

    public void Done(string what)
    {
        if (progress is null)
        {
            return;
        }
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        progress(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"  {what}: {_wall.Elapsed.TotalSeconds:0.0} s wall, {(cpu - _cpu).TotalSeconds:0.0} s CPU"));
        _wall.Restart();
        _cpu = cpu;
    }
}
