namespace StreamMetrics.Bench.Peers;

/// <summary>A peer that could not finish its run; the message says why in one line, and the bench leaves the peer out of its figures.</summary>
public sealed class PeerFailedException(string message) : Exception(message);
