namespace StreamMetrics.Core.Scaling;

/// <summary>What a consumer group is measured to be doing, for <see cref="ScalingAdvice.Recommend"/>.</summary>
/// <param name="Partitions">The topic's partitions: more workers than that would sit idle.</param>
/// <param name="TotalLag">Records between the group's committed offsets and the end offsets, over all partitions.</param>
/// <param name="InputPerSecond">Records arriving per second, all partitions together.</param>
/// <param name="PerWorkerPerSecond">Records one worker applies per second when it has a backlog; null when not measured yet.</param>
public readonly record struct GroupLoad(int Partitions, long TotalLag, double InputPerSecond, double? PerWorkerPerSecond);

/// <summary>
/// The number of workers a group needs: the fewest that keep up with the input and drain the current lag
/// within <c>catchUpTarget</c>; never fewer than KEDA's rule for its Kafka and Prometheus scalers,
/// ⌈total lag ÷ lag threshold⌉, and never more than the partitions.
/// </summary>
/// <remarks>
/// With n workers the lag shrinks at n·μ − λ records a second (μ per worker, λ arriving), so it is gone
/// within T when n·μ − λ ≥ lag ÷ T, that is n ≥ (λ + lag ÷ T) ÷ μ. KEDA's rule alone ignores how fast a
/// worker is and that records keep arriving; this adds both, and keeps KEDA's as a floor so that a group
/// scaled by KEDA on the same metric never sits below what KEDA would ask for.
/// </remarks>
public static class ScalingAdvice
{
    public static ScalingRecommendation Recommend(GroupLoad load, TimeSpan catchUpTarget, long lagThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(catchUpTarget, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lagThreshold, 0);
        if (load.Partitions <= 0) return new ScalingRecommendation(0, "the topic has no partitions");
        var lag = Math.Max(load.TotalLag, 0);
        var kedaFloor = (int)Math.Min(load.Partitions, Math.Max(1, (lag + lagThreshold - 1) / lagThreshold));
        if (load.PerWorkerPerSecond is not (> 0 and var perWorker))
            return new ScalingRecommendation(kedaFloor, $"no measured throughput: KEDA's rule, ⌈lag {lag} ÷ threshold {lagThreshold}⌉");

        var needed = Math.Ceiling((Math.Max(load.InputPerSecond, 0) + lag / catchUpTarget.TotalSeconds) / perWorker);
        if (needed > load.Partitions)
            return new ScalingRecommendation(load.Partitions,
                $"{needed:F0} workers would drain the lag within {catchUpTarget.TotalSeconds:F0} s; there are only {load.Partitions} partitions");
        var byRate = (int)Math.Max(needed, 1);
        return byRate >= kedaFloor
            ? new ScalingRecommendation(byRate,
                $"{byRate} × {perWorker:F0} records/s keeps up with {load.InputPerSecond:F0}/s and drains a lag of {lag} within {catchUpTarget.TotalSeconds:F0} s")
            : new ScalingRecommendation(kedaFloor, $"KEDA's floor, ⌈lag {lag} ÷ threshold {lagThreshold}⌉, is above the {byRate} the rates need");
    }
}

/// <summary>How many workers, and which constraint decided it.</summary>
public sealed record ScalingRecommendation(int Replicas, string Reason);
