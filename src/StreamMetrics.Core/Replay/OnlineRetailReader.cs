using System.Globalization;
using StreamMetrics.Core.Orders;

namespace StreamMetrics.Core.Replay;

/// <summary>
/// The UCI Online Retail CSV as order events: one order per invoice of a known customer; invoices
/// starting with a digit are purchases, with C returns, anything else skipped (DESIGN §2).
/// </summary>
public static class OnlineRetailReader
{
    private const string Header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";

    public static ReplayData Read(TextReader reader)
    {
        var header = reader.ReadLine();
        if (header?.Trim() != Header)
            throw new InvalidDataException($"not an Online Retail file: the header must be '{Header}', found {ReplayReader.Quote(header)}");

        var invoices = new Dictionary<string, Invoice>(StringComparer.Ordinal);
        var skipped = 0;
        var problems = new List<string>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var fields = CsvLine.Split(line);
            if (fields.Count != 8 || !TryReadLine(fields, out var invoiceNo, out var item, out var quantity, out var at))
            {
                skipped++;
                if (problems.Count < 100) problems.Add($"line {lineNumber}: cannot read '{line}'");
                continue;
            }
            var customer = fields[6];
            if (customer.Length == 0 || !(char.IsAsciiDigit(invoiceNo[0]) || invoiceNo[0] == 'C'))
            {
                skipped++;
                continue;
            }
            if (!invoices.TryGetValue(invoiceNo, out var invoice))
                invoices.Add(invoiceNo, invoice = new Invoice(customer.EndsWith(".0", StringComparison.Ordinal) ? customer[..^2] : customer, fields[7], at));
            invoice.Add(item, quantity, at);
        }

        var orders = invoices.Select(pair => pair.Value.ToOrder(pair.Key)).ToList();
        orders.Sort(ReplayReader.ByTime);
        return new ReplayData(orders, skipped, problems);
    }

    private static bool TryReadLine(List<string> fields, out string invoiceNo, out OrderItem item, out decimal quantity, out DateTimeOffset at)
    {
        invoiceNo = fields[0];
        item = default;
        at = default;
        if (!decimal.TryParse(fields[3], NumberStyles.Float, CultureInfo.InvariantCulture, out quantity)) return false;
        if (!decimal.TryParse(fields[5], NumberStyles.Float, CultureInfo.InvariantCulture, out var unitPrice)) return false;
        if (!DateTimeOffset.TryParseExact(fields[4], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at)) return false;
        if (invoiceNo.Length == 0) return false;
        item = new OrderItem(fields[1], null, (long)Math.Abs(quantity), unitPrice);
        return true;
    }

    private sealed class Invoice(string customerId, string country, DateTimeOffset at)
    {
        private readonly List<OrderItem> _items = [];
        private decimal _total;
        private DateTimeOffset _earliest = at;

        public void Add(OrderItem item, decimal quantity, DateTimeOffset at)
        {
            _items.Add(item);
            _total += quantity * item.UnitPrice;
            if (at < _earliest) _earliest = at;
        }

        public OrderEvent ToOrder(string invoiceNo)
        {
            var kind = invoiceNo[0] == 'C' ? OrderKind.Return : OrderKind.Purchase;
            var amount = Math.Round(Math.Abs(_total), 2, MidpointRounding.AwayFromZero);
            // Lines with a zero quantity cannot be items of a valid order; they add nothing to the amount either.
            var items = _items.Where(i => i.Quantity > 0 && i.UnitPrice >= 0).ToList();
            return new OrderEvent(invoiceNo, customerId, _earliest.ToUniversalTime(), kind, amount, null, country, null, items);
        }
    }
}
