using System.Diagnostics;
using System.Globalization;
using OneMap.Simulator.Output;
using OneMap.Simulator.Render;
using OneMap.Simulator.Serving;

namespace OneMap.Simulator.Cli;

/// <summary>The simulator's commands.</summary>
public static class Commands
{
    public const string Usage = """
        usage: dotnet run --project src/Simulator -- <command> [options]

          generate       --out DIR [--scale N] [--seed S]
                         writes the sample city (department exports, sensor logs, tickets, ground truth) to DIR
          render         --out FILE.svg [--seed S]
                         draws districts, grids, rivers and stations as SVG (rsvg-convert -w 1400 FILE.svg -o FILE.png)
          serve-tickets  [--data DIR] [--port N] [--start TIME] [--speedup X]
                         serves DIR's tickets as a 12345 paged API (updated_since) and Open311 GeoReport v2 on 127.0.0.1
          publish        --broker HOST:PORT [--data DIR] [--rate N] [--speedup X] [--qos 0|1] [--stream wq|manholes|all]
                         publishes DIR's sensor payload logs to an MQTT broker

        defaults: --seed 42, --scale 1, --data data-samples, --port 8345, --speedup 0 (serve-tickets: clock stopped at export time)
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var arguments = new Arguments(args);
        switch (arguments.Command)
        {
            case "generate":
                return Generate(arguments, output, cancellationToken);
            case "render":
                return Render(arguments, output);
            case "serve-tickets":
                return await ServeTicketsAsync(arguments, output, cancellationToken);
            case "publish":
                return await Publishing.PublishCommand.RunAsync(arguments, output, cancellationToken);
            case "" or "help" or "--help" or "-h":
                await output.WriteLineAsync(Usage);
                return arguments.Command == "" ? 2 : 0;
            default:
                throw new UsageException($"unknown command \"{arguments.Command}\"");
        }
    }

    private static int Generate(Arguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var directory = arguments.OptionalString("out") ?? throw new UsageException("generate needs --out DIR");
        var options = new SimulationOptions
        {
            Seed = arguments.ULong("seed", 42),
            Scale = arguments.Double("scale", 1, 0.01, 1000),
        };
        arguments.RejectUnknown();
        var stopwatch = Stopwatch.StartNew();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"building the sample city (seed {options.Seed}, scale {options.Scale})"));
        var city = SampleCity.Build(options, output.WriteLine);
        output.WriteLine($"writing to {directory}");
        var report = SampleWriter.Write(city, directory, stopwatch.Elapsed, cancellationToken, output.WriteLine);
        var total = report.Files.Sum(f => f.Bytes);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sample city seed {options.Seed} scale {options.Scale}: {report.Files.Count} files, {total / 1e6:0.0} MB, {report.Messages} sensor messages, " +
            $"{city.Tickets.Count} tickets, {city.Incidents.Count} incidents; built in {report.BuildTime.TotalSeconds:0.0} s, written in {report.WriteTime.TotalSeconds:0.0} s → {directory}"));
        return 0;
    }

    private static int Render(Arguments arguments, TextWriter output)
    {
        var path = arguments.OptionalString("out") ?? throw new UsageException("render needs --out FILE.svg");
        var options = new SimulationOptions { Seed = arguments.ULong("seed", 42) };
        arguments.RejectUnknown();
        var city = SampleCity.BuildGeography(options);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        Directory.CreateDirectory(directory!);
        File.WriteAllText(path, SvgRenderer.Render(city), Output.TextEncodings.Utf8);
        output.WriteLine($"wrote {path}; for a PNG: rsvg-convert -w 1400 {path} -o {Path.ChangeExtension(path, ".png")}");
        return 0;
    }

    private static async Task<int> ServeTicketsAsync(Arguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var data = arguments.String("data", "data-samples");
        var port = arguments.Int("port", 8345, 0, 65535);
        var startText = arguments.OptionalString("start");
        var speedup = arguments.Double("speedup", 0, 0, 1e6);
        arguments.RejectUnknown();
        DateTimeOffset? start = null;
        if (startText is not null)
        {
            start = TicketStore.TryParseTime(startText, out var s) ? s
                : throw new UsageException($"--start must be \"yyyy-MM-dd HH:mm:ss\" (Beijing time) or ISO 8601 with an offset, got \"{startText}\"");
        }
        var store = TicketStore.Load(data);
        await using var server = await TicketServer.StartAsync(store, new TicketServerOptions { Port = port, Start = start, Speedup = speedup }, cancellationToken);
        await output.WriteLineAsync($"serving {store.Count} 12345 tickets from {data} at {server.BaseAddress}api/v1/tickets and Open311 at {server.BaseAddress}open311/v2/requests.json (clock {ChinaTime.Iso(server.Clock())}, speedup {speedup.ToString(CultureInfo.InvariantCulture)}); Ctrl+C stops");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: a normal stop.
        }
        return 0;
    }
}
