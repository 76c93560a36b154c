using StreamMetrics.Core.Orders;
using StreamMetrics.Core.Replay;

namespace StreamMetrics.Core.Tests.Replay;

public sealed class ReplayReaderTests
{
    [Fact]
    public void Online_Retail_gives_the_published_customers_purchases_and_revenue()
    {
        using var reader = DataSetFiles.Open("online-retail/online_retail.csv.gz");

        var data = ReplayReader.Read(ReplayFormat.OnlineRetail, reader);

        var purchases = data.Orders.Where(o => o.Kind == OrderKind.Purchase).ToList();
        var returns = data.Orders.Where(o => o.Kind == OrderKind.Return).ToList();
        Assert.Equal(4_372, data.Orders.Select(o => o.CustomerId).Distinct().Count());
        Assert.Equal(18_536, purchases.Count);
        Assert.Equal(8_911_407.90m, purchases.Sum(o => o.Amount));
        Assert.Equal(3_654, returns.Count);
        Assert.Equal(611_342.09m, returns.Sum(o => o.Amount));
        Assert.Empty(data.Problems);
    }

    [Fact]
    public void Online_Retail_orders_come_in_event_time_order_as_UTC_with_the_invoice_lines_as_items()
    {
        using var reader = DataSetFiles.Open("online-retail/online_retail.csv.gz");

        var orders = ReplayReader.Read(ReplayFormat.OnlineRetail, reader).Orders;

        Assert.True(orders.Zip(orders.Skip(1)).All(pair => pair.First.Timestamp <= pair.Second.Timestamp));
        var first = orders.First(o => o.OrderId == "536365");
        Assert.Equal(("17850", DateTimeOffset.Parse("2010-12-01T08:26:00Z"), "United Kingdom"), (first.CustomerId, first.Timestamp, first.Region));
        Assert.Equal(7, first.Items.Count);
        Assert.Equal(139.12m, first.Amount);
        Assert.Equal(new OrderItem("85123A", null, 6, 2.55m), first.Items[0]);
    }

    [Fact]
    public void The_CDNOW_sample_merges_each_customers_day_into_one_purchase()
    {
        using var reader = DataSetFiles.Open("cdnow/CDNOW_sample.txt");
        var expected = File.ReadLines(DataSetFiles.Path("cdnow/CDNOW_sample.txt"))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 5)
            .GroupBy(fields => (fields[1], fields[2]))
            .ToList();

        var data = ReplayReader.Read(ReplayFormat.Cdnow, reader);

        Assert.Equal(2_357, data.Orders.Select(o => o.CustomerId).Distinct().Count());
        Assert.Equal(expected.Count, data.Orders.Count);
        var first = data.Orders.First(o => o.CustomerId == "0001");
        Assert.Equal(("0001-19970101", DateTimeOffset.Parse("1997-01-01T00:00:00Z"), 29.33m), (first.OrderId, first.Timestamp, first.Amount));
    }

    [Fact]
    public void Jsonl_reads_order_events_and_skips_bad_lines_with_their_reason()
    {
        const string text = """
            {"orderId":"1","customerId":"a","timestamp":"2011-01-02T00:00:00Z","amount":3}
            not json
            {"orderId":"2","customerId":"b","timestamp":"2011-01-01T00:00:00Z","amount":1,"kind":"return"}
            {"orderId":"3","timestamp":"2011-01-01T00:00:00Z","amount":1}
            """;

        var data = ReplayReader.Read(ReplayFormat.Jsonl, new StringReader(text));

        Assert.Equal(["2", "1"], data.Orders.Select(o => o.OrderId));
        Assert.Equal(2, data.Skipped);
        Assert.StartsWith("line 2: value is not valid JSON", data.Problems[0]);
        Assert.Equal("line 4: required field 'customerId' is missing", data.Problems[1]);
    }
}
