using OneMap.GraphQL.Language;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Validation;

/// <summary>Tracks the schema types at the current position of a document walk.</summary>
internal sealed class TypeInfo(Schema schema)
{
    private readonly List<GraphQLType?> _types = [];
    private readonly List<NamedType?> _parentTypes = [];
    private readonly List<GraphQLType?> _inputTypes = [];
    private readonly List<FieldDefinition?> _fields = [];
    private readonly List<bool> _defaults = [];
    private readonly List<bool> _objectFieldFlags = [];

    public Schema Schema { get; } = schema;

    public GraphQLType? Type => Top(_types);

    public NamedType? ParentType => Top(_parentTypes);

    public GraphQLType? InputType => Top(_inputTypes);

    public GraphQLType? ParentInputType => _inputTypes.Count >= 2 ? _inputTypes[^2] : null;

    public FieldDefinition? FieldDefinition => Top(_fields);

    /// <summary>True when the argument or input field at this position has a default value.</summary>
    public bool HasDefaultValue => _defaults.Count > 0 && _defaults[^1];

    /// <summary>True when the current value is an input object field's value.</summary>
    public bool InObjectField => _objectFieldFlags.Count > 0 && _objectFieldFlags[^1];

    public DirectiveDefinition? Directive { get; private set; }

    public InputValueDefinition? Argument { get; private set; }

    public void EnterSelectionSet()
    {
        _parentTypes.Add(Type?.Named is { } named && named.IsCompositeType() ? named : null);
    }

    public void LeaveSelectionSet() => Pop(_parentTypes);

    public void EnterField(FieldNode node)
    {
        FieldDefinition? definition = null;
        if (ParentType is { } parent)
        {
            definition = Schema.GetFieldDefinition(parent, node.Name.Value);
        }
        _fields.Add(definition);
        _types.Add(definition?.Type is { IsOutputType: true } type ? type : null);
    }

    public void LeaveField()
    {
        Pop(_fields);
        Pop(_types);
    }

    public void EnterDirective(DirectiveNode node)
    {
        Directive = Schema.GetDirective(node.Name.Value);
        DirectiveNode = node;
    }

    public void LeaveDirective()
    {
        Directive = null;
        DirectiveNode = null;
    }

    /// <summary>The directive whose arguments are being walked, known to the schema or not.</summary>
    public DirectiveNode? DirectiveNode { get; private set; }

    public void EnterOperation(OperationDefinitionNode node) => _types.Add(Schema.GetRootType(node.Operation));

    public void EnterTypeCondition(NamedTypeNode? condition)
    {
        GraphQLType? type = condition is null ? Type?.Named : Schema.GetType(condition.Name.Value);
        _types.Add(type is { IsOutputType: true } ? type : null);
    }

    public void LeaveTypeScope() => Pop(_types);

    public void EnterVariableDefinition(VariableDefinitionNode node)
    {
        var type = FromTypeNode(node.Type);
        _inputTypes.Add(type is { IsInputType: true } ? type : null);
    }

    public void LeaveInputScope() => Pop(_inputTypes);

    /// <summary>A value whose expected type is unknown (a default value inside a type system definition).</summary>
    public void EnterUntypedValue() => _inputTypes.Add(null);

    public void EnterArgument(ArgumentNode node)
    {
        InputValueDefinition? definition = null;
        if (Directive is not null)
        {
            definition = Directive.GetArgument(node.Name.Value);
        }
        else if (FieldDefinition is not null)
        {
            definition = FieldDefinition.GetArgument(node.Name.Value);
        }
        Argument = definition;
        _defaults.Add(definition?.HasDefaultValue ?? false);
        _inputTypes.Add(definition?.Type is { IsInputType: true } type ? type : null);
        _objectFieldFlags.Add(false);
    }

    public void LeaveArgument()
    {
        Argument = null;
        Pop(_defaults);
        Pop(_inputTypes);
        Pop(_objectFieldFlags);
    }

    public void EnterListValue()
    {
        var listType = InputType?.Nullable;
        var itemType = listType is ListType list ? list.OfType : listType;
        _defaults.Add(false);
        _inputTypes.Add(itemType is { IsInputType: true } ? itemType : null);
        _objectFieldFlags.Add(false);
    }

    public void LeaveListValue()
    {
        Pop(_defaults);
        Pop(_inputTypes);
        Pop(_objectFieldFlags);
    }

    public void EnterObjectField(ObjectFieldNode node)
    {
        InputValueDefinition? field = null;
        if (InputType?.Named is InputObjectType objectType)
        {
            field = objectType.GetField(node.Name.Value);
        }
        _defaults.Add(field?.HasDefaultValue ?? false);
        _inputTypes.Add(field?.Type is { IsInputType: true } type ? type : null);
        _objectFieldFlags.Add(true);
    }

    public void LeaveObjectField()
    {
        Pop(_defaults);
        Pop(_inputTypes);
        Pop(_objectFieldFlags);
    }

    public GraphQLType? FromTypeNode(TypeNode node) => node switch
    {
        NonNullTypeNode nonNull => FromTypeNode(nonNull.Type) is { } inner and not NonNullType ? new NonNullType(inner) : null,
        ListTypeNode list => FromTypeNode(list.Type) is { } item ? new ListType(item) : null,
        NamedTypeNode named => Schema.GetType(named.Name.Value),
        _ => null,
    };

    private static T? Top<T>(List<T?> stack) where T : class => stack.Count > 0 ? stack[^1] : null;

    private static void Pop<T>(List<T> stack) => stack.RemoveAt(stack.Count - 1);
}
