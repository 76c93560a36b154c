using StreamMetrics.Core.Churn;
using StreamMetrics.Worker.Options;

namespace StreamMetrics.Worker.Tests.Options;

public sealed class ChurnOptionsTests
{
    [Fact]
    public void The_churn_model_defaults_to_auto()
    {
        var settings = new WorkerSettings();

        Assert.Equal(ChurnModelChoice.Auto, settings.Churn.Choice);
        Assert.Empty(ChurnErrors(settings));
    }

    [Theory]
    [InlineData("bgnbd", ChurnModelChoice.BgNbd)]
    [InlineData("pareto_nbd", ChurnModelChoice.ParetoNbd)]
    [InlineData("Auto", ChurnModelChoice.Auto)]
    public void Each_model_name_is_accepted(string name, ChurnModelChoice choice)
    {
        var settings = new WorkerSettings { Churn = { Model = name } };

        Assert.Empty(ChurnErrors(settings));
        Assert.Equal(choice, settings.Churn.Choice);
    }

    [Fact]
    public void Another_model_stops_the_start_with_one_line_naming_the_key_and_the_choices()
    {
        var settings = new WorkerSettings { Churn = { Model = "pareto" } };

        var error = Assert.Single(ChurnErrors(settings));

        Assert.Equal("Churn:Model 'pareto' is not a churn model; use auto, bgnbd or pareto_nbd", error);
    }

    /// <summary>The validator's lines about the Churn section; the other sections' defaults are another test's business.</summary>
    private static IEnumerable<string> ChurnErrors(WorkerSettings settings) =>
        SettingsValidator.Validate(settings).Where(error => error.StartsWith("Churn:", StringComparison.Ordinal));
}
