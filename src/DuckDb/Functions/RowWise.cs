using OneMap.DuckDb.Data;

namespace OneMap.DuckDb.Functions;

/// <summary>Adapts row-wise delegates to the vectorised callback: reads each row's arguments, writes its result.</summary>
internal static class RowWise
{
    public static DuckDbScalarFunction Create<T1, TResult>(Func<T1, TResult> function, DuckDbFunctionFlags flags)
    {
        var passNulls = flags.HasFlag(DuckDbFunctionFlags.SpecialNullHandling);
        return (input, output) =>
        {
            var writer = ColumnWriter.Create(output.Type, "result");
            writer.Bind(output.Handle);
            var a = input.Reader(0);
            for (var row = 0; row < input.RowCount; row++)
            {
                if (!passNulls && !a.IsValid(row))
                {
                    writer.SetNull(row);
                    continue;
                }
                writer.Write(row, function(a.Get<T1>(row)));
            }
        };
    }

    public static DuckDbScalarFunction Create<T1, T2, TResult>(Func<T1, T2, TResult> function, DuckDbFunctionFlags flags)
    {
        var passNulls = flags.HasFlag(DuckDbFunctionFlags.SpecialNullHandling);
        return (input, output) =>
        {
            var writer = ColumnWriter.Create(output.Type, "result");
            writer.Bind(output.Handle);
            var a = input.Reader(0);
            var b = input.Reader(1);
            for (var row = 0; row < input.RowCount; row++)
            {
                if (!passNulls && !(a.IsValid(row) && b.IsValid(row)))
                {
                    writer.SetNull(row);
                    continue;
                }
                writer.Write(row, function(a.Get<T1>(row), b.Get<T2>(row)));
            }
        };
    }

    public static DuckDbScalarFunction Create<T1, T2, T3, TResult>(Func<T1, T2, T3, TResult> function, DuckDbFunctionFlags flags)
    {
        var passNulls = flags.HasFlag(DuckDbFunctionFlags.SpecialNullHandling);
        return (input, output) =>
        {
            var writer = ColumnWriter.Create(output.Type, "result");
            writer.Bind(output.Handle);
            var a = input.Reader(0);
            var b = input.Reader(1);
            var c = input.Reader(2);
            for (var row = 0; row < input.RowCount; row++)
            {
                if (!passNulls && !(a.IsValid(row) && b.IsValid(row) && c.IsValid(row)))
                {
                    writer.SetNull(row);
                    continue;
                }
                writer.Write(row, function(a.Get<T1>(row), b.Get<T2>(row), c.Get<T3>(row)));
            }
        };
    }
}
