using System.Globalization;
using System.IO.Compression;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>
/// Every Online Retail customer's RFM scores and segment at an instant, computed here from the CSV with
/// no code of the worker's: purchases = invoices not starting with C, net revenue = purchase amounts −
/// return amounts (amount = |Σ quantity × price| of the invoice, rounded to cents), days since the last
/// purchase = (instant − the purchase's earliest line) in fractional days. Cut points q_k (k = 1..4) are
/// the ⌈k·n/5⌉-th smallest value over the customers who bought; F = 1 + #{q &lt; purchases},
/// M = 1 + #{q &lt; net revenue}, R = 5 − #{q &lt; days since the last purchase}.
/// </summary>
public static class RfmReference
{
    /// <summary>A customer's scores, null for one who never bought (segment "none").</summary>
    public sealed record Reference((int R, int F, int M)? Scores, string Segment);

    // The grid of src/StreamMetrics.Core/Segments/Rfm.cs, copied: rows R = 5..1, columns F = 1..5.
    private static readonly string[][] Grid =
    [
        ["new_customers", "potential_loyalist", "potential_loyalist", "champions", "champions"],
        ["promising", "potential_loyalist", "loyal_customers", "loyal_customers", "champions"],
        ["about_to_sleep", "need_attention", "need_attention", "loyal_customers", "loyal_customers"],
        ["hibernating", "hibernating", "at_risk", "at_risk", "cant_lose_them"],
        ["lost", "lost", "at_risk", "cant_lose_them", "cant_lose_them"],
    ];

    public static IReadOnlyDictionary<string, Reference> At(DateTimeOffset instant)
    {
        var customers = Customers();
        var buyers = customers.Values.Where(c => c.Purchases > 0).ToList();
        var days = CutPoints(buyers.Select(c => DaysSince(c, instant)));
        var purchases = CutPoints(buyers.Select(c => (double)c.Purchases));
        var revenue = CutPoints(buyers.Select(c => c.NetRevenue));

        return customers.ToDictionary(c => c.Key, c =>
        {
            if (c.Value.Purchases == 0) return new Reference(null, "none");
            var r = 5 - days.Count(q => q < DaysSince(c.Value, instant));
            var f = 1 + purchases.Count(q => q < c.Value.Purchases);
            var m = 1 + revenue.Count(q => q < c.Value.NetRevenue);
            return new Reference((r, f, m), Grid[5 - r][f - 1]);
        });
    }

    private static double DaysSince(Customer customer, DateTimeOffset instant) => (instant - customer.LastPurchase).TotalDays;

    private static List<T> CutPoints<T>(IEnumerable<T> values)
    {
        var sorted = values.Order().ToList();
        return [.. Enumerable.Range(1, 4).Select(k => sorted[(k * sorted.Count + 4) / 5 - 1])];
    }

    private sealed class Customer
    {
        public int Purchases { get; set; }

        public decimal NetRevenue { get; set; }

        public DateTimeOffset LastPurchase { get; set; } = DateTimeOffset.MinValue;
    }

    private static Dictionary<string, Customer> Customers()
    {
        var invoices = new Dictionary<string, (string Customer, DateTime First, decimal Sum)>();
        using (var parser = new Microsoft.VisualBasic.FileIO.TextFieldParser(new GZipStream(File.OpenRead(OnlineRetailCsv.Path), CompressionMode.Decompress))
        {
            TextFieldType = Microsoft.VisualBasic.FileIO.FieldType.Delimited,
            HasFieldsEnclosedInQuotes = true,
        })
        {
            parser.SetDelimiters(",");
            parser.ReadFields();
            while (parser.ReadFields() is { } fields)
            {
                var (invoice, customer) = (fields[0], fields[6]);
                if (customer.Length == 0 || !(char.IsAsciiDigit(invoice[0]) || invoice[0] == 'C')) continue;
                var at = DateTime.ParseExact(fields[4], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                var value = decimal.Parse(fields[3], CultureInfo.InvariantCulture) * decimal.Parse(fields[5], CultureInfo.InvariantCulture);
                var id = customer.EndsWith(".0", StringComparison.Ordinal) ? customer[..^2] : customer;
                invoices[invoice] = invoices.TryGetValue(invoice, out var known)
                    ? (id, at < known.First ? at : known.First, known.Sum + value)
                    : (id, at, value);
            }
        }

        var customers = new Dictionary<string, Customer>();
        foreach (var (invoice, (id, first, sum)) in invoices)
        {
            if (!customers.TryGetValue(id, out var customer)) customers.Add(id, customer = new Customer());
            var amount = Math.Round(Math.Abs(sum), 2, MidpointRounding.AwayFromZero);
            if (invoice[0] == 'C')
            {
                customer.NetRevenue -= amount;
                continue;
            }
            customer.Purchases++;
            customer.NetRevenue += amount;
            var at = new DateTimeOffset(first, TimeSpan.Zero);
            if (at > customer.LastPurchase) customer.LastPurchase = at;
        }
        return customers;
    }
}
