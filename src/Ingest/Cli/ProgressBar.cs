using System.Globalization;

namespace OneMap.Ingest.Cli;

/// <summary>A one-line progress bar redrawn in place on a terminal (plain lines when output is redirected).</summary>
public sealed class ProgressBar(TextWriter output, bool interactive) : IProgress<Feeds.IngestProgress>
{
    private const int Width = 30;
    private long lastDraw;

    public void Report(Feeds.IngestProgress value)
    {
        var now = Environment.TickCount64;
        var done = value.TotalBytes > 0 && value.BytesRead >= value.TotalBytes;
        if (!done && now - lastDraw < (interactive ? 100 : 2000))
        {
            return;
        }
        lastDraw = now;
        var fraction = value.TotalBytes > 0 ? Math.Clamp(value.BytesRead / (double)value.TotalBytes, 0, 1) : 0;
        var filled = (int)Math.Round(fraction * Width);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{value.Input} [{new string('#', filled)}{new string('.', Width - filled)}] {fraction * 100,5:0.0}% {value.Records:N0} records");
        if (interactive)
        {
            output.Write('\r' + line);
            if (done)
            {
                output.WriteLine();
            }
        }
        else
        {
            output.WriteLine(line);
        }
    }
}
