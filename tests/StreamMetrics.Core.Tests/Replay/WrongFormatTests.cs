using StreamMetrics.Core.Replay;

namespace StreamMetrics.Core.Tests.Replay;

/// <summary>A data file read as another format stops at its first line, with one line naming what was expected and what was found.</summary>
public sealed class WrongFormatTests
{
    [Fact]
    public void CDNOW_read_as_Online_Retail_names_the_header_expected()
    {
        using var reader = DataSetFiles.Open("cdnow/CDNOW_sample.txt");

        var error = Assert.Throws<InvalidDataException>(() => ReplayReader.Read(ReplayFormat.OnlineRetail, reader));

        Assert.Equal("not an Online Retail file: the header must be 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country', " +
                     "found '00004 0001 19970101  2   29.33'", error.Message);
    }

    [Fact]
    public void Online_Retail_read_as_CDNOW_names_the_lines_expected()
    {
        using var reader = DataSetFiles.Open("online-retail/online_retail.csv.gz");

        var error = Assert.Throws<InvalidDataException>(() => ReplayReader.Read(ReplayFormat.Cdnow, reader));

        Assert.Equal("not a CDNOW file: expected the header 'customer_id date number_of_cds dollar_value' or rows of " +
                     "'customer_id [sample_id] yyyymmdd cds dollars', found 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'",
            error.Message);
    }

    [Fact]
    public void Online_Retail_read_as_JSON_lines_says_what_a_line_should_be()
    {
        using var reader = DataSetFiles.Open("online-retail/online_retail.csv.gz");

        var error = Assert.Throws<InvalidDataException>(() => ReplayReader.Read(ReplayFormat.Jsonl, reader));

        Assert.StartsWith("not a JSON Lines file: expected one order event per line, a JSON object such as {\"orderId\"", error.Message);
    }

    [Fact]
    public void The_CDNOW_master_file_with_its_header_is_read()
    {
        using var reader = DataSetFiles.Open("cdnow/CDNOW_master.txt");

        var data = ReplayReader.Read(ReplayFormat.Cdnow, reader);

        Assert.Equal(23_570, data.Orders.Select(o => o.CustomerId).Distinct().Count());
        Assert.Equal(1, data.Skipped);
    }

    [Fact]
    public void A_JSON_lines_file_whose_first_order_is_bad_is_still_read_with_that_line_skipped()
    {
        var lines = new StringReader("""
            {"orderId":"o1","customerId":"c1","timestamp":"not a time","amount":1}
            {"orderId":"o2","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1}
            """);

        var data = ReplayReader.Read(ReplayFormat.Jsonl, lines);

        Assert.Equal((1, 1), (data.Orders.Count, data.Skipped));
    }
}
