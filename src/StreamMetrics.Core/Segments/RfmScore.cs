namespace StreamMetrics.Core.Segments;

/// <summary>Recency, frequency and monetary scores, each 1 (worst) to 5 (best).</summary>
public readonly record struct RfmScore(int R, int F, int M);
