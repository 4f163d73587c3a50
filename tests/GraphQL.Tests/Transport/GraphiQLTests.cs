using System.Net;
using System.Text.RegularExpressions;
using OneMap.GraphQL.Tests.Support;

namespace OneMap.GraphQL.Tests.Transport;

/// <summary>The GraphiQL page and every file it loads come from the server itself (no CDN).</summary>
public sealed partial class GraphiQLTests : IAsyncLifetime
{
    private GraphQLTestServer _server = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await GraphQLTestServer.StartAsync(ServerSchema.Build());
        _client = new HttpClient { BaseAddress = _server.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task the_page_and_all_its_assets_are_served_locally()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var page = await _client.GetAsync("/graphiql", cancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync(cancellationToken);
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("data-endpoint=\"/graphql\"", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        var assets = AssetReference().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["/graphiql/graphiql.min.css", "/graphiql/react.production.min.js", "/graphiql/react-dom.production.min.js",
            "/graphiql/graphql-ws.min.js", "/graphiql/graphiql.min.js", "/graphiql/graphiql-start.js"], assets);
        foreach (var asset in assets)
        {
            using var response = await _client.GetAsync(asset, cancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            Assert.True(body.Length > 100, $"{asset} is only {body.Length} bytes");
            Assert.Equal(asset.EndsWith(".css", StringComparison.Ordinal) ? "text/css" : "text/javascript", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task unknown_files_are_404()
    {
        using var response = await _client.GetAsync("/graphiql/../secret.js", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var missing = await _client.GetAsync("/graphiql/nothing.js", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [GeneratedRegex("(?:src|href)=\"([^\"]+)\"")]
    private static partial Regex AssetReference();
}
