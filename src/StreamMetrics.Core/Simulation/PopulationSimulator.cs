using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Orders;

namespace StreamMetrics.Core.Simulation;

/// <summary>
/// A seeded synthetic population that buys the way BG/NBD assumes (Fader, Hardie &amp; Lee 2005): while
/// alive, a customer buys at a Poisson rate λ ~ Gamma(r, α); after each repeat purchase it drops out
/// with probability p ~ Beta(a, b). The same seed always gives the same orders.
/// </summary>
public sealed class PopulationSimulator
{
    /// <summary>Close to the CDNOW fit in days (r = 0.243, α = 30.9, a = 0.793, b = 2.426), a little busier.</summary>
    public static readonly BgNbdParameters DefaultBehaviour = new(0.6, 20, 0.8, 2.4);
    private const double ReturnShare = 0.05;
    private static readonly string[] Regions = ["United Kingdom", "Germany", "France", "Netherlands", "Spain"];
    private static readonly string[] Channels = ["web", "app", "store"];
    private static readonly string[] Categories = ["music", "books", "home", "garden", "toys"];
    private static readonly string[] AgeBands = ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"];
    private static readonly string[] Genders = ["f", "m", "x"];
    private static readonly string[] IncomeBands = ["low", "middle", "high"];

    private readonly int _customers;
    private readonly int _days;
    private readonly int _seed;
    private readonly DateTimeOffset _start;
    private readonly BgNbdParameters _behaviour;

    public PopulationSimulator(int customers, int days, int seed, DateTimeOffset? start = null, BgNbdParameters? behaviour = null)
    {
        _behaviour = behaviour ?? DefaultBehaviour;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(customers, 0);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(days, 0);
        _customers = customers;
        _days = days;
        _seed = seed;
        _start = start ?? new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    }

    public DateTimeOffset Start => _start;

    public DateTimeOffset End => _start.AddDays(_days);

    /// <summary>The population's true parameters, customer by customer.</summary>
    public IEnumerable<SimulatedCustomer> Customers()
    {
        var random = new Random(_seed);
        for (var i = 0; i < _customers; i++)
        {
            var lambda = Sampling.Gamma(random, _behaviour.R) / _behaviour.Alpha;
            var p = Sampling.Beta(random, _behaviour.A, _behaviour.B);
            var first = _start.AddSeconds(Math.Floor(random.NextDouble() * _days * 86400));
            yield return new SimulatedCustomer(CustomerIdOf(i), lambda, p, first);
        }
    }

    /// <summary>
    /// A profile (age band, gender, income band) for every customer but one in ten, which has none and so
    /// shows as <c>unknown</c>. Drawn from a generator of its own, so that the orders of a seed stay the same.
    /// </summary>
    public IEnumerable<(string CustomerId, IReadOnlyDictionary<string, string> Attributes)> Profiles()
    {
        var random = new Random(_seed ^ 0x0f11e5);
        for (var i = 0; i < _customers; i++)
        {
            var (age, gender, income, missing) = (random.Next(AgeBands.Length), random.Next(Genders.Length), random.Next(IncomeBands.Length), random.Next(10));
            if (missing == 0) continue;
            yield return (CustomerIdOf(i), new Dictionary<string, string>
            {
                ["age_band"] = AgeBands[age], ["gender"] = Genders[gender], ["income_band"] = IncomeBands[income],
            });
        }
    }

    private static string CustomerIdOf(int index) => $"C{index + 1:D7}";

    /// <summary>Every order of the simulated period, in event-time order.</summary>
    public IEnumerable<OrderEvent> Orders() => Simulate().Orders;

    /// <summary>The orders, and each customer's truth: whether and when it dropped out.</summary>
    public (IReadOnlyList<OrderEvent> Orders, IReadOnlyList<CustomerTruth> Truth) Simulate()
    {
        var all = new List<OrderEvent>();
        var truth = new List<CustomerTruth>();
        var random = new Random(_seed ^ 0x5eed);
        foreach (var customer in Customers())
            truth.Add(new CustomerTruth(customer.CustomerId, AddOrdersOf(customer, random, all), customer.PurchasesPerDay, customer.DropoutAfterPurchase));
        all.Sort((x, y) => x.Timestamp != y.Timestamp ? x.Timestamp.CompareTo(y.Timestamp) : string.CompareOrdinal(x.OrderId, y.OrderId));
        return (all, truth);
    }

    /// <summary>Adds a customer's orders; returns when it dropped out, or null when it is alive at the end.</summary>
    private DateTimeOffset? AddOrdersOf(SimulatedCustomer customer, Random random, List<OrderEvent> into)
    {
        var region = Regions[random.Next(Regions.Length)];
        var channel = Channels[random.Next(Channels.Length)];
        var at = customer.FirstPurchase;
        for (var n = 1; ; n++)
        {
            var items = Items(random);
            var amount = items.Sum(i => i.Quantity * i.UnitPrice);
            var orderId = $"{customer.CustomerId}-{n}";
            into.Add(new OrderEvent(orderId, customer.CustomerId, at, OrderKind.Purchase, amount, "GBP", region, channel, items));
            if (random.NextDouble() < ReturnShare && at.AddDays(2) < End)
            {
                var returned = items[0] with { Quantity = 1 };
                into.Add(new OrderEvent($"R{orderId}", customer.CustomerId, at.AddDays(2), OrderKind.Return,
                    returned.UnitPrice, "GBP", region, channel, [returned]));
            }
            // BG/NBD's story: a customer may drop out after a repeat purchase, never right after its first.
            if (n > 1 && random.NextDouble() < customer.DropoutAfterPurchase) return at;
            if (customer.PurchasesPerDay <= 0) return null;
            // A very small rate can put the next purchase centuries away: past the end is all that matters.
            var gapDays = Sampling.Exponential(random, customer.PurchasesPerDay);
            if (gapDays >= (End - at).TotalDays) return null;
            at = at.AddSeconds(Math.Ceiling(gapDays * 86400));
        }
    }

    private static OrderItem[] Items(Random random)
    {
        var items = new OrderItem[1 + random.Next(3)];
        for (var i = 0; i < items.Length; i++)
        {
            var sku = random.Next(200);
            var price = Math.Round((decimal)Math.Exp(1.5 + 0.8 * Sampling.StandardNormal(random)), 2) + 0.5m;
            items[i] = new OrderItem($"SKU{sku:D4}", Categories[sku % Categories.Length], 1 + random.Next(4), price);
        }
        return items;
    }
}
