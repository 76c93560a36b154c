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
        // The framework's own CSV parser, so that the oracle shares no code with the replay reader.
        using var parser = new Microsoft.VisualBasic.FileIO.TextFieldParser(new GZipStream(File.OpenRead(Path), CompressionMode.Decompress))
        {
            TextFieldType = Microsoft.VisualBasic.FileIO.FieldType.Delimited,
            HasFieldsEnclosedInQuotes = true,
        };
        parser.SetDelimiters(",");
        parser.ReadFields();
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
}
