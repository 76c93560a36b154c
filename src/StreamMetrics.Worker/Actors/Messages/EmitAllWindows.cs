namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>
/// End of a bounded run: move the watermark to <paramref name="EndTime"/> when given, then emit every
/// pending window, open ones included.
/// </summary>
public sealed record EmitAllWindows(DateTimeOffset? EndTime);
