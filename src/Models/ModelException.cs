namespace OneMap.Models;

/// <summary>
/// Base of the errors raised by OneMap.Models (bad geometry text, unknown coordinate systems, coordinates outside a
/// projection's domain). None of them is transient: the same input fails the same way, so a retry cannot help.
/// </summary>
public abstract class ModelException : Exception
{
    protected ModelException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Always false: model errors come from the input, not from the environment.</summary>
    public bool IsTransient => false;
}

/// <summary>WKT, WKB or GeoJSON that cannot be read as a geometry.</summary>
public sealed class GeometryFormatException(string message, Exception? innerException = null)
    : ModelException(message, innerException);

/// <summary>A coordinate-system name or code OneMap does not know.</summary>
public sealed class UnknownCrsException(string message) : ModelException(message);

/// <summary>A coordinate outside the domain of the coordinate system it claims (e.g. an easting without its zone prefix).</summary>
public sealed class CoordinateOutOfRangeException(string message) : ModelException(message);
