using System.Runtime.InteropServices;
using StreamMetrics.Core.Orders;
using StreamMetrics.Core.State;
using StreamMetrics.Core.Time;

namespace StreamMetrics.Core.Demand;

/// <summary>
/// One orders partition's demand per period and key, kept until the period is older than the
/// retention: each time the watermark closes a period, the keys changed in it go out as
/// <see cref="DemandPartial"/>s; a late order re-sends its period's changed keys, whole.
/// </summary>
/// <remarks>
/// A late order for a period already forgotten cannot be sent: its partial would replace a complete
/// one with the late order alone. <see cref="Add"/> refuses it and the caller counts it.
/// Each period's snapshot carries the offset it is complete through, so that after a restore an order
/// read again is counted only by periods that did not have it yet.
/// </remarks>
public sealed class DemandPartials(int sourcePartition, PeriodWindows periods, TimeSpan retention)
{
    /// <summary>The prefix of the changelog keys of a partition's demand periods; no customer id holds a control character.</summary>
    public const string SnapshotKeyPrefix = "\u0000demand\u0000";

    private readonly SortedDictionary<long, Period> _periods = new();
    private readonly HashSet<long> _changedSinceCheckpoint = new();
    private long _firstKept = long.MinValue;

    /// <summary>Adds the demand of the order at <paramref name="offset"/> to its period.</summary>
    public DemandAddResult Add(OrderEvent order, long offset)
    {
        var index = periods.IndexOf(order.Timestamp);
        if (index < _firstKept) return DemandAddResult.BeyondRetention;
        if (!_periods.TryGetValue(index, out var period)) _periods.Add(index, period = new Period());
        if (offset <= period.ThroughOffset) return DemandAddResult.AlreadyCounted;
        DemandContribution.Add(order, period.Add);
        _changedSinceCheckpoint.Add(index);
        return DemandAddResult.Added;
    }

    /// <summary>The changed keys of every period before <paramref name="firstOpenPeriod"/>, as partials; then forgets periods beyond the retention.</summary>
    public IReadOnlyList<DemandPartial> TakeClosed(long firstOpenPeriod)
    {
        var partials = new List<DemandPartial>();
        foreach (var (index, period) in _periods)
        {
            if (index >= firstOpenPeriod) break;
            if (period.Changed.Count == 0) continue;
            foreach (var key in period.Changed) partials.Add(new DemandPartial(key, sourcePartition, index, period.Figures[key]));
            period.Changed.Clear();
            _changedSinceCheckpoint.Add(index);
        }
        if (firstOpenPeriod != long.MaxValue) Forget(periods.IndexOf(periods.StartOf(firstOpenPeriod) - retention));
        return partials;
    }

    /// <summary>Every changed key of every period, open ones too (end of a bounded run).</summary>
    public IReadOnlyList<DemandPartial> TakeAll() => TakeClosed(long.MaxValue);

    private void Forget(long firstKept)
    {
        if (firstKept <= _firstKept) return;
        _firstKept = firstKept;
        while (_periods.Count > 0 && _periods.First() is var (index, period) && index < firstKept && period.Changed.Count == 0)
        {
            _periods.Remove(index);
            _changedSinceCheckpoint.Add(index); // its snapshot goes, as an empty record
        }
    }

    /// <summary>
    /// Changelog records of the periods changed since the last call, complete through
    /// <paramref name="throughOffset"/>: key = prefix + period, value = its keys and figures (empty when forgotten).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>> TakeSnapshots(long throughOffset)
    {
        var snapshots = new List<KeyValuePair<string, byte[]>>(_changedSinceCheckpoint.Count);
        foreach (var index in _changedSinceCheckpoint.Order())
        {
            var writer = new SnapshotWriter();
            if (_periods.TryGetValue(index, out var period))
            {
                period.ThroughOffset = throughOffset;
                writer.WriteVarInt(throughOffset);
                writer.WriteVarUInt((ulong)period.Figures.Count);
                foreach (var (key, figures) in period.Figures.OrderBy(f => f.Key.Level, StringComparer.Ordinal).ThenBy(f => f.Key.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(key.Level);
                    writer.WriteString(key.Key);
                    writer.WriteByte(period.Changed.Contains(key) ? (byte)1 : (byte)0);
                    DemandFiguresCodec.Write(writer, figures);
                }
            }
            snapshots.Add(new(SnapshotKeyPrefix + index.ToString(System.Globalization.CultureInfo.InvariantCulture), writer.ToArray()));
        }
        _changedSinceCheckpoint.Clear();
        return snapshots;
    }

    /// <summary>Restores one period from its changelog record; an empty record is a forgotten period.</summary>
    public void Restore(string snapshotKey, ReadOnlySpan<byte> bytes)
    {
        if (!long.TryParse(snapshotKey.AsSpan(SnapshotKeyPrefix.Length), System.Globalization.CultureInfo.InvariantCulture, out var index))
            throw new InvalidDataException($"demand snapshot key '{snapshotKey}' does not end in a period index");
        if (bytes.IsEmpty) return;
        var reader = new SnapshotReader(bytes);
        var period = new Period { ThroughOffset = reader.ReadVarInt() };
        var count = reader.ReadCount(1 << 24);
        for (var i = 0; i < count; i++)
        {
            var key = new DemandKey(reader.ReadString() ?? "", reader.ReadString() ?? "");
            if (reader.ReadByte() != 0) period.Changed.Add(key);
            period.Figures[key] = DemandFiguresCodec.Read(ref reader);
        }
        if (!reader.AtEnd) throw new InvalidDataException("demand snapshot has bytes after its end");
        _periods[index] = period;
    }

    private sealed class Period
    {
        public Period() => Add = AddFigures; // one delegate a period, not one an order

        public Dictionary<DemandKey, DemandFigures> Figures { get; } = new();

        public HashSet<DemandKey> Changed { get; } = new();

        public long ThroughOffset { get; set; } = -1;

        /// <summary>Adds one contribution of an order to its key's figures.</summary>
        public Action<DemandKey, DemandFigures> Add { get; }

        private void AddFigures(DemandKey key, DemandFigures figures)
        {
            ref var known = ref CollectionsMarshal.GetValueRefOrAddDefault(Figures, key, out _);
            known += figures;
            Changed.Add(key);
        }
    }
}

/// <summary>What became of an order's demand.</summary>
public enum DemandAddResult
{
    Added,

    /// <summary>Its period's restored snapshot already holds it: the order was read again after a restore.</summary>
    AlreadyCounted,

    /// <summary>Its period is older than the retention and no longer kept.</summary>
    BeyondRetention,
}
