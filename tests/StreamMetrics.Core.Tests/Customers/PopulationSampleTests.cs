using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Customers;

namespace StreamMetrics.Core.Tests.Customers;

public sealed class PopulationSampleTests
{
    private static CustomerSummary Customer(int i) =>
        i % 3 == 0 ? new($"c{i}", null, null, 0, -2.5m) : new($"c{i}", new CustomerHistory(i % 5, i * 0.5, i), i * 0.25, 1 + i % 5, i * 1.01m, i % 2 == 0 ? i : null, i * 0.37m);

    [Fact]
    public void A_sample_survives_its_binary_form_exactly()
    {
        var sample = Enumerable.Range(0, 100).Select(Customer).ToList();

        var at = DateTimeOffset.Parse("2011-06-01T00:00:00Z");

        var (watermark, decoded) = PopulationSample.Decode(PopulationSample.Encode(sample, at));

        Assert.Equal(at, watermark);
        Assert.Equal(sample, decoded);
    }

    [Fact]
    public void The_sample_is_the_customers_with_the_smallest_hashes_whatever_their_order()
    {
        var customers = Enumerable.Range(0, 1000).Select(Customer).ToList();

        var forwards = PopulationSample.Select(customers, 100);
        var backwards = PopulationSample.Select(Enumerable.Reverse(customers), 100);

        Assert.Equal(100, forwards.Count);
        Assert.Equal(forwards, backwards);
        var largestKept = forwards.Max(c => StableHash.Of(c.CustomerId));
        Assert.All(customers.Except(forwards), c => Assert.True(StableHash.Of(c.CustomerId) > largestKept));
        Assert.Equal(customers.Count, PopulationSample.Select(customers).Count);
    }

    [Fact]
    public void Anything_else_is_refused_with_a_clear_exception()
    {
        Assert.Throws<InvalidDataException>(() => PopulationSample.Decode([9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
        Assert.Throws<InvalidDataException>(() => PopulationSample.Decode([2, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0]));
    }
}
