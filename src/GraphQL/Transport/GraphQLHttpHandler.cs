using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Net.Http.Headers;
using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Transport;

/// <summary>
/// GraphQL over HTTP (graphql-over-http): GET and POST, <c>application/graphql-response+json</c> (request errors get
/// 400) or legacy <c>application/json</c> (always 200 for GraphQL results), automatic persisted queries, and
/// server-sent events (graphql-sse distinct connections mode) when the client accepts <c>text/event-stream</c>.
/// WebSocket upgrades go to <see cref="GraphQLWebSocketHandler"/>.
/// </summary>
public sealed class GraphQLHttpHandler(GraphQLEngine engine, GraphQLServerOptions options)
{
    private const string GraphQLResponseJson = "application/graphql-response+json";
    private const string Json = "application/json";
    private const string EventStream = "text/event-stream";
    private static readonly IReadOnlySet<OperationType> GetOperations = new HashSet<OperationType> { OperationType.Query, OperationType.Subscription };

    public async Task HandleAsync(HttpContext context)
    {
        if (context.WebSockets.IsWebSocketRequest)
        {
            if (!options.AllowWebSockets)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
            await new GraphQLWebSocketHandler(engine, options).HandleAsync(context).ConfigureAwait(false);
            return;
        }
        var mode = Negotiate(context.Request);
        if (mode is null)
        {
            await WritePlainErrorAsync(context, StatusCodes.Status406NotAcceptable, $"This endpoint answers {GraphQLResponseJson}, {Json} or {EventStream}.").ConfigureAwait(false);
            return;
        }
        GraphQLRequest request;
        var isGet = HttpMethods.IsGet(context.Request.Method);
        try
        {
            if (isGet && options.AllowGet)
            {
                request = GraphQLRequestReader.FromQueryString(context.Request.Query);
            }
            else if (HttpMethods.IsPost(context.Request.Method))
            {
                var read = await ReadBodyAsync(context).ConfigureAwait(false);
                if (read is null)
                {
                    return;
                }
                request = read;
            }
            else
            {
                context.Response.Headers.Allow = options.AllowGet ? "GET, POST" : "POST";
                await WritePlainErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "Use GET or POST.").ConfigureAwait(false);
                return;
            }
        }
        catch (BadRequestException e)
        {
            await WriteResultAsync(context, mode.Value, ExecutionResult.RequestError(GraphQLError.WithCode(e.Message, ErrorCodes.BadRequest)), StatusCodes.Status400BadRequest)
                .ConfigureAwait(false);
            return;
        }

        var (resolved, persistedError) = await PersistedQueryResolver.ResolveAsync(request, options.PersistedQueries, context.RequestAborted).ConfigureAwait(false);
        if (persistedError is not null)
        {
            // Clients of the protocol expect "not found" as a normal GraphQL response, so they can resend the document.
            var status = persistedError.Code == ErrorCodes.PersistedQueryNotFound ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
            await WriteResultAsync(context, mode.Value, ExecutionResult.RequestError(persistedError), status).ConfigureAwait(false);
            return;
        }

        var executionOptions = await CreateOptionsAsync(context, isGet).ConfigureAwait(false);
        // Long-lived responses (event streams) also end when the server shuts down.
        using var lifetime = Lifetime(context);
        ExecutionResult result;
        try
        {
            result = await engine.ExecuteAsync(resolved, executionOptions, lifetime.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
            return;
        }

        if (mode == ResponseMode.EventStream)
        {
            await ServerSentEvents.WriteAsync(context, result, lifetime.Token).ConfigureAwait(false);
            return;
        }
        if (result.Stream is not null)
        {
            result = ExecutionResult.RequestError(GraphQLError.WithCode(
                "Subscriptions need a WebSocket (graphql-transport-ws) or an Accept: text/event-stream request.", ErrorCodes.BadRequest));
        }
        var statusCode = result.Errors?.FirstOrDefault()?.Code == ErrorCodes.OperationNotAllowed ? StatusCodes.Status405MethodNotAllowed
            : mode == ResponseMode.GraphQLResponse && result.IsRequestError ? StatusCodes.Status400BadRequest
            : StatusCodes.Status200OK;
        if (statusCode == StatusCodes.Status405MethodNotAllowed)
        {
            context.Response.Headers.Allow = "POST";
        }
        await WriteResultAsync(context, mode.Value, result, statusCode).ConfigureAwait(false);
    }

    /// <summary>Cancelled when the client goes away or the application stops.</summary>
    internal static CancellationTokenSource Lifetime(HttpContext context)
    {
        var stopping = context.RequestServices?.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        return CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
    }

    internal async ValueTask<ExecutionOptions> CreateOptionsAsync(HttpContext context, bool isGet)
    {
        var configured = options.ConfigureRequest is null
            ? new ExecutionOptions { User = context.User, Services = context.RequestServices }
            : await options.ConfigureRequest(context).ConfigureAwait(false);
        if (!isGet)
        {
            return configured;
        }
        return new ExecutionOptions
        {
            Schema = configured.Schema,
            RootValue = configured.RootValue,
            User = configured.User,
            Services = configured.Services,
            Items = configured.Items,
            Limits = configured.Limits,
            AllowIntrospection = configured.AllowIntrospection,
            IncludeExceptionDetails = configured.IncludeExceptionDetails,
            AllowedOperations = GetOperations,
        };
    }

    private async Task<GraphQLRequest?> ReadBodyAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType;
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            || !(parsed.MediaType.Equals(Json, StringComparison.OrdinalIgnoreCase) || parsed.MediaType.Equals(GraphQLResponseJson, StringComparison.OrdinalIgnoreCase)))
        {
            await WritePlainErrorAsync(context, StatusCodes.Status415UnsupportedMediaType, $"POST bodies must be {Json}.").ConfigureAwait(false);
            return null;
        }
        if (context.Request.ContentLength > options.MaxRequestBytes)
        {
            await WritePlainErrorAsync(context, StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {options.MaxRequestBytes} bytes.").ConfigureAwait(false);
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > options.MaxRequestBytes)
            {
                await WritePlainErrorAsync(context, StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {options.MaxRequestBytes} bytes.").ConfigureAwait(false);
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        try
        {
            using var document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
            return GraphQLRequestReader.FromJson(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new BadRequestException($"The request body is not valid JSON: {e.Message}");
        }
    }

    private ResponseMode? Negotiate(HttpRequest request)
    {
        var accept = request.Headers.Accept;
        if (accept.Count == 0)
        {
            return ResponseMode.Json;
        }
        if (!MediaTypeHeaderValue.TryParseList(accept, out var types) || types.Count == 0)
        {
            return ResponseMode.Json;
        }
        // Highest quality first; among equals, the order the client wrote them.
        foreach (var type in types.Select((t, i) => (Type: t, Index: i)).OrderByDescending(t => t.Type.Quality ?? 1).ThenBy(t => t.Index).Select(t => t.Type))
        {
            if (type.Quality == 0)
            {
                continue;
            }
            var media = type.MediaType.Value ?? "";
            if (media.Equals(GraphQLResponseJson, StringComparison.OrdinalIgnoreCase))
            {
                return ResponseMode.GraphQLResponse;
            }
            if (media.Equals(Json, StringComparison.OrdinalIgnoreCase) || media == "*/*" || media.Equals("application/*", StringComparison.OrdinalIgnoreCase))
            {
                return ResponseMode.Json;
            }
            if (media.Equals(EventStream, StringComparison.OrdinalIgnoreCase) && options.AllowServerSentEvents)
            {
                return ResponseMode.EventStream;
            }
        }
        return null;
    }

    private static async Task WriteResultAsync(HttpContext context, ResponseMode mode, ExecutionResult result, int statusCode)
    {
        if (mode == ResponseMode.EventStream)
        {
            await ServerSentEvents.WriteAsync(context, result, context.RequestAborted).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = (mode == ResponseMode.GraphQLResponse ? GraphQLResponseJson : Json) + "; charset=utf-8";
        var body = context.Response.BodyWriter;
        using (var writer = new Utf8JsonWriter(body, ResultJsonWriter.WriterOptions))
        {
            result.WriteTo(writer);
        }
        // The whole response is in the body writer's buffer before the first flush: say how long it is, so a client
        // reads it into one buffer of the right size instead of growing one through chunked transfer.
        if (!context.Response.HasStarted && body.CanGetUnflushedBytes)
        {
            context.Response.ContentLength = body.UnflushedBytes;
        }
        await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static Task WritePlainErrorAsync(HttpContext context, int statusCode, string message)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = Json + "; charset=utf-8";
        var body = ExecutionResult.RequestError(GraphQLError.WithCode(message, ErrorCodes.BadRequest)).ToUtf8Json();
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private enum ResponseMode
    {
        GraphQLResponse,
        Json,
        EventStream,
    }
}

/// <summary>Apollo's automatic persisted queries protocol (extensions.persistedQuery with version 1 and sha256Hash).</summary>
internal static class PersistedQueryResolver
{
    public static async ValueTask<(GraphQLRequest Request, GraphQLError? Error)> ResolveAsync(GraphQLRequest request, PersistedQueryOptions options,
        CancellationToken cancellationToken)
    {
        if (request.Extensions?.GetValueOrDefault("persistedQuery") is not IReadOnlyDictionary<string, object?> persisted)
        {
            if (options.Enabled && options.RequirePersisted && request.Query is not null)
            {
                var known = await options.Store.GetAsync(PersistedQueryHash.Of(request.Query), cancellationToken).ConfigureAwait(false);
                if (known is null)
                {
                    return (request, GraphQLError.WithCode("Only persisted documents may run here.", ErrorCodes.PersistedQueryNotSupported));
                }
            }
            return (request, null);
        }
        if (!options.Enabled)
        {
            return (request, GraphQLError.WithCode("PersistedQueryNotSupported", ErrorCodes.PersistedQueryNotSupported));
        }
        if (persisted.GetValueOrDefault("version") is not (1L or 1 or 1.0) || persisted.GetValueOrDefault("sha256Hash") is not string hash)
        {
            return (request, GraphQLError.WithCode("Unsupported persisted query: expected version 1 and a sha256Hash.", ErrorCodes.BadRequest));
        }
        hash = hash.ToLowerInvariant();
        if (request.Query is null)
        {
            var query = await options.Store.GetAsync(hash, cancellationToken).ConfigureAwait(false);
            return query is null
                ? (request, GraphQLError.WithCode("PersistedQueryNotFound", ErrorCodes.PersistedQueryNotFound))
                : (new GraphQLRequest { Query = query, OperationName = request.OperationName, Variables = request.Variables, Extensions = request.Extensions }, null);
        }
        if (PersistedQueryHash.Of(request.Query) != hash)
        {
            return (request, GraphQLError.WithCode("provided sha does not match query", ErrorCodes.PersistedQueryHashMismatch));
        }
        if (options.RequirePersisted && await options.Store.GetAsync(hash, cancellationToken).ConfigureAwait(false) is null)
        {
            return (request, GraphQLError.WithCode("Only persisted documents may run here.", ErrorCodes.PersistedQueryNotSupported));
        }
        await options.Store.SetAsync(hash, request.Query, cancellationToken).ConfigureAwait(false);
        return (request, null);
    }
}
