using System.Globalization;
using System.IO.Compression;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>
/// The figures of the Online Retail file computed straight from the CSV, independently of the replay
/// reader: per customer, purchases and their revenue, returns and their refunded value.
/// </summary>
public static class OnlineRetailCsv
{
    public sealed record CustomerFigures(long Orders, decimal Revenue, long Returns, decimal Refunded);

    public static string Path => Testing.DataSets.Find("online-retail/online_retail.csv.gz");

    public static IReadOnlyDictionary<string, CustomerFigures> PerCustomer()
    {
        var invoices = new Dictionary<string, (string Customer, decimal Sum)>();
        using var parser = OpenRows();
        while (parser.ReadFields() is { } fields)
        {
            var (invoice, quantity, price, customer) = (fields[0], fields[3], fields[5], fields[6]);
            if (customer.Length == 0 || !(char.IsAsciiDigit(invoice[0]) || invoice[0] == 'C')) continue;
            var value = decimal.Parse(quantity, CultureInfo.InvariantCulture) * decimal.Parse(price, CultureInfo.InvariantCulture);
            invoices[invoice] = (customer.EndsWith(".0", StringComparison.Ordinal) ? customer[..^2] : customer, invoices.GetValueOrDefault(invoice).Sum + value);
        }

        var figures = new Dictionary<string, CustomerFigures>();
        foreach (var (invoice, (customer, sum)) in invoices)
        {
            var amount = Math.Round(Math.Abs(sum), 2, MidpointRounding.AwayFromZero);
            var current = figures.GetValueOrDefault(customer) ?? new CustomerFigures(0, 0, 0, 0);
            figures[customer] = invoice[0] == 'C'
                ? current with { Returns = current.Returns + 1, Refunded = current.Refunded + amount }
                : current with { Orders = current.Orders + 1, Revenue = current.Revenue + amount };
        }
        return figures;
    }

    /// <summary>Each customer's purchase invoices, as the time of each invoice's first line (UTC), in no particular order.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<DateTime>> PurchaseTimes()
    {
        var invoices = new Dictionary<string, (string Customer, DateTime First)>();
        using var parser = OpenRows();
        while (parser.ReadFields() is { } fields)
        {
            var (invoice, customer) = (fields[0], fields[6]);
            if (customer.Length == 0 || !char.IsAsciiDigit(invoice[0])) continue;
            var at = DateTime.ParseExact(fields[4], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            var id = customer.EndsWith(".0", StringComparison.Ordinal) ? customer[..^2] : customer;
            invoices[invoice] = invoices.TryGetValue(invoice, out var known) && known.First <= at ? known : (id, at);
        }
        return invoices.Values.GroupBy(i => i.Customer).ToDictionary(g => g.Key, g => (IReadOnlyList<DateTime>)[.. g.Select(i => i.First)]);
    }

    /// <summary>
    /// Demand per level, key and UTC day (the day of the invoice's first line): units bought less units
    /// returned, purchase invoices, and purchase revenue (the invoice's rounded total at the total and
    /// region levels, quantity × price at the SKU level).
    /// </summary>
    public static IReadOnlyDictionary<(string Level, string Key, DateTime Day), (long Units, long Orders, decimal Revenue)> DemandPerDay()
    {
        var invoices = new Dictionary<string, Invoice>();
        using var parser = OpenRows();
        while (parser.ReadFields() is { } fields)
        {
            var (invoiceNo, sku, quantity, at, price, customer, country) = (fields[0], fields[1], decimal.Parse(fields[3], CultureInfo.InvariantCulture),
                DateTime.ParseExact(fields[4], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), decimal.Parse(fields[5], CultureInfo.InvariantCulture), fields[6], fields[7]);
            if (customer.Length == 0 || !(char.IsAsciiDigit(invoiceNo[0]) || invoiceNo[0] == 'C')) continue;
            if (!invoices.TryGetValue(invoiceNo, out var invoice)) invoices.Add(invoiceNo, invoice = new Invoice(invoiceNo[0] == 'C', country, at));
            invoice.Sum += quantity * price;
            if (at < invoice.First) invoice.First = at;
            if (quantity != 0 && price >= 0) invoice.Lines.Add((sku, (long)Math.Abs(quantity), price));
        }

        var demand = new Dictionary<(string, string, DateTime), (long Units, long Orders, decimal Revenue)>();
        void Add((string, string, DateTime) key, long units, long orders, decimal revenue)
        {
            var known = demand.GetValueOrDefault(key);
            demand[key] = (known.Units + units, known.Orders + orders, known.Revenue + revenue);
        }
        foreach (var invoice in invoices.Values)
        {
            var day = invoice.First.Date;
            var sign = invoice.IsReturn ? -1 : 1;
            var orders = invoice.IsReturn ? 0 : 1;
            var amount = invoice.IsReturn ? 0 : Math.Round(Math.Abs(invoice.Sum), 2, MidpointRounding.AwayFromZero);
            var units = sign * invoice.Lines.Sum(l => l.Quantity);
            Add(("total", "all", day), units, orders, amount);
            Add(("region", invoice.Country, day), units, orders, amount);
            foreach (var sku in invoice.Lines.GroupBy(l => l.Sku))
                Add(("sku", sku.Key, day), sign * sku.Sum(l => l.Quantity), orders, invoice.IsReturn ? 0 : sku.Sum(l => l.Quantity * l.Price));
        }
        return demand;
    }

    /// <summary>The CSV's rows after the header, read by the framework's own CSV parser, so that the oracle shares no code with the replay reader.</summary>
    private static Microsoft.VisualBasic.FileIO.TextFieldParser OpenRows()
    {
        var parser = new Microsoft.VisualBasic.FileIO.TextFieldParser(new GZipStream(File.OpenRead(Path), CompressionMode.Decompress))
        {
            TextFieldType = Microsoft.VisualBasic.FileIO.FieldType.Delimited,
            HasFieldsEnclosedInQuotes = true,
        };
        parser.SetDelimiters(",");
        parser.ReadFields();
        return parser;
    }

    private sealed class Invoice(bool isReturn, string country, DateTime first)
    {
        public bool IsReturn { get; } = isReturn;

        public string Country { get; } = country;

        public DateTime First { get; set; } = first;

        public decimal Sum { get; set; }

        public List<(string Sku, long Quantity, decimal Price)> Lines { get; } = [];
    }
}
