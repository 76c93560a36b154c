namespace StreamMetrics.Core.Simulation;

/// <summary>What really happened to a simulated customer: when it dropped out (null: alive at the end), and its true rates.</summary>
public sealed record CustomerTruth(string CustomerId, DateTimeOffset? DroppedOutAt, double PurchasesPerDay, double DropoutAfterPurchase);
