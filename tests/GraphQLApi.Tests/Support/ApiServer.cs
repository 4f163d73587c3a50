using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

using OneMap.GraphQLApi.Hosting;

namespace OneMap.GraphQLApi.Tests.Support;

/// <summary>
/// The OneMap server in process (ASP.NET Core's test server) over a lake of its own, configured like the embedded
/// default except for the paths; requests go through the real HTTP pipeline (authentication, rate limits, audit).
/// </summary>
public sealed class ApiServer : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings;

    public ApiServer(string lakeRoot, IDictionary<string, string?>? settings = null)
    {
        LakeRoot = lakeRoot;
        this.settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Lakehouse:Root"] = lakeRoot,
            ["Lakehouse:Threads"] = "2",
            ["Api:QueryThreads"] = "2",
            ["Api:CatalogPollInterval"] = "00:00:01",
            ["Api:HostIngest"] = "false",
            ["Security:AuditFlushInterval"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:OneMap"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            this.settings[key] = value;
        }
    }

    public string LakeRoot { get; }

    /// <summary>What the server printed at first start (the admin key, when it made one).</summary>
    public StringWriter FirstStartOutput { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureTestServices(services => services.AddSingleton(new FirstStartOutput(FirstStartOutput)));
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A client sending the given API key (none for null).</summary>
    public HttpClient ClientWith(string? apiKey)
    {
        var client = CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", apiKey);
        }
        return client;
    }

    /// <summary>Runs a GraphQL request as the holder of <paramref name="apiKey"/>.</summary>
    public async Task<GqlResult> QueryAsync(string? apiKey, string query, object? variables = null, CancellationToken cancellationToken = default)
    {
        using var client = ClientWith(apiKey);
        return await PostAsync(client, query, variables, cancellationToken);
    }

    public static async Task<GqlResult> PostAsync(HttpClient client, string query, object? variables = null, CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.Serialize(new { query, variables });
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/graphql", content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new GqlResult((int)response.StatusCode, JsonNode.Parse(text) ?? new JsonObject(), text);
    }
}

/// <summary>A GraphQL response: HTTP status, data and errors.</summary>
public sealed record GqlResult(int Status, JsonNode Body, string Text)
{
    public JsonNode? Data => Body["data"];

    public JsonArray? Errors => Body["errors"] as JsonArray;

    public IEnumerable<string> Messages => Errors?.Select(e => (string?)e?["message"] ?? "") ?? [];

    /// <summary>Fails with the response when there are errors; returns the data.</summary>
    public JsonNode Ok()
    {
        Assert.True(Errors is null || Errors.Count == 0, $"GraphQL errors: {Text}");
        Assert.Equal(200, Status);
        return Data ?? throw new Xunit.Sdk.XunitException("no data: " + Text);
    }

    /// <summary>Asserts the request failed with an error whose message contains <paramref name="fragment"/>.</summary>
    public void Fails(string fragment)
    {
        Assert.True(Errors is { Count: > 0 }, $"expected an error containing '{fragment}': {Text}");
        Assert.Contains(Messages, m => m.Contains(fragment, StringComparison.OrdinalIgnoreCase));
    }
}
