using StreamMetrics.Core.Churn;

namespace StreamMetrics.Worker.Options;

/// <summary>The <c>Churn</c> section: which purchase model evaluates customers.</summary>
public sealed class ChurnOptions
{
    /// <summary><c>auto</c> (the model with the higher likelihood, per fit), <c>bgnbd</c> or <c>pareto_nbd</c>.</summary>
    public string Model { get; set; } = ModelNames.Auto;

    /// <summary><see cref="Model"/> read; the settings validator has refused any other value at start-up.</summary>
    public ChurnModelChoice Choice => ModelNames.TryParseChoice(Model, out var choice)
        ? choice
        : throw new InvalidOperationException($"Churn:Model '{Model}' was not validated; use auto, bgnbd or pareto_nbd");
}
