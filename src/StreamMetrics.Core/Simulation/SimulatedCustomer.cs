namespace StreamMetrics.Core.Simulation;

/// <summary>A synthetic customer's true behaviour: purchases per day while alive, and the chance of dropping out after each purchase (BG/NBD's story).</summary>
public sealed record SimulatedCustomer(string CustomerId, double PurchasesPerDay, double DropoutAfterPurchase, DateTimeOffset FirstPurchase);
