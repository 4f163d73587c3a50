using System.Net;
using System.Text.Json;

using Microsoft.Extensions.Configuration;

using OneMap.GraphQLApi.Security;
using OneMap.GraphQLApi.Tests.Support;
using OneMap.Testing;

namespace OneMap.GraphQLApi.Tests.Hosting;

/// <summary>The embedded default on a fresh lake: it ingests the sample city by itself and is never open.</summary>
public sealed class EmbeddedDefaultTests(SampleCity city)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void first_start_prints_an_admin_key_once_and_stores_only_its_hash()
    {
        Assert.StartsWith("om_", city.AdminKey, StringComparison.Ordinal);
        Assert.Contains(city.AdminKey, city.FirstStartText, StringComparison.Ordinal);
        // The second start on the same lake (the running server) found the key and printed nothing.
        Assert.DoesNotContain("om_", city.Server.FirstStartOutput.ToString(), StringComparison.Ordinal);
        var stored = File.ReadAllText(Path.Combine(city.Server.LakeRoot, "_onemap", ApiKeyStore.FileName));
        Assert.DoesNotContain(city.AdminKey, stored, StringComparison.Ordinal);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(city.AdminKey)));
        Assert.Contains(hash, stored, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(city.Server.LakeRoot, "_onemap", ApiKeyStore.FileName)));
        }
    }

    [Fact]
    public void sensor_readings_waited_for_the_registers_so_none_was_refused_as_unknown()
    {
        var quarantine = Path.Combine(city.Server.LakeRoot, "_quarantine", "sensors");
        var registered = LakeFiles.Query(city.Server.LakeRoot, "manhole_covers", "SELECT device_id FROM {t}").Select(r => (string)r[0]!)
            .Concat(LakeFiles.Query(city.Server.LakeRoot, "monitoring_stations", "SELECT station_id FROM {t}").Select(r => (string)r[0]!)).ToHashSet();
        var unknown = Directory.Exists(quarantine)
            ? Directory.EnumerateFiles(quarantine, "*", SearchOption.AllDirectories).SelectMany(File.ReadLines)
                .Where(l => l.Contains("unknown sensor", StringComparison.Ordinal)).ToList()
            : [];
        // What is quarantined as unknown is a sensor no register lists (the spoiled rows of the cover register), never a registered one.
        Assert.All(unknown, line => Assert.DoesNotContain(registered, id => line.Contains($"'{id}'", StringComparison.Ordinal)));
        Assert.True(LakeFiles.Count(city.Server.LakeRoot, "manhole_readings") > 10_000);
    }

    [Fact]
    public void relative_paths_resolve_against_the_checkout_not_the_working_directory()
    {
        var empty = new ConfigurationBuilder().Build();
        // Tests run in bin/…: the checkout above holds feeds/ and data-samples/.
        Assert.Equal(OneMap.Testing.RepoPaths.RepoRoot, OneMap.GraphQLApi.Hosting.EmbeddedPaths.Home(empty));
        var configured = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Api:Home"] = "/srv/onemap" }).Build();
        Assert.Equal("/srv/onemap", OneMap.GraphQLApi.Hosting.EmbeddedPaths.Home(configured));
    }

    [Fact]
    public async Task the_api_is_never_open_without_a_key()
    {
        using var anonymous = city.Server.ClientWith(null);
        var response = await ApiServer.PostAsync(anonymous, "{ me { role } }", cancellationToken: Ct);
        Assert.Equal(401, response.Status);
        Assert.Equal("UNAUTHENTICATED", (string?)response.Errors![0]!["extensions"]!["code"]);
        var get = await anonymous.GetAsync("/graphql?query=%7B__typename%7D", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);

        var wrong = await city.Server.QueryAsync(city.AdminKey[..^2] + "xx", "{ me { role } }", cancellationToken: Ct);
        Assert.Equal(401, wrong.Status);
        var made_up = await city.Server.QueryAsync("om_000000000000_not-a-real-key-at-all-000000", "{ me { role } }", cancellationToken: Ct);
        Assert.Equal(401, made_up.Status);

        var health = await anonymous.GetAsync("/health", Ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task the_admin_key_from_first_start_works_and_says_who_it_is()
    {
        var me = (await city.Server.QueryAsync(city.AdminKey, "{ me { role method } }", cancellationToken: Ct)).Ok()["me"]!;
        Assert.Equal("ADMIN", (string?)me["role"]);
        Assert.Equal("api-key", (string?)me["method"]);
    }

    [Fact]
    public async Task the_sample_city_lands_in_the_lake_and_every_dataset_appears_in_the_schema()
    {
        var data = (await city.Server.QueryAsync(city.Keys.Analyst, "{ catalog { datasets { name fieldName rowCount } } }", cancellationToken: Ct)).Ok();
        var datasets = data["catalog"]!["datasets"]!.AsArray().ToDictionary(d => (string)d!["name"]!, d => (long?)d!["rowCount"]);
        foreach (var name in new[] { "admin_units", "monitoring_stations", "river_reaches", "manhole_covers", "enterprises", "departments", "tickets", "ticket_events",
                     "water_quality_readings", "manhole_readings", "sensor_twins", "vessels", "ingest_receipts" })
        {
            Assert.True(datasets.ContainsKey(name), $"{name} is not in the catalog: {string.Join(", ", datasets.Keys)}");
        }
        Assert.Equal(1900 + 367, datasets["admin_units"]);
        Assert.Equal(113, datasets["monitoring_stations"]);
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(SampleCity.DataSamples, "manifest.json"))).RootElement;
        Assert.True(datasets["tickets"] > 5_000, $"tickets: {datasets["tickets"]} ({manifest.GetProperty("counts")})");
        var schema = (await city.Server.QueryAsync(city.Keys.Analyst, "{ __schema { queryType { fields { name } } } }", cancellationToken: Ct)).Ok();
        var fields = schema["__schema"]!["queryType"]!["fields"]!.AsArray().Select(f => (string)f!["name"]!).ToHashSet();
        // A dataset named like a curated field (e.g. alerts, which the alert producer writes from the replayed manhole
        // alarms) gets its own field name (alerts_dataset): check the names the catalog gives.
        var fieldNames = data["catalog"]!["datasets"]!.AsArray().Select(d => (string)d!["fieldName"]!).ToList();
        foreach (var name in fieldNames)
        {
            Assert.Contains(name, fields);
            Assert.Contains(name + "_aggregate", fields);
            Assert.Contains(name + "_export", fields);
        }
    }
}
