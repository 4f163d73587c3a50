using NetTopologySuite.Geometries;

using OneMap.DuckDb;
using OneMap.DuckDb.Data;
using OneMap.DuckDb.Functions;
using OneMap.DuckDb.Types;

namespace OneMap.Lakehouse.Spatial.Sql;

/// <summary>A parameter of a spatial SQL function: a geometry (BLOB, GEOMETRY or WKT VARCHAR) or a plain value.</summary>
internal readonly record struct Parameter(DuckDbType? Plain)
{
    public static Parameter Geometry { get; } = new((DuckDbType?)null);

    public static Parameter Of(DuckDbType type) => new(type);

    public bool IsGeometry => Plain is null;
}

/// <summary>The arguments of one row inside a vectorised call.</summary>
internal sealed class RowArguments(DuckDbChunk chunk, GeometryArgument?[] geometries)
{
    // Each geometry argument's per-thread memory, fetched once for the chunk.
    private readonly GeometryArgument.Slot?[] _slots = geometries.Select(g => g?.ForThread()).ToArray();

    public int Row { get; set; }

    public SpatialValue Geometry(int column) => _slots[column]!.Read(chunk, column, Row);

    public double Double(int column) => chunk.GetValue<double>(column, Row);

    public int Int(int column) => chunk.GetValue<int>(column, Row);

    public string String(int column) => chunk.GetString(column, Row);

    /// <summary>True when the call has more arguments than <paramref name="column"/> (optional trailing arguments).</summary>
    public bool Has(int column) => column < chunk.ColumnCount;

    public bool AnyNull()
    {
        for (var c = 0; c < chunk.ColumnCount; c++)
        {
            if (chunk.IsNull(c, Row))
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>
/// Registers spatial scalar functions as overload sets: every geometry parameter is offered as BLOB (WKB, what the
/// lake stores), GEOMETRY (DuckDB's own type) and VARCHAR (WKT, as PostGIS casts text), and a geometry result has the
/// type of the geometry input (GEOMETRY in, GEOMETRY out; otherwise WKB BLOB). Rows with a NULL argument give NULL.
/// </summary>
internal static class ScalarDefinitions
{
    private static readonly DuckDbTypeId[] GeometryTypes = [DuckDbTypeId.Blob, DuckDbTypeId.Geometry, DuckDbTypeId.Varchar];

    /// <summary>Overloads of a function whose result is not a geometry.</summary>
    public static void Define<TResult>(DuckDbConnection connection, string name, Parameter[] parameters, DuckDbType returnType,
        Func<RowArguments, TResult?> evaluate, ISet<DuckDbTypeId>? geometryTypes = null, bool skipExisting = false)
    {
        var overloads = new List<DuckDbScalarOverload>();
        foreach (var types in Combinations(parameters, geometryTypes))
        {
            var geometries = types.Select((t, i) => parameters[i].IsGeometry ? new GeometryArgument(t.Id) : null).ToArray();
            overloads.Add(new DuckDbScalarOverload(types, returnType, (input, output) => Run(input, output, geometries, evaluate)));
        }
        Register(connection, name, overloads, skipExisting);
    }

    /// <summary>Overloads of a function returning a geometry (GEOMETRY for GEOMETRY input, else WKB BLOB).</summary>
    public static void DefineGeometry(DuckDbConnection connection, string name, Parameter[] parameters,
        Func<RowArguments, Geometry?> evaluate, ISet<DuckDbTypeId>? geometryTypes = null)
    {
        var overloads = new List<DuckDbScalarOverload>();
        foreach (var types in Combinations(parameters, geometryTypes))
        {
            var geometries = types.Select((t, i) => parameters[i].IsGeometry ? new GeometryArgument(t.Id) : null).ToArray();
            var returnType = types.Where((t, i) => parameters[i].IsGeometry).Any(t => t.Id == DuckDbTypeId.Geometry) ? DuckDbType.Geometry : DuckDbType.Blob;
            overloads.Add(new DuckDbScalarOverload(types, returnType, (input, output) => RunGeometry(input, output, geometries, evaluate)));
        }
        Register(connection, name, overloads, skipExisting: false);
    }

    private static void Register(DuckDbConnection connection, string name, List<DuckDbScalarOverload> overloads, bool skipExisting)
    {
        if (skipExisting)
        {
            // DuckDB's core already defines some overloads (e.g. ST_AsText(GEOMETRY)); add ours one by one beside them.
            foreach (var overload in overloads)
            {
                try
                {
                    connection.RegisterScalarFunctionSet(name, overload);
                }
                catch (DuckDbException)
                {
                    // That signature belongs to DuckDB's core; its own implementation stays in charge of it.
                }
            }
            return;
        }
        connection.RegisterScalarFunctionSet(name, overloads);
    }

    private static IEnumerable<DuckDbType[]> Combinations(Parameter[] parameters, ISet<DuckDbTypeId>? geometryTypes)
    {
        IEnumerable<DuckDbType[]> result = [[]];
        foreach (var parameter in parameters)
        {
            var choices = parameter.IsGeometry
                ? GeometryTypes.Where(t => geometryTypes is null || geometryTypes.Contains(t)).Select(DuckDbType.FromId).ToArray()
                : [parameter.Plain!];
            result = result.SelectMany(prefix => choices.Select(choice => prefix.Append(choice).ToArray())).ToList();
        }
        return result;
    }

    private static void Run<TResult>(DuckDbChunk input, DuckDbVector output, GeometryArgument?[] geometries, Func<RowArguments, TResult?> evaluate)
    {
        var args = new RowArguments(input, geometries);
        switch (output.Type.Id)
        {
            case DuckDbTypeId.Boolean:
            {
                var values = output.GetData<byte>();
                for (var row = 0; row < input.RowCount; row++)
                {
                    args.Row = row;
                    if (args.AnyNull() || evaluate(args) is not bool value)
                    {
                        output.SetNull(row);
                        continue;
                    }
                    values[row] = value ? (byte)1 : (byte)0;
                }
                break;
            }
            case DuckDbTypeId.Double:
            {
                var values = output.GetData<double>();
                for (var row = 0; row < input.RowCount; row++)
                {
                    args.Row = row;
                    if (args.AnyNull() || evaluate(args) is not double value)
                    {
                        output.SetNull(row);
                        continue;
                    }
                    values[row] = value;
                }
                break;
            }
            case DuckDbTypeId.BigInt:
            {
                var values = output.GetData<long>();
                for (var row = 0; row < input.RowCount; row++)
                {
                    args.Row = row;
                    if (args.AnyNull() || evaluate(args) is not long value)
                    {
                        output.SetNull(row);
                        continue;
                    }
                    values[row] = value;
                }
                break;
            }
            case DuckDbTypeId.Varchar:
                for (var row = 0; row < input.RowCount; row++)
                {
                    args.Row = row;
                    if (args.AnyNull() || evaluate(args) is not string value)
                    {
                        output.SetNull(row);
                        continue;
                    }
                    output.SetString(row, value);
                }
                break;
            case DuckDbTypeId.Blob:
                for (var row = 0; row < input.RowCount; row++)
                {
                    args.Row = row;
                    if (args.AnyNull() || evaluate(args) is not byte[] value)
                    {
                        output.SetNull(row);
                        continue;
                    }
                    output.SetBytes(row, value);
                }
                break;
            default:
                for (var row = 0; row < input.RowCount; row++)
                {
                    args.Row = row;
                    var value = args.AnyNull() ? default : evaluate(args);
                    if (value is null)
                    {
                        output.SetNull(row);
                    }
                    else
                    {
                        output.SetValue(row, value);
                    }
                }
                break;
        }
    }

    private static void RunGeometry(DuckDbChunk input, DuckDbVector output, GeometryArgument?[] geometries, Func<RowArguments, Geometry?> evaluate)
    {
        var args = new RowArguments(input, geometries);
        for (var row = 0; row < input.RowCount; row++)
        {
            args.Row = row;
            var geometry = args.AnyNull() ? null : evaluate(args);
            if (geometry is null)
            {
                output.SetNull(row);
                continue;
            }
            output.SetBytes(row, GeometryCodec.ToWkb(geometry));
        }
    }
}
