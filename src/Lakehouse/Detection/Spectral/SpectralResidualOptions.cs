using System.Numerics;

namespace OneMap.Lakehouse.Detection.Spectral;

/// <summary>
/// Parameters of Spectral Residual (Ren et al., "Time-Series Anomaly Detection Service at Microsoft", KDD 2019).
/// Defaults are the paper's: q = 3, z = 21, τ = 3, κ = 5 estimated points from the average gradient of m = 5.
/// </summary>
public sealed class SpectralResidualOptions
{
    /// <summary>
    /// Length of each Fourier transform: the sliding window of readings plus the <see cref="EstimatedPoints"/>
    /// appended after it. A power of two (the FFT is then fast); default 64, i.e. 59 readings + 5 estimated points.
    /// </summary>
    public int TransformLength { get; init; } = 64;

    /// <summary>κ: estimated points appended after the last reading so it is not at the transform's edge; default 5.</summary>
    public int EstimatedPoints { get; init; } = 5;

    /// <summary>m: how many preceding readings the average gradient that extrapolates the estimated points spans; default 5.</summary>
    public int GradientPoints { get; init; } = 5;

    /// <summary>q: width of the average filter over the log amplitude spectrum; default 3.</summary>
    public int AverageFilter { get; init; } = 3;

    /// <summary>z: how many preceding saliency values are averaged as a reading's local reference; default 21.</summary>
    public int LocalAverage { get; init; } = 21;

    /// <summary>τ: the paper's decision threshold on (S − S̄) / S̄; default 3. The ensemble calibrates its own per station.</summary>
    public double Threshold { get; init; } = 3;

    /// <summary>
    /// Readings between two transforms when streaming; default 1 (every reading re-runs the transform, as in the paper).
    /// With a hop h each transform scores the last h readings at once, so its vote can arrive up to h − 1 readings late
    /// but costs h times less; backfills raise it.
    /// </summary>
    public int Hop { get; init; } = 1;

    /// <summary>Readings in the sliding window (<see cref="TransformLength"/> − <see cref="EstimatedPoints"/>).</summary>
    public int WindowLength => TransformLength - EstimatedPoints;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (TransformLength < 16 || !BitOperations.IsPow2(TransformLength))
        {
            throw new ArgumentOutOfRangeException(nameof(TransformLength), TransformLength, "must be a power of two, at least 16");
        }
        if (EstimatedPoints < 1 || EstimatedPoints > TransformLength / 4)
        {
            throw new ArgumentOutOfRangeException(nameof(EstimatedPoints), EstimatedPoints, "must be within [1, TransformLength / 4]");
        }
        if (GradientPoints < 1 || GradientPoints >= WindowLength)
        {
            throw new ArgumentOutOfRangeException(nameof(GradientPoints), GradientPoints, "must be within [1, window length)");
        }
        if (AverageFilter < 1 || AverageFilter > TransformLength / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(AverageFilter), AverageFilter, "must be within [1, TransformLength / 2]");
        }
        if (LocalAverage < 1 || LocalAverage >= WindowLength)
        {
            throw new ArgumentOutOfRangeException(nameof(LocalAverage), LocalAverage, "must be within [1, window length)");
        }
        if (!(Threshold > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "must be positive");
        }
        if (Hop < 1 || Hop > WindowLength - LocalAverage)
        {
            throw new ArgumentOutOfRangeException(nameof(Hop), Hop, "must be within [1, window length − LocalAverage]");
        }
    }
}
