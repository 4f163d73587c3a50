namespace OneMap.Lakehouse.Detection;

/// <summary>
/// Base of every error the anomaly detectors raise. None of them is transient: the same input fails the same way,
/// so retrying cannot help; fix the input or the options named in the message.
/// </summary>
public abstract class DetectionException : Exception
{
    protected DetectionException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Always false: detection is a pure computation over its input.</summary>
    public bool IsTransient => false;
}

/// <summary>A series handed to a detector is malformed (wrong lengths, unknown indicator, readings out of order…).</summary>
public sealed class InvalidSeriesException : DetectionException
{
    public InvalidSeriesException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>The learning period is too short or too empty to calibrate a station's model.</summary>
public sealed class InsufficientHistoryException : DetectionException
{
    public InsufficientHistoryException(string message)
        : base(message)
    {
    }
}
