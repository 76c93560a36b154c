using StreamMetrics.Core.Customers;
using StreamMetrics.Core.Replay;
using StreamMetrics.Core.Tests.Replay;
using StreamMetrics.Core.Time;

namespace StreamMetrics.Core.Tests.CustomerValue;

/// <summary>CDNOW_sample's calibration period (to 1997-09-30) as the worker summarises it: each customer's orders applied to its <see cref="CustomerState"/>.</summary>
internal static class CdnowSummaries
{
    public static readonly DateTimeOffset CalibrationEnd = DateTimeOffset.Parse("1997-09-30T00:00:00Z");

    public static IReadOnlyList<CustomerSummary> Calibration { get; } = Summarize();

    private static List<CustomerSummary> Summarize()
    {
        using var reader = DataSetFiles.Open("cdnow/CDNOW_sample.txt");
        return [.. ReplayReader.Read(ReplayFormat.Cdnow, reader).Orders
            .Where(o => o.Timestamp <= CalibrationEnd)
            .GroupBy(o => o.CustomerId)
            .Select(orders =>
            {
                var state = new CustomerState(orders.Key, new PeriodWindows(TimeSpan.FromDays(1)), TimeSpan.FromDays(3650));
                foreach (var order in orders) state.Apply(order);
                return state.Summarize(CalibrationEnd);
            })
            .OrderBy(c => c.CustomerId, StringComparer.Ordinal)];
    }
}
