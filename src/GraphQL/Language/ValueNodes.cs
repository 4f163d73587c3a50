namespace OneMap.GraphQL.Language;

/// <summary>A literal or variable in a document (§2.9).</summary>
public abstract class ValueNode : SyntaxNode;

public sealed class VariableNode(NameNode name) : ValueNode
{
    public NameNode Name { get; } = name;
}

public sealed class IntValueNode(string value) : ValueNode
{
    /// <summary>The digits as written (arbitrary size; coercion checks the range).</summary>
    public string Value { get; } = value;
}

public sealed class FloatValueNode(string value) : ValueNode
{
    public string Value { get; } = value;
}

public sealed class StringValueNode(string value, bool block = false) : ValueNode
{
    public string Value { get; } = value;

    /// <summary>True when written as a block string (<c>"""…"""</c>).</summary>
    public bool Block { get; } = block;
}

public sealed class BooleanValueNode(bool value) : ValueNode
{
    public bool Value { get; } = value;
}

public sealed class NullValueNode : ValueNode;

public sealed class EnumValueNode(string value) : ValueNode
{
    public string Value { get; } = value;
}

public sealed class ListValueNode(IReadOnlyList<ValueNode> values) : ValueNode
{
    public IReadOnlyList<ValueNode> Values { get; } = values;
}

public sealed class ObjectValueNode(IReadOnlyList<ObjectFieldNode> fields) : ValueNode
{
    public IReadOnlyList<ObjectFieldNode> Fields { get; } = fields;
}

public sealed class ObjectFieldNode(NameNode name, ValueNode value) : SyntaxNode
{
    public NameNode Name { get; } = name;

    public ValueNode Value { get; } = value;
}

/// <summary>A type reference: <c>Name</c>, <c>[Type]</c> or <c>Type!</c>.</summary>
public abstract class TypeNode : SyntaxNode
{
    /// <summary>The named type at the bottom of any list and non-null wrappers.</summary>
    public abstract NamedTypeNode NamedType { get; }
}

public sealed class NamedTypeNode(NameNode name) : TypeNode
{
    public NameNode Name { get; } = name;

    public override NamedTypeNode NamedType => this;
}

public sealed class ListTypeNode(TypeNode type) : TypeNode
{
    public TypeNode Type { get; } = type;

    public override NamedTypeNode NamedType => Type.NamedType;
}

public sealed class NonNullTypeNode(TypeNode type) : TypeNode
{
    public TypeNode Type { get; } = type;

    public override NamedTypeNode NamedType => Type.NamedType;
}
