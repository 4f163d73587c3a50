using OneMap.GraphQL.Language;
using OneMap.GraphQL.Tests.Conformance;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Tests.Language;

public sealed class LanguageTests
{
    [Fact]
    public void syntax_errors_name_the_problem_and_its_line_and_column()
    {
        var error = Assert.Throws<GraphQLSyntaxException>(() => Parser.Parse("query Q {\n  dog {\n    name(x: )\n  }\n}"));
        Assert.Equal(new SourceLocation(3, 13), error.Location);
        Assert.Contains("unexpected \")\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 3, column 13", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\n\n    first\n      second\n\n    third\n  ", "first\n  second\n\nthird")]
    [InlineData("  \n  single  ", "single  ")]
    [InlineData("a\r\n  b\r  c", "a\nb\nc")]
    [InlineData("   \n   ", "")]
    public void block_strings_drop_common_indentation_and_blank_edges(string raw, string value) =>
        Assert.Equal(value, BlockStrings.Dedent(raw));

    [Theory]
    [InlineData("plain", "\"\"\"plain\"\"\"")]
    [InlineData("two\nlines", "\"\"\"\ntwo\nlines\n\"\"\"")]
    [InlineData(" leading space", "\"\"\" leading space\"\"\"")]
    [InlineData("ends with \"", "\"\"\"\nends with \"\n\"\"\"")]
    [InlineData("has \"\"\" inside", "\"\"\"has \\\"\"\" inside\"\"\"")]
    public void block_strings_print_back_to_the_same_value(string value, string printed)
    {
        Assert.Equal(printed, BlockStrings.Print(value));
        var parsed = (StringValueNode)Parser.ParseValue(printed);
        Assert.Equal(value, parsed.Value);
    }

    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(-0.0, "0")]
    [InlineData(1.5, "1.5")]
    [InlineData(1e21, "1e+21")]
    [InlineData(123456789012345680000.0, "123456789012345680000")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(1.5e-7, "1.5e-7")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    public void numbers_print_the_way_json_clients_print_them(double value, string text) => Assert.Equal(text, JsNumber.Format(value));

    [Fact]
    public void every_valid_corpus_document_prints_and_parses_back_to_the_same_text()
    {
        var printedCount = 0;
        foreach (var document in CorpusDocument.LoadAll())
        {
            DocumentNode parsed;
            try
            {
                parsed = Parser.Parse(document.Query);
            }
            catch (GraphQLSyntaxException)
            {
                continue;
            }
            if (parsed.Definitions.Any(d => d is not ExecutableDefinitionNode))
            {
                continue;
            }
            var printed = Printer.Print(parsed);
            Assert.Equal(printed, Printer.Print(Parser.Parse(printed)));
            printedCount++;
        }
        Assert.True(printedCount > 250, $"only {printedCount} documents printed");
    }

    [Fact]
    public void locations_point_at_each_node()
    {
        var document = Parser.Parse("{\n  alias: field(arg: [1, {a: $v}]) @skip(if: true)\n}");
        var field = (FieldNode)((OperationDefinitionNode)document.Definitions[0]).SelectionSet.Selections[0];
        Assert.Equal(new SourceLocation(2, 3), field.Location!.Start);
        Assert.Equal(new SourceLocation(2, 16), field.Arguments[0].Location!.Start);
        Assert.Equal(new SourceLocation(2, 35), field.Directives[0].Location!.Start);
        Assert.Equal(53, document.Location!.EndOffset);
    }

    [Fact]
    public void the_token_limit_stops_parsing_early()
    {
        var error = Assert.Throws<GraphQLSyntaxException>(() => Parser.Parse("{ a b c d e f }", new ParserOptions { MaxTokens = 4 }));
        Assert.True(error.IsTokenLimit);
    }
}
