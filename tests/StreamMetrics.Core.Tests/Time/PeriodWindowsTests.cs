using StreamMetrics.Core.Time;

namespace StreamMetrics.Core.Tests.Time;

public sealed class PeriodWindowsTests
{
    private static readonly PeriodWindows Daily = new(TimeSpan.FromDays(1));

    [Theory]
    [InlineData("2010-12-01T00:00:00Z", "2010-12-01T00:00:00Z")]
    [InlineData("2010-12-01T23:59:59.9999999Z", "2010-12-01T00:00:00Z")]
    [InlineData("2010-12-02T00:30:00+01:00", "2010-12-01T00:00:00Z")]
    [InlineData("2010-12-01T23:30:00-01:00", "2010-12-02T00:00:00Z")]
    [InlineData("1969-12-31T12:00:00Z", "1969-12-31T00:00:00Z")]
    public void An_instant_falls_in_the_window_that_starts_at_its_UTC_midnight(string instant, string expectedStart)
    {
        var index = Daily.IndexOf(DateTimeOffset.Parse(instant));

        Assert.Equal(DateTimeOffset.Parse(expectedStart), Daily.StartOf(index));
        Assert.Equal(DateTimeOffset.Parse(expectedStart).AddDays(1), Daily.EndOf(index));
    }

    [Fact]
    public void Hourly_windows_stay_aligned_to_midnight()
    {
        var hourly = new PeriodWindows(TimeSpan.FromHours(1));

        var start = hourly.StartOf(hourly.IndexOf(DateTimeOffset.Parse("2011-03-04T17:42:10Z")));

        Assert.Equal(DateTimeOffset.Parse("2011-03-04T17:00:00Z"), start);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    [InlineData(7 * 60)]
    [InlineData(36 * 60)]
    public void A_period_that_would_drift_from_midnight_is_refused(int minutes)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PeriodWindows(TimeSpan.FromMinutes(minutes)));
    }
}
