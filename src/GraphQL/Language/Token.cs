namespace OneMap.GraphQL.Language;

/// <summary>The kinds of lexical token the specification defines (punctuators, names, numbers, strings).</summary>
public enum TokenKind : byte
{
    StartOfFile,
    EndOfFile,
    Bang,
    Dollar,
    Ampersand,
    ParenLeft,
    ParenRight,
    Spread,
    Colon,
    Equals,
    At,
    BracketLeft,
    BracketRight,
    BraceLeft,
    Pipe,
    BraceRight,
    Name,
    Int,
    Float,
    String,
    BlockString,
}

/// <summary>One token: its kind, its span in the source and, for names, numbers and strings, its value.</summary>
public readonly record struct Token(TokenKind Kind, int Start, int End, string? Value)
{
    /// <summary>How the token is named in syntax error messages.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.EndOfFile => "end of document",
        TokenKind.Name => $"name \"{Value}\"",
        TokenKind.Int => $"integer {Value}",
        TokenKind.Float => $"float {Value}",
        TokenKind.String or TokenKind.BlockString => "string",
        _ => $"\"{Punctuator(Kind)}\"",
    };

    internal static string Punctuator(TokenKind kind) => kind switch
    {
        TokenKind.Bang => "!",
        TokenKind.Dollar => "$",
        TokenKind.Ampersand => "&",
        TokenKind.ParenLeft => "(",
        TokenKind.ParenRight => ")",
        TokenKind.Spread => "...",
        TokenKind.Colon => ":",
        TokenKind.Equals => "=",
        TokenKind.At => "@",
        TokenKind.BracketLeft => "[",
        TokenKind.BracketRight => "]",
        TokenKind.BraceLeft => "{",
        TokenKind.Pipe => "|",
        TokenKind.BraceRight => "}",
        TokenKind.Name => "a name",
        TokenKind.Int => "an integer",
        TokenKind.Float => "a float",
        TokenKind.String or TokenKind.BlockString => "a string",
        TokenKind.EndOfFile => "end of document",
        _ => kind.ToString(),
    };
}
