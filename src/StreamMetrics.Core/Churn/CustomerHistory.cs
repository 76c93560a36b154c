namespace StreamMetrics.Core.Churn;

/// <summary>
/// A customer's purchase history as BG/NBD sees it: <paramref name="X"/> repeat purchases (distinct
/// purchase days − 1), the time <paramref name="Tx"/> of the last one and the age <paramref name="T"/>
/// of the customer, both measured from the first purchase.
/// </summary>
public readonly record struct CustomerHistory(int X, double Tx, double T);
