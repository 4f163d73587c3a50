using System.Diagnostics;
using System.Text.Json;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using OneMap.GraphQLApi.Schema;

namespace OneMap.GraphQLApi.Security;

/// <summary>
/// The gate in front of the API's data endpoints: every request must carry an API key (<c>Authorization: ApiKey …</c>,
/// <c>Authorization: Bearer om_…</c> or <c>X-API-Key</c>) or a JWT (<c>Authorization: Bearer …</c>); each key is
/// rate limited; each request is audited when it ends. WebSocket connections may instead authenticate in their
/// <c>connection_init</c> payload (browsers cannot set headers on a WebSocket).
/// </summary>
public sealed class ApiAuthentication(RequestDelegate next, Authenticator authenticator, RateLimiter limiter, AuditLog audit, ILogger<ApiAuthentication> logger)
{
    public const string RequestInfoKey = "onemap.request-info";

    public async Task InvokeAsync(HttpContext context)
    {
        var (caller, problem) = authenticator.Authenticate(context.Request.Headers.Authorization.ToString(), context.Request.Headers["X-API-Key"].ToString());
        if (caller is null)
        {
            if (context.WebSockets.IsWebSocketRequest && problem is null)
            {
                // Credentials may come in connection_init (AuthorizeWebSocket); the upgrade itself carries none.
                await next(context).ConfigureAwait(false);
                return;
            }
            Log.Unauthenticated(logger, problem ?? "no credentials", context.Request.Path);
            audit.Record(new AuditEntry(DateTimeOffset.UtcNow, "anonymous", "none", null, "refused: " + (problem ?? "no credentials"), null, null, null, 0, 0,
                StatusCodes.Status401Unauthorized));
            context.Response.Headers.WWWAuthenticate = "ApiKey, Bearer";
            await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "UNAUTHENTICATED",
                problem ?? "Send an API key (Authorization: ApiKey <key>, or X-API-Key) or a bearer token.").ConfigureAwait(false);
            return;
        }
        var limits = authenticator.LimitsFor(caller.Role);
        if (!limiter.TryAcquire(caller.RateKey, limits, out var wait))
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            audit.Record(new AuditEntry(DateTimeOffset.UtcNow, caller.Id, caller.Role.Name(), caller.Department, "refused: rate limit", null, null, null, 0, 0,
                StatusCodes.Status429TooManyRequests));
            await WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, "RATE_LIMITED",
                $"Too many requests for this key: at most {limits.RequestsPerSecond} per second (bursts of {limits.Burst}).").ConfigureAwait(false);
            return;
        }
        context.User = caller.ToPrincipal();
        var info = await RequestInfo.ReadAsync(context).ConfigureAwait(false);
        context.Items[RequestInfoKey] = info;
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            if (info.Audit && !context.WebSockets.IsWebSocketRequest)
            {
                var rows = context.Items.TryGetValue(ApiRequest.ItemKey, out var value) && value is ApiRequest request ? request.Rows : 0;
                audit.Record(new AuditEntry(DateTimeOffset.UtcNow, caller.Id, caller.Role.Name(), caller.Department, info.Operation, info.Document,
                    AuditLog.Hash(info.Document), AuditLog.Hash(info.Variables), rows, Stopwatch.GetElapsedTime(started).TotalMilliseconds, context.Response.StatusCode));
            }
        }
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            errors = new[] { new { message, extensions = new { code } } },
        });
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}


/// <summary>Turns credentials into a <see cref="Caller"/>: API keys from the key store, bearer tokens through the JWT validator.</summary>
public sealed class Authenticator(ApiKeyStore keys, JwtValidator jwt, RateLimiter limiter, IOptions<SecurityOptions> options, ILogger<Authenticator> logger)
{
    /// <summary>The caller given by an Authorization header value and/or an X-API-Key value, or why they are refused (null: none given).</summary>
    public (Caller? Caller, string? Problem) Authenticate(string? authorization, string? apiKey)
    {
        if (!string.IsNullOrWhiteSpace(apiKey))
        {
            return keys.Authenticate(apiKey.Trim()) is { } byKey ? (byKey, null) : (null, "the API key is not valid");
        }
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return (null, null);
        }
        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space < 0 ? authorization : authorization[..space];
        var credential = space < 0 ? "" : authorization[(space + 1)..].Trim();
        if (scheme.Equals("ApiKey", StringComparison.OrdinalIgnoreCase)
            || (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) && credential.StartsWith("om_", StringComparison.Ordinal)))
        {
            return keys.Authenticate(credential) is { } byKey ? (byKey, null) : (null, "the API key is not valid");
        }
        if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return jwt.Validate(credential);
        }
        return (null, $"the authorization scheme '{scheme}' is not supported (use ApiKey or Bearer)");
    }

    /// <summary>Authenticates a WebSocket from its connection_init payload (<c>apiKey</c>, <c>Authorization</c> or <c>authorization</c>).</summary>
    public bool AuthorizeWebSocket(HttpContext context, IReadOnlyDictionary<string, object?>? payload)
    {
        if (Caller.From(context.User) is { } already)
        {
            return limiter.TryAcquire(already.RateKey, LimitsFor(already.Role), out _);
        }
        var apiKey = payload?.GetValueOrDefault("apiKey") as string ?? payload?.GetValueOrDefault("X-API-Key") as string;
        var authorization = payload?.GetValueOrDefault("Authorization") as string ?? payload?.GetValueOrDefault("authorization") as string;
        var (caller, problem) = Authenticate(authorization, apiKey);
        if (caller is null)
        {
            Log.Unauthenticated(logger, problem ?? "no credentials in connection_init", context.Request.Path);
            return false;
        }
        if (!limiter.TryAcquire(caller.RateKey, LimitsFor(caller.Role), out _))
        {
            return false;
        }
        context.User = caller.ToPrincipal();
        return true;
    }

    public RoleLimitOptions LimitsFor(ApiRole role) => options.Value.Roles.GetValueOrDefault(role.Name()) ?? new RoleLimitOptions();

}

/// <summary>What the audit needs to know of a GraphQL request, read before the engine reads it.</summary>
/// <param name="Operation">Operation type and name, e.g. <c>query Stations</c>.</param>
/// <param name="Document">The document text.</param>
/// <param name="Variables">The variables' JSON text.</param>
/// <param name="Audit">Whether this request is audited when it ends (exports audit themselves).</param>
public sealed record RequestInfo(string Operation, string? Document, string? Variables, bool Audit)
{
    public static async Task<RequestInfo> ReadAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments("/exports", StringComparison.Ordinal))
        {
            return new RequestInfo("export", null, null, Audit: false);
        }
        string? document = null, variables = null, name = null;
        if (HttpMethods.IsGet(request.Method))
        {
            document = request.Query["query"].ToString();
            variables = request.Query["variables"].ToString();
            name = request.Query["operationName"].ToString();
        }
        else if (HttpMethods.IsPost(request.Method) && request.ContentLength is null or <= 1 << 20)
        {
            request.EnableBuffering();
            try
            {
                using var json = await JsonDocument.ParseAsync(request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
                var root = json.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    document = root.TryGetProperty("query", out var q) && q.ValueKind == JsonValueKind.String ? q.GetString() : null;
                    variables = root.TryGetProperty("variables", out var v) && v.ValueKind != JsonValueKind.Null ? v.GetRawText() : null;
                    name = root.TryGetProperty("operationName", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                }
            }
            catch (JsonException)
            {
                // The engine answers malformed bodies itself; the audit records what it can.
            }
            request.Body.Position = 0;
        }
        return new RequestInfo(Describe(document, name), string.IsNullOrEmpty(document) ? null : document, string.IsNullOrEmpty(variables) ? null : variables, Audit: true);
    }

    private static string Describe(string? document, string? name)
    {
        if (string.IsNullOrWhiteSpace(document))
        {
            return "(no document)";
        }
        var text = document.TrimStart();
        var kind = text.StartsWith("mutation", StringComparison.Ordinal) ? "mutation" : text.StartsWith("subscription", StringComparison.Ordinal) ? "subscription" : "query";
        if (string.IsNullOrEmpty(name) && (text.StartsWith(kind, StringComparison.Ordinal)))
        {
            var rest = text[kind.Length..].TrimStart();
            var end = 0;
            while (end < rest.Length && (char.IsLetterOrDigit(rest[end]) || rest[end] == '_'))
            {
                end++;
            }
            name = rest[..end];
        }
        return string.IsNullOrEmpty(name) ? kind : kind + " " + name;
    }
}
