using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

using OneMap.GraphQLApi.Tests.Support;
using OneMap.Lakehouse;
using OneMap.Lakehouse.Alerts;
using OneMap.Testing;

namespace OneMap.GraphQLApi.Tests.Notebooks;

/// <summary>
/// The OneMap server as a researcher runs it: its own process (<c>dotnet OneMap.GraphQLApi.dll</c>, copied beside the
/// tests) on a free loopback port, over a copy of the ingested sample city, so that Python can reach it over TCP. Its
/// first start prints an admin key, which makes the analyst key the notebooks use, as notebooks/README.md says.
/// The copy also holds the alert a perfect detector would raise for the one pollution incident of the replayed days.
/// </summary>
public sealed partial class NotebookServer(SampleCity city) : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly TempDirectory directory = new("onemap-notebooks");
    private readonly StringBuilder output = new();
    private Process? process;

    public Uri Url { get; private set; } = null!;

    public string AdminKey { get; private set; } = "";

    public string AnalystKey { get; private set; } = "";

    /// <summary>Where the notebooks write charts and downloads.</summary>
    public string OutputFolder => Path.Combine(directory.Path, "output");

    /// <summary>The alert planted from the ground truth (the notebook should list it).</summary>
    public Alert PlantedAlert { get; private set; } = null!;

    /// <summary>What the server printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var lake = city.CopyLake(Path.Combine(directory.Path, "lake"));
        PlantedAlert = GroundTruthAlert();
        using (var store = new Lake(lake))
        {
            using var alerts = new LakeAlertStore(store);
            await alerts.RaiseAsync(PlantedAlert, cancellationToken);
        }

        var port = FreePort();
        Url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OneMap.GraphQLApi.dll"));
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["Urls"] = Url.ToString().TrimEnd('/'),
            ["Lakehouse:Root"] = lake,
            ["Lakehouse:Threads"] = "2",
            ["Api:QueryThreads"] = "2",
            ["Api:HostIngest"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        })
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        process = Process.Start(start) ?? throw new InvalidOperationException("the OneMap server process did not start");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(10) };
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the OneMap server exited with code {process.ExitCode} while starting:\n{Output}");
            }
            if (watch.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"the OneMap server did not answer /health on {Url} within {StartTimeout.TotalSeconds} s:\n{Output}");
            }
            AdminKey = AdminKeyPattern().Match(Output).Value;
            if (AdminKey.Length > 0 && await IsHealthyAsync(http, cancellationToken))
            {
                break;
            }
            await Task.Delay(200, cancellationToken);
        }

        // As the README tells a researcher: the admin makes an analyst key; the notebooks run with it.
        var created = await PostAsync(http, AdminKey, """mutation { createApiKey(name: "notebooks", role: ANALYST) { key } }""", cancellationToken);
        AnalystKey = (string?)created?["data"]?["createApiKey"]?["key"]
            ?? throw new InvalidOperationException("createApiKey gave no key: " + created?.ToJsonString());
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static async Task<bool> IsHealthyAsync(HttpClient http, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync("/health", cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>A GraphQL request to the server process, as any client sends it.</summary>
    public async Task<JsonNode?> QueryAsync(string query, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(60) };
        return await PostAsync(http, AnalystKey, query, cancellationToken);
    }

    private static async Task<JsonNode?> PostAsync(HttpClient http, string key, string query, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var body = JsonNode.Parse(text);
        if (!response.IsSuccessStatusCode || body?["errors"] is JsonArray { Count: > 0 })
        {
            throw new InvalidOperationException($"GraphQL request failed ({(int)response.StatusCode}): {text}");
        }
        return body;
    }

    /// <summary>
    /// The alert for the sample's one pollution incident in the replayed days, as a perfect detector would raise it:
    /// at the first automatic station it reached, from its arrival, with the true source as the first suspect.
    /// (The server runs no detector; the alert store is the contract between detectors and the API.)
    /// </summary>
    private static Alert GroundTruthAlert()
    {
        var truth = JsonNode.Parse(File.ReadAllText(Path.Combine(SampleCity.DataSamples, "ground-truth", "incidents.json")))!;
        var firstDay = SampleCity.ExportTime.AddDays(-SampleCity.SensorDays.Count);
        var incident = truth["incidents"]!.AsArray()
            .First(i => (bool)i!["is_pollution"]! && DateTimeOffset.Parse((string)i["start"]!, CultureInfo.InvariantCulture) >= firstDay)!;
        var reached = incident["affected_stations"]!.AsArray().First(s => (string?)s!["kind"] == "automatic")!;
        var source = incident["source"]!;
        var outfall = (string?)source["outfall_id"] ?? "unknown";
        return new Alert
        {
            AlertId = "ALERT-" + (string)incident["id"]!,
            Kind = AlertKinds.Pollution,
            SubjectKind = "station",
            SubjectId = (string)reached["station_id"]!,
            Indicators = [(string)incident["primary_indicator"]!],
            Start = DateTimeOffset.Parse((string)reached["arrival"]!, CultureInfo.InvariantCulture),
            Severity = "critical",
            Score = 0.95,
            Explanation = (string)incident["type"]! + " upstream",
            DepartmentCode = RoleKeys.Ecology,
            Longitude = (double)source["lon"]!,
            Latitude = (double)source["lat"]!,
            Suspects = [new AlertSuspect(1, "outfall", outfall, null, (double)reached["river_distance_km"]!, (double)reached["lag_minutes"]! / 60, 0.9, "the incident's source")],
        };
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            // SIGTERM first: the server flushes its audit and stops its workers; then make sure it is gone.
            using (var term = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", process.Id.ToString(CultureInfo.InvariantCulture) } }))
            {
                if (term is not null)
                {
                    await term.WaitForExitAsync(CancellationToken.None);
                }
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
        process?.Dispose();
        directory.Dispose();
    }

    [GeneratedRegex(@"om_[0-9a-f]{12}_[A-Za-z0-9_-]+")]
    private static partial Regex AdminKeyPattern();
}
