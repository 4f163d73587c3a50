using System.Buffers;
using System.Text;
using System.Text.Json;

namespace OneMap.GraphQL.Execution;

/// <summary>
/// A response (§7): <see cref="Data"/> (absent when the request failed before execution), <see cref="Errors"/>,
/// <see cref="Extensions"/>; for a subscription, <see cref="Stream"/> yields one result per event instead.
/// </summary>
public sealed class ExecutionResult
{
    public ExecutionResult(object? data, IReadOnlyList<GraphQLError>? errors, bool hasData = true)
    {
        Data = data;
        Errors = errors is { Count: > 0 } ? errors : null;
        HasData = hasData;
    }

    /// <summary>The result map of the operation (a <see cref="ResultMap"/>), or null when a non-null root field failed.</summary>
    public object? Data { get; }

    /// <summary>False for a request error (syntax, validation, variables): the response has no <c>data</c> entry.</summary>
    public bool HasData { get; }

    public IReadOnlyList<GraphQLError>? Errors { get; }

    public IDictionary<string, object?>? Extensions { get; set; }

    /// <summary>For a subscription: the results, one per event, ending when the source ends or the request is cancelled.</summary>
    public IAsyncEnumerable<ExecutionResult>? Stream { get; init; }

    /// <summary>True when the request failed before execution (parse, validation, variables, limits).</summary>
    public bool IsRequestError => !HasData && Stream is null;

    /// <summary>A request error result (no data entry).</summary>
    public static ExecutionResult RequestError(params GraphQLError[] errors) => new(null, errors, hasData: false);

    public static ExecutionResult RequestError(IReadOnlyList<GraphQLError> errors) => new(null, errors, hasData: false);

    public void WriteTo(Utf8JsonWriter writer) => ResultJsonWriter.WriteResult(writer, this);

    public byte[] ToUtf8Json()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, ResultJsonWriter.WriterOptions))
        {
            WriteTo(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }

    public string ToJson() => Encoding.UTF8.GetString(ToUtf8Json());

    public override string ToString() => ToJson();
}
