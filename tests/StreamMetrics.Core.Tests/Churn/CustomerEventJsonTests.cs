using System.Text;
using StreamMetrics.Core.Churn;

namespace StreamMetrics.Core.Tests.Churn;

public sealed class CustomerEventJsonTests
{
    [Fact]
    public void An_alert_is_the_same_json_however_many_alerts_the_thread_wrote_before()
    {
        var atRisk = new CustomerEvent("c-\"1\"", CustomerEvent.AtRisk, new DateTimeOffset(2026, 12, 2, 11, 34, 54, TimeSpan.Zero).AddTicks(1234500),
            0.4125, 17.5, 3, "at_risk", "active", "at_risk");
        var newCustomer = new CustomerEvent("c2", CustomerEvent.NewCustomer, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(2)),
            null, double.NaN, 0, "new", null, "new");

        var first = Encoding.UTF8.GetString(CustomerEventJson.Serialize(atRisk));
        Assert.Equal(
            $$"""{"alertId":"{{atRisk.AlertId}}","customerId":"c-\u00221\u0022","event":"at_risk","eventTime":"2026-12-02T11:34:54.12345Z","pAlive":0.4125,"daysSinceLastOrder":17.5,"orders30d":3,"segment":"at_risk","from":"active","to":"at_risk"}""",
            first);
        Assert.Equal(
            $$"""{"alertId":"{{newCustomer.AlertId}}","customerId":"c2","event":"new_customer","eventTime":"2025-12-31T22:00:00Z","pAlive":null,"daysSinceLastOrder":null,"orders30d":0,"segment":"new","from":null,"to":"new"}""",
            Encoding.UTF8.GetString(CustomerEventJson.Serialize(newCustomer)));
        Assert.Equal(first, Encoding.UTF8.GetString(CustomerEventJson.Serialize(atRisk)));
    }
}
