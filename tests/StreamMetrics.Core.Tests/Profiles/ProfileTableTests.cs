using StreamMetrics.Core.Profiles;

namespace StreamMetrics.Core.Tests.Profiles;

public sealed class ProfileTableTests
{
    private readonly ProfileTable _table = new(["age_band", "gender", "income_band"]);

    [Fact]
    public void A_customer_is_in_the_segments_of_its_newest_profile()
    {
        _table.Apply(Profile("c1", ("age_band", "25-34"), ("gender", "f")));
        _table.Apply(Profile("c1", ("age_band", "35-44"), ("income_band", "high")));

        Assert.Equal(["35-44", "unknown", "high"], _table.SegmentsOf("c1"));
    }

    [Fact]
    public void Without_a_profile_or_after_its_tombstone_a_customer_is_unknown_everywhere()
    {
        _table.Apply(Profile("c1", ("age_band", "25-34")));
        _table.Apply(new ProfileRecord("c1", null, null));

        Assert.Equal(["unknown", "unknown", "unknown"], _table.SegmentsOf("c1"));
        Assert.Equal(["unknown", "unknown", "unknown"], _table.SegmentsOf("never-seen"));
        Assert.Equal(0, _table.Count);
    }

    [Fact]
    public void An_empty_value_is_unknown_and_attributes_that_are_no_scheme_are_left_out()
    {
        _table.Apply(Profile("c1", ("age_band", " "), ("gender", "m"), ("favourite_colour", "green")));

        Assert.Equal(["unknown", "m", "unknown"], _table.SegmentsOf("c1"));
    }

    [Fact]
    public void Customers_with_the_same_values_share_one_copy_of_them()
    {
        _table.Apply(Profile("c1", ("age_band", "25-34"), ("gender", "f")));
        _table.Apply(Profile("c2", ("gender", "f"), ("age_band", "25-34")));

        Assert.Same(_table.SegmentsOf("c1"), _table.SegmentsOf("c2"));
    }

    [Fact]
    public void An_unreadable_record_cannot_be_applied() =>
        Assert.Throws<ArgumentException>(() => _table.Apply(ProfileRecord.Bad("value is empty", "c1")));

    private static ProfileRecord Profile(string customerId, params (string Name, string Value)[] attributes) =>
        new(customerId, attributes.ToDictionary(a => a.Name, a => a.Value), null);
}
