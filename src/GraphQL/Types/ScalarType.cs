using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Types;

/// <summary>
/// A leaf type with its three coercions (§3.5): <see cref="Serialize"/> turns a resolver's value into a result value,
/// <see cref="ParseValue"/> turns a variable's JSON value into the internal value, <see cref="ParseLiteral"/> does the
/// same for a literal in the document. Each throws <see cref="ValueCoercionException"/> for a value it cannot accept.
/// </summary>
public class ScalarType : NamedType
{
    private readonly Func<object, object?>? _serialize;
    private readonly Func<object, object?>? _parseValue;
    private readonly Func<ValueNode, IReadOnlyDictionary<string, object?>?, object?>? _parseLiteral;

    /// <summary>A custom scalar from delegates; a missing delegate passes values through unchanged.</summary>
    public ScalarType(string name, string? description = null, Func<object, object?>? serialize = null,
        Func<object, object?>? parseValue = null, Func<ValueNode, IReadOnlyDictionary<string, object?>?, object?>? parseLiteral = null, string? specifiedByUrl = null)
        : base(name, description)
    {
        _serialize = serialize;
        _parseValue = parseValue;
        _parseLiteral = parseLiteral;
        SpecifiedByUrl = specifiedByUrl;
    }

    public override TypeKind Kind => TypeKind.SCALAR;

    /// <summary>Where the scalar's behaviour is specified (<c>@specifiedBy</c>).</summary>
    public string? SpecifiedByUrl { get; internal set; }

    /// <summary>Result coercion of a non-null internal value.</summary>
    public virtual object? Serialize(object value) => _serialize is null ? value : _serialize(value);

    /// <summary>Input coercion of a non-null variable value (JSON decoded to strings, numbers, booleans, lists, maps).</summary>
    public virtual object? ParseValue(object value) => _parseValue is null ? value : _parseValue(value);

    /// <summary>
    /// Input coercion of a non-null literal. Variables nested in a list or object literal (a JSON scalar's
    /// <c>{a: $x}</c>) take their values from <paramref name="variables"/>.
    /// </summary>
    public virtual object? ParseLiteral(ValueNode literal, IReadOnlyDictionary<string, object?>? variables = null)
    {
        if (_parseLiteral is not null)
        {
            return _parseLiteral(literal, variables);
        }
        // Without a literal parser, a literal means what the same JSON value would mean as a variable.
        return ParseValue(ValueLiterals.ToPlainValue(literal, variables) ?? throw new ValueCoercionException($"{Name} cannot represent null"));
    }

    /// <summary>Turns an internal value into a literal (for default values in introspection and SDL).</summary>
    public virtual ValueNode? ToLiteral(object value) => ValueLiterals.FromPlainValue(Serialize(value));
}

/// <summary>A value that a scalar, enum or input object type cannot accept; the message says why.</summary>
public sealed class ValueCoercionException(string message) : GraphQLException(message)
{
    /// <summary>The literal the value came from, when there is one (errors are located there).</summary>
    public Language.SyntaxNode? Node { get; init; }
}
