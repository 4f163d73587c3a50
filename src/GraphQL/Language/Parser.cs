namespace OneMap.GraphQL.Language;

/// <summary>Options for <see cref="Parser"/>.</summary>
public sealed class ParserOptions
{
    /// <summary>Rejects a document with more tokens than this (a protection against huge documents); default no limit.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Leave out node locations (saves memory when errors need no positions); default false.</summary>
    public bool NoLocations { get; init; }

    /// <summary>
    /// Deepest nesting of selection sets, list and object values and list types; default 128. Recursive descent
    /// needs a bound, or a document of ten thousand brackets would exhaust the stack.
    /// </summary>
    public int MaxNesting { get; init; } = 128;

    public static ParserOptions Default { get; } = new();
}

/// <summary>
/// A recursive-descent parser for the whole GraphQL language (§2 executable documents, §3 type system documents and
/// extensions). Errors are <see cref="GraphQLSyntaxException"/>s that name what was expected and where.
/// </summary>
public sealed class Parser
{
    private readonly Lexer _lexer;
    private readonly SourceText _source;
    private readonly ParserOptions _options;
    private readonly int _maxTokens;
    private Token _token;
    private Token? _peeked;
    private int _previousEnd;
    private int _tokenCount;
    private int _nesting;

    private Parser(SourceText source, ParserOptions options)
    {
        _source = source;
        _options = options;
        _lexer = new Lexer(source);
        _maxTokens = options.MaxTokens ?? int.MaxValue;
        _token = new Token(TokenKind.StartOfFile, 0, 0, null);
    }

    /// <summary>Parses a document (operations, fragments, type system definitions).</summary>
    public static DocumentNode Parse(string text, ParserOptions? options = null) => Parse(new SourceText(text), options);

    public static DocumentNode Parse(SourceText source, ParserOptions? options = null)
    {
        var parser = new Parser(source, options ?? ParserOptions.Default);
        return parser.ParseDocument();
    }

    /// <summary>Parses a single value literal, e.g. a default value from introspection.</summary>
    public static ValueNode ParseValue(string text, bool constant = true)
    {
        var parser = new Parser(new SourceText(text), ParserOptions.Default);
        parser.Expect(TokenKind.StartOfFile);
        var value = parser.ParseValueLiteral(constant);
        parser.Expect(TokenKind.EndOfFile);
        return value;
    }

    /// <summary>Parses a type reference such as <c>[String!]!</c>.</summary>
    public static TypeNode ParseType(string text)
    {
        var parser = new Parser(new SourceText(text), ParserOptions.Default);
        parser.Expect(TokenKind.StartOfFile);
        var type = parser.ParseTypeReference();
        parser.Expect(TokenKind.EndOfFile);
        return type;
    }

    private DocumentNode ParseDocument()
    {
        var start = _token.Start;
        Expect(TokenKind.StartOfFile);
        var definitions = new List<DefinitionNode>();
        do
        {
            definitions.Add(ParseDefinition());
        }
        while (_token.Kind != TokenKind.EndOfFile);
        return new DocumentNode(definitions) { Location = Loc(start), TokenCount = _tokenCount };
    }

    private DefinitionNode ParseDefinition()
    {
        if (_token.Kind == TokenKind.BraceLeft)
        {
            return ParseOperationDefinition();
        }
        var hasDescription = _token.Kind is TokenKind.String or TokenKind.BlockString;
        var keyword = hasDescription ? Peek() : _token;
        if (hasDescription && keyword.Kind == TokenKind.BraceLeft)
        {
            throw Error(_token, "unexpected description: a shorthand query cannot have one (write \"query { … }\")");
        }
        if (keyword.Kind == TokenKind.Name)
        {
            switch (keyword.Value)
            {
                case "schema":
                case "scalar":
                case "type":
                case "interface":
                case "union":
                case "enum":
                case "input":
                case "directive":
                    return ParseTypeSystemDefinition();
                case "query":
                case "mutation":
                case "subscription":
                    return ParseOperationDefinition();
                case "fragment":
                    return ParseFragmentDefinition();
            }
            if (hasDescription)
            {
                throw Error(_token, "unexpected description: only definitions can have descriptions");
            }
            if (keyword.Value == "extend")
            {
                return ParseTypeSystemExtension();
            }
        }
        throw Unexpected(keyword);
    }

    // ---- executable definitions (§2.3–§2.8)

    private OperationDefinitionNode ParseOperationDefinition()
    {
        var start = _token.Start;
        if (_token.Kind == TokenKind.BraceLeft)
        {
            var shorthand = ParseSelectionSet();
            return new OperationDefinitionNode(OperationType.Query, null, [], [], shorthand) { Location = Loc(start) };
        }
        var description = ParseOptionalDescription();
        var operation = ParseOperationType();
        var name = _token.Kind == TokenKind.Name ? ParseName() : null;
        var variables = ParseVariableDefinitions();
        var directives = ParseDirectives(constant: false);
        var selectionSet = ParseSelectionSet();
        return new OperationDefinitionNode(operation, name, variables, directives, selectionSet) { Location = Loc(start), Description = description };
    }

    private OperationType ParseOperationType()
    {
        var token = Expect(TokenKind.Name);
        return token.Value switch
        {
            "query" => OperationType.Query,
            "mutation" => OperationType.Mutation,
            "subscription" => OperationType.Subscription,
            _ => throw Unexpected(token),
        };
    }

    private IReadOnlyList<VariableDefinitionNode> ParseVariableDefinitions()
    {
        if (_token.Kind != TokenKind.ParenLeft)
        {
            return [];
        }
        Advance();
        var definitions = new List<VariableDefinitionNode>();
        do
        {
            var start = _token.Start;
            var description = ParseOptionalDescription();
            var variable = ParseVariable();
            Expect(TokenKind.Colon);
            var type = ParseTypeReference();
            ValueNode? defaultValue = null;
            if (Skip(TokenKind.Equals))
            {
                defaultValue = ParseValueLiteral(constant: true);
            }
            var directives = ParseDirectives(constant: true);
            definitions.Add(new VariableDefinitionNode(variable, type, defaultValue, directives) { Location = Loc(start), Description = description });
        }
        while (!Skip(TokenKind.ParenRight));
        return definitions;
    }

    private VariableNode ParseVariable()
    {
        var start = _token.Start;
        Expect(TokenKind.Dollar);
        return new VariableNode(ParseName()) { Location = Loc(start) };
    }

    private SelectionSetNode ParseSelectionSet()
    {
        var start = _token.Start;
        EnterNesting();
        Expect(TokenKind.BraceLeft);
        var selections = new List<SelectionNode>();
        do
        {
            selections.Add(ParseSelection());
        }
        while (!Skip(TokenKind.BraceRight));
        _nesting--;
        return new SelectionSetNode(selections) { Location = Loc(start) };
    }

    private void EnterNesting()
    {
        if (++_nesting > _options.MaxNesting)
        {
            throw Error(_token, $"the document nests more than {_options.MaxNesting} levels deep, the limit");
        }
    }

    private SelectionNode ParseSelection() => _token.Kind == TokenKind.Spread ? ParseFragment() : ParseField();

    private FieldNode ParseField()
    {
        var start = _token.Start;
        var nameOrAlias = ParseName();
        NameNode? alias = null;
        NameNode name;
        if (Skip(TokenKind.Colon))
        {
            alias = nameOrAlias;
            name = ParseName();
        }
        else
        {
            name = nameOrAlias;
        }
        var arguments = ParseArguments(constant: false);
        var directives = ParseDirectives(constant: false);
        var selectionSet = _token.Kind == TokenKind.BraceLeft ? ParseSelectionSet() : null;
        return new FieldNode(alias, name, arguments, directives, selectionSet) { Location = Loc(start) };
    }

    private IReadOnlyList<ArgumentNode> ParseArguments(bool constant)
    {
        if (_token.Kind != TokenKind.ParenLeft)
        {
            return [];
        }
        Advance();
        var arguments = new List<ArgumentNode>();
        do
        {
            var start = _token.Start;
            var name = ParseName();
            Expect(TokenKind.Colon);
            var value = ParseValueLiteral(constant);
            arguments.Add(new ArgumentNode(name, value) { Location = Loc(start) });
        }
        while (!Skip(TokenKind.ParenRight));
        return arguments;
    }

    private SelectionNode ParseFragment()
    {
        var start = _token.Start;
        Expect(TokenKind.Spread);
        var hasTypeCondition = _token is { Kind: TokenKind.Name, Value: "on" };
        if (!hasTypeCondition && _token.Kind == TokenKind.Name)
        {
            var name = ParseName();
            var spreadDirectives = ParseDirectives(constant: false);
            return new FragmentSpreadNode(name, spreadDirectives) { Location = Loc(start) };
        }
        NamedTypeNode? typeCondition = null;
        if (hasTypeCondition)
        {
            Advance();
            typeCondition = ParseNamedType();
        }
        var directives = ParseDirectives(constant: false);
        var selectionSet = ParseSelectionSet();
        return new InlineFragmentNode(typeCondition, directives, selectionSet) { Location = Loc(start) };
    }

    private FragmentDefinitionNode ParseFragmentDefinition()
    {
        var start = _token.Start;
        var description = ParseOptionalDescription();
        ExpectKeyword("fragment");
        var name = ParseFragmentName();
        ExpectKeyword("on");
        var typeCondition = ParseNamedType();
        var directives = ParseDirectives(constant: false);
        var selectionSet = ParseSelectionSet();
        return new FragmentDefinitionNode(name, typeCondition, directives, selectionSet) { Location = Loc(start), Description = description };
    }

    private NameNode ParseFragmentName()
    {
        if (_token is { Kind: TokenKind.Name, Value: "on" })
        {
            throw Unexpected(_token);
        }
        return ParseName();
    }

    // ---- values (§2.9)

    private ValueNode ParseValueLiteral(bool constant)
    {
        var token = _token;
        var start = token.Start;
        switch (token.Kind)
        {
            case TokenKind.BracketLeft:
            {
                EnterNesting();
                Advance();
                var values = new List<ValueNode>();
                while (!Skip(TokenKind.BracketRight))
                {
                    values.Add(ParseValueLiteral(constant));
                }
                _nesting--;
                return new ListValueNode(values) { Location = Loc(start) };
            }
            case TokenKind.BraceLeft:
            {
                EnterNesting();
                Advance();
                var fields = new List<ObjectFieldNode>();
                while (!Skip(TokenKind.BraceRight))
                {
                    var fieldStart = _token.Start;
                    var name = ParseName();
                    Expect(TokenKind.Colon);
                    var value = ParseValueLiteral(constant);
                    fields.Add(new ObjectFieldNode(name, value) { Location = Loc(fieldStart) });
                }
                _nesting--;
                return new ObjectValueNode(fields) { Location = Loc(start) };
            }
            case TokenKind.Int:
                Advance();
                return new IntValueNode(token.Value!) { Location = Loc(start) };
            case TokenKind.Float:
                Advance();
                return new FloatValueNode(token.Value!) { Location = Loc(start) };
            case TokenKind.String:
            case TokenKind.BlockString:
                return ParseStringLiteral();
            case TokenKind.Name:
                Advance();
                return token.Value switch
                {
                    "true" => new BooleanValueNode(true) { Location = Loc(start) },
                    "false" => new BooleanValueNode(false) { Location = Loc(start) },
                    "null" => new NullValueNode { Location = Loc(start) },
                    _ => new EnumValueNode(token.Value!) { Location = Loc(start) },
                };
            case TokenKind.Dollar:
                if (constant)
                {
                    var next = Peek();
                    var name = next.Kind == TokenKind.Name ? $"\"${next.Value}\"" : "";
                    throw Error(token, $"unexpected variable {name} in a constant value".Replace("  ", " ", StringComparison.Ordinal));
                }
                return ParseVariable();
            default:
                throw Unexpected(token);
        }
    }

    private StringValueNode? ParseOptionalDescription() =>
        _token.Kind is TokenKind.String or TokenKind.BlockString ? ParseStringLiteral() : null;

    private StringValueNode ParseStringLiteral()
    {
        var token = _token;
        Advance();
        return new StringValueNode(token.Value!, token.Kind == TokenKind.BlockString) { Location = Loc(token.Start) };
    }

    private IReadOnlyList<DirectiveNode> ParseDirectives(bool constant)
    {
        if (_token.Kind != TokenKind.At)
        {
            return [];
        }
        var directives = new List<DirectiveNode>();
        while (_token.Kind == TokenKind.At)
        {
            var start = _token.Start;
            Advance();
            var name = ParseName();
            var arguments = ParseArguments(constant);
            directives.Add(new DirectiveNode(name, arguments) { Location = Loc(start) });
        }
        return directives;
    }

    // ---- type references (§2.11)

    private TypeNode ParseTypeReference()
    {
        var start = _token.Start;
        TypeNode type;
        if (Skip(TokenKind.BracketLeft))
        {
            EnterNesting();
            var inner = ParseTypeReference();
            Expect(TokenKind.BracketRight);
            _nesting--;
            type = new ListTypeNode(inner) { Location = Loc(start) };
        }
        else
        {
            type = ParseNamedType();
        }
        if (Skip(TokenKind.Bang))
        {
            return new NonNullTypeNode(type) { Location = Loc(start) };
        }
        return type;
    }

    private NamedTypeNode ParseNamedType()
    {
        var start = _token.Start;
        return new NamedTypeNode(ParseName()) { Location = Loc(start) };
    }

    // ---- type system (§3)

    private TypeSystemDefinitionNode ParseTypeSystemDefinition()
    {
        var start = _token.Start;
        StringValueNode? description = _token.Kind is TokenKind.String or TokenKind.BlockString ? ParseStringLiteral() : null;
        var keyword = _token;
        switch (keyword.Value)
        {
            case "schema":
            {
                Advance();
                var directives = ParseDirectives(constant: true);
                var operations = ParseRequiredBlock(TokenKind.BraceLeft, ParseOperationTypeDefinition, TokenKind.BraceRight);
                return new SchemaDefinitionNode { Description = description, Directives = directives, OperationTypes = operations, Location = Loc(start) };
            }
            case "scalar":
            {
                Advance();
                var name = ParseName();
                var directives = ParseDirectives(constant: true);
                return new ScalarTypeDefinitionNode { Description = description, Name = name, Directives = directives, Location = Loc(start) };
            }
            case "type":
            {
                Advance();
                var name = ParseName();
                var interfaces = ParseImplementsInterfaces();
                var directives = ParseDirectives(constant: true);
                var fields = ParseOptionalBlock(TokenKind.BraceLeft, ParseFieldDefinition, TokenKind.BraceRight);
                return new ObjectTypeDefinitionNode
                {
                    Description = description, Name = name, Interfaces = interfaces, Directives = directives, Fields = fields, Location = Loc(start),
                };
            }
            case "interface":
            {
                Advance();
                var name = ParseName();
                var interfaces = ParseImplementsInterfaces();
                var directives = ParseDirectives(constant: true);
                var fields = ParseOptionalBlock(TokenKind.BraceLeft, ParseFieldDefinition, TokenKind.BraceRight);
                return new InterfaceTypeDefinitionNode
                {
                    Description = description, Name = name, Interfaces = interfaces, Directives = directives, Fields = fields, Location = Loc(start),
                };
            }
            case "union":
            {
                Advance();
                var name = ParseName();
                var directives = ParseDirectives(constant: true);
                var types = ParseUnionMembers();
                return new UnionTypeDefinitionNode { Description = description, Name = name, Directives = directives, Types = types, Location = Loc(start) };
            }
            case "enum":
            {
                Advance();
                var name = ParseName();
                var directives = ParseDirectives(constant: true);
                var values = ParseOptionalBlock(TokenKind.BraceLeft, ParseEnumValueDefinition, TokenKind.BraceRight);
                return new EnumTypeDefinitionNode { Description = description, Name = name, Directives = directives, Values = values, Location = Loc(start) };
            }
            case "input":
            {
                Advance();
                var name = ParseName();
                var directives = ParseDirectives(constant: true);
                var fields = ParseOptionalBlock(TokenKind.BraceLeft, ParseInputValueDefinition, TokenKind.BraceRight);
                return new InputObjectTypeDefinitionNode
                {
                    Description = description, Name = name, Directives = directives, Fields = fields, Location = Loc(start),
                };
            }
            case "directive":
            {
                Advance();
                Expect(TokenKind.At);
                var name = ParseName();
                var arguments = ParseOptionalBlock(TokenKind.ParenLeft, ParseInputValueDefinition, TokenKind.ParenRight);
                var directives = ParseDirectives(constant: true);
                var repeatable = SkipKeyword("repeatable");
                ExpectKeyword("on");
                var locations = ParseDirectiveLocations();
                return new DirectiveDefinitionNode
                {
                    Description = description, Name = name, Arguments = arguments, Directives = directives, Repeatable = repeatable, Locations = locations,
                    Location = Loc(start),
                };
            }
        }
        throw Unexpected(keyword);
    }

    private TypeSystemDefinitionNode ParseTypeSystemExtension()
    {
        var start = _token.Start;
        ExpectKeyword("extend");
        var keyword = _token;
        if (keyword.Kind != TokenKind.Name)
        {
            throw Unexpected(keyword);
        }
        switch (keyword.Value)
        {
            case "schema":
            {
                Advance();
                var directives = ParseDirectives(constant: true);
                var operations = ParseOptionalBlock(TokenKind.BraceLeft, ParseOperationTypeDefinition, TokenKind.BraceRight);
                if (directives.Count == 0 && operations.Count == 0)
                {
                    throw Unexpected(_token);
                }
                return new SchemaDefinitionNode { Directives = directives, OperationTypes = operations, IsExtension = true, Location = Loc(start) };
            }
            case "scalar":
            {
                Advance();
                var name = ParseName();
                var directives = ParseDirectives(constant: true);
                if (directives.Count == 0)
                {
                    throw Unexpected(_token);
                }
                return new ScalarTypeDefinitionNode { Name = name, Directives = directives, IsExtension = true, Location = Loc(start) };
            }
            case "type":
            case "interface":
            {
                Advance();
                var name = ParseName();
                var interfaces = ParseImplementsInterfaces();
                var directives = ParseDirectives(constant: true);
                var fields = ParseOptionalBlock(TokenKind.BraceLeft, ParseFieldDefinition, TokenKind.BraceRight);
                if (interfaces.Count == 0 && directives.Count == 0 && fields.Count == 0)
                {
                    throw Unexpected(_token);
                }
                return keyword.Value == "type"
                    ? new ObjectTypeDefinitionNode
                    {
                        Name = name, Interfaces = interfaces, Directives = directives, Fields = fields, IsExtension = true, Location = Loc(start),
                    }
                    : new InterfaceTypeDefinitionNode
                    {
                        Name = name, Interfaces = interfaces, Directives = directives, Fields = fields, IsExtension = true, Location = Loc(start),
                    };
            }
            case "union":
            {
                Advance();
                var name = ParseName();
                var directives = ParseDirectives(constant: true);
                var types = ParseUnionMembers();
                if (directives.Count == 0 && types.Count == 0)
                {
                    throw Unexpected(_token);
                }
                return new UnionTypeDefinitionNode { Name = name, Directives = directives, Types = types, IsExtension = true, Location = Loc(start) };
            }
            case "enum":
            {
                Advance();
                var name = ParseName();
                var directives = ParseDirectives(constant: true);
                var values = ParseOptionalBlock(TokenKind.BraceLeft, ParseEnumValueDefinition, TokenKind.BraceRight);
                if (directives.Count == 0 && values.Count == 0)
                {
                    throw Unexpected(_token);
                }
                return new EnumTypeDefinitionNode { Name = name, Directives = directives, Values = values, IsExtension = true, Location = Loc(start) };
            }
            case "input":
            {
                Advance();
                var name = ParseName();
                var directives = ParseDirectives(constant: true);
                var fields = ParseOptionalBlock(TokenKind.BraceLeft, ParseInputValueDefinition, TokenKind.BraceRight);
                if (directives.Count == 0 && fields.Count == 0)
                {
                    throw Unexpected(_token);
                }
                return new InputObjectTypeDefinitionNode { Name = name, Directives = directives, Fields = fields, IsExtension = true, Location = Loc(start) };
            }
        }
        throw Unexpected(keyword);
    }

    private OperationTypeDefinitionNode ParseOperationTypeDefinition()
    {
        var start = _token.Start;
        var operation = ParseOperationType();
        Expect(TokenKind.Colon);
        var type = ParseNamedType();
        return new OperationTypeDefinitionNode(operation, type) { Location = Loc(start) };
    }

    private IReadOnlyList<NamedTypeNode> ParseImplementsInterfaces()
    {
        if (!SkipKeyword("implements"))
        {
            return [];
        }
        Skip(TokenKind.Ampersand);
        var interfaces = new List<NamedTypeNode>();
        do
        {
            interfaces.Add(ParseNamedType());
        }
        while (Skip(TokenKind.Ampersand));
        return interfaces;
    }

    private IReadOnlyList<NamedTypeNode> ParseUnionMembers()
    {
        if (!Skip(TokenKind.Equals))
        {
            return [];
        }
        Skip(TokenKind.Pipe);
        var types = new List<NamedTypeNode>();
        do
        {
            types.Add(ParseNamedType());
        }
        while (Skip(TokenKind.Pipe));
        return types;
    }

    private FieldDefinitionNode ParseFieldDefinition()
    {
        var start = _token.Start;
        StringValueNode? description = _token.Kind is TokenKind.String or TokenKind.BlockString ? ParseStringLiteral() : null;
        var name = ParseName();
        var arguments = ParseOptionalBlock(TokenKind.ParenLeft, ParseInputValueDefinition, TokenKind.ParenRight);
        Expect(TokenKind.Colon);
        var type = ParseTypeReference();
        var directives = ParseDirectives(constant: true);
        return new FieldDefinitionNode
        {
            Description = description, Name = name, Arguments = arguments, Type = type, Directives = directives, Location = Loc(start),
        };
    }

    private InputValueDefinitionNode ParseInputValueDefinition()
    {
        var start = _token.Start;
        StringValueNode? description = _token.Kind is TokenKind.String or TokenKind.BlockString ? ParseStringLiteral() : null;
        var name = ParseName();
        Expect(TokenKind.Colon);
        var type = ParseTypeReference();
        ValueNode? defaultValue = null;
        if (Skip(TokenKind.Equals))
        {
            defaultValue = ParseValueLiteral(constant: true);
        }
        var directives = ParseDirectives(constant: true);
        return new InputValueDefinitionNode
        {
            Description = description, Name = name, Type = type, DefaultValue = defaultValue, Directives = directives, Location = Loc(start),
        };
    }

    private EnumValueDefinitionNode ParseEnumValueDefinition()
    {
        var start = _token.Start;
        StringValueNode? description = _token.Kind is TokenKind.String or TokenKind.BlockString ? ParseStringLiteral() : null;
        if (_token is { Kind: TokenKind.Name, Value: "true" or "false" or "null" })
        {
            throw Error(_token, $"{_token.Value} is reserved and cannot be used for an enum value");
        }
        var name = ParseName();
        var directives = ParseDirectives(constant: true);
        return new EnumValueDefinitionNode { Description = description, Name = name, Directives = directives, Location = Loc(start) };
    }

    private IReadOnlyList<NameNode> ParseDirectiveLocations()
    {
        Skip(TokenKind.Pipe);
        var locations = new List<NameNode>();
        do
        {
            var token = _token;
            var name = ParseName();
            if (!DirectiveLocations.TryParse(name.Value, out _))
            {
                throw Unexpected(token);
            }
            locations.Add(name);
        }
        while (Skip(TokenKind.Pipe));
        return locations;
    }

    private List<T> ParseRequiredBlock<T>(TokenKind open, Func<T> item, TokenKind close)
    {
        Expect(open);
        var items = new List<T>();
        do
        {
            items.Add(item());
        }
        while (!Skip(close));
        return items;
    }

    private IReadOnlyList<T> ParseOptionalBlock<T>(TokenKind open, Func<T> item, TokenKind close) =>
        _token.Kind == open ? ParseRequiredBlock(open, item, close) : [];

    // ---- token helpers

    private NameNode ParseName()
    {
        var token = Expect(TokenKind.Name);
        return new NameNode(token.Value!) { Location = Loc(token.Start) };
    }

    private void Advance()
    {
        _previousEnd = _token.End;
        if (_token.Kind == TokenKind.EndOfFile)
        {
            return;
        }
        if (_peeked is { } peeked)
        {
            _token = peeked;
            _peeked = null;
        }
        else
        {
            _token = _lexer.Next();
        }
        if (_token.Kind != TokenKind.EndOfFile && ++_tokenCount > _maxTokens)
        {
            throw new GraphQLSyntaxException($"document contains more than {_maxTokens} tokens, the limit", _source.GetLocation(_token.Start), _token.Start)
            {
                IsTokenLimit = true,
            };
        }
    }

    private Token Peek() => _peeked ??= _token.Kind == TokenKind.EndOfFile ? _token : _lexer.Next();

    private Token Expect(TokenKind kind)
    {
        var token = _token;
        if (token.Kind != kind)
        {
            throw Error(token, $"expected {Token.Punctuator(kind)}, found {token.Describe()}");
        }
        Advance();
        return token;
    }

    private bool Skip(TokenKind kind)
    {
        if (_token.Kind != kind)
        {
            return false;
        }
        Advance();
        return true;
    }

    private void ExpectKeyword(string keyword)
    {
        if (_token.Kind != TokenKind.Name || _token.Value != keyword)
        {
            throw Error(_token, $"expected \"{keyword}\", found {_token.Describe()}");
        }
        Advance();
    }

    private bool SkipKeyword(string keyword)
    {
        if (_token.Kind != TokenKind.Name || _token.Value != keyword)
        {
            return false;
        }
        Advance();
        return true;
    }

    private NodeLocation? Loc(int start) => _options.NoLocations ? null : new NodeLocation(_source, start, _previousEnd);

    private GraphQLSyntaxException Unexpected(Token token) => Error(token, $"unexpected {token.Describe()}");

    private GraphQLSyntaxException Error(Token token, string description) => new(description, _source.GetLocation(token.Start), token.Start);
}
