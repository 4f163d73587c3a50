using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace OneMap.GraphQL.GraphiQL;

/// <summary>
/// Serves GraphiQL from resources embedded at build time (no CDN): the page, its start script, GraphiQL's UMD build
/// and stylesheet, and the React and graphql-ws UMD builds. Files are cached by the browser for a day.
/// </summary>
internal sealed class GraphiQLPage(string basePath, string endpoint, string title)
{
    private static readonly Assembly Assembly = typeof(GraphiQLPage).Assembly;
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".html"] = "text/html; charset=utf-8",
    };

    private readonly Lazy<byte[]> _page = new(() =>
    {
        using var stream = Assembly.GetManifestResourceStream("GraphiQL/index.html") ?? throw new InvalidOperationException("GraphiQL/index.html is not embedded");
        using var reader = new StreamReader(stream);
        var html = reader.ReadToEnd()
            .Replace("{{title}}", WebUtility.HtmlEncode(title), StringComparison.Ordinal)
            .Replace("{{assets}}", WebUtility.HtmlEncode(basePath), StringComparison.Ordinal)
            .Replace("{{endpoint}}", WebUtility.HtmlEncode(endpoint), StringComparison.Ordinal)
            .Replace("{{subscriptionEndpoint}}", WebUtility.HtmlEncode(endpoint), StringComparison.Ordinal);
        return System.Text.Encoding.UTF8.GetBytes(html);
    });

    public async Task HandleAsync(HttpContext context)
    {
        var file = context.Request.RouteValues["file"] as string;
        var response = context.Response;
        response.Headers["X-Content-Type-Options"] = "nosniff";
        if (string.IsNullOrEmpty(file) || file == "index.html")
        {
            response.ContentType = ContentTypes[".html"];
            // Everything the page loads comes from this server; GraphiQL styles its editors inline.
            response.Headers.ContentSecurityPolicy =
                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self' ws: wss:";
            await response.Body.WriteAsync(_page.Value, context.RequestAborted).ConfigureAwait(false);
            return;
        }
        if (file.Contains('/', StringComparison.Ordinal) || !ContentTypes.TryGetValue(Path.GetExtension(file), out var contentType))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        await using var stream = Assembly.GetManifestResourceStream("GraphiQL/" + file);
        if (stream is null)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        response.ContentType = contentType;
        response.ContentLength = stream.Length;
        response.Headers.CacheControl = "public, max-age=86400";
        await stream.CopyToAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
    }
}
