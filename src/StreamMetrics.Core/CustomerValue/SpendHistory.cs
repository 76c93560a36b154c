using StreamMetrics.Core.Customers;

namespace StreamMetrics.Core.CustomerValue;

/// <summary>
/// A customer's spend as the Gamma-Gamma model sees it: <paramref name="RepeatDays"/> repeat purchase days (x, as in
/// BG/NBD) and <paramref name="MeanSpend"/>, the mean of those days' purchases (m̄ₓ). The first purchase day is left
/// out, as Fader &amp; Hardie (2013) do, so that x and m̄ₓ describe the same purchases; a customer without repeat
/// purchase days has x = 0 and m̄ₓ = 0.
/// </summary>
public readonly record struct SpendHistory(int RepeatDays, double MeanSpend)
{
    public static SpendHistory Of(CustomerSummary customer) =>
        customer.History is { X: > 0 } history ? new(history.X, (double)customer.RepeatSpend / history.X) : new(0, 0);
}
