namespace StreamMetrics.Core.Churn;

/// <summary>The models' names, as `Churn:Model` values and as the `model` tag of the `model` measurement (DESIGN §4).</summary>
public static class ModelNames
{
    public const string Auto = "auto";
    public const string BgNbd = "bgnbd";
    public const string ParetoNbd = "pareto_nbd";
    public const string GammaGamma = "gamma_gamma";

    /// <summary>Reads a `Churn:Model` value: auto, bgnbd or pareto_nbd, in any case.</summary>
    public static bool TryParseChoice(string? text, out ChurnModelChoice choice)
    {
        ChurnModelChoice? parsed = text?.Trim().ToLowerInvariant() switch
        {
            Auto => ChurnModelChoice.Auto,
            BgNbd => ChurnModelChoice.BgNbd,
            ParetoNbd => ChurnModelChoice.ParetoNbd,
            _ => null,
        };
        choice = parsed ?? default;
        return parsed is not null;
    }

    public static string Of(ChurnModelChoice choice) => choice switch
    {
        ChurnModelChoice.Auto => Auto,
        ChurnModelChoice.BgNbd => BgNbd,
        ChurnModelChoice.ParetoNbd => ParetoNbd,
        _ => throw new ArgumentOutOfRangeException(nameof(choice), choice, "not a churn model choice"),
    };
}
