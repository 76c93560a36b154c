using StreamMetrics.Core.Scaling;

namespace StreamMetrics.Core.Tests.Scaling;

public sealed class ScalingAdviceTests
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    [Fact]
    public void A_caught_up_group_needs_enough_workers_for_its_input_and_no_more()
    {
        // 25,000 records/s arriving, 10,000 a worker: three keep up, two would not.
        var advice = ScalingAdvice.Recommend(new GroupLoad(12, 0, 25_000, 10_000), FiveMinutes, 100_000);

        Assert.Equal(3, advice.Replicas);
    }

    [Fact]
    public void A_backlog_adds_the_workers_that_drain_it_within_the_catch_up_target()
    {
        // 6,000,000 records behind over 300 s is 20,000/s on top of 25,000/s arriving: 45,000 / 10,000 → 5.
        var advice = ScalingAdvice.Recommend(new GroupLoad(12, 6_000_000, 25_000, 10_000), FiveMinutes, 10_000_000);

        Assert.Equal(5, advice.Replicas);
        Assert.Contains("drains a lag of 6000000", advice.Reason);
    }

    [Fact]
    public void Exactly_enough_capacity_is_enough()
    {
        // 4 × 10,000 − 25,000 = 15,000/s drains 4,500,000 in exactly 300 s.
        Assert.Equal(4, ScalingAdvice.Recommend(new GroupLoad(12, 4_500_000, 25_000, 10_000), FiveMinutes, 10_000_000).Replicas);
        Assert.Equal(5, ScalingAdvice.Recommend(new GroupLoad(12, 4_500_001, 25_000, 10_000), FiveMinutes, 10_000_000).Replicas);
    }

    [Fact]
    public void KEDA_rule_is_the_floor_when_the_rates_ask_for_fewer()
    {
        // Fast workers would drain 450,000 records with one; KEDA's rule asks ⌈450,000 / 100,000⌉ = 5.
        var advice = ScalingAdvice.Recommend(new GroupLoad(12, 450_000, 100, 50_000), FiveMinutes, 100_000);

        Assert.Equal(5, advice.Replicas);
        Assert.Contains("KEDA", advice.Reason);
    }

    [Fact]
    public void Without_a_measured_throughput_KEDA_rule_decides()
    {
        Assert.Equal(3, ScalingAdvice.Recommend(new GroupLoad(12, 250_000, 1_000, null), FiveMinutes, 100_000).Replicas);
        Assert.Equal(1, ScalingAdvice.Recommend(new GroupLoad(12, 0, 0, null), FiveMinutes, 100_000).Replicas);
    }

    [Fact]
    public void The_partitions_cap_both_rules()
    {
        var byRates = ScalingAdvice.Recommend(new GroupLoad(4, 0, 1_000_000, 10_000), FiveMinutes, 100_000);
        var byKeda = ScalingAdvice.Recommend(new GroupLoad(4, 10_000_000, 0, null), FiveMinutes, 100_000);

        Assert.Equal(4, byRates.Replicas);
        Assert.Contains("only 4 partitions", byRates.Reason);
        Assert.Equal(4, byKeda.Replicas);
    }

    [Fact]
    public void An_idle_group_keeps_one_worker_and_a_topic_without_partitions_none()
    {
        Assert.Equal(1, ScalingAdvice.Recommend(new GroupLoad(8, 0, 0, 10_000), FiveMinutes, 100_000).Replicas);
        Assert.Equal(0, ScalingAdvice.Recommend(new GroupLoad(0, 0, 0, 10_000), FiveMinutes, 100_000).Replicas);
    }
}
