using System.Text.Json;

using OneMap.Testing;

namespace OneMap.GraphQLApi.Tests.Notebooks;

/// <summary>notebooks/run_notebook.py on its own: cells in order, Jupyter's display of a last expression, the failing cell named.</summary>
public sealed class RunnerTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TempDirectory directory = new("onemap-notebook-runner");

    private string WriteNotebook(params string[] cells)
    {
        var path = Path.Combine(directory.Path, "scratch.ipynb");
        var notebook = new
        {
            cells = cells.Select(source => source.StartsWith("# md", StringComparison.Ordinal)
                ? (object)new { cell_type = "markdown", metadata = new { }, source = new[] { source } }
                : new { cell_type = "code", execution_count = (int?)null, metadata = new { }, outputs = Array.Empty<object>(), source = Lines(source) }),
            metadata = new { kernelspec = new { name = "python3", language = "python", display_name = "Python 3" } },
            nbformat = 4,
            nbformat_minor = 5,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(notebook));
        return path;
    }

    /// <summary>A cell's source as nbformat stores it: lines that keep their line ends.</summary>
    private static string[] Lines(string source)
    {
        var lines = source.Split('\n');
        return lines.Select((line, i) => i < lines.Length - 1 ? line + "\n" : line).ToArray();
    }

    [Fact]
    public async Task runs_cells_in_order_shows_the_last_expression_and_names_the_failing_cell()
    {
        var notebook = WriteNotebook("# md a heading", "x = 40\nprint('first', x)", "x + 2", "print('third')\n1 / 0", "print('never')");

        var run = await PythonRunner.RunAsync([notebook], new Dictionary<string, string>(), Ct);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("first 40", run.Output, StringComparison.Ordinal);
        Assert.Contains("42", run.Output, StringComparison.Ordinal);
        Assert.Contains("third", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("never", run.Output, StringComparison.Ordinal);
        Assert.Contains("scratch.ipynb: cell 3 failed: ZeroDivisionError", run.Error, StringComparison.Ordinal);
        Assert.Contains("<scratch.ipynb cell 3>\", line 2", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task refuses_ipython_magics_naming_the_cell()
    {
        var notebook = WriteNotebook("print('ok')", "%matplotlib inline");

        var run = await PythonRunner.RunAsync([notebook], new Dictionary<string, string>(), Ct);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cell 2, line 1: IPython syntax", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task committed_notebooks_are_nbformat_4_python_with_outputs_cleared()
    {
        var notebooks = Directory.GetFiles(PythonRunner.NotebooksFolder, "*.ipynb");
        Assert.True(notebooks.Length >= 3, "expected the three notebooks in notebooks/");

        var run = await PythonRunner.RunAsync(["--check-cleared", .. notebooks], new Dictionary<string, string>(), Ct);

        Assert.True(run.ExitCode == 0, run.ToString());
        var dirty = WriteNotebook("print(1)");
        File.WriteAllText(dirty, File.ReadAllText(dirty).Replace("\"execution_count\":null", "\"execution_count\":7", StringComparison.Ordinal));
        var refused = await PythonRunner.RunAsync(["--check-cleared", dirty], new Dictionary<string, string>(), Ct);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("cell 1 has execution count 7", refused.Error, StringComparison.Ordinal);
    }

    public void Dispose() => directory.Dispose();
}
