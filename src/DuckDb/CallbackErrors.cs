using System.Collections.Concurrent;

namespace OneMap.DuckDb;

/// <summary>
/// Exceptions thrown by C# callbacks cannot cross DuckDB's native frames, so the callback hands DuckDB a message and
/// parks the exception here; when that message comes back in a query error, the exception becomes its inner exception.
/// </summary>
internal static class CallbackErrors
{
    private const int Capacity = 64;
    private const string Marker = " [C# callback]";
    private static readonly ConcurrentQueue<(string Message, Exception Exception)> Recent = new();

    /// <summary>The message handed to DuckDB for an exception thrown in <paramref name="functionName"/>.</summary>
    public static string Describe(string functionName, Exception exception)
    {
        var message = $"{functionName}: {exception.GetType().Name}: {exception.Message}{Marker}";
        Recent.Enqueue((message, exception));
        while (Recent.Count > Capacity && Recent.TryDequeue(out _))
        {
        }
        return message;
    }

    public static bool IsCallbackError(string duckDbMessage) => duckDbMessage.Contains(Marker, StringComparison.Ordinal);

    public static Exception? Find(string duckDbMessage)
    {
        if (!IsCallbackError(duckDbMessage))
        {
            return null;
        }
        foreach (var (message, exception) in Recent)
        {
            if (duckDbMessage.Contains(message, StringComparison.Ordinal))
            {
                return exception;
            }
        }
        return null;
    }
}
