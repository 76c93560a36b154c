using Akka.Actor;
using Akka.TestKit.Xunit2;
using StreamMetrics.Core.Orders;
using StreamMetrics.Core.Replay;
using StreamMetrics.Core.State;
using StreamMetrics.Influx.LineProtocol;
using StreamMetrics.Kafka.State;
using StreamMetrics.Worker.Actors;
using StreamMetrics.Worker.Actors.Messages;
using StreamMetrics.Worker.Options;
using StreamMetrics.Worker.Pipeline;

namespace StreamMetrics.Worker.Tests.Actors;

/// <summary>What a partition writes is a function of its records: not of how they were batched, nor of a restore in between.</summary>
public sealed class DeterminismTests() : TestKit(CustomerMailbox.Configuration)
{
    private static readonly DateTimeOffset WallClock = DateTimeOffset.Parse("2026-01-01T00:00:00Z");
    private static readonly DateTimeOffset EndTime = DateTimeOffset.Parse("1997-05-01T00:00:00Z");

    /// <summary>The CDNOW sample's first four months: 2,357 customers join, many buy again.</summary>
    private static readonly IReadOnlyList<OffsetOrder> Orders = LoadOrders();

    private static List<OffsetOrder> LoadOrders()
    {
        using var reader = new StreamReader(Testing.DataSets.Find("cdnow/CDNOW_sample.txt"));
        return [.. ReplayReader.Read(ReplayFormat.Cdnow, reader).Orders.Where(o => o.Timestamp < EndTime).Select((order, offset) => new OffsetOrder(offset, order))];
    }

    [Fact]
    public void Batches_of_any_size_give_the_same_points_alerts_and_fits()
    {
        var whole = Run(Sys.ActorOf(PartitionActor.Props(0, new MetricsOptions())), batchSize: 5_000);
        var small = Run(Sys.ActorOf(PartitionActor.Props(0, new MetricsOptions())), batchSize: 37);

        foreach (var model in new[] { "bgnbd", "pareto_nbd", "gamma_gamma" })
            Assert.True(whole.Count(line => line.StartsWith($"model,model={model},", StringComparison.Ordinal)) >= 15, $"the partition fitted its own {model}, once a week of periods");
        Assert.Contains(whole, line => line.StartsWith("customer_metrics,", StringComparison.Ordinal) && line.Contains(",clv_12m=", StringComparison.Ordinal));
        Assert.Contains(whole, line => line.StartsWith("customer_events,event=at_risk", StringComparison.Ordinal));
        Assert.Equal(whole.Order(StringComparer.Ordinal), small.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_partition_restored_from_a_checkpoint_mid_stream_writes_what_one_never_stopped_writes()
    {
        var clean = Run(Sys.ActorOf(PartitionActor.Props(0, new MetricsOptions())), batchSize: 250);

        // The first owner checkpoints after 2,000 records, applies 500 more and dies; the next one restores and reads on from the checkpoint.
        var first = Sys.ActorOf(PartitionActor.Props(0, new MetricsOptions()));
        var written = new List<string>();
        Feed(first, Orders.Take(2_000), written);
        var states = Checkpoint(first, written).ToDictionary(s => s.Key, s => s.Value!);
        Feed(first, Orders.Skip(2_000).Take(500), written);

        written.AddRange(Run(Restored(states), batchSize: 250, from: 2_000));

        // InfluxDB keeps the last point per series and time; the restored owner writes the dead owner's last 500 records again.
        Assert.Equal(LastPerSeries(clean), LastPerSeries(written));
    }

    [Theory]
    [InlineData(0)] // the second checkpoint reached the changelog whole; the offsets of its records were not committed
    [InlineData(1)] // the process died before the partition's own record, the last of the checkpoint
    [InlineData(40)] // ... or in the middle of its customers
    public void A_checkpoint_cut_short_by_a_crash_restores_to_what_one_never_stopped_writes(int recordsLost)
    {
        var clean = Run(Sys.ActorOf(PartitionActor.Props(0, new MetricsOptions())), batchSize: 250);

        // Checkpoints after 2,000 and 2,500 records; the offsets of the first are committed, the second's records
        // reached the changelog but the last few (the partition's own record comes last).
        var first = Sys.ActorOf(PartitionActor.Props(0, new MetricsOptions()));
        var written = new List<string>();
        Feed(first, Orders.Take(2_000), written);
        var changelog = new ChangelogState(PartitionSnapshot.Key);
        foreach (var (key, value) in Checkpoint(first, written)) changelog.Apply(key, value);
        Feed(first, Orders.Skip(2_000).Take(500), written);
        var second = Checkpoint(first, written);
        Assert.True(second.Count > recordsLost + 10, $"the second checkpoint writes {second.Count} records");
        foreach (var (key, value) in second.Take(second.Count - recordsLost)) changelog.Apply(key, value);
        changelog.UndoCutShort();

        written.AddRange(Run(Restored(changelog.Latest), batchSize: 250, from: 2_000));

        Assert.Equal(LastPerSeries(clean), LastPerSeries(written));
    }

    /// <summary>Feeds the orders from <paramref name="from"/> on in batches, then ends like a bounded run; returns every point written, as text.</summary>
    private List<string> Run(IActorRef partition, int batchSize, int from = 0)
    {
        var lines = new List<string>();
        Feed(partition, Orders.Skip(from), lines, batchSize);
        lines.AddRange(Lines(Ask(partition, new EmitAllWindows(EndTime))));
        return lines;
    }

    /// <summary>Applies <paramref name="orders"/> in batches, adding every point written to <paramref name="written"/>.</summary>
    private void Feed(IActorRef partition, IEnumerable<OffsetOrder> orders, List<string> written, int batchSize = 250)
    {
        foreach (var batch in orders.Chunk(batchSize)) written.AddRange(Lines(Ask(partition, new ProcessOrders(batch, batch[^1].Offset, WallClock))));
    }

    /// <summary>The states of a checkpoint; its points (a refit's, made after the last command answered) are written like any output's.</summary>
    private IReadOnlyList<KeyValuePair<string, byte[]?>> Checkpoint(IActorRef partition, List<string> written)
    {
        var output = Ask(partition, new Checkpoint());
        written.AddRange(Lines(output));
        return output.States;
    }

    /// <summary>A new owner of the partition, restored from <paramref name="changelog"/>.</summary>
    private IActorRef Restored(IReadOnlyDictionary<string, byte[]> changelog)
    {
        var partition = Sys.ActorOf(PartitionActor.Props(0, new MetricsOptions()));
        partition.Tell(new RestorePartition(changelog, WallClock));
        ExpectMsg<PartitionRestored>();
        return partition;
    }

    private PartitionOutput Ask(IActorRef partition, object command)
    {
        partition.Tell(command);
        return ExpectMsg<PartitionOutput>(TimeSpan.FromMinutes(2));
    }

    private static IEnumerable<string> Lines(PartitionOutput output) =>
        output.Windows.Select(ActivityPoints.From)
            .Concat(output.Metrics.Select(MetricsPoints.From))
            .Concat(output.Events.Select(MetricsPoints.From))
            .Concat(output.Segments.Select(figures => MetricsPoints.From(figures, output.Partition)))
            .Concat(output.Fits.SelectMany(made => MetricsPoints.Models(made.Model, made.At, output.Partition)))
            .Select(point => $"{point.Measurement},{string.Join(',', point.Tags.Select(t => $"{t.Key}={t.Value}"))}|{point.Timestamp:O}|" +
                string.Join(',', point.Fields.Select(f => $"{f.Key}={Text(f.Value)}")))
            .Order(StringComparer.Ordinal); // customers answer in any order within a command

    private static string Text(FieldValue value) => value.Kind switch
    {
        FieldKind.Float => value.AsDouble.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        FieldKind.String => value.AsString!,
        _ => value.AsLong.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static List<string> LastPerSeries(IEnumerable<string> lines) =>
        [.. lines.GroupBy(line => line[..line.LastIndexOf('|')]).Select(g => g.Last()).Order(StringComparer.Ordinal)];
}
