namespace OneMap.GraphQL.Execution;

/// <summary>
/// A field's value that its resolver has already completed and serialized as JSON for the field's selection: the
/// executor takes it as the field's result without completing it against the field's type, and the response writer
/// writes its bytes as they are. For large results (tens of thousands of list items) whose resolver writes exactly
/// what completion would give, in a fraction of the time and memory.
/// </summary>
/// <remarks>
/// The resolver vouches for the bytes: valid JSON (written with <see cref="ResultJsonWriter.WriterOptions"/>' escaping),
/// of the field's type, holding exactly the selected fields in selection order under their response keys, with
/// each leaf serialized by its scalar. The engine does not check them. A value that completion would reject (an
/// error, a null in a non-null position) must not be written this way: take the general path for it.
/// </remarks>
public sealed class SerializedValue
{
    /// <param name="utf8Json">One complete JSON value (object, array, string, number, …), UTF-8.</param>
    public SerializedValue(ReadOnlyMemory<byte> utf8Json)
    {
        if (utf8Json.IsEmpty)
        {
            throw new ArgumentException("a serialized value cannot be empty (write null as the JSON text null)", nameof(utf8Json));
        }
        Utf8Json = utf8Json;
    }

    /// <summary>The value's JSON text, UTF-8.</summary>
    public ReadOnlyMemory<byte> Utf8Json { get; }

    public override string ToString() => System.Text.Encoding.UTF8.GetString(Utf8Json.Span);
}
