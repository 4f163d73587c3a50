namespace OneMap.Lakehouse.Spatial;

/// <summary>
/// Base of every error OneMap's spatial functions raise. None is transient: the same geometry fails the same way, so
/// retrying cannot help; the message names the value and the function that refused it.
/// </summary>
public abstract class SpatialException : LakehouseException
{
    protected SpatialException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Always false: spatial functions are pure computations over their input.</summary>
    public sealed override bool IsTransient => false;
}

/// <summary>A geometry could not be read from WKB, WKT or GeoJSON; <see cref="Format"/> names the encoding.</summary>
public sealed class InvalidGeometryException : SpatialException
{
    public InvalidGeometryException(string format, string message, Exception? innerException = null)
        : base($"invalid {format} geometry: {message}", innerException)
    {
        Format = format;
    }

    /// <summary>The encoding that failed to parse: WKB, WKT or GeoJSON.</summary>
    public string Format { get; }
}

/// <summary>
/// A geometry engine operation failed on its input (GEOS and NetTopologySuite raise a topology error on some invalid
/// polygons, as PostGIS does); <see cref="Operation"/> names the function.
/// </summary>
public sealed class GeometryOperationException : SpatialException
{
    public GeometryOperationException(string operation, string message, Exception? innerException = null)
        : base($"{operation}: {message}", innerException)
    {
        Operation = operation;
    }

    public string Operation { get; }
}

/// <summary>An argument other than a geometry is out of range (a negative distance, an unknown CRS, a bad spheroid).</summary>
public sealed class SpatialArgumentException : SpatialException
{
    public SpatialArgumentException(string function, string argument, string message)
        : base($"{function}: argument '{argument}' {message}")
    {
        Function = function;
        Argument = argument;
    }

    public string Function { get; }

    public string Argument { get; }
}
