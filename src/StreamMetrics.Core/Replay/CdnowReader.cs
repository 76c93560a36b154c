using System.Globalization;
using StreamMetrics.Core.Orders;

namespace StreamMetrics.Core.Replay;

/// <summary>
/// CDNOW as order events: one purchase per customer and date, rows merged (DESIGN §2). Reads
/// CDNOW_sample.txt (<c>master_id sample_id date cds dollars</c>: the customer is the sample id) and
/// CDNOW_master.txt (<c>customer_id date cds dollars</c>), told apart by their number of columns.
/// </summary>
public static class CdnowReader
{
    // The master file's header; the sample file has none.
    private const string MasterHeader = "customer_id date number_of_cds dollar_value";

    public static ReplayData Read(TextReader reader)
    {
        var first = true;
        var orders = new Dictionary<(string Customer, string Date), decimal>();
        var skipped = 0;
        var problems = new List<string>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0) continue;
            var (customer, date, dollars) = fields.Length switch
            {
                5 => (fields[1], fields[2], fields[4]),
                4 => (fields[0], fields[1], fields[3]),
                _ => (null, null, null),
            };
            if (customer is null || !decimal.TryParse(dollars, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                || !DateTime.TryParseExact(date, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                // The first line tells a CDNOW file from another: the master's header, or a readable row. Anything later unreadable is reported.
                if (first && string.Join(' ', fields) != MasterHeader)
                    throw new InvalidDataException($"not a CDNOW file: expected the header '{MasterHeader}' or rows of 'customer_id [sample_id] yyyymmdd cds dollars', found {ReplayReader.Quote(line)}");
                first = false;
                skipped++;
                if (problems.Count < 100 && lineNumber > 1) problems.Add($"line {lineNumber}: cannot read '{line}'");
                continue;
            }
            first = false;
            orders[(customer, date!)] = orders.GetValueOrDefault((customer, date!)) + value;
        }

        var events = orders.Select(pair => ToOrder(pair.Key.Customer, pair.Key.Date, pair.Value)).ToList();
        events.Sort(ReplayReader.ByTime);
        return new ReplayData(events, skipped, problems);
    }

    private static OrderEvent ToOrder(string customerId, string date, decimal dollars)
    {
        var at = new DateTimeOffset(DateTime.ParseExact(date, "yyyyMMdd", CultureInfo.InvariantCulture), TimeSpan.Zero);
        return new OrderEvent($"{customerId}-{date}", customerId, at, OrderKind.Purchase,
            Math.Round(dollars, 2, MidpointRounding.AwayFromZero), null, null, null, []);
    }
}
