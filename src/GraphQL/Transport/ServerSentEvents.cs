using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OneMap.GraphQL.Execution;

namespace OneMap.GraphQL.Transport;

/// <summary>
/// The graphql-sse protocol's distinct connections mode: one <c>next</c> event per result (request errors included,
/// as the protocol asks), then <c>complete</c>. A subscription streams until its source ends or the client leaves.
/// </summary>
internal static class ServerSentEvents
{
    private static readonly byte[] NextPrefix = "event: next\ndata: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Complete = "event: complete\ndata: \n\n"u8.ToArray();

    public static async Task WriteAsync(HttpContext context, ExecutionResult result, CancellationToken cancellationToken)
    {
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        try
        {
            if (result.Stream is { } stream)
            {
                await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                await foreach (var item in stream.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    await WriteNextAsync(context, item, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                await WriteNextAsync(context, result, cancellationToken).ConfigureAwait(false);
            }
            await context.Response.Body.WriteAsync(Complete, cancellationToken).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client closed the stream: that is how subscriptions end in this protocol.
        }
    }

    private static async Task WriteNextAsync(HttpContext context, ExecutionResult result, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        buffer.Write(NextPrefix);
        using (var writer = new Utf8JsonWriter(buffer, ResultJsonWriter.WriterOptions))
        {
            // Compact JSON has no line breaks, so the data fits on one "data:" line.
            result.WriteTo(writer);
        }
        buffer.Write(EventEnd);
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
