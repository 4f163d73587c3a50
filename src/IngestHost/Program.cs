using OneMap.Ingest;
using OneMap.Ingest.Cli;
using OneMap.Ingest.Feeds;
using OneMap.Ingest.Hosting;
using OneMap.Lakehouse;

// onemap-ingest run  [--Key=Value …]                          run the workers (and /metrics) until stopped
// onemap-ingest file --contract c.json <file-or-folder>…       ingest files once, with a progress bar
var command = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "run";
var settings = args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal)).ToArray();

if (command == "file")
{
    var cli = WebApplication.CreateBuilder(settings);
    cli.Logging.SetMinimumLevel(LogLevel.Warning);
    cli.Services.AddLakehouse();
    cli.Services.AddOneMapIngest();
    cli.Services.ResolveIngestPaths(IngestPaths.Home(cli.Configuration));
    using var tool = cli.Build();
    return await FileIngestCommand.RunAsync(tool.Services.GetRequiredService<FeedIngestor>(), args.Skip(1).ToList(), Console.Out, Console.Error, CancellationToken.None);
}
if (command != "run")
{
    Console.Error.WriteLine("usage: onemap-ingest run [--Section:Key=Value …]");
    Console.Error.WriteLine("       " + FileIngestCommand.Usage);
    return 2;
}

var builder = WebApplication.CreateBuilder(settings);
builder.WebHost.UseUrls(builder.Configuration["Urls"] ?? "http://127.0.0.1:9465");
builder.Services.AddLakehouse();
builder.Services.AddOneMapIngest();
// Relative option paths (lake, contracts, drop folders, logs) resolve against Ingest:Home or the checkout, not the working directory.
builder.Services.ResolveIngestPaths(IngestPaths.Home(builder.Configuration));
// Workers commit what they hold and write their receipts when stopped; give them time to.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));

var app = builder.Build();
app.MapOneMapIngestMetrics();
await app.RunAsync();
return 0;
