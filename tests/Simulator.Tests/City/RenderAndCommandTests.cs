using System.Diagnostics;
using System.Xml.Linq;
using OneMap.Simulator.Cli;
using OneMap.Testing;

namespace OneMap.Simulator.Tests.City;

public sealed class RenderAndCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new("onemap-render");

    [Fact]
    public async Task render_writes_an_svg_of_districts_grids_river_and_stations_that_rsvg_convert_draws()
    {
        var ct = TestContext.Current.CancellationToken;
        var svg = Path.Combine(_directory.Path, "city.svg");
        var output = new StringWriter();
        Assert.Equal(0, await Commands.RunAsync(["render", "--out", svg, "--seed", "42"], output, ct));
        var document = XDocument.Load(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        var paths = document.Descendants(ns + "path").Count();
        Assert.True(paths > 1900, $"{paths} paths");
        Assert.Equal(60, document.Descendants(ns + "circle").Count());
        Assert.Equal(53, document.Descendants(ns + "rect").Count(r => (string?)r.Attribute("fill") == "#f08a00"));
        Assert.Contains(document.Descendants(ns + "text"), t => t.Value.Contains("荔城区", StringComparison.Ordinal));

        var rsvg = new[] { "/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert" }.FirstOrDefault(File.Exists);
        if (rsvg is null)
        {
            Assert.Skip("rsvg-convert is not installed (librsvg2-bin)");
        }
        var png = Path.ChangeExtension(svg, ".png");
        using var process = Process.Start(rsvg, ["-w", "800", svg, "-o", png])!;
        await process.WaitForExitAsync(ct);
        Assert.Equal(0, process.ExitCode);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png)[..4]);
    }

    [Theory]
    [InlineData(new[] { "generate" }, "--out")]
    [InlineData(new[] { "generate", "--out", "x", "--scael", "2" }, "--scael")]
    [InlineData(new[] { "generate", "--out", "x", "--scale", "-1" }, "--scale")]
    [InlineData(new[] { "publish", "--broker", "localhost" }, "HOST:PORT")]
    [InlineData(new[] { "fly" }, "fly")]
    public async Task bad_command_lines_are_refused_naming_the_problem(string[] args, string named)
    {
        var error = await Assert.ThrowsAsync<UsageException>(() => Commands.RunAsync(args, TextWriter.Null, TestContext.Current.CancellationToken));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
