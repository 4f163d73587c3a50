namespace OneMap.GraphQL.Types;

/// <summary>Names a CLR type, property, method, parameter or enum member in the schema (instead of the derived name).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Property | AttributeTargets.Method | AttributeTargets.Parameter
    | AttributeTargets.Field | AttributeTargets.Enum, Inherited = false)]
public sealed class GraphQLNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>Makes a public method of a CLR type a field; its parameters become arguments.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class GraphQLFieldAttribute : Attribute;

/// <summary>Keeps a public property or method out of the schema.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Method | AttributeTargets.Field, Inherited = true)]
public sealed class GraphQLIgnoreAttribute : Attribute;

/// <summary>Gives the GraphQL type of a property, method result or parameter explicitly, e.g. <c>"ID!"</c>.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Method | AttributeTargets.Parameter | AttributeTargets.ReturnValue, Inherited = true)]
public sealed class GraphQLTypeAttribute(string type) : Attribute
{
    public string Type { get; } = type;
}

/// <summary>A method parameter taken from the request's services, not from the query's arguments.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class GraphQLServiceAttribute : Attribute;

/// <summary>Gives a field a cost hint (see <see cref="Protection.CostHint"/>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Method, Inherited = true)]
public sealed class GraphQLCostAttribute(int weight, params string[] sizeArguments) : Attribute
{
    public int Weight { get; } = weight;

    public IReadOnlyList<string> SizeArguments { get; } = sizeArguments;
}
