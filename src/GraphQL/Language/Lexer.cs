using System.Globalization;
using System.Text;

namespace OneMap.GraphQL.Language;

/// <summary>
/// Turns a document into tokens per the specification's lexical grammar (§2.1), skipping ignored tokens (white space,
/// line terminators, commas, comments, the byte order mark). Strings accept the working draft's escapes
/// (<c>\u{1F600}</c>, surrogate pairs written as two <c>\u</c> escapes).
/// </summary>
public sealed class Lexer
{
    private readonly string _body;
    private int _position;

    public Lexer(SourceText source)
    {
        Source = source;
        _body = source.Body;
    }

    public SourceText Source { get; }

    /// <summary>Reads the next significant token; throws <see cref="GraphQLSyntaxException"/> on a lexical error.</summary>
    public Token Next()
    {
        var body = _body;
        var length = body.Length;
        var position = _position;
        while (position < length)
        {
            var c = body[position];
            switch (c)
            {
                case '\uFEFF':
                case '\t':
                case ' ':
                case ',':
                case '\n':
                case '\r':
                    position++;
                    continue;
                case '#':
                    position = SkipComment(position);
                    continue;
            }
            _position = position;
            return ReadToken(c, position);
        }
        _position = length;
        return new Token(TokenKind.EndOfFile, length, length, null);
    }

    private int SkipComment(int position)
    {
        var body = _body;
        position++;
        while (position < body.Length)
        {
            var c = body[position];
            if (c is '\n' or '\r')
            {
                break;
            }
            position++;
        }
        return position;
    }

    private Token ReadToken(char c, int start)
    {
        switch (c)
        {
            case '!': return Punctuator(TokenKind.Bang, start);
            case '$': return Punctuator(TokenKind.Dollar, start);
            case '&': return Punctuator(TokenKind.Ampersand, start);
            case '(': return Punctuator(TokenKind.ParenLeft, start);
            case ')': return Punctuator(TokenKind.ParenRight, start);
            case ':': return Punctuator(TokenKind.Colon, start);
            case '=': return Punctuator(TokenKind.Equals, start);
            case '@': return Punctuator(TokenKind.At, start);
            case '[': return Punctuator(TokenKind.BracketLeft, start);
            case ']': return Punctuator(TokenKind.BracketRight, start);
            case '{': return Punctuator(TokenKind.BraceLeft, start);
            case '|': return Punctuator(TokenKind.Pipe, start);
            case '}': return Punctuator(TokenKind.BraceRight, start);
            case '.':
                if (CharAt(start + 1) == '.' && CharAt(start + 2) == '.')
                {
                    _position = start + 3;
                    return new Token(TokenKind.Spread, start, start + 3, null);
                }
                throw Error(start, "unexpected character \".\" (a spread is written \"...\")");
            case '"':
                return CharAt(start + 1) == '"' && CharAt(start + 2) == '"' ? ReadBlockString(start) : ReadString(start);
        }
        if (IsNameStart(c))
        {
            return ReadName(start);
        }
        if (c is '-' or (>= '0' and <= '9'))
        {
            return ReadNumber(start);
        }
        if (c == '\'')
        {
            throw Error(start, "unexpected single quote character ('); strings are written between double quotes (\")");
        }
        throw Error(start, $"unexpected character {DescribeCharAt(start)}");
    }

    private Token Punctuator(TokenKind kind, int start)
    {
        _position = start + 1;
        return new Token(kind, start, start + 1, null);
    }

    private Token ReadName(int start)
    {
        var body = _body;
        var end = start + 1;
        while (end < body.Length && IsNameContinue(body[end]))
        {
            end++;
        }
        _position = end;
        return new Token(TokenKind.Name, start, end, NameTable.Get(body, start, end - start));
    }

    private Token ReadNumber(int start)
    {
        var position = start;
        var isFloat = false;
        var c = CharAt(position);
        if (c == '-')
        {
            c = CharAt(++position);
        }
        if (c == '0')
        {
            c = CharAt(++position);
            if (c is >= '0' and <= '9')
            {
                throw Error(position, $"invalid number, unexpected digit after 0: {DescribeCharAt(position)}");
            }
        }
        else
        {
            position = ReadDigits(position, c);
            c = CharAt(position);
        }
        if (c == '.')
        {
            isFloat = true;
            c = CharAt(++position);
            position = ReadDigits(position, c);
            c = CharAt(position);
        }
        if (c is 'e' or 'E')
        {
            isFloat = true;
            c = CharAt(++position);
            if (c is '+' or '-')
            {
                c = CharAt(++position);
            }
            position = ReadDigits(position, c);
            c = CharAt(position);
        }
        // A number must not run straight into a name or a dot (§2.1.8 lookahead restriction).
        if (c == '.' || IsNameStart(c))
        {
            throw Error(position, $"invalid number, expected a digit but got {DescribeCharAt(position)}");
        }
        _position = position;
        return new Token(isFloat ? TokenKind.Float : TokenKind.Int, start, position, _body[start..position]);
    }

    private int ReadDigits(int position, int c)
    {
        if (c is not (>= '0' and <= '9'))
        {
            throw Error(position, $"invalid number, expected a digit but got {DescribeCharAt(position)}");
        }
        var body = _body;
        position++;
        while (position < body.Length && body[position] is >= '0' and <= '9')
        {
            position++;
        }
        return position;
    }

    private Token ReadString(int start)
    {
        var body = _body;
        var position = start + 1;
        var chunkStart = position;
        StringBuilder? value = null;
        while (position < body.Length)
        {
            var c = body[position];
            if (c == '"')
            {
                string text;
                if (value is null)
                {
                    text = body[chunkStart..position];
                }
                else
                {
                    value.Append(body, chunkStart, position - chunkStart);
                    text = value.ToString();
                }
                _position = position + 1;
                return new Token(TokenKind.String, start, position + 1, text);
            }
            if (c == '\\')
            {
                value ??= new StringBuilder();
                value.Append(body, chunkStart, position - chunkStart);
                position = ReadEscape(position, value);
                chunkStart = position;
                continue;
            }
            if (c is '\n' or '\r')
            {
                break;
            }
            position += CheckSourceCharacter(position, inString: true);
        }
        throw Error(position, "unterminated string");
    }

    private int ReadEscape(int position, StringBuilder value)
    {
        var c = CharAt(position + 1);
        switch (c)
        {
            case '"': value.Append('"'); return position + 2;
            case '\\': value.Append('\\'); return position + 2;
            case '/': value.Append('/'); return position + 2;
            case 'b': value.Append('\b'); return position + 2;
            case 'f': value.Append('\f'); return position + 2;
            case 'n': value.Append('\n'); return position + 2;
            case 'r': value.Append('\r'); return position + 2;
            case 't': value.Append('\t'); return position + 2;
            case 'u':
                return CharAt(position + 2) == '{' ? ReadVariableWidthEscape(position, value) : ReadFixedWidthEscape(position, value);
        }
        var end = Math.Min(position + 2, _body.Length);
        throw Error(position, $"invalid character escape sequence \"{_body[position..end]}\"");
    }

    private int ReadVariableWidthEscape(int position, StringBuilder value)
    {
        var point = 0;
        var digits = 0;
        var cursor = position + 3;
        while (cursor < _body.Length && digits < 12)
        {
            var c = _body[cursor];
            if (c == '}')
            {
                if (digits == 0 || !IsUnicodeScalarValue(point))
                {
                    break;
                }
                value.Append(char.ConvertFromUtf32(point));
                return cursor + 1;
            }
            var digit = HexValue(c);
            if (digit < 0)
            {
                break;
            }
            point = (point << 4) | digit;
            if (point > 0x10FFFF)
            {
                break;
            }
            digits++;
            cursor++;
        }
        var end = Math.Min(cursor + 1, _body.Length);
        throw Error(position, $"invalid Unicode escape sequence \"{_body[position..end]}\"");
    }

    private int ReadFixedWidthEscape(int position, StringBuilder value)
    {
        var point = ReadHex4(position + 2);
        if (point >= 0)
        {
            if (IsUnicodeScalarValue(point))
            {
                value.Append((char)point);
                return position + 6;
            }
            // A leading surrogate escape must be followed by a trailing one: together they are one code point.
            if (char.IsHighSurrogate((char)point) && CharAt(position + 6) == '\\' && CharAt(position + 7) == 'u')
            {
                var trailing = ReadHex4(position + 8);
                if (trailing >= 0 && char.IsLowSurrogate((char)trailing))
                {
                    value.Append((char)point).Append((char)trailing);
                    return position + 12;
                }
            }
        }
        var end = Math.Min(position + 6, _body.Length);
        throw Error(position, $"invalid Unicode escape sequence \"{_body[position..end]}\"");
    }

    private int ReadHex4(int position)
    {
        if (position + 4 > _body.Length)
        {
            return -1;
        }
        var result = 0;
        for (var i = 0; i < 4; i++)
        {
            var digit = HexValue(_body[position + i]);
            if (digit < 0)
            {
                return -1;
            }
            result = (result << 4) | digit;
        }
        return result;
    }

    private Token ReadBlockString(int start)
    {
        var body = _body;
        var position = start + 3;
        var chunkStart = position;
        var raw = new StringBuilder();
        while (position < body.Length)
        {
            var c = body[position];
            if (c == '"' && CharAt(position + 1) == '"' && CharAt(position + 2) == '"')
            {
                raw.Append(body, chunkStart, position - chunkStart);
                _position = position + 3;
                return new Token(TokenKind.BlockString, start, position + 3, BlockStrings.Dedent(raw.ToString()));
            }
            if (c == '\\' && CharAt(position + 1) == '"' && CharAt(position + 2) == '"' && CharAt(position + 3) == '"')
            {
                raw.Append(body, chunkStart, position - chunkStart).Append("\"\"\"");
                position += 4;
                chunkStart = position;
                continue;
            }
            if (c is '\n' or '\r')
            {
                position++;
                continue;
            }
            position += CheckSourceCharacter(position, inString: true);
        }
        throw Error(position, "unterminated block string");
    }

    /// <summary>
    /// Checks the character at <paramref name="position"/> may appear in a string (any Unicode scalar value: a lone
    /// surrogate is the only thing refused); returns its width in UTF-16 code units.
    /// </summary>
    private int CheckSourceCharacter(int position, bool inString)
    {
        var c = _body[position];
        if (char.IsHighSurrogate(c))
        {
            if (position + 1 < _body.Length && char.IsLowSurrogate(_body[position + 1]))
            {
                return 2;
            }
            throw Error(position, $"invalid character {DescribeCharAt(position)} within {(inString ? "a string" : "the document")} (a lone surrogate)");
        }
        if (char.IsLowSurrogate(c))
        {
            throw Error(position, $"invalid character {DescribeCharAt(position)} within {(inString ? "a string" : "the document")} (a lone surrogate)");
        }
        return 1;
    }

    private char CharAt(int position) => position < _body.Length ? _body[position] : '\0';

    private string DescribeCharAt(int position)
    {
        if (position >= _body.Length)
        {
            return "end of document";
        }
        var c = _body[position];
        if (c is >= ' ' and <= '~' && c != '"')
        {
            return $"\"{c}\"";
        }
        return c == '"' ? "'\"'" : $"U+{(int)c:X4}";
    }

    private GraphQLSyntaxException Error(int position, string description) =>
        new(description, Source.GetLocation(Math.Min(position, _body.Length)), position);

    internal static bool IsNameStart(int c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';

    internal static bool IsNameContinue(int c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_';

    private static bool IsUnicodeScalarValue(int point) => point is (>= 0 and <= 0xD7FF) or (>= 0xE000 and <= 0x10FFFF);

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    internal static bool IsValidName(string name)
    {
        if (name.Length == 0 || !IsNameStart(name[0]))
        {
            return false;
        }
        for (var i = 1; i < name.Length; i++)
        {
            if (!IsNameContinue(name[i]))
            {
                return false;
            }
        }
        return true;
    }

    internal static string FormatInvariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
