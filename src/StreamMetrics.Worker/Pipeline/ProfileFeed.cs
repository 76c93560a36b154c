using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StreamMetrics.Core.Profiles;
using StreamMetrics.Kafka.Producers;
using StreamMetrics.Kafka.Profiles;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>
/// Keeps the <see cref="ProfileTable"/> current from the profiles topic: loaded whole before the first
/// order is read, so that a replay evaluates with the same profiles, then followed while the worker runs.
/// Records that are not profiles go to the dead-letter topic with the reason.
/// </summary>
/// <remarks>
/// Every worker reads the whole topic, so a profile is there whichever worker owns its customer after a
/// rebalance, with nothing to restore; the price is that each worker dead-letters a bad record once
/// per start (its source-partition and source-offset headers tell the copies apart).
/// </remarks>
public sealed class ProfileFeed(ProfilesTopicReader reader, ProfileTable table, DeadLetterProducer deadLetters, ILogger log) : IDisposable
{
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromMinutes(10);

    private bool _unreadable;

    public ProfileTable Table => table;

    /// <summary>Records of the profiles topic that were not profiles, sent to the dead-letter topic.</summary>
    public long DeadLettered { get; private set; }

    /// <summary>Reads the topic up to its end offsets; a worker that uses no profile attribute reads nothing.</summary>
    public async Task LoadAsync()
    {
        if (table.Attributes.Count == 0) return;
        var read = await Task.Run(() => reader.ReadToEnd(LoadTimeout, Take));
        if (reader.TopicExists)
            log.LogInformation("Loaded {Records} profile records: {Customers} customers have a profile, {Bad} records were not profiles (dead-lettered)",
                read, table.Count, DeadLettered);
        else
            log.LogInformation("No profiles topic yet: every customer is in segment '{Unknown}' of {Attributes} until one is created", ProfileTable.Unknown,
                string.Join(", ", table.Attributes));
    }

    /// <summary>
    /// Takes the profiles that arrived since the last call; the next evaluation uses them. Kafka out of reach is said
    /// once and tried again at the next call: the orders cannot be read either, and what stops the run is their side.
    /// </summary>
    public void Refresh()
    {
        if (table.Attributes.Count == 0) return;
        try
        {
            reader.ReadArrived(Take);
            if (_unreadable) log.LogInformation("Reading new profiles again");
            _unreadable = false;
        }
        catch (KafkaException e)
        {
            if (!_unreadable) log.LogWarning("Could not read new profiles ({Reason}); trying again at the next tick", e.Error.Reason);
            _unreadable = true;
        }
    }

    private void Take(ConsumeResult<byte[]?, byte[]?> record)
    {
        var profile = ProfileParser.Parse(record.Message.Key, record.Message.Value);
        if (profile.Error is null)
        {
            table.Apply(profile);
            return;
        }
        DeadLettered++;
        log.LogWarning("Dead-lettered profile record at offset {Offset} of partition {Partition}: {Reason}", record.Offset.Value, record.Partition.Value, profile.Error);
        _ = deadLetters.SendAsync(ProfilesTopicReader.ToDeadLetter(record, profile.Error)).ContinueWith(
            sent => log.LogError("Could not dead-letter profile record at offset {Offset} of partition {Partition}: {Error}",
                record.Offset.Value, record.Partition.Value, sent.Exception!.GetBaseException().Message),
            TaskContinuationOptions.OnlyOnFaulted);
    }

    public void Dispose() => reader.Dispose();
}
