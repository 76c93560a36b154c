using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StreamMetrics.Kafka.State;

/// <summary>
/// What a changelog partition's records add up to, read in order: the latest value per key as of the last complete
/// checkpoint. A checkpoint ends with the record of <c>commitKey</c>; the records after the last such record are a
/// checkpoint a crash cut short, and are undone, so that a restore never mixes the states of two checkpoints.
/// </summary>
/// <remarks>
/// One producer writes a checkpoint to one partition in order, so a crash leaves a prefix of it in the log, and so does a
/// newer owner's claim landing in the middle of it (the records after the claim are fenced): the records after the last
/// commit. The values its keys had before are still in the log as long as compaction has not run over the
/// cut-short records (never while they are in the active segment); the next owner writes the undo at once.
/// </remarks>
public sealed class ChangelogState(string? commitKey)
{
    private readonly Dictionary<string, byte[]> _latest = new(StringComparer.Ordinal);
    // Each record since the last commit, with the value its key had before it (null: none). A list rather than a map:
    // appending costs a restore little, and only a checkpoint cut short is ever looked at.
    private readonly List<KeyValuePair<string, byte[]?>> _sinceCommit = [];

    /// <summary>The latest value per key; as of the last complete checkpoint once <see cref="UndoCutShort"/> has run.</summary>
    public IReadOnlyDictionary<string, byte[]> Latest => _latest;

    /// <summary>Takes the next record in: a null value is a tombstone.</summary>
    // A restore runs this for every record or state, once a process: optimised from the first call, not quick-compiled first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Apply(string key, byte[]? value)
    {
        // One look-up of the key in the latest values per record: a restore reads hundreds of thousands of them a second.
        byte[]? before;
        if (value is not null)
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_latest, key, out _);
            before = slot;
            slot = value;
        }
        else _latest.Remove(key, out before);
        if (commitKey is null) return;
        if (key == commitKey) _sinceCommit.Clear();
        else _sinceCommit.Add(new(key, before));
    }

    /// <summary>
    /// Ends the read: undoes the checkpoint cut short, if any. Returns the records that undo it in the log too (each
    /// of its keys with its committed value or a tombstone, then the last commit record): written, they keep a later
    /// commit from taking the cut-short records in. Empty when the last checkpoint is complete.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, byte[]?>> UndoCutShort()
    {
        if (_sinceCommit.Count == 0) return [];
        // Backwards, so that a key written twice since the commit ends with the value it had before the first write.
        var committed = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        for (var i = _sinceCommit.Count - 1; i >= 0; i--) committed[_sinceCommit[i].Key] = _sinceCommit[i].Value;
        _sinceCommit.Clear();
        var undo = new List<KeyValuePair<string, byte[]?>>(committed.Count + 1);
        foreach (var (key, before) in committed)
        {
            if (before is not null) _latest[key] = before;
            else _latest.Remove(key);
            undo.Add(new(key, before));
        }
        if (_latest.TryGetValue(commitKey!, out var commit)) undo.Add(new(commitKey!, commit));
        return undo;
    }

    public void Clear()
    {
        _latest.Clear();
        _sinceCommit.Clear();
    }
}
